"""API tokens: created by the CLI, shown once, stored as an argon2 hash, revocable.

A token reads ``zs_<id>_<secret>``: the id finds the row, the secret is checked against the hash.
The secret carries 256 random bits, so the light argon2 settings below are plenty; slow hashing
protects guessable passwords, and these are not.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from geo.errors import Forbidden, InvalidInput, NotAuthenticated
from geo.messages import message
from geo.models import ApiToken

ROLES = ("viewer", "editor", "admin")
RANK = {role: rank for rank, role in enumerate(ROLES)}
_HASHER = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)


@dataclass(frozen=True)
class Principal:
    """Who is making a request: a bearer token, or an account signed in on the map page."""

    token_id: int
    """The token's id; for an account (``kind="user"``), the account's id."""
    name: str
    role: str
    kind: str = "token"

    @property
    def actor(self) -> str:
        """How history records this principal: the token, or the account by its unique name."""
        if self.kind == "user":
            return f"user:{self.name}"
        return f"token:{self.token_id}:{self.name}"


def create_token(session: Session, name: str, role: str) -> str:
    """Store a new token and return it; this is the only time its secret exists in clear."""
    if role not in ROLES:
        raise InvalidInput(message("tokens.unknown_role", roles=", ".join(ROLES), role=role))
    if not name.strip():
        raise InvalidInput(message("tokens.name_needed"))
    secret = secrets.token_urlsafe(32)
    token = ApiToken(name=name.strip(), role=role, secret_hash=_HASHER.hash(secret))
    session.add(token)
    session.flush()
    return f"zs_{token.id}_{secret}"


def revoke_token(session: Session, token_id: int) -> None:
    """Revoke a token; it then gets 403 on writes."""
    done = session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    if done.rowcount == 0:
        raise InvalidInput(message("tokens.no_active_token", token_id=token_id))


def list_tokens(session: Session) -> list[tuple[int, str, str, datetime, datetime | None]]:
    """(id, name, role, created, revoked) of every token; never the secrets."""
    rows = session.execute(
        select(
            ApiToken.id, ApiToken.name, ApiToken.role, ApiToken.created_at, ApiToken.revoked_at
        ).order_by(ApiToken.id)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def authenticate(session: Session, token: str) -> Principal:
    """The principal behind a bearer token; NotAuthenticated or Forbidden otherwise."""
    prefix, _, rest = token.partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != "zs" or not token_id.isdigit() or not secret:
        raise NotAuthenticated(message("tokens.not_ours"))
    row = session.get(ApiToken, int(token_id))
    try:
        if row is None or not _HASHER.verify(row.secret_hash, secret):
            raise NotAuthenticated(message("tokens.not_valid"))
    except (VerificationError, InvalidHashError):
        raise NotAuthenticated(message("tokens.not_valid")) from None
    if row.revoked_at is not None:
        raise Forbidden(message("tokens.revoked", name=row.name, revoked_at=row.revoked_at))
    return Principal(row.id, row.name, row.role)


def require(principal: Principal, role: str) -> Principal:
    """The principal, if its role is at least ``role``; Forbidden otherwise."""
    if RANK[principal.role] < RANK[role]:
        key = (
            "tokens.role_needed_account" if principal.kind == "user" else "tokens.role_needed_token"
        )
        raise Forbidden(message(key, role=role, name=principal.name, has=principal.role))
    return principal
