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
from geo.query import SET_LOCAL, Query

# Short statements only: a parallel plan or JIT compilation costs more than the work itself
# (measured for a dense tile: 66 ms with parallel workers against 32 ms without).
SERVER_SETTINGS = {"max_parallel_workers_per_gather": "0", "jit": "off"}
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
        self._pool: asyncpg.Pool | None = None
        self._lock = asyncio.Lock()

    async def _get_pool(self) -> asyncpg.Pool:
        # Opened on first use, not at start-up: the service starts (and recovers) while the
        # database is down, as the sync engine does.
        if self._pool is None:
            async with self._lock:
                if self._pool is None:
                    self._pool = await asyncpg.create_pool(
                        **connect_kwargs(self.url),
                        min_size=0,
                        max_size=self.settings.pool_size,
                        timeout=self.settings.connect_timeout_s,
                        server_settings=SERVER_SETTINGS,
                        reset=keep_session_state,
                    )
        return self._pool

    async def value(self, query: Query) -> Any:
        """The statement's single value."""
        return await self._run(query, "fetchval")

    async def row(self, query: Query) -> tuple[Any, ...]:
        """The statement's single row."""
        return tuple(await self._run(query, "fetchrow"))

    async def _run(self, query: Query, method: str) -> Any:
        # Database failures become the domain's errors, translated as for SQLAlchemy's.
        sql, names = positional(query.statement.text)
        args = [query.params[name] for name in names]
        try:
            pool = await self._get_pool()
            async with pool.acquire(timeout=self.settings.pool_timeout_s) as connection:
                if not query.settings:
                    return await getattr(connection, method)(sql, *args)
                async with connection.transaction():
                    for name, value in query.settings.items():
                        await connection.execute(SET_LOCAL, name, value)
                    return await getattr(connection, method)(sql, *args)
        except Exception as exc:
            failure = database_failure(exc)
            if failure is None:
                raise
            raise failure from exc

    async def close(self) -> None:
        """Close every connection (at shutdown)."""
        if self._pool is not None:
            await self._pool.close()
            self._pool = None


async def keep_session_state(connection: asyncpg.Connection) -> None:
    """Release a connection as it is (asyncpg still rolls back an open transaction).

    The default reset runs RESET ALL and friends: one more round trip per request, and it would
    undo SERVER_SETTINGS' intent for nothing, since these statements change no session state.
    """
