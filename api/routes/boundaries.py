"""Parsing four-boundary (四至) text."""

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from api.schemas import ERROR_RESPONSES
from geo.boundaries.parse import parse_boundaries

router = APIRouter(tags=["boundaries"])
MAX_TEXT_CHARS = 5_000


class BoundaryText(BaseModel):
    """A four-boundary text, e.g. 东至百墅路，南至水系和百家公寓，西至中环路南侧绿地，北至城北路."""

    text: str = Field(max_length=MAX_TEXT_CHARS)


@router.post("/boundaries/parse", responses=ERROR_RESPONSES)
def parse(body: Annotated[BoundaryText, Body()]) -> dict[str, Any]:
    """Parse 四至 text into the features named on each side, with what could not be read."""
    return parse_boundaries(body.text).to_dict()
