"""Deterministic synthetic parcels for the benchmarks, loaded with COPY.

Usage (from the repository root, with the project's virtualenv):

    .venv/bin/python bench/generate.py --parcels 100000 \
        --dsn postgresql://zhengshou@127.0.0.1:55432/zhengshou_bench_100000

The database must already hold the schema (``zhengshou migrate``) and the shipped plan
(``zhengshou load data/parcels.geojson``): the synthetic parcels join that plan, with seq from
1000 up, so the 13 real parcels stay. Every synthetic row has ``geometry_source = 'schematic'``,
an id ``JX2022-S<seq>`` and a ``geometry_note`` saying it is synthetic; earlier synthetic rows
are deleted first, so a run is repeatable.

Shapes are star-convex rings (5-12 vertices at sorted angles around a centre), so they are
always valid simple polygons, scaled to 0.97-1.03 of a declared area of 0.5-60 亩. Centres are
50 % clustered around town centres of Jiaxing and 50 % uniform over about 120.60-120.90 E,
30.65-30.85 N. The same seed gives byte-identical rows.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import sys
import time
from collections.abc import Iterator

MU_M2 = 10000 / 15
EXTENT = (120.60, 30.65, 120.90, 30.85)
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


def rows(n: int, seed: int, plan_id: int) -> Iterator[tuple[object, ...]]:
    """The synthetic rows, in COLUMNS order; the same (n, seed) gives the same rows."""
    rng = random.Random(seed)
    for i in range(n):
        seq = FIRST_SEQ + i
        attrs = _attributes(rng, seq)
        # Log-uniform declared area between 0.5 and 60 亩: many small lots, some large ones.
        mu = round(math.exp(rng.uniform(math.log(0.5), math.log(60))), 2)
        lon, lat = _centre(rng)
        ring = _ring(rng, lon, lat, mu * MU_M2 * rng.uniform(0.97, 1.03))
        yield (
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


def _tsv(value: object) -> str:
    s = str(value)
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_tsv(n: int, seed: int, plan_id: int, out: io.TextIOBase) -> None:
    """Write the rows as PostgreSQL COPY text format."""
    for row in rows(n, seed, plan_id):
        out.write("\t".join(_tsv(v) for v in row) + "\n")


def load(dsn: str, n: int, seed: int) -> dict[str, float]:
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
        t0 = time.perf_counter()
        cols = ", ".join(COLUMNS)
        with conn.cursor() as cur, cur.copy(f"COPY parcels ({cols}) FROM STDIN") as copy:
            buf = io.StringIO()
            for k, row in enumerate(rows(n, seed, plan_id), 1):
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
    args = parser.parse_args()
    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as out:
            write_tsv(args.parcels, args.seed, 1, out)
        return
    if not args.dsn:
        parser.error("give --dsn or --tsv")
    timings = load(args.dsn, args.parcels, args.seed)
    print(json.dumps({"parcels": args.parcels, "seed": args.seed, **timings}))


if __name__ == "__main__":
    main()
