"""Browser fixtures: the app served by a real uvicorn process on the test database, and a
headless Chromium driven by Playwright.

Chromium is Debian's (`/usr/bin/chromium`): Playwright's own browser downloads are not available
here. Without it the browser tests are skipped, except under `make test` (ZS_TEST_TOOLS=yes),
where a missing browser is a failure.
"""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.api.test_server import free_port

CHROMIUM = os.environ.get("ZS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def live_server(database_url: str, tmp_path_factory) -> Iterator[str]:
    """The app under uvicorn, as `make run` serves it, on the test database; yields its base URL."""
    port = free_port()
    uvicorn = Path(sys.executable).with_name("uvicorn")
    # Whatever the developer's environment says: no outside basemap, the local gazetteer.
    env = os.environ | {"DATABASE_URL": database_url, "ZS_BASEMAP": "none", "ZS_GEOCODER": "local"}
    log_path = tmp_path_factory.mktemp("uvicorn") / "uvicorn.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [
            str(uvicorn),
            "api.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                pytest.fail(f"uvicorn exited with {process.returncode}:\n{log_path.read_text()}")
            time.sleep(0.1)
        else:
            pytest.fail("uvicorn did not answer /healthz within 15 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        message = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("ZS_TEST_TOOLS"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class MapPage:
    """A page of the map, with everything it logged and requested."""

    page: object
    base: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def open(self, path: str = "/") -> None:
        """Load the page and wait until the map has drawn everything (or failed)."""
        self.page.goto(self.base + path)
        self.page.wait_for_function("window.zhengshou !== undefined")
        assert self.page.evaluate("window.zhengshou.ready") is True, self.page.evaluate(
            "window.zhengshou.error"
        )

    def foreign_requests(self) -> list[str]:
        own = urlsplit(self.base).netloc
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != own
        ]

    def assert_clean(self) -> None:
        """No console error, no uncaught exception, no request outside the test server."""
        assert self.errors == []
        assert self.foreign_requests() == []


@pytest.fixture
def map_page(browser, live_server: str) -> Iterator[MapPage]:
    """A fresh browser context (empty localStorage) at 1280x800, recording errors and requests."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    result = MapPage(page=page, base=live_server)
    page.on(
        "console",
        lambda message: (
            result.errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: result.errors.append(f"pageerror: {error}"))
    page.on("request", lambda request: result.requests.append(request.url))
    try:
        yield result
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
