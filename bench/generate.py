"""Deterministic synthetic parcels for the benchmarks, loaded with COPY.

Usage (from the repository root, with the project's virtualenv):

    .venv/bin/python bench/generate.py --parcels 100000 \
        --dsn postgresql://zhengshou@127.0.0.1:55432/zhengshou_bench_100000

The database must already hold the schema (``zhengshou migrate``) and the shipped plan
(``zhengshou load data/parcels.geojson``): the synthetic parcels join that plan, with seq from
1000 up, so the 13 real parcels stay. Every synthetic row has ``geometry_source = 'schematic'``,
an id ``JX2022-S<seq>`` and a ``geometry_note`` saying it is synthetic; earlier synthetic rows
are deleted first, so a run is repeatable.

Two layouts (``--layout``):

- ``clustered`` (the default, which ``bench/run.py`` uses): star-convex rings (5-12 vertices at
  sorted angles around a centre), always valid simple polygons, scaled to 0.97-1.03 of a
  declared area of 0.5-60 亩. Centres are 50 % clustered around town centres of Jiaxing and 50 %
  uniform over about 120.60-120.90 E, 30.65-30.85 N. Parcels pile up: at 1,000,000 each
  overlaps about 58 others, which no real plan does.
- ``tiling``: a cadastral map. Parcels tile the land around Jiaxing like a cadastre: neighbours
  share their edges exactly (the same vertices, with a jittered midpoint on every edge), so a
  parcel touches its eight neighbours and overlaps none of them. Columns and rows are
  0.5-1.5 x 80 m wide, so parcels are about 2-22 亩 and the map grows with the count (about
  80 km across at 1,000,000), and the cells where the real parcels lie are left empty. One
  parcel in a thousand is drawn 4 % too large about its centre, a deliberate digitizing error
  that overlaps its neighbours. Declared areas are 0.97-1.03 of the drawn (unenlarged) shape.

The same seed and layout give byte-identical rows.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import math
import random
import sys
import time
from collections.abc import Iterator

MU_M2 = 10000 / 15
EXTENT = (120.60, 30.65, 120.90, 30.85)
TILING_CENTRE = (120.755, 30.765)
TILING_CELL_M = 80.0
"""The mean width and height of a tiling's columns and rows, in metres."""
TILING_OVERLAP_SHARE = 0.001
"""How many of a tiling's parcels are drawn too large (the deliberate overlaps)."""
TILING_ENLARGED = 1.04
M_PER_DEGREE_LAT = 110574
M_PER_DEGREE_LON_EQUATOR = 111320
PLAN_CODE = "JX2022"
FIRST_SEQ = 1000
NOTE = "synthetic benchmark parcel (bench/generate.py), not a real plan entry; 合成数据，仅用于性能测试"
# (lon, lat, sigma_m, weight): old town, new town, districts and towns around Jiaxing.
CLUSTERS = [
    (120.755, 30.765, 3000, 5),
    (120.790, 30.745, 3500, 3),
    (120.715, 30.790, 3500, 3),
    (120.660, 30.720, 2500, 2),
    (120.850, 30.800, 2500, 2),
    (120.840, 30.690, 2500, 2),
    (120.640, 30.820, 2000, 1),
    (120.700, 30.680, 2000, 1),
]
BLOCKS = [
    "城东板块",
    "城北板块",
    "老城板块",
    "中医院、电控厂板块",
    "南湖街道",
    "新兴街道",
    "建设街道",
    "解放街道",
    "新嘉街道",
    "城南街道",
    "东栅街道",
    "长水街道",
    "七星街道",
    "大桥镇",
    "余新镇",
    "凤桥镇",
    "新塍镇",
    "王江泾镇",
    "油车港镇",
    "洪合镇",
    "王店镇",
    "高照街道",
    "塘汇街道",
    "嘉北街道",
    "新城街道",
    "秀洲新区板块",
    "南湖新区板块",
    "科技城板块",
]
ROAD_STEMS = [
    "中山",
    "勤俭",
    "城北",
    "百墅",
    "禾兴",
    "少年",
    "建国",
    "解放",
    "越秀",
    "环城",
    "秀洲",
    "南湖",
    "东升",
    "广益",
    "文昌",
    "由拳",
    "紫阳",
    "吉杨",
    "纺工",
    "三环",
    "甪里",
    "长水",
    "昌盛",
    "洪兴",
    "友谊",
    "新气象",
    "烟雨",
    "槜李",
    "戴梦得",
    "庆丰",
    "嘉杭",
    "华庭",
]
ROAD_KINDS = ["路", "路", "路", "街", "弄", "巷", "支路", "大道"]
RIVERS = ["竹桥港", "泾水桥港", "长水塘", "海盐塘", "新塍塘", "北郊河", "杭州塘", "平湖塘", "水系"]
ESTATE_STEMS = [
    "兴波",
    "竹桥",
    "望秀",
    "紫薇",
    "秀水",
    "百家",
    "金福",
    "枫杨",
    "虹桥",
    "梅湾",
    "湖滨",
    "东栅",
    "南溪",
    "锦绣",
    "桂苑",
    "凌公",
    "嘉禾",
    "景湖",
    "北京",
    "清河",
    "春波",
    "塘湾",
]
ESTATE_KINDS = ["苑", "新村", "小区", "公寓", "花园", "家园"]
UNITS_CITY = ["嘉兴", "南湖", "秀洲", "嘉城", "嘉善", "桐乡"]
UNITS_KIND = [
    "城市建设投资集团有限公司",
    "城市投资发展集团有限公司",
    "城市更新建设有限公司",
    "国有资本投资运营有限公司",
    "交通投资集团有限责任公司",
    "高铁新城开发建设有限公司",
    "现代服务业发展投资集团有限公司",
    "水务投资集团有限公司",
]
INTEREST_TYPES = [
    "旧城区改建",
    "旧城区改建",
    "旧城区改建",
    "基础设施建设",
    "公共事业",
    "保障性安居工程",
    "成片开发建设",
]
COLUMNS = (
    "id",
    "plan_id",
    "seq",
    "block",
    "name",
    "boundary_text",
    "declared_area_mu",
    "interest_type",
    "implementing_unit",
    "geometry_source",
    "geometry_note",
    "geom",
    "boundaries",
)


