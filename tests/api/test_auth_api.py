"""Signing in on the map page through the API: the cookie, CSRF on writes, expiry, sign-out,
disabling, the limit on failed sign-ins, roles, and the account named in history."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.main import create_app
from api.settings import ApiSettings
from geo.accounts.users import create_user, disable_user
from geo.db import DatabaseSettings
from geo.models import UserSession
from geo.tokens import create_token
from tests.support.errors import assert_error
from tests.support.readers import use_session

PASSWORD = "correct horse"
PARCEL = "/api/v1/parcels/JX2022-06"


@pytest.fixture
def accounts(session):
    create_user(session, "张三", PASSWORD, "editor")
    create_user(session, "访客", PASSWORD, "viewer")


@pytest.fixture
def https_client(session, database_url) -> Iterator[TestClient]:
    """The app as reached over HTTPS (behind a proxy uvicorn trusts, or with its own TLS)."""
    app = create_app(ApiSettings(db=DatabaseSettings(database_url=database_url)))
    use_session(app, session)
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        yield client


def sign_in(client, name="张三", password=PASSWORD):
    return client.post("/api/v1/auth/sign-in", json={"name": name, "password": password})


def edit(client, csrf=None, **headers):
    """Change one field of a parcel, as the page would, with the version it read."""
    version = client.get(PARCEL).headers["etag"]
    if csrf is not None:
        headers["X-CSRF-Token"] = csrf
    body = {"properties": {"implementing_unit": "嘉兴市某某公司"}, "reason": "更正单位名称"}
    return client.patch(PARCEL, json=body, headers={"If-Match": version, **headers})


def test_sign_in_sets_a_strict_httponly_expiring_cookie_and_answers_who(client, accounts):
    answer = sign_in(client)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["user"] == {"name": "张三", "role": "editor"} and len(body["csrf_token"]) >= 43
    cookie = answer.headers["set-cookie"]
    for flag in ("zs_session=", "HttpOnly", "Max-Age=28800", "Path=/", "SameSite=strict"):
        assert flag in cookie
    assert "Secure" not in cookie  # plain HTTP: a Secure cookie would never come back
    me = client.get("/api/v1/auth/me").json()
    assert me["user"] == body["user"] and me["csrf_token"] == body["csrf_token"]


def test_over_https_the_cookie_is_secure(https_client, accounts):
    answer = sign_in(https_client)
    assert answer.status_code == 200, answer.text
    assert "Secure" in answer.headers["set-cookie"]


def test_nobody_signed_in(client):
    assert client.get("/api/v1/auth/me").json() == {
        "user": None,
        "csrf_token": None,
        "expires_at": None,
        "expired": False,
    }
    assert_error(edit(client), 401, "not_authenticated", "sign in")


def test_a_cookie_write_needs_the_sessions_csrf_token(client, accounts):
    csrf = sign_in(client).json()["csrf_token"]
    assert_error(edit(client), 403, "csrf_refused", "X-CSRF-Token")
    assert_error(edit(client, csrf="forged"), 403, "csrf_refused")
    written = edit(client, csrf=csrf)
    assert written.status_code == 200, written.text
    changes = client.get(f"{PARCEL}/history").json()["changes"]
    assert changes[-1]["actor"] == "user:张三" and changes[-1]["reason"] == "更正单位名称"


def test_a_viewer_may_read_but_not_write(client, accounts):
    csrf = sign_in(client, "访客").json()["csrf_token"]
    assert_error(edit(client, csrf=csrf), 403, "forbidden", "the account '访客' is viewer")


def test_a_bearer_token_still_writes_without_csrf(client, session):
    token = create_token(session, "脚本", "editor")
    assert edit(client, Authorization=f"Bearer {token}").status_code == 200


def test_an_expired_sign_in_is_told_so(client, accounts, session):
    csrf = sign_in(client).json()["csrf_token"]
    session.execute(update(UserSession).values(expires_at=UserSession.created_at - timedelta(1)))
    assert_error(edit(client, csrf=csrf), 401, "session_expired", "sign in again")
    me = client.get("/api/v1/auth/me")
    assert me.json()["user"] is None and me.json()["expired"] is True
    assert 'zs_session=""' in me.headers["set-cookie"]  # the stale cookie is forgotten


def test_sign_out_revokes_the_session(client, accounts):
    csrf = sign_in(client).json()["csrf_token"]
    cookie = client.cookies["zs_session"]
    out = client.post("/api/v1/auth/sign-out")
    assert out.status_code == 200 and out.json()["user"] is None
    assert "zs_session" not in client.cookies
    # The old cookie, kept by someone, opens nothing.
    client.cookies.set("zs_session", cookie)
    assert_error(edit(client, csrf=csrf), 401, "session_expired")


def test_disabling_an_account_ends_its_session_at_once(client, accounts, session):
    csrf = sign_in(client).json()["csrf_token"]
    disable_user(session, "张三")
    assert_error(edit(client, csrf=csrf), 401, "session_expired")
    assert_error(sign_in(client), 401, "account_disabled", "disabled")


def test_a_wrong_password_is_refused_in_words(client, accounts):
    assert_error(sign_in(client, password="wrong password"), 401, "sign_in_refused", "not right")
    assert_error(sign_in(client, name="无此人"), 401, "sign_in_refused", "not right")


def test_too_many_failures_are_429_with_retry_after(client, accounts):
    for _ in range(5):
        assert sign_in(client, password="wrong password").status_code == 401
    refused = sign_in(client)
    assert_error(refused, 429, "too_many_sign_ins", "try again in 15 minutes")
    assert 0 < int(refused.headers["retry-after"]) <= 900
    assert refused.json()["error"]["retry_after_s"] == int(refused.headers["retry-after"])


def test_a_form_from_another_site_cannot_sign_in(client, accounts):
    # Only JSON is read: a cross-site HTML form cannot send it without the browser asking first.
    form = client.post(
        "/api/v1/auth/sign-in",
        content=f'{{"name": "张三", "password": "{PASSWORD}"}}',
        headers={"Content-Type": "text/plain"},
    )
    assert_error(form, 400, "invalid_request")
