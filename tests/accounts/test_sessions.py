"""Sessions: the cookie's secret is not stored, the CSRF token is checked, expiry and sign-out
end a session, and the account is named in history's actor."""

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from geo.accounts.sessions import close_session, find_session, open_session
from geo.accounts.users import create_user, find_user
from geo.errors import CsrfRefused, SessionExpired
from geo.models import UserSession

LIFETIME = timedelta(hours=8)


@pytest.fixture
def user(session):
    create_user(session, "张三", "correct horse", "editor")
    return find_user(session, "张三")


def test_only_the_hash_of_the_secret_is_stored(session, user):
    opened = open_session(session, user, LIFETIME)
    row = session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert row.secret_hash == hashlib.sha256(opened.secret.encode()).hexdigest()
    assert opened.secret not in (row.secret_hash, row.csrf_token)
    assert row.expires_at - row.created_at == LIFETIME
    assert len(opened.secret) >= 43 and len(row.csrf_token) >= 43  # 256 random bits each


def test_a_session_names_its_account_as_the_writer(session, user):
    opened = open_session(session, user, LIFETIME)
    signed_in = find_session(session, opened.secret)
    assert signed_in.principal.actor == "user:张三"
    assert (signed_in.principal.role, signed_in.csrf_token) == (
        "editor",
        opened.signed_in.csrf_token,
    )


def test_the_csrf_token_must_be_the_sessions_own(session, user):
    signed_in = open_session(session, user, LIFETIME).signed_in
    signed_in.check_csrf(signed_in.csrf_token)
    other = open_session(session, user, LIFETIME).signed_in
    for given in (None, "", other.csrf_token, signed_in.csrf_token[:-1]):
        with pytest.raises(CsrfRefused, match="X-CSRF-Token"):
            signed_in.check_csrf(given)


def test_expired_signed_out_and_unknown_sessions_are_refused(session, user):
    expired = open_session(session, user, LIFETIME)
    session.execute(
        update(UserSession)
        .where(UserSession.id == expired.signed_in.session_id)
        .values(expires_at=UserSession.created_at - timedelta(seconds=1))
    )
    signed_out = open_session(session, user, LIFETIME)
    assert close_session(session, signed_out.secret)
    assert not close_session(session, signed_out.secret)  # once only
    kept = open_session(session, user, LIFETIME)
    for secret in (expired.secret, signed_out.secret, "made-up"):
        with pytest.raises(SessionExpired, match="sign in again"):
            find_session(session, secret)
    assert find_session(session, kept.secret).name == "张三"  # the others are untouched
