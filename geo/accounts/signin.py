"""Checking a name and password, with a limit on failed sign-ins.

Guessing is limited twice: per account name (someone guessing one person's password from many
addresses) and per client address (one address guessing many names). Failures are kept in
``sign_in_failures`` and counted over a sliding window, in the database's clock, so every
worker and every replica of the API sees the same count.
"""

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, text
from sqlalchemy.orm import Session

from geo.accounts.users import (
    HASHER,
    MAX_PASSWORD_LENGTH,
    find_user,
    hash_password,
    password_matches,
    spend_a_verification,
)
from geo.errors import AccountDisabled, SignInRefused, TooManySignIns
from geo.messages import message
from geo.models import SignInFailure, User


@dataclass(frozen=True)
class Limits:
    """How many failed sign-ins are allowed within ``window``, per name and per address.

    Beyond that, sign-ins are refused until enough failures age out of the window.
    """

    per_name: int = 5
    per_client: int = 20
    window: timedelta = timedelta(minutes=15)


# The seconds until the limit-th most recent failure leaves the window: from then on fewer than
# `limit` failures are in it, and a sign-in is checked again.
_WAIT = """
SELECT EXTRACT(EPOCH FROM (at + :window - now())) FROM sign_in_failures
WHERE {column} = :value AND at > now() - :window
ORDER BY at DESC OFFSET :skip LIMIT 1
"""


def seconds_to_wait(session: Session, name: str, client: str, limits: Limits) -> int:
    """How long this name or this client must wait before trying again; 0 if it need not."""
    waits = [
        session.scalar(
            text(_WAIT.format(column=column)),
            {"value": value, "window": limits.window, "skip": limit - 1},
        )
        for column, value, limit in (
            ("name", name, limits.per_name),
            ("client", client, limits.per_client),
        )
    ]
    return max((math.ceil(float(wait)) for wait in waits if wait is not None), default=0)


def _refuse_if_limited(session: Session, name: str, client: str, limits: Limits) -> None:
    wait = seconds_to_wait(session, name, client, limits)
    if wait > 0:
        minutes = max(1, math.ceil(wait / 60))
        raise TooManySignIns(
            message(
                "accounts.too_many_sign_ins" if minutes > 1 else "accounts.too_many_sign_ins_one",
                minutes=minutes,
            ),
            retry_after=wait,
        )


def _record_failure(session: Session, name: str, client: str, limits: Limits) -> None:
    # Failures older than the window count for nothing: drop this name's and client's.
    for column, value in ((SignInFailure.name, name), (SignInFailure.client, client)):
        session.execute(
            delete(SignInFailure).where(
                column == value, SignInFailure.at < func.now() - limits.window
            )
        )
    session.add(SignInFailure(name=name, client=client))
    session.flush()


def verify_sign_in(
    session: Session, name: str, password: str, client: str, limits: Limits | None = None
) -> User:
    """The account, if ``password`` is its password and it may sign in.

    Refused with TooManySignIns while the name or the client is over its limit (the password
    is then not even checked), and with SignInRefused otherwise. A failure is added to the
    session: the caller must commit it even though the sign-in is refused. A success clears
    this client's failures for this name only, so someone guessing from elsewhere stays limited.
    """
    limits = limits or Limits()
    name = name.strip()
    _refuse_if_limited(session, name, client, limits)
    if len(password) > MAX_PASSWORD_LENGTH:  # no stored password is longer: spare the hashing
        _record_failure(session, name, client, limits)
        raise SignInRefused(message("accounts.sign_in_wrong"))
    user = find_user(session, name) if name else None
    if user is None:
        spend_a_verification(password)
        matches = False
    else:
        matches = password_matches(user.password_hash, password)
    if not matches:
        _record_failure(session, name, client, limits)
        raise SignInRefused(message("accounts.sign_in_wrong"))
    if user.disabled_at is not None:
        raise AccountDisabled(message("accounts.disabled"))
    session.execute(
        delete(SignInFailure).where(SignInFailure.name == name, SignInFailure.client == client)
    )
    if HASHER.check_needs_rehash(user.password_hash):  # hashed under older settings
        user.password_hash = hash_password(password)
    return user
