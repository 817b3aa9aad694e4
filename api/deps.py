"""Request dependencies: the only way routes reach the app's settings and shared state."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from functools import partial
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from api.settings import ApiSettings
from geo.addresses.outside_geocoders import ExternalGeocoder, external_geocoder
from geo.parcels.tiles import TileCache
from geo.query import AsyncReader


def get_session(request: Request) -> Iterator[Session]:
    """A session for one request; a read-only request never commits."""
    with request.app.state.session_factory() as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    """A session for a read-only request: on the read replica when one is configured."""
    with request.app.state.read_session_factory() as session:
        yield session


# The ones below are async on purpose: FastAPI runs a sync dependency in its thread pool, and the
# hot read paths exist to avoid that hand-off.
async def get_reader(request: Request) -> AsyncReader:
    """The async read pool, for hot read paths that PostGIS answers in one statement."""
    return request.app.state.read_pool


async def get_read_session_opener(
    request: Request,
) -> Callable[[], AbstractContextManager[Session]]:
    """Opens a read session later.

    For an async route's rare branch that needs the sync ORM, or a stream that outlives the
    request.
    """
    return request.app.state.read_session_factory


async def get_settings(request: Request) -> ApiSettings:
    """The settings the app was built with."""
    return request.app.state.settings


async def get_tile_cache(request: Request) -> TileCache:
    """This worker's memory of recently made vector tiles."""
    return request.app.state.tile_cache


SettingsDep = Annotated[ApiSettings, Depends(get_settings)]


async def get_geocoder_maker(settings: SettingsDep) -> Callable[[], ExternalGeocoder | None]:
    """Makes the configured outside geocoder when called.

    Made on demand because only address look-ups need one, and a misconfigured ZS_GEOCODER
    must fail those alone, not every point look-up.
    """
    return partial(external_geocoder, settings.geocoding)


GeocoderMakerDep = Annotated[Callable[[], ExternalGeocoder | None], Depends(get_geocoder_maker)]


def get_geocoder(make: GeocoderMakerDep) -> ExternalGeocoder | None:
    """The configured outside geocoder, or None for the local gazetteer."""
    return make()


SessionDep = Annotated[Session, Depends(get_session)]
ReadSessionDep = Annotated[Session, Depends(get_read_session)]
ReaderDep = Annotated[AsyncReader, Depends(get_reader)]
ReadSessionOpenerDep = Annotated[
    Callable[[], AbstractContextManager[Session]], Depends(get_read_session_opener)
]
TileCacheDep = Annotated[TileCache, Depends(get_tile_cache)]
GeocoderDep = Annotated[ExternalGeocoder | None, Depends(get_geocoder)]
