"""The checks on a shape not saved yet: what the audit would say if this geometry were stored.

The map's drawing tools ask this after every change, and the answer must be the one that
``zhengshou check`` and ``GET /parcels/{id}/checks`` give once the shape is saved. So nothing
here re-implements a check: inside the caller's transaction the geometry is written into the
parcel under a SAVEPOINT (with geometry_source 'drawn', as the save will store it), the parcel's
own audit runs on it, and the savepoint is rolled back. Nothing is kept: no history row, no new
version, and the layer_versions row the parcels trigger bumped returns to its old value (the
sequence number it drew is spent, which the trigger's migration allows: no later write reuses it).

While the savepoint lives, the parcel's row and the layer_versions row are locked, as for any
write: a preview queues behind an edit being saved, for the few milliseconds either takes.
"""

from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from geo.boundaries.sides import NEAR_M
from geo.checks.area import DEFAULT_TOLERANCE_PCT
from geo.checks.audit import audit_parcels
from geo.errors import InvalidGeometry, InvalidInput, ParcelNotFound
from geo.messages import message
from geo.models import Parcel
from geo.parcels.editing import check_crs, edit_geometry
from geo.parcels.writes import stored_geometry

PREVIEW_SOURCE = "drawn"
"""The geometry_source the shape is previewed with: the one a drawing is saved with."""


def preview_checks(
    session: Session,
    parcel_id: str,
    body: Any,
    tolerance_pct: float = DEFAULT_TOLERANCE_PCT,
    near_m: float = NEAR_M,
) -> dict[str, Any]:
    """The parcel's audit as it would be with ``body["geometry"]``; nothing is written.

    A geometry the save would refuse (self-intersecting, outside China, too many vertices) is
    refused here with the same InvalidGeometry and message.
    """
    if not isinstance(body, dict) or body.get("geometry") is None:
        raise InvalidInput(message("checks.preview_body"))
    check_crs(body)
    geometry = stored_geometry(edit_geometry(body["geometry"]))
    savepoint = session.begin_nested()
    try:
        written = session.execute(
            update(Parcel)
            .where(Parcel.id == parcel_id)
            .values(geom=geometry, geometry_source=PREVIEW_SOURCE)
        ).rowcount
        if not written:
            raise ParcelNotFound(message("parcels.not_found", parcel_id=parcel_id))
        (audit,) = audit_parcels(session, tolerance_pct, near_m, parcel_id=parcel_id)
    except IntegrityError as error:  # PostGIS judged validity more strictly than GEOS
        savepoint.rollback()
        raise InvalidGeometry(message("checks.invalid_in_postgis", reason=error.orig)) from None
    finally:
        if savepoint.is_active:
            savepoint.rollback()
    session.expire_all()  # nothing cached may outlive the rolled-back write
    return audit.to_dict() | {"preview": True}
