"""Request dependencies."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session


def get_session(request: Request) -> Iterator[Session]:
    """A session for one request; a read-only request never commits."""
    with request.app.state.session_factory() as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    """A session for a read-only request: on the read replica when one is configured."""
    with request.app.state.read_session_factory() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
ReadSessionDep = Annotated[Session, Depends(get_read_session)]
