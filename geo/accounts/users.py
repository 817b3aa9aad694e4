"""Accounts: create, change the password, disable, list. Passwords are hashed with argon2."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from geo.errors import InvalidInput
from geo.messages import message
from geo.models import User, UserSession
from geo.tokens import ROLES

# OWASP's argon2id settings (19 MiB, 2 passes): unlike a token's 256 random bits, a person's
# password can be guessed, so each guess must cost real memory and time (~50 ms here).
HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256  # argon2 takes any length; a cap keeps a huge body from costing more
MAX_NAME_LENGTH = 64


@dataclass(frozen=True)
class Account:
    """An account as listed: never its password hash."""

    id: int
    name: str
    role: str
    created_at: datetime
    disabled_at: datetime | None


def clean_name(name: str) -> str:
    """The account name as stored: surrounding blanks removed; refused if empty or too long."""
    name = name.strip()
    if not name:
        raise InvalidInput(message("accounts.name_needed"))
    if len(name) > MAX_NAME_LENGTH or any(ch.isspace() and ch != " " for ch in name):
        raise InvalidInput(message("accounts.name_too_long", limit=MAX_NAME_LENGTH))
    return name


def check_password(password: str) -> str:
    """The password, if it is long enough to be worth hashing; InvalidInput otherwise."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(message("accounts.password_too_short", limit=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(message("accounts.password_too_long", limit=MAX_PASSWORD_LENGTH))
    return password


def hash_password(password: str) -> str:
    """The argon2 hash to store for ``password``."""
    return HASHER.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    """Whether ``password`` is the one ``password_hash`` was made from."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return HASHER.hash("no account has this password")


def spend_a_verification(password: str) -> None:
    """Verify against a dummy hash, as long as checking a wrong password takes.

    An unknown name then answers no faster, so the timing does not tell which names exist.
    """
    password_matches(_dummy_hash(), password)


def create_user(session: Session, name: str, password: str, role: str) -> Account:
    """Store a new account; InvalidInput for a taken name, a short password or an unknown role."""
    if role not in ROLES:
        raise InvalidInput(message("tokens.unknown_role", roles=", ".join(ROLES), role=role))
    name = clean_name(name)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise InvalidInput(message("accounts.name_taken", name=name))
    user = User(name=name, role=role, password_hash=hash_password(check_password(password)))
    session.add(user)
    session.flush()
    session.refresh(user)
    return _account(user)


def find_user(session: Session, name: str) -> User | None:
    """The account of that name (disabled or not), or None."""
    return session.scalar(select(User).where(User.name == name.strip()))


def _existing(session: Session, name: str) -> User:
    user = find_user(session, name)
    if user is None:
        raise InvalidInput(message("accounts.no_such_account", name=name.strip()))
    return user


def set_password(session: Session, name: str, password: str) -> None:
    """Change an account's password, and sign out the browsers signed in as it.

    A password is changed when someone else may know it, whose browser must not stay signed in.
    """
    user = _existing(session, name)
    user.password_hash = hash_password(check_password(password))
    revoke_sessions(session, user.id)


def disable_user(session: Session, name: str) -> None:
    """Disable an account: it can no longer sign in, and its sessions are revoked at once."""
    user = _existing(session, name)
    if user.disabled_at is not None:
        raise InvalidInput(message("accounts.already_disabled", name=user.name))
    user.disabled_at = func.now()
    revoke_sessions(session, user.id)
    session.flush()


def revoke_sessions(session: Session, user_id: int) -> int:
    """Revoke every open session of an account; how many there were."""
    done = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    return done.rowcount


def list_users(session: Session) -> list[Account]:
    """Every account, by name."""
    return [_account(user) for user in session.scalars(select(User).order_by(User.name))]


def _account(user: User) -> Account:
    return Account(user.id, user.name, user.role, user.created_at, user.disabled_at)
