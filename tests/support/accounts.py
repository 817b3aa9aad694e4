"""Accounts for tests that sign in through the page: made (or remade) in a database of their
own, committed, since the server under test reads them from another connection."""

from sqlalchemy import create_engine, delete, update
from sqlalchemy.pool import NullPool

from geo.accounts.users import create_user, find_user, set_password
from geo.db import session_scope
from geo.models import SignInFailure, User, UserSession

PASSWORD = "测试密码-correct-horse"


def make_account(database_url: str, name: str, role: str, password: str = PASSWORD) -> str:
    """An enabled account of ``role`` with ``password``, whatever an earlier test left; its
    sessions and its name's failed sign-ins are gone. Returns the password."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with session_scope(engine) as session:
            user = find_user(session, name)
            if user is None:
                create_user(session, name, password, role)
            else:
                set_password(session, name, password)  # also signs its browsers out
                session.execute(
                    update(User).where(User.id == user.id).values(role=role, disabled_at=None)
                )
            session.execute(delete(SignInFailure).where(SignInFailure.name == name))
    finally:
        engine.dispose()
    return password


def end_sessions_as_if_expired(database_url: str, name: str) -> None:
    """Make every session of the account past its expiry (no waiting in a test)."""
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with session_scope(engine) as session:
            user = find_user(session, name)
            session.execute(
                update(UserSession)
                .where(UserSession.user_id == user.id)
                .values(expires_at=UserSession.created_at)
            )
    finally:
        engine.dispose()


def sign_in(page, name: str, password: str = PASSWORD) -> None:
    """Sign in through the map page's form (the top bar's 登录)."""
    page.click("#signin-open")
    page.fill("#signin-name", name)
    page.fill("#signin-password", password)
    page.click("#signin-submit")