def _road(rng: random.Random) -> tuple[str, str]:
    kind = rng.choice(ROAD_KINDS)
    return rng.choice(ROAD_STEMS) + kind, "road"


def _side(rng: random.Random) -> tuple[str, str, str]:
    """(text, name, kind) for one side of a four-boundary description."""
    pick = rng.random()
    if pick < 0.5:
        name, kind = _road(rng)
        return name, name, kind
    if pick < 0.7:
        name = rng.choice(RIVERS)
        return name, name, "river"
    estate = rng.choice(ESTATE_STEMS) + rng.choice(ESTATE_KINDS)
    if pick < 0.85:
        return f"{estate}围墙", estate, "wall"
    return f"{estate}{rng.randint(1, 30)}幢", f"{estate}{rng.randint(1, 30)}幢", "building"


def _attributes(rng: random.Random, seq: int) -> dict[str, object]:
    sides = {d: _side(rng) for d in ("east", "south", "west", "north")}
    text = "，".join(
        f"{zh}至{sides[d][0]}"
        for zh, d in (("东", "east"), ("南", "south"), ("西", "west"), ("北", "north"))
    )
    if rng.random() < 0.5:
        name = f"{sides['north'][1]}{rng.choice(['南侧', '北侧', '东侧', '西侧'])}地块"
    else:
        name = f"{rng.randint(1, 40)}号地块"
    boundaries = {
        "notes": [],
        "address": None,
        "unparsed": [],
        "warnings": [],
        "joined_by": dict.fromkeys(sides, "single"),
        "boundaries": {
            d: [{"kind": k, "name": n, "text": t, "notes": [], "qualifiers": []}]
            for d, (t, n, k) in sides.items()
        },
    }
    return {
        "block": rng.choice(BLOCKS),
        "name": name,
        "boundary_text": text,
        "interest_type": rng.choice(INTEREST_TYPES),
        "implementing_unit": f"{rng.choice(UNITS_CITY)}市{rng.choice(UNITS_KIND)}"
        if rng.random() < 0.3
        else f"嘉兴市{rng.choice(UNITS_KIND)}",
        "boundaries": json.dumps(boundaries, ensure_ascii=False, separators=(",", ":")),
        "seq": seq,
    }


