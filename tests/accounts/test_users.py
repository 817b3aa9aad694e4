"""Accounts: created with an argon2 hash, listed without it, passwords changed, disabled."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from geo.accounts.sessions import find_session, open_session
from geo.accounts.users import (
    create_user,
    disable_user,
    find_user,
    list_users,
    password_matches,
    set_password,
)
from geo.errors import InvalidInput, SessionExpired
from geo.models import User

PASSWORD = "correct horse"
LIFETIME = timedelta(hours=8)


def test_an_account_is_stored_with_a_hash_never_the_password(session):
    account = create_user(session, "  张三 ", PASSWORD, "editor")
    assert (account.name, account.role, account.disabled_at) == ("张三", "editor", None)
    stored = session.scalar(select(User.password_hash).where(User.name == "张三"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert password_matches(stored, PASSWORD) and not password_matches(stored, "wrong one")
    assert [a.name for a in list_users(session)] == ["张三"]


@pytest.mark.parametrize(
    ("name", "password", "role", "words"),
    [
        ("李四", PASSWORD, "root", "role must be one of viewer, editor, admin"),
        ("李四", "short", "editor", "at least 8 characters"),
        ("   ", PASSWORD, "editor", "needs a name"),
        ("两\n行", PASSWORD, "editor", "one line"),
    ],
)
def test_unusable_accounts_are_refused_in_words(session, name, password, role, words):
    with pytest.raises(InvalidInput, match=words):
        create_user(session, name, password, role)


def test_a_name_is_taken_once(session):
    create_user(session, "张三", PASSWORD, "viewer")
    with pytest.raises(InvalidInput, match="already exists"):
        create_user(session, "张三", PASSWORD, "editor")


def test_a_new_password_signs_out_the_open_sessions(session):
    create_user(session, "张三", PASSWORD, "editor")
    opened = open_session(session, find_user(session, "张三"), LIFETIME)
    set_password(session, "张三", "another password")
    assert password_matches(find_user(session, "张三").password_hash, "another password")
    with pytest.raises(SessionExpired):
        find_session(session, opened.secret)
    with pytest.raises(InvalidInput, match="No account is named '王五'"):
        set_password(session, "王五", "another password")


def test_disabling_ends_the_sessions_at_once(session):
    create_user(session, "张三", PASSWORD, "editor")
    opened = open_session(session, find_user(session, "张三"), LIFETIME)
    assert find_session(session, opened.secret).name == "张三"
    disable_user(session, "张三")
    with pytest.raises(SessionExpired, match="sign in again"):
        find_session(session, opened.secret)
    assert list_users(session)[0].disabled_at is not None
    with pytest.raises(InvalidInput, match="already disabled"):
        disable_user(session, "张三")
