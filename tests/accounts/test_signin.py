"""Signing in: the password checked, and failed sign-ins limited per name and per address."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from geo.accounts.signin import Limits, seconds_to_wait, verify_sign_in
from geo.accounts.users import create_user, disable_user
from geo.errors import SignInRefused, TooManySignIns
from geo.models import SignInFailure

PASSWORD = "correct horse"
WRONG = "The name or the password is not right."


@pytest.fixture
def account(session):
    create_user(session, "张三", PASSWORD, "editor")
    return "张三"


def fail(session, name, client, times=1, limits=None):
    for _ in range(times):
        with pytest.raises(SignInRefused):
            verify_sign_in(session, name, "wrong password", client, limits)


def failures(session, **where):
    query = select(func.count()).select_from(SignInFailure).filter_by(**where)
    return session.scalar(query)


def test_the_right_password_signs_in_and_any_wrong_one_is_refused_alike(session, account):
    assert verify_sign_in(session, " 张三 ", PASSWORD, "10.0.0.1").name == "张三"
    with pytest.raises(SignInRefused, match=WRONG):
        verify_sign_in(session, "张三", "wrong password", "10.0.0.1")
    with pytest.raises(SignInRefused, match=WRONG):  # an unknown name is told the same
        verify_sign_in(session, "无此人", PASSWORD, "10.0.0.1")
    with pytest.raises(SignInRefused, match=WRONG):
        verify_sign_in(session, "张三", "x" * 10_000, "10.0.0.1")
    assert failures(session, client="10.0.0.1") == 3


def test_a_disabled_account_cannot_sign_in(session, account):
    disable_user(session, account)
    with pytest.raises(SignInRefused, match="disabled"):
        verify_sign_in(session, account, PASSWORD, "10.0.0.1")
    with pytest.raises(SignInRefused, match=WRONG):  # without the password, nothing is told
        verify_sign_in(session, account, "wrong password", "10.0.0.1")


def test_five_failures_for_a_name_refuse_even_the_right_password(session, account):
    fail(session, account, "10.0.0.1", times=3)
    fail(session, account, "10.0.0.2", times=2)
    with pytest.raises(TooManySignIns, match="try again in 15 minutes") as refused:
        verify_sign_in(session, account, PASSWORD, "10.0.0.3")
    assert 0 < refused.value.retry_after <= 15 * 60
    assert failures(session, name=account) == 5  # a refusal is not checked, nor counted


def test_success_clears_only_this_clients_failures(session, account):
    fail(session, account, "10.0.0.1")  # the planner, mistyping
    fail(session, account, "10.0.0.9", times=3)  # someone else, guessing
    verify_sign_in(session, account, PASSWORD, "10.0.0.1")
    assert failures(session, name=account, client="10.0.0.1") == 0
    assert failures(session, name=account, client="10.0.0.9") == 3
    fail(session, account, "10.0.0.9", times=2)
    with pytest.raises(TooManySignIns):
        verify_sign_in(session, account, PASSWORD, "10.0.0.1")


def test_twenty_failures_from_one_address_refuse_every_name(session, account):
    limits = Limits(per_name=100)
    for n in range(20):
        fail(session, f"猜{n}", "10.0.0.66", limits=limits)
    with pytest.raises(TooManySignIns):
        verify_sign_in(session, account, PASSWORD, "10.0.0.66", limits)
    assert verify_sign_in(session, account, PASSWORD, "10.0.0.1", limits).name == account


def test_the_wait_ends_when_enough_failures_leave_the_window(session, account):
    # Failures written as if made 10 and 16 minutes ago (the database's clock decides).
    for minutes in (16, 10, 10, 10, 10):
        session.execute(
            text(
                "INSERT INTO sign_in_failures (name, client, at) "
                "VALUES (:name, '10.0.0.1', now() - make_interval(mins => :m))"
            ),
            {"name": account, "m": minutes},
        )
    limits = Limits()
    assert seconds_to_wait(session, account, "10.0.0.1", limits) == 0  # four in the window
    fail(session, account, "10.0.0.1")
    assert seconds_to_wait(session, account, "10.0.0.1", limits) == 5 * 60
    shorter = Limits(window=timedelta(minutes=12))
    assert seconds_to_wait(session, account, "10.0.0.1", shorter) == 2 * 60