def _centre(rng: random.Random) -> tuple[float, float]:
    min_lon, min_lat, max_lon, max_lat = EXTENT
    while True:
        if rng.random() < 0.5:
            lon0, lat0, sigma, _ = rng.choices(CLUSTERS, weights=[c[3] for c in CLUSTERS])[0]
            lon = lon0 + rng.gauss(0, sigma) / (111320 * math.cos(math.radians(lat0)))
            lat = lat0 + rng.gauss(0, sigma) / 110574
        else:
            lon = rng.uniform(min_lon, max_lon)
            lat = rng.uniform(min_lat, max_lat)
        if min_lon + 0.002 < lon < max_lon - 0.002 and min_lat + 0.002 < lat < max_lat - 0.002:
            return lon, lat


def _ring(rng: random.Random, lon: float, lat: float, area_m2: float) -> str:
    """A star-convex ring of 5-12 vertices with the given planar area, as WKT coordinates."""
    n = rng.randint(5, 12)
    gap = 2 * math.pi / n
    start = rng.uniform(0, 2 * math.pi)
    # Sorted angles with jitter well under half a gap: strictly increasing, so the ring is simple.
    angles = [start + i * gap + rng.uniform(-0.3, 0.3) * gap for i in range(n)]
    radii = [rng.uniform(0.7, 1.3) for _ in range(n)]
    xy = [(r * math.cos(a), r * math.sin(a)) for r, a in zip(radii, angles, strict=True)]
    shoelace = 0.0
    for (x1, y1), (x2, y2) in zip(xy, xy[1:] + xy[:1], strict=True):
        shoelace += x1 * y2 - x2 * y1
    scale = math.sqrt(area_m2 / (abs(shoelace) / 2))
    kx = 1 / (111320 * math.cos(math.radians(lat)))
    ky = 1 / 110574
    pts = [f"{lon + x * scale * kx:.7f} {lat + y * scale * ky:.7f}" for x, y in xy]
    pts.append(pts[0])
    return ",".join(pts)


def _row(
    seq: int, plan_id: int, attrs: dict[str, object], mu: float, ring: str
) -> tuple[object, ...]:
    return (
        f"{PLAN_CODE}-S{seq:07d}",
        plan_id,
        seq,
        attrs["block"],
        attrs["name"],
        attrs["boundary_text"],
        f"{mu:.2f}",
        attrs["interest_type"],
        attrs["implementing_unit"],
        "schematic",
        NOTE,
        f"SRID=4326;MULTIPOLYGON((({ring})))",
        attrs["boundaries"],
    )


def clustered_rows(n: int, seed: int, plan_id: int) -> Iterator[tuple[object, ...]]:
    """The clustered layout's rows, in COLUMNS order; the same (n, seed) gives the same rows."""
    rng = random.Random(seed)
    for i in range(n):
        seq = FIRST_SEQ + i
        attrs = _attributes(rng, seq)
        # Log-uniform declared area between 0.5 and 60 亩: many small lots, some large ones.
        mu = round(math.exp(rng.uniform(math.log(0.5), math.log(60))), 2)
        lon, lat = _centre(rng)
        ring = _ring(rng, lon, lat, mu * MU_M2 * rng.uniform(0.97, 1.03))
        yield _row(seq, plan_id, attrs, mu, ring)


Box = tuple[float, float, float, float]
"""West, south, east, north in degrees."""


def _widths(rng: random.Random, count: int) -> list[float]:
    """Column widths (or row heights) in metres, 0.5-1.5 of the mean cell."""
    return [TILING_CELL_M * rng.uniform(0.5, 1.5) for _ in range(count)]


