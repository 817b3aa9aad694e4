"""Request plumbing: request id, language, access log, security headers, NUL-byte refusal.

One structured log line per request; NUL bytes are refused early because PostgreSQL text cannot
hold them, so they can only be mistakes or attacks. The language of every message is chosen here,
from ``Accept-Language``, before any route or dependency runs (sync ones run in the thread pool,
which copies the context), and the answer says which it is (``Content-Language``, with
``Vary: Accept-Language`` for caches). Written as plain ASGI middleware: it wraps streaming
responses without buffering them.
"""

import json
import logging
import time
import uuid
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body
from geo.messages import language_from_accept, message, use_language

logger = logging.getLogger("zhengshou.access")

# The map page loads only this service's assets and, when configured, one outside basemap.
BASE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:{tiles}; connect-src 'self'; frame-ancestors 'self'; "
    "base-uri 'self'; form-action 'self'"
)
# The shareable folium map is one self-contained file with inline scripts by design.
INLINE_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; frame-ancestors 'self'"
)
TILE_HOSTS = {
    "tianditu": " https://*.tianditu.gov.cn",
    "osm": " https://tile.openstreetmap.org",
    "amap": " https://*.is.autonavi.com",
    "none": "",
}


def _error(
    request_id: str, language: str, status: int, code: str, text: str
) -> tuple[Message, Message]:
    body = json.dumps(error_body(code, text)).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"x-request-id", request_id.encode()),
            (b"content-language", language.encode()),
            (b"vary", b"Accept-Language"),
        ],
    }
    return start, {"type": "http.response.body", "body": body}


class RequestContext:
    """Request id, access log, security headers and NUL-byte refusal for every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        # Every basemap the page offers, not only the configured one: the page's ?basemap=
        # override lets a planner switch, and these hosts only ever serve images here.
        self.csp = BASE_CSP.format(tiles="".join(TILE_HOSTS.values())).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if incoming.isalnum() and len(incoming) <= 64 else uuid.uuid4().hex
        language = language_from_accept(headers.get(b"accept-language", b"").decode("latin-1"))
        with use_language(language):
            await self._serve(scope, receive, send, request_id, language)

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, request_id: str, language: str
    ) -> None:
        started = time.perf_counter()
        status = 500
        raw_path = scope.get("raw_path") or scope["path"].encode()
        if b"\x00" in unquote_to_bytes(raw_path) or b"\x00" in unquote_to_bytes(
            scope.get("query_string", b"")
        ):
            start, body = _error(
                request_id, language, 400, "invalid_input", message("api.nul_bytes")
            )
            await send(start)
            await send(body)
            self._log(scope, request_id, 400, started)
            return
        path = scope["path"]

        async def send_with_headers(event: Message) -> None:
            nonlocal status
            if event["type"] == "http.response.start":
                status = event["status"]
                headers = list(event.get("headers") or [])
                extra: list[tuple[bytes, bytes]] = [
                    (b"x-request-id", request_id.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"content-language", language.encode()),
                ]
                if not any(
                    name.lower() == b"vary" and b"accept-language" in value.lower()
                    for name, value in headers
                ):
                    extra.append((b"vary", b"Accept-Language"))
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    policy = INLINE_CSP.encode() if path.startswith("/maps/") else self.csp
                    extra += [
                        (b"content-security-policy", policy),
                        (b"x-frame-options", b"SAMEORIGIN"),
                    ]
                event["headers"] = headers + extra
            await send(event)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            self._log(scope, request_id, status, started)

    @staticmethod
    def _log(scope: Scope, request_id: str, status: int, started: float) -> None:
        if not logger.isEnabledFor(logging.INFO):
            return
        # Never the query string or headers: they may carry tokens or personal addresses.
        record: dict[str, Any] = {
            "request_id": request_id,
            "method": scope.get("method"),
            "path": scope.get("path"),
            "status": status,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
        logger.info(json.dumps(record, ensure_ascii=False))
