"""Bearer-token authentication for writes (reading stays open: the plan is published)."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.deps import SessionDep
from geo.errors import NotAuthenticated
from geo.tokens import Principal, authenticate, require

bearer = HTTPBearer(auto_error=False, description="A token made with `zhengshou token create`.")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def requires(role: str) -> Callable[..., Principal]:
    """A dependency that lets through tokens of ``role`` or higher: 401 without, 403 below."""

    def dependency(session: SessionDep, credentials: Credentials) -> Principal:
        if credentials is None:
            raise NotAuthenticated("This needs a bearer token (Authorization: Bearer zs_…).")
        return require(authenticate(session, credentials.credentials), role)

    return dependency


EditorDep = Annotated[Principal, Depends(requires("editor"))]