def _cumulative(sizes: list[float]) -> list[float]:
    edges = [0.0]
    for size in sizes:
        edges.append(edges[-1] + size)
    return edges


def tiling_rows(
    n: int, seed: int, plan_id: int, keep_clear: Box | None = None
) -> Iterator[tuple[object, ...]]:
    """The tiling layout's rows, in COLUMNS order, row by row from the south-west.

    The lattice is made one row of cells at a time: the corners and edge midpoints of a row's
    southern line are those of the row below, so neighbours share them exactly. Cells that meet
    ``keep_clear`` (lon/lat: where the real parcels lie) are left empty, and rows are added
    until there are n parcels.
    """
    rng = random.Random(seed)
    columns = max(1, round(math.sqrt(n)))
    xs = _cumulative(_widths(rng, columns))
    kx = 1 / _m_per_lon(TILING_CENTRE[1])
    lon0 = TILING_CENTRE[0] - xs[-1] / 2 * kx
    lat0 = TILING_CENTRE[1] - math.ceil(n / columns) * TILING_CELL_M / 2 / M_PER_DEGREE_LAT
    shortest = TILING_CELL_M * 0.5

    def corner_line(y: float) -> list[tuple[float, float]]:
        return [
            (x + rng.uniform(-0.15, 0.15) * shortest, y + rng.uniform(-0.15, 0.15) * shortest)
            for x in xs
        ]

    def wiggle() -> float:
        return rng.uniform(-0.1, 0.1) * shortest

    def east_west_midpoints(line: list[tuple[float, float]]) -> list[tuple[float, float]]:
        return [
            ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + wiggle()) for a, b in itertools.pairwise(line)
        ]

    def clear(ring: list[tuple[float, float]]) -> bool:
        if keep_clear is None:
            return True
        lons = [lon0 + x * kx for x, _ in ring]
        lats = [lat0 + y / M_PER_DEGREE_LAT for _, y in ring]
        west, south, east, north = keep_clear
        return max(lons) < west or min(lons) > east or max(lats) < south or min(lats) > north

    y = 0.0
    south = corner_line(y)
    south_mid = east_west_midpoints(south)
    seq = FIRST_SEQ
    while seq - FIRST_SEQ < n:
        y += TILING_CELL_M * rng.uniform(0.5, 1.5)
        north = corner_line(y)
        north_mid = east_west_midpoints(north)
        west_east_mid = [
            ((a[0] + b[0]) / 2 + wiggle(), (a[1] + b[1]) / 2)
            for a, b in zip(south, north, strict=True)
        ]
        for i in range(columns):
            if seq - FIRST_SEQ >= n:
                return
            ring = [
                south[i],
                south_mid[i],
                south[i + 1],
                west_east_mid[i + 1],
                north[i + 1],
                north_mid[i],
                north[i],
                west_east_mid[i],
            ]
            if not clear(ring):
                continue
            area = _shoelace(ring)
            if rng.random() < TILING_OVERLAP_SHARE:
                ring = _scaled(ring, TILING_ENLARGED)
            mu = round(area * rng.uniform(0.97, 1.03) / MU_M2, 2)
            attrs = _attributes(rng, seq)
            yield _row(seq, plan_id, attrs, mu, _wkt_ring(ring, lon0, lat0))
            seq += 1
        south, south_mid = north, north_mid


def _m_per_lon(lat: float) -> float:
    return M_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(lat))


def _shoelace(ring: list[tuple[float, float]]) -> float:
    twice = sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )
    return abs(twice) / 2


def _scaled(ring: list[tuple[float, float]], factor: float) -> list[tuple[float, float]]:
    cx = sum(x for x, _ in ring) / len(ring)
    cy = sum(y for _, y in ring) / len(ring)
    return [(cx + (x - cx) * factor, cy + (y - cy) * factor) for x, y in ring]


