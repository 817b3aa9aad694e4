"""Browser fixtures: the app served by a real uvicorn process on the test database, and a
headless Chromium driven by Playwright.

Chromium is Debian's (`/usr/bin/chromium`): Playwright's own browser downloads are not available
here. Without it the browser tests are skipped, except under `make test` (ZS_TEST_TOOLS=yes),
where a missing browser is a failure.
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from geo.db import session_scope
from geo.tokens import create_token
from tests.support.browser import wait_until
from tests.support.databases import (
    TEST_DATABASE,
    drop_database,
    migrate_and_load,
    recreate_database,
)
from tests.support.plans import load_test_plans
from tests.support.server import serve

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
    """The app on the session's test database (read-only for the browser tests)."""
    with serve(database_url, tmp_path_factory.mktemp("uvicorn")) as base:
        yield base


@dataclass
class EditableServer:
    base: str
    database_url: str

    def token(self, name: str = "规划科测试", role: str = "editor") -> str:
        """A bearer token for writes through the API."""
        engine = create_engine(self.database_url, poolclass=NullPool)
        try:
            with session_scope(engine) as session:
                return create_token(session, name, role)
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def editable_server(tmp_path_factory) -> Iterator[EditableServer]:
    """The app on a database of its own, loaded like the test database, for tests that write
    through the API: the session's database stays as shipped for every other test."""
    name = f"{TEST_DATABASE}_browser_edit"
    url = recreate_database(name)
    try:
        migrate_and_load(url)
        with serve(url, tmp_path_factory.mktemp("uvicorn-edit")) as base:
            yield EditableServer(base=base, database_url=url)
    finally:
        drop_database(name)


@pytest.fixture(scope="session")
def plans_server(tmp_path_factory) -> Iterator[str]:
    """The app on a database of its own holding the shipped plan and two more (see
    tests/support/plans.py), for the plan picker: the session's database keeps one plan."""
    name = f"{TEST_DATABASE}_browser_plans"
    url = recreate_database(name)
    try:
        migrate_and_load(url)
        engine = create_engine(url, poolclass=NullPool)
        try:
            with session_scope(engine) as session:
                load_test_plans(session)
        finally:
            engine.dispose()
        with serve(url, tmp_path_factory.mktemp("uvicorn-plans")) as base:
            yield base
    finally:
        drop_database(name)


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
        wait_until(self.page, "window.zhengshou !== undefined")
        assert self.page.evaluate("window.zhengshou.ready") is True, self.page.evaluate(
            "window.zhengshou.error"
        )

    def wait_for_tiles(self) -> None:
        """Tile mode: wait until the renderer has drawn every tile in view."""
        wait_until(
            self.page,
            "(() => { const s = window.zhengshou.tiles();"
            " return !s.loading && !s.busy && s.featuresDrawn > 0; })()",
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


# One patience for page actions and for expect(): expect's own default (5 s) is too short on a
# loaded two-core CI machine, where a popup or a panel can take longer to appear.
PAGE_TIMEOUT_MS = 15_000
expect.set_options(timeout=PAGE_TIMEOUT_MS)


@contextmanager
def new_map_page(browser, base: str) -> Iterator[MapPage]:
    """A fresh browser context (empty localStorage) at 1280x800, recording errors and requests."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    result = MapPage(page=page, base=base)
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


@pytest.fixture
def map_page(browser, live_server: str) -> Iterator[MapPage]:
    """A map page on the session's server."""
    with new_map_page(browser, live_server) as result:
        yield result


@pytest.fixture
def plans_map_page(browser, plans_server: str) -> Iterator[MapPage]:
    """A map page on the server with several plans."""
    with new_map_page(browser, plans_server) as result:
        yield result


@pytest.fixture
def editable_map_page(browser, editable_server: EditableServer) -> Iterator[MapPage]:
    """A map page on the server whose database tests may change."""
    with new_map_page(browser, editable_server.base) as result:
        yield result


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
