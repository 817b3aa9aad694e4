"""Signing in on the map page: sign in, sign out, and who this browser is signed in as."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from api.auth import COOKIE, SessionCookie, client_address
from api.deps import SessionDep, SettingsDep
from api.schemas import ERROR_RESPONSES
from geo.accounts.sessions import SignedIn, close_session, find_session, open_session
from geo.accounts.signin import verify_sign_in
from geo.accounts.users import MAX_NAME_LENGTH, MAX_PASSWORD_LENGTH
from geo.errors import SessionExpired, SignInRefused

router = APIRouter(prefix="/auth", tags=["accounts"])


class SignInBody(BaseModel):
    """A name and password, as made with ``zhengshou user create``."""

    name: Annotated[str, Field(max_length=MAX_NAME_LENGTH)]
    password: Annotated[str, Field(max_length=MAX_PASSWORD_LENGTH)]


class Who(BaseModel):
    """An account as the page shows it."""

    name: str
    role: str


class SignInAnswer(BaseModel):
    """Who is signed in (null for nobody), and the token every write must carry.

    ``csrf_token`` goes in X-CSRF-Token; ``expired`` says the browser held a sign-in that ended.
    """

    user: Who | None
    csrf_token: str | None
    expires_at: str | None = None
    expired: bool = False


def _answer(signed_in: SignedIn | None, expired: bool = False) -> SignInAnswer:
    if signed_in is None:
        return SignInAnswer(user=None, csrf_token=None, expired=expired)
    return SignInAnswer(
        user=Who(name=signed_in.name, role=signed_in.role),
        csrf_token=signed_in.csrf_token,
        expires_at=signed_in.expires_at.isoformat(),
    )


def _forget_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE, path="/", secure=request.url.scheme == "https", httponly=True, samesite="strict"
    )


@router.post("/sign-in", responses=ERROR_RESPONSES)
def sign_in(
    request: Request,
    response: Response,
    session: SessionDep,
    settings: SettingsDep,
    body: SignInBody,
) -> SignInAnswer:
    """Sign in: sets the ``zs_session`` cookie (HttpOnly, SameSite=Strict, Secure over HTTPS).

    Refused with 401 sign_in_refused, or 429 too_many_sign_ins (with Retry-After) after too
    many failures for the name or from the address.
    """
    try:
        user = verify_sign_in(session, body.name, body.password, client_address(request))
    except SignInRefused:
        session.commit()  # the failure counts towards the limit although the answer is an error
        raise
    lifetime = timedelta(hours=settings.session_hours)
    opened = open_session(session, user, lifetime)
    session.commit()
    response.set_cookie(
        COOKIE,
        opened.secret,
        max_age=int(lifetime.total_seconds()),
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return _answer(opened.signed_in)


# No CSRF token needed: SameSite=Strict keeps the cookie off other sites' requests, and the
# worst another site could do here is sign the planner out.
@router.post("/sign-out")
def sign_out(
    request: Request, response: Response, session: SessionDep, secret: SessionCookie
) -> SignInAnswer:
    """Sign out: the session is revoked (the cookie is useless even if kept) and forgotten."""
    if secret:
        close_session(session, secret)
        session.commit()
    _forget_cookie(request, response)
    return _answer(None)


@router.get("/me")
def who_am_i(
    request: Request, response: Response, session: SessionDep, secret: SessionCookie
) -> SignInAnswer:
    """Who this browser is signed in as, with the CSRF token for writes.

    A user of null when nobody is; when a sign-in has ended, ``expired`` is true and the cookie
    is forgotten.
    """
    if not secret:
        return _answer(None)
    try:
        return _answer(find_session(session, secret))
    except SessionExpired:
        _forget_cookie(request, response)
        return _answer(None, expired=True)