def _wkt_ring(ring: list[tuple[float, float]], lon0: float, lat0: float) -> str:
    """Metres east and north of (lon0, lat0) as closed WKT coordinates."""
    kx = 1 / _m_per_lon(TILING_CENTRE[1])
    points = [f"{lon0 + x * kx:.7f} {lat0 + y / M_PER_DEGREE_LAT:.7f}" for x, y in ring]
    return ",".join([*points, points[0]])


LAYOUTS = {"clustered": clustered_rows, "tiling": tiling_rows}


def rows(
    n: int, seed: int, plan_id: int, layout: str = "clustered", keep_clear: Box | None = None
) -> Iterator[tuple[object, ...]]:
    """The synthetic rows of a layout, in COLUMNS order (``keep_clear``: see tiling_rows)."""
    if layout == "tiling":
        return tiling_rows(n, seed, plan_id, keep_clear)
    return LAYOUTS[layout](n, seed, plan_id)


def _tsv(value: object) -> str:
    s = str(value)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_tsv(n: int, seed: int, plan_id: int, out: io.TextIOBase, layout: str) -> None:
    """Write the rows as PostgreSQL COPY text format."""
    for row in rows(n, seed, plan_id, layout):
        out.write("\t".join(_tsv(v) for v in row) + "\n")


def load(dsn: str, n: int, seed: int, layout: str = "clustered") -> dict[str, float]:
    """Delete earlier synthetic rows, COPY n new ones, ANALYZE; returns timings in seconds."""
    import psycopg

    timings: dict[str, float] = {}
    with psycopg.connect(dsn, autocommit=False) as conn:
        plan_id = conn.execute("SELECT id FROM plans WHERE code = %s", (PLAN_CODE,)).fetchone()
        if plan_id is None:
            sys.exit(f"no plan {PLAN_CODE}: run `zhengshou load data/parcels.geojson` first")
        plan_id = plan_id[0]
        t0 = time.perf_counter()
        conn.execute(
            "DELETE FROM parcels WHERE id LIKE %s AND seq >= %s", (f"{PLAN_CODE}-S%", FIRST_SEQ)
        )
        timings["delete_s"] = time.perf_counter() - t0
        # The tiling leaves the real parcels' area (with a margin of about 100 m) empty.
        keep_clear = conn.execute(
            "SELECT ST_XMin(e) - 0.001, ST_YMin(e) - 0.001, ST_XMax(e) + 0.001, "
            "ST_YMax(e) + 0.001 FROM (SELECT ST_Extent(geom) AS e FROM parcels) AS x"
        ).fetchone()
        keep_clear = None if keep_clear[0] is None else tuple(keep_clear)
        t0 = time.perf_counter()
        cols = ", ".join(COLUMNS)
        with conn.cursor() as cur, cur.copy(f"COPY parcels ({cols}) FROM STDIN") as copy:
            buf = io.StringIO()
            for k, row in enumerate(rows(n, seed, plan_id, layout, keep_clear), 1):
                buf.write("\t".join(_tsv(v) for v in row) + "\n")
                if k % 5000 == 0:
                    copy.write(buf.getvalue())
                    buf = io.StringIO()
            copy.write(buf.getvalue())
        conn.commit()
        timings["copy_s"] = time.perf_counter() - t0
    with psycopg.connect(dsn, autocommit=True) as conn:
        t0 = time.perf_counter()
        conn.execute("VACUUM ANALYZE parcels")
        timings["analyze_s"] = time.perf_counter() - t0
    return timings


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20221)
    parser.add_argument("--dsn", help="libpq URL of the benchmark database (loads with COPY)")
    parser.add_argument("--tsv", help="write COPY text rows to this file instead (plan id 1)")
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="clustered")
    args = parser.parse_args()
    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as out:
            write_tsv(args.parcels, args.seed, 1, out, args.layout)
        return
    if not args.dsn:
        parser.error("give --dsn or --tsv")
    timings = load(args.dsn, args.parcels, args.seed, args.layout)
    print(
        json.dumps({"parcels": args.parcels, "seed": args.seed, "layout": args.layout, **timings})
    )


if __name__ == "__main__":
    main()
