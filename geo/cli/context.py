"""What every command runs in: errors reported as one plain line, database work in one transaction."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from geo.db import DatabaseSettings, make_engine, session_scope
from geo.errors import DatabaseUnavailable, GeoError, database_failure, first_line
from geo.messages import message


def fail(text: str, code: int = 2) -> typer.Exit:
    """Print a plain error line and return the exit to raise."""
    typer.echo(message("cli.error", text=text), err=True)
    return typer.Exit(code)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn domain and connection errors into one plain line and a non-zero exit."""
    try:
        yield
    except GeoError as exc:
        raise fail(str(exc)) from None
    except SQLAlchemyError as exc:
        failure = database_failure(exc)
        if isinstance(failure, DatabaseUnavailable):
            raise fail(message("cli.database_unreachable", reason=first_line(exc))) from None
        if failure is not None:
            raise fail(str(failure)) from None
        # A schema older than the code is the usual cause; say so rather than print a traceback.
        raise fail(message("cli.database_refused", reason=first_line(exc))) from None


@contextmanager
def database_engine() -> Iterator[Engine]:
    """An engine for the configured database, disposed of afterwards, errors reported plainly."""
    engine = make_engine(DatabaseSettings())
    try:
        with reported_errors():
            yield engine
    finally:
        engine.dispose()


@contextmanager
def database_session() -> Iterator[Session]:
    """One transaction against the configured database, with errors reported plainly."""
    with database_engine() as engine, session_scope(engine) as session:
        yield session
