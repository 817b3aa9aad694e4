"""A local HTTP server that plays recorded geocoder answers and remembers what it was asked."""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "geocoders"


class FakeGeocoder:
    """Serves ``answer`` (a fixture name, or "slow", "http500", "not-json") on any path."""

    def __init__(self) -> None:
        self.answer = "tianditu_house_number"
        self.requests: list[dict[str, list[str]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.requests.append(parse_qs(urlparse(self.path).query))
                if fake.answer == "slow":
                    time.sleep(1.5)
                if fake.answer == "http500":
                    self.send_response(500)
                    self.end_headers()
                    return
                body = (
                    b"<html>busy</html>"
                    if fake.answer == "not-json"
                    else (FIXTURES / f"{fake.answer}.json").read_bytes()
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError):  # the client gave up (timeout test)
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "FakeGeocoder":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def last_query(self) -> dict[str, str]:
        return {key: values[0] for key, values in self.requests[-1].items()}

    def last_json_param(self, name: str) -> dict:
        return json.loads(self.last_query()[name])
