"""More plans beside the shipped Jiaxing one: a Hangzhou plan with two located parcels and one not
located, and a Shaoxing plan none of whose parcels is located.

They are loaded through the normal path (a parcels collection, ``load_parcels``); their region
columns, which the notice ingest will fill, are set with plain SQL. So are the fields one
Shaoxing parcel's notice does not state (``UNSTATED_ID``), which a parcels file cannot leave
out yet.
"""

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from geo.intake.loader import load_parcels
from geo.intake.parcel_file import parse_parcel_collection


@dataclass(frozen=True)
class Region:
    province: str
    city: str
    county: str
    adcode: str
    longitude: float
    latitude: float


@dataclass(frozen=True)
class SamplePlan:
    code: str
    title: str
    year: int
    region: Region
    # (seq, block, name, declared 亩, south-west corner (lon, lat) or None for no shape)
    parcels: tuple[tuple[int, str, str, float, tuple[float, float] | None], ...]

    def parcel_id(self, seq: int) -> str:
        return f"{self.code}-{seq:02d}"

    @property
    def located_ids(self) -> list[str]:
        return [self.parcel_id(p[0]) for p in self.parcels if p[4] is not None]

    @property
    def shapeless_ids(self) -> list[str]:
        return [self.parcel_id(p[0]) for p in self.parcels if p[4] is None]


SIDE_DEG = 0.002  # each located parcel is a square this many degrees on a side (about 64 亩)

HANGZHOU = SamplePlan(
    code="HZ2023",
    title="2023年杭州市上城区国有土地上房屋征收计划（测试）",
    year=2023,
    region=Region("浙江省", "杭州市", "上城区", "330102", 120.1712, 30.2501),
    parcels=(
        (1, "望江板块", "望江新村地块", 64.0, (120.180, 30.240)),
        (2, "望江板块", "近江老街地块", 63.9, (120.186, 30.244)),
        (3, "湖滨板块", "待落图仓库地块", 2.0, None),
    ),
)
SHAOXING = SamplePlan(
    code="SX2024",
    title="2024年绍兴市越城区国有土地上房屋征收计划（测试）",
    year=2024,
    region=Region("浙江省", "绍兴市", "越城区", "330602", 120.5821, 29.9890),
    parcels=(
        (1, "古城板块", "仓桥直街地块", 8.0, None),
        (2, "古城板块", "书圣故里地块", 5.5, None),
    ),
)
TEST_PLANS = (HANGZHOU, SHAOXING)
UNSTATED_ID = SHAOXING.parcel_id(2)
# Its declared area stays: the area check does not take a parcel without one yet.
UNSTATED_FIELDS = ("block", "boundary_text", "interest_type", "implementing_unit")


def square(lon: float, lat: float) -> dict:
    ring = [
        [lon, lat],
        [lon + SIDE_DEG, lat],
        [lon + SIDE_DEG, lat + SIDE_DEG],
        [lon, lat + SIDE_DEG],
        [lon, lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def plan_collection(plan: SamplePlan) -> dict:
    """The plan as a parcels file would give it."""
    features = []
    for seq, block, name, declared, corner in plan.parcels:
        parcel_id = plan.parcel_id(seq)
        properties = {
            "id": parcel_id,
            "plan": plan.title,
            "plan_year": plan.year,
            "seq": seq,
            "block": block,
            "name": name,
            "boundary_text": f"东至{name}东路，南至{name}南路，西至{name}西路，北至{name}北路",
            "declared_area_mu": declared,
            "interest_type": "旧城区改建",
            "implementing_unit": f"{plan.region.county}城市更新有限公司",
            "geometry_source": "schematic" if corner else "none",
            "geometry_note": "测试用示意范围" if corner else "测试：公告未给可落图的四至",
        }
        features.append(
            {
                "type": "Feature",
                "id": parcel_id,
                "geometry": square(*corner) if corner else None,
                "properties": properties,
            }
        )
    return {
        "type": "FeatureCollection",
        "plan": {"code": plan.code, "title": plan.title, "year": plan.year},
        "features": features,
    }


def load_test_plans(session: Session) -> None:
    """Load both plans and give them their regions (the caller's transaction)."""
    for plan in TEST_PLANS:
        load_parcels(session, parse_parcel_collection(plan_collection(plan)))
        region = plan.region
        session.execute(
            text(
                "UPDATE plans SET province = :province, city = :city, county = :county, "
                "adcode = :adcode, region_longitude = :longitude, region_latitude = :latitude "
                "WHERE code = :code"
            ),
            {
                "code": plan.code,
                "province": region.province,
                "city": region.city,
                "county": region.county,
                "adcode": region.adcode,
                "longitude": region.longitude,
                "latitude": region.latitude,
            },
        )
    cleared = ", ".join(f"{name} = NULL" for name in UNSTATED_FIELDS)
    session.execute(text(f"UPDATE parcels SET {cleared} WHERE id = :id"), {"id": UNSTATED_ID})
