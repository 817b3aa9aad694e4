"""Signed-in browsers: a session per sign-in, found again from its cookie's secret.

The cookie holds 256 random bits; the database keeps only their SHA-256, so a copy of the
table opens no session (a fast hash is enough for a secret that cannot be guessed). Each
session carries a CSRF token the page sends back on every write: a cross-site form carries the
cookie but cannot read the token. A session ends at its absolute expiry, at sign-out, or when
its account is disabled or its password changed.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from geo.errors import CsrfRefused, SessionExpired
from geo.messages import message
from geo.models import User, UserSession
from geo.tokens import Principal


@dataclass(frozen=True)
class SignedIn:
    """An open session: whose, with which CSRF token, until when."""

    session_id: int
    user_id: int
    name: str
    role: str
    csrf_token: str
    expires_at: datetime

    @property
    def principal(self) -> Principal:
        """The account as the writer of a change (its history names ``user:<name>``)."""
        return Principal(self.user_id, self.name, self.role, kind="user")

    def check_csrf(self, given: str | None) -> None:
        """CsrfRefused unless ``given`` is this session's CSRF token."""
        if not given or not hmac.compare_digest(given.encode(), self.csrf_token.encode()):
            raise CsrfRefused(message("accounts.csrf_missing"))


@dataclass(frozen=True)
class Opened:
    """A new session and the secret for its cookie (the only time the secret exists)."""

    secret: str
    signed_in: SignedIn


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def open_session(session: Session, user: User, lifetime: timedelta) -> Opened:
    """Start a session for ``user`` that ends ``lifetime`` from now (whatever its use)."""
    secret = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        secret_hash=_digest(secret),
        csrf_token=secrets.token_urlsafe(32),
        expires_at=func.now() + lifetime,
    )
    session.add(row)
    session.flush()
    session.refresh(row)
    signed_in = SignedIn(row.id, user.id, user.name, user.role, row.csrf_token, row.expires_at)
    return Opened(secret, signed_in)


def find_session(session: Session, secret: str) -> SignedIn:
    """The open session whose cookie holds ``secret``.

    SessionExpired for an unknown, expired or revoked one, or one whose account was disabled.
    """
    row = session.execute(
        select(UserSession, User, UserSession.expires_at <= func.now())
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.secret_hash == _digest(secret))
    ).one_or_none()
    if row is None:
        raise SessionExpired(message("accounts.session_expired"))
    user_session, user, expired = row
    if expired or user_session.revoked_at is not None or user.disabled_at is not None:
        raise SessionExpired(message("accounts.session_expired"))
    return SignedIn(
        user_session.id,
        user.id,
        user.name,
        user.role,
        user_session.csrf_token,
        user_session.expires_at,
    )


def close_session(session: Session, secret: str) -> bool:
    """Revoke the session whose cookie holds ``secret``; whether one was open."""
    done = session.execute(
        update(UserSession)
        .where(UserSession.secret_hash == _digest(secret), UserSession.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    return done.rowcount > 0
