"""A parcel the notice names but nobody has located yet: ``"geometry": null``, source 'none'."""

import copy
import json

from sqlalchemy.orm import Session

from geo.intake.loader import load_parcels
from geo.intake.parcel_file import parse_parcel_collection
from tests.support.files import PARCELS_FILE

SHAPELESS_ID = "JX2022-14"
SHAPELESS_NOTE = "公告未给四至，参考图层上没有可落图的要素"


def shapeless_feature(data: dict) -> dict:
    """A 14th parcel of the shipped plan, copied from the first, with no shape."""
    feature = copy.deepcopy(data["features"][0])
    feature["geometry"] = None
    feature["id"] = SHAPELESS_ID
    feature["properties"] |= {
        "id": SHAPELESS_ID,
        "seq": 14,
        "name": "待落图地块",
        "boundary_text": "东至规划道路，南至河道，西至厂区围墙，北至规划道路",
        "declared_area_mu": 3.5,
        "geometry_source": "none",
        "geometry_note": SHAPELESS_NOTE,
    }
    return feature


def parcels_with_shapeless() -> dict:
    """The shipped parcels file with the shapeless parcel added."""
    data = json.loads(PARCELS_FILE.read_text(encoding="utf-8"))
    data["features"].append(shapeless_feature(data))
    return data


def load_shapeless(session: Session) -> None:
    """Load the shipped file plus the shapeless parcel (the test's session rolls it back)."""
    load_parcels(session, parse_parcel_collection(parcels_with_shapeless()))
