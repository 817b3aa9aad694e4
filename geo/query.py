"""A statement with its parameters, runnable on a sync session or on the async read pool.

Hot read paths (look-up, bbox pages, tiles) build their whole answer in PostGIS; describing the
statement once as a ``Query`` lets the CLI run it on a SQLAlchemy session and the API on asyncpg
without writing the SQL twice.
"""

from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import TextClause, text
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Query:
    """One SQL statement returning one row (JSON text, MVT bytes, counts)."""

    statement: TextClause
    params: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    """Settings for this statement alone (set locally in its own transaction)."""


SET_LOCAL = "SELECT set_config($1, $2, true)"
"""A setting for the rest of the transaction, as asyncpg sends it."""


def _apply(session: Session, query: Query) -> None:
    for name, value in query.settings.items():
        session.execute(
            text("SELECT set_config(:name, :value, true)"), {"name": name, "value": value}
        )


def fetch_value(session: Session, query: Query) -> Any:
    """The statement's single value, run on a SQLAlchemy session."""
    _apply(session, query)
    return session.execute(query.statement, query.params).scalar_one()


def fetch_row(session: Session, query: Query) -> tuple[Any, ...]:
    """The statement's single row, run on a SQLAlchemy session."""
    _apply(session, query)
    return tuple(session.execute(query.statement, query.params).one())


class AsyncReader(Protocol):
    """What async routes read through: the asyncpg pool in service, a session in tests."""

    async def value(self, query: Query) -> Any:
        """The statement's single value."""

    async def row(self, query: Query) -> tuple[Any, ...]:
        """The statement's single row."""
