"""The async read pool (asyncpg): hot read paths run here with no thread hand-off.

One round trip per request; PostGIS builds the JSON or the tile and its bytes pass straight
through. asyncpg prepares each statement once per connection and reuses the plan. Writes, and
everything that is not on a hot path, keep using SQLAlchemy sessions.
"""

import asyncio
from functools import lru_cache
from typing import Any

import asyncpg
from sqlalchemy import TextClause
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.engine import make_url

from geo.db import DatabaseSettings
from geo.errors import database_failure
from geo.query import Query

COPY_CONNECTIONS = 3
"""Connections for copies (exports), in a pool of their own: a copy streams for seconds, and
would otherwise hold connections the short reads need. More exports wait for a free one."""
# Short statements only: a parallel plan or JIT compilation costs more than the work itself
# (measured for a dense tile: 66 ms with parallel workers against 32 ms without).
SERVER_SETTINGS = {"max_parallel_workers_per_gather": "0", "jit": "off"}
# A statement whose best plan is the same for every parameter value (Query.generic_plan) runs on
# connections that plan it once. PostgreSQL would otherwise plan the point look-up again on
# every call, its generic plan being estimated dearer: 975 µs of the database's CPU per look-up
# against 300 µs planned once. Not for every read: a bbox page over the whole extent took 5.2 s
# on the generic plan against 1.9 s planned for its box.
GENERIC_PLAN_SETTINGS = SERVER_SETTINGS | {"plan_cache_mode": "force_generic_plan"}
# Every other read is planned for its own parameters. A generic plan (which PostgreSQL would
# otherwise pick from a prepared statement's sixth use) guesses a few rows for any tile and
# reads a dense tile's rows one by one; planning takes well under a millisecond.
CUSTOM_PLAN_SETTINGS = SERVER_SETTINGS | {"plan_cache_mode": "force_custom_plan"}
_DIALECT = asyncpg_dialect()


@lru_cache(maxsize=512)
def positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """SQLAlchemy's ``:name`` SQL as asyncpg's ``$n`` SQL, and the parameter names in order."""
    compiled = TextClause(sql).compile(dialect=_DIALECT)
    return compiled.string, tuple(compiled.positiontup or ())


def connect_kwargs(url: str) -> dict[str, Any]:
    """Asyncpg's connection arguments from a SQLAlchemy database URL."""
    parsed = make_url(url)
    return {
        "host": parsed.host,
        "port": parsed.port,
        "user": parsed.username,
        "password": parsed.password,
        "database": parsed.database,
    }


class AsyncReadPool:
    """An asyncpg pool on the read database (the replica when one is configured)."""

    def __init__(self, settings: DatabaseSettings) -> None:
        self.settings = settings
        self.url = settings.read_database_url or settings.database_url
        self._pools: dict[str, asyncpg.Pool] = {}
        self._lock = asyncio.Lock()

    async def _get_pool(self, purpose: str) -> asyncpg.Pool:
        # Opened on first use, not at start-up: the service starts (and recovers) while the
        # database is down, as the sync engine does. "reads" and "generic" (plan once) hold
        # read_pool_size connections each, "copies" COPY_CONNECTIONS.
        if purpose not in self._pools:
            async with self._lock:
                if purpose not in self._pools:
                    copies = purpose == "copies"
                    generic = purpose == "generic"
                    self._pools[purpose] = await asyncpg.create_pool(
                        **connect_kwargs(self.url),
                        min_size=0,
                        max_size=COPY_CONNECTIONS if copies else self.settings.read_pool_size,
                        timeout=self.settings.connect_timeout_s,
                        server_settings=GENERIC_PLAN_SETTINGS if generic else CUSTOM_PLAN_SETTINGS,
                        reset=keep_session_state,
                    )
        return self._pools[purpose]

    async def value(self, query: Query) -> Any:
        """The statement's single value."""
        return await self._run(query, "fetchval")

    async def row(self, query: Query) -> tuple[Any, ...]:
        """The statement's single row."""
        return tuple(await self._run(query, "fetchrow"))

    async def copy(self, query: Query, options: dict[str, str]) -> bytes:
        """The statement's rows as ``COPY … TO STDOUT`` writes them (``options``: format, …)."""
        parts: list[bytes] = []

        async def keep(data: bytes) -> None:
            parts.append(data)

        await self._run(query, "copy_from_query", "copies", output=keep, **options)
        return b"".join(parts)

    async def _run(self, query: Query, method: str, purpose: str = "", **options: Any) -> Any:
        # Database failures become the domain's errors, translated as for SQLAlchemy's.
        sql, names = positional(query.statement.text)
        args = [query.params[name] for name in names]
        purpose = purpose or ("generic" if query.generic_plan else "reads")
        try:
            pool = await self._get_pool(purpose)
            # A copy waits for a free connection as long as it takes; a read gives up after
            # pool_timeout_s. asyncio.timeout rather than acquire(timeout=…), which starts a
            # task on every call.
            wait = None if purpose == "copies" else self.settings.pool_timeout_s
            async with asyncio.timeout(wait):
                connection = await pool.acquire()
            try:
                return await getattr(connection, method)(sql, *args, **options)
            finally:
                await pool.release(connection)
        except Exception as exc:
            failure = database_failure(exc)
            if failure is None:
                raise
            raise failure from exc

    async def close(self) -> None:
        """Close every connection (at shutdown)."""
        pools, self._pools = self._pools, {}
        for pool in pools.values():
            await pool.close()


async def keep_session_state(connection: asyncpg.Connection) -> None:
    """Release a connection as it is (asyncpg still rolls back an open transaction).

    The default reset runs RESET ALL and friends: one more round trip per request, and it would
    undo SERVER_SETTINGS' intent for nothing, since these statements change no session state.
    """
