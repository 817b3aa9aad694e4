"""``zhengshou user``: accounts made, listed, given a new password and disabled from the shell."""

import os
import subprocess

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from geo.accounts.signin import verify_sign_in
from geo.db import session_scope
from geo.errors import SignInRefused
from tests.support.cli import ZHENGSHOU

NAME = "命令行测试员"


def user(database_url: str, *args: str, password: str | None = None):
    """``zhengshou user …`` with a password on standard input, as a script would give it."""
    return subprocess.run(
        [str(ZHENGSHOU), "user", *args, *(["--password-stdin"] if password is not None else [])],
        input=f"{password}\n" if password is not None else None,
        capture_output=True,
        text=True,
        env=os.environ | {"DATABASE_URL": database_url},
        timeout=120,
        check=False,
    )


@pytest.fixture
def engine_for(database_url):
    """The session's database, left without this test's accounts (they are committed)."""
    engine = create_engine(database_url, poolclass=NullPool)
    yield engine
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM users WHERE name LIKE '命令行%'"))
        conn.execute(text("DELETE FROM sign_in_failures WHERE name LIKE '命令行%'"))
    engine.dispose()


def signs_in(engine, password: str) -> bool:
    with session_scope(engine) as session:
        try:
            verify_sign_in(session, NAME, password, "cli-test")
        except SignInRefused:
            return False
        return True


def test_accounts_are_managed_from_the_shell(database_url, engine_for):
    made = user(database_url, "create", NAME, "--role", "editor", password="first password")
    assert made.returncode == 0, made.stderr
    assert f"created the editor account {NAME}" in made.stdout
    listed = user(database_url, "list")
    line = next(row for row in listed.stdout.splitlines() if row.endswith(NAME))
    assert line.startswith("editor") and "active" in line and "argon2" not in listed.stdout
    assert signs_in(engine_for, "first password")

    changed = user(database_url, "passwd", NAME, password="second password")
    assert changed.returncode == 0, changed.stderr
    assert not signs_in(engine_for, "first password") and signs_in(engine_for, "second password")

    assert user(database_url, "disable", NAME).returncode == 0
    assert "disabled" in next(
        r for r in user(database_url, "list").stdout.splitlines() if NAME in r
    )
    assert not signs_in(engine_for, "second password")


@pytest.mark.parametrize(
    ("args", "password", "words"),
    [
        (("create", "命令行甲", "--role", "root"), "long enough", "role must be one of"),
        (("create", "命令行乙"), "short", "at least 8 characters"),
        (("passwd", "命令行无此人"), "long enough", "No account is named"),
        (("disable", "命令行无此人"), None, "No account is named"),
    ],
)
def test_refusals_are_one_plain_line(database_url, engine_for, args, password, words):
    answer = user(database_url, *args, password=password)
    assert answer.returncode == 2 and words in answer.stderr
    assert "Traceback" not in answer.stderr
