"""Who may write: a bearer token (scripts, GIS tools) or a signed-in account's session cookie.

Reading stays open: the plan is published. A cookie is sent by the browser on its own, even
with a form posted from another site, so every write signed in by cookie must also carry the
session's CSRF token in X-CSRF-Token, which only the map page can read. A bearer token is
never sent on its own, so it needs none.
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from api.deps import SessionDep
from geo.accounts.sessions import find_session
from geo.errors import NotAuthenticated
from geo.messages import message
from geo.tokens import Principal, authenticate, require

COOKIE = "zs_session"

bearer = HTTPBearer(auto_error=False, description="A token made with `zhengshou token create`.")
cookie = APIKeyCookie(
    name=COOKIE,
    auto_error=False,
    description="Set by POST /api/v1/auth/sign-in; writes also need X-CSRF-Token.",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
SessionCookie = Annotated[str | None, Depends(cookie)]
CsrfHeader = Annotated[
    str | None,
    Header(alias="X-CSRF-Token", description="The csrf_token of the sign-in (cookie writes only)"),
]


def requires(role: str) -> Callable[..., Principal]:
    """A dependency that lets through a token or an account of ``role`` or higher.

    401 without either; 403 below the role or, for a cookie, without the session's CSRF token.
    """

    def dependency(
        session: SessionDep,
        credentials: Credentials,
        secret: SessionCookie,
        csrf: CsrfHeader = None,
    ) -> Principal:
        if credentials is not None:
            return require(authenticate(session, credentials.credentials), role)
        if secret:
            signed_in = find_session(session, secret)
            signed_in.check_csrf(csrf)
            return require(signed_in.principal, role)
        raise NotAuthenticated(message("api.sign_in_needed"))

    return dependency


def client_address(request: Request) -> str:
    """The client's address, as uvicorn gives it.

    uvicorn reads X-Forwarded-For only from the proxies it trusts (by default the local one).
    """
    return request.client.host if request.client else "unknown"


EditorDep = Annotated[Principal, Depends(requires("editor"))]
AdminDep = Annotated[Principal, Depends(requires("admin"))]
