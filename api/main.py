"""The FastAPI application."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import sessionmaker

from api.errors import add_error_handlers
from api.routes import (
    boundaries,
    checks,
    config,
    editing,
    export,
    health,
    lookups,
    maps,
    ogc,
    parcels,
    tiles,
)
from api.settings import ApiSettings
from geo.db import make_engine


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    """Build the app; tests and ``uvicorn api.main:create_app --factory`` pass their settings."""
    settings = settings or ApiSettings()
    engine = make_engine(settings.db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="zhengshou",
        summary="Land and house expropriation plans (征收计划) as a GIS service.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.session_factory = sessionmaker(engine, expire_on_commit=False)
    app.include_router(health.router)
    app.include_router(maps.router)
    app.include_router(ogc.router)
    app.include_router(tiles.router)
    for module in (parcels, export, editing, lookups, checks, boundaries, config):
        app.include_router(module.router, prefix="/api/v1")
    add_error_handlers(app)
    app.mount("/", StaticFiles(directory=settings.static_dir, html=True), name="static")
    return app
