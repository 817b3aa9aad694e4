"""The FastAPI application."""

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from api.errors import add_error_handlers
from api.middleware import RequestContext
from api.routes import (
    auth,
    boundaries,
    checks,
    config,
    documents,
    exports,
    health,
    history,
    imports,
    lookups,
    maps,
    notices,
    ogc,
    parcels,
    plans,
    printing,
    reference,
    stages,
    styles,
    summaries,
    surveys,
    tiles,
)
from api.settings import ApiSettings
from geo.aio import AsyncReadPool
from geo.db import make_engine
from geo.migrate import check_schema
from geo.parcels.tiles import TileCache

logger = logging.getLogger("zhengshou.api")

# One router per resource. No two routes match the same method and path ({parcel_id} takes no
# slash; the tiles live under /tiles), so this order only sets the order in /docs.
API_V1 = (
    parcels,
    plans,
    summaries,
    printing,
    exports,
    reference,
    history,
    stages,
    imports,
    notices,
    surveys,
    documents,
    lookups,
    checks,
    boundaries,
    config,
    styles,
    auth,
)


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """Build the app; tests and ``uvicorn api.main:create_app --factory`` pass their settings."""
    settings = settings or ApiSettings()
    engine = make_engine(settings.db)
    read_engine = (
        make_engine(settings.db, settings.db.read_database_url)
        if settings.db.read_database_url
        else engine
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            check_schema(engine)
        except OperationalError as exc:  # the database is down: start, and recover when it is back
            logger.warning("database unreachable at start-up: %s", str(exc.orig).strip())
        # Everything made at start-up lives as long as the worker: frozen, the collector never
        # walks it again, and a full collection no longer pauses every request in flight.
        gc.freeze()
        yield
        await app.state.read_pool.close()
        engine.dispose()
        read_engine.dispose()

    app = FastAPI(
        title="zhengshou",
        summary="Land and house expropriation plans (征收计划) as a GIS service.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.session_factory = sessionmaker(engine, expire_on_commit=False)
    app.state.read_session_factory = sessionmaker(read_engine, expire_on_commit=False)
    app.state.read_pool = AsyncReadPool(settings.db)
    app.state.tile_cache = TileCache(settings.tile_cache_mb * 1024 * 1024)
    app.include_router(health.router)
    app.include_router(maps.router)
    app.include_router(ogc.router)
    app.include_router(tiles.router)
    for module in API_V1:
        app.include_router(module.router, prefix="/api/v1")
    add_error_handlers(app)
    app.add_middleware(RequestContext)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "If-None-Match"],
            expose_headers=["ETag", "Content-Crs", "X-Request-ID"],
        )
    # The point look-up's plain form is matched before every router (api/routes/lookups.py).
    app.router.routes.insert(0, lookups.PointLookupRoute())
    app.mount("/", StaticFiles(directory=settings.static_dir, html=True), name="static")
    return app
