r"""A bare point look-up, the ceiling the benchmark measures zhengshou's look-up against.

A plain ASGI app, no framework: one asyncpg connection in a pool of one, one prepared
statement, and the answer built by PostGIS and passed through as bytes. It answers
``GET /lookup?lon=…&lat=…`` with the parcels holding the point as a FeatureCollection, one
``ST_AsGeoJSON(row)`` per parcel (every column, as the export's floor writes them). It has no
nearest-parcel fallback, no coordinate systems, no validation beyond parsing two floats, no
middleware and no logging: it is a ceiling, not a service. Its statement is planned once per
connection (``plan_cache_mode``), as zhengshou's look-up is.

    DATABASE_URL=postgresql://zhengshou@127.0.0.1:55432/zhengshou_bench_100000 \
    .venv/bin/uvicorn --app-dir bench probe:app --port 18115 --no-access-log
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qsl

import asyncpg

DATABASE_URL = os.environ.get(
    "DATABASE_URL", "postgresql://zhengshou@127.0.0.1:55432/zhengshou_bench_100000"
).replace("postgresql+psycopg://", "postgresql://")
ANSWER_SQL = """
    SELECT json_build_object(
        'type', 'FeatureCollection',
        'features', coalesce(json_agg(ST_AsGeoJSON(p.*, 'geom', 7)::json), '[]'::json)
    )::text
    FROM parcels p
    WHERE ST_Intersects(p.geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))"""
JSON_HEADERS = [(b"content-type", b"application/json")]


class Probe:
    """The ASGI app: /lookup only; the pool opens at start-up."""

    def __init__(self) -> None:
        self.pool: asyncpg.Pool | None = None

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """Answer one ASGI call."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
        try:
            lon, lat = float(query["lon"]), float(query["lat"])
        except (KeyError, ValueError):
            await self._send(send, 400, b'{"error": "give lon and lat"}')
            return
        assert self.pool is not None
        async with self.pool.acquire() as connection:
            body = await connection.fetchval(ANSWER_SQL, lon, lat)
        await self._send(send, 200, body.encode())

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.pool = await asyncpg.create_pool(
                    DATABASE_URL,
                    min_size=1,
                    max_size=1,
                    # Planned once per connection, as zhengshou's look-up is: left to itself,
                    # PostgreSQL plans this statement again on every call.
                    server_settings={
                        "jit": "off",
                        "max_parallel_workers_per_gather": "0",
                        "plan_cache_mode": "force_generic_plan",
                    },
                )
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    @staticmethod
    async def _send(send: Any, status: int, body: bytes) -> None:
        headers = [*JSON_HEADERS, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


app = Probe()
