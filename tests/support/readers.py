"""Point an app at one test session: every route, sync or async, then sees (and rolls back)
the same transaction. The async read pool is swapped for the session it would otherwise bypass."""

from contextlib import nullcontext
from typing import Any

from fastapi import FastAPI
from sqlalchemy.orm import Session

from api.deps import get_read_session, get_read_session_opener, get_reader, get_session
from geo.parcels.export_geojson import copy_rows
from geo.query import Query, fetch_row, fetch_value


class SessionReader:
    """The async reader's interface over a sync session (blocking; fine in tests)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    async def value(self, query: Query) -> Any:
        return fetch_value(self.session, query)

    async def row(self, query: Query) -> tuple[Any, ...]:
        return fetch_row(self.session, query)

    async def copy(self, query: Query, options: dict[str, str]) -> bytes:
        return copy_rows(self.session, query, options)

    async def close(self) -> None:
        """Nothing to close: the session is the test's."""


def use_session(app: FastAPI, session: Session) -> None:
    """Route every database access of ``app`` through ``session``."""
    app.dependency_overrides[get_session] = lambda: session
    app.dependency_overrides[get_read_session] = lambda: session
    app.dependency_overrides[get_reader] = lambda: SessionReader(session)
    app.state.read_pool = SessionReader(session)  # for routes that call get_reader themselves
    app.dependency_overrides[get_read_session_opener] = lambda: lambda: nullcontext(session)
