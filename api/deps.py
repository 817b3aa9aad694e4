"""Request dependencies."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from geo.query import AsyncReader


def get_session(request: Request) -> Iterator[Session]:
    """A session for one request; a read-only request never commits."""
    with request.app.state.session_factory() as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    """A session for a read-only request: on the read replica when one is configured."""
    with request.app.state.read_session_factory() as session:
        yield session


# The two below are async on purpose: FastAPI runs a sync dependency in its thread pool, and the
# hot read paths exist to avoid that hand-off.
async def get_reader(request: Request) -> AsyncReader:
    """The async read pool, for hot read paths that PostGIS answers in one statement."""
    return request.app.state.read_pool


async def get_read_session_opener(
    request: Request,
) -> Callable[[], AbstractContextManager[Session]]:
    """Opens a read session later, for an async route's rare branch that needs the sync ORM."""
    return request.app.state.read_session_factory


SessionDep = Annotated[Session, Depends(get_session)]
ReadSessionDep = Annotated[Session, Depends(get_read_session)]
ReaderDep = Annotated[AsyncReader, Depends(get_reader)]
ReadSessionOpenerDep = Annotated[
    Callable[[], AbstractContextManager[Session]], Depends(get_read_session_opener)
]
