"""zhengshou against its ceilings, for the benchmark page.

The look-up against the bare probe (``bench/probe.py``) and tipg, the GeoJSON export against
PostgreSQL's own COPY, and the API worker's memory before and after (``--baseline-root``).
``run.render`` adds what this returns.

Every figure comes from one results file, that is from one run: the servers measured one after
another, the same URLs in the same order.
"""

from __future__ import annotations

LOOKUP_TARGET_X_TIPG = 8
"""Point look-up at 8 clients: at least this many times tipg's requests per second."""
P99_WITHIN_X_PROBE = 2
"""Point look-up p99, at 8 and at 32 clients: at most this many times the probe's."""
EXPORT_FLOOR_TARGET = 0.8
"""GeoJSON export: at least this share of the psql COPY floor (on time, same features)."""
SCENARIOS = {
    "lookup_uniform": "uniform points (with misses)",
    "lookup_inside": "points inside parcels",
}
ZS_LOOKUP = "zs /api/v1/lookup"


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


def report(results: dict) -> tuple[list[str], list[tuple[str, str, bool | None]]]:
    """Markdown lines for the page, and (target, figure, met) rows for its targets table."""
    lines: list[str] = []
    targets: list[tuple[str, str, bool | None]] = []
    loads = results.get("load", {})
    clients = results["args"]["clients"]

    def get(scn: str, label: str, srv: str, c: int) -> dict | None:
        return loads.get(f"{scn}|{label}|{srv}|c{c}")

    if get("lookup_uniform", "probe", "probe", clients[0]):
        lines += _lookups(get, clients, targets)
    lines += _memory(results, targets)
    lines += _export(results.get("export") or {}, targets)
    return lines, targets


def _lookups(get, clients: list[int], targets: list) -> list[str]:
    out = [
        "## Point look-up against the bare probe",
        "",
        "`probe` is `bench/probe.py`: a plain ASGI app with one pooled asyncpg connection and one "
        "prepared statement, the FeatureCollection of the parcels holding the point built by "
        "PostGIS (`ST_AsGeoJSON` of each row) and passed through. No nearest-parcel fallback, no "
        "validation, middleware or logging: a ceiling, not a service. `zs1base`, where present, "
        "is the same workload on the checkout given as `--baseline-root` (before this round's "
        "changes).",
        "",
        "| points | clients | server | req/s | p50 ms | p99 ms | KB | x tipg req/s | "
        "p99 / probe p99 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for scn, words in SCENARIOS.items():
        for c in clients:
            tipg = get(scn, "tipg", "tipg", c)
            probe = get(scn, "probe", "probe", c)
            rows = [("probe", probe), ("tipg", tipg)]
            rows += [(s, get(scn, ZS_LOOKUP, s, c)) for s in ("zs1", "zs2", "zs1base")]
            for srv, r in rows:
                if not r:
                    continue
                x_tipg = _ratio(r["req_s"], tipg and tipg["req_s"])
                x_probe = _ratio(r["p99_ms"], probe and probe["p99_ms"])
                out.append(
                    f"| {words} | {c} | {srv} | {r['req_s']} | {r['p50_ms']} | {r['p99_ms']} | "
                    f"{r['mean_kb']} | {x_tipg} | {x_probe} |"
                )
            zs = get(scn, ZS_LOOKUP, "zs1", c)
            if zs and tipg and c == clients[0]:
                x = _ratio(zs["req_s"], tipg["req_s"])
                targets.append(
                    (
                        f"point look-up ≥ {LOOKUP_TARGET_X_TIPG}x tipg req/s ({words}, {c} "
                        "clients, 1 worker)",
                        f"{x}x ({zs['req_s']} vs {tipg['req_s']} req/s; probe "
                        f"{_ratio(probe and probe['req_s'], tipg['req_s'])}x)",
                        x is not None and x >= LOOKUP_TARGET_X_TIPG,
                    )
                )
            if zs and probe:
                x = _ratio(zs["p99_ms"], probe["p99_ms"])
                targets.append(
                    (
                        f"look-up p99 ≤ {P99_WITHIN_X_PROBE}x the probe's ({words}, {c} clients)",
                        f"{x}x ({zs['p99_ms']} vs {probe['p99_ms']} ms)",
                        x is not None and x <= P99_WITHIN_X_PROBE and zs["errors"] == 0,
                    )
                )
    return [*out, ""]


def _memory(results: dict, targets: list) -> list[str]:
    rss = results.get("rss") or {}
    loads = results.get("load", {})
    rows = []
    for srv in ("zs1base", "zs1", "zs2"):
        if srv not in rss:
            continue
        peaks = [
            (r.get("rss_peak_process_mb"), r.get("rss_peak_mb"))
            for k, r in loads.items()
            if k.startswith("lookup") and k.split("|")[2] == srv
        ]
        process = max((p for p, _ in peaks if p), default=None)
        summed = max((s for _, s in peaks if s), default=None)
        rows.append((srv, rss[srv].get("rss_idle_mb"), process, summed))
    if not rows and not results.get("worker_memory"):
        return []
    out = [
        "## API worker memory",
        "",
        "Resident memory (VmRSS) of the server's processes: at start (after `/healthz`), and the "
        "peak under the look-up loads. `zs1base`, where present, runs the `--baseline-root` "
        "checkout, whose workers import pandas, geopandas, pyarrow and folium at start.",
        "",
        "| server | at start MB (all processes) | look-up peak, largest process MB | "
        "look-up peak, all processes MB |",
        "|---|---|---|---|",
    ]
    out += [f"| {srv} | {idle} | {process} | {summed} |" for srv, idle, process, summed in rows]
    out += _start_up(results.get("worker_memory") or {}, targets)
    base = next((r for r in rows if r[0] == "zs1base"), None)
    now = next((r for r in rows if r[0] == "zs1"), None)
    if base and now and base[1] and now[1]:
        targets.append(
            (
                "lean worker: less memory at start than before (1 worker)",
                f"{now[1]} MB against {base[1]} MB",
                now[1] < base[1],
            )
        )
    return [*out, ""]


def _export(ex: dict, targets: list) -> list[str]:
    zs, floor = ex.get("zs /api/v1/export") or {}, ex.get("psql COPY floor") or {}
    if "seconds" not in zs or "seconds" not in floor:
        return []
    on_time = _ratio(floor["seconds"], zs["seconds"])
    targets.append(
        (
            f"export ≥ {EXPORT_FLOOR_TARGET}x the psql COPY floor (its seconds / ours, same "
            "features)",
            f"{on_time}x ({zs['seconds']} vs {floor['seconds']} s; MB/s "
            f"{_ratio(zs['mb_s'], floor['mb_s'])}x)",
            on_time is not None and on_time >= EXPORT_FLOOR_TARGET,
        )
    )
    base = ex.get("zs1base /api/v1/export") or {}
    own = ex.get("psql COPY of the export's own Feature text") or {}
    before = ""
    if "seconds" in own:
        before += (
            f" `psql` streaming zhengshou's own Feature text the same way (in any order) took "
            f"{own['seconds']} s: against that, the export runs at "
            f"{_ratio(own['seconds'], zs['seconds'])}x."
        )
    if "seconds" in base:
        before += (
            f" The `--baseline-root` checkout took {base['seconds']} s (first byte "
            f"{base['ttfb_s']} s): {_ratio(floor['seconds'], base['seconds'])}x the floor."
        )
    return [
        "## GeoJSON export against PostgreSQL's COPY",
        "",
        f"zhengshou's export took {zs['seconds']} s (first byte {zs['ttfb_s']} s, server memory "
        f"+{zs.get('rss_growth_max_mb')} MB) for {zs['mb']} MB; `psql` streaming one "
        f"`ST_AsGeoJSON` per row with `COPY` took {floor['seconds']} s for {floor['mb']} MB. "
        f"On time for the same features that is {on_time}x the floor; on MB/s "
        f"{_ratio(zs['mb_s'], floor['mb_s'])}x, since the floor writes every column of the table "
        "and zhengshou writes its own properties (fewer bytes)." + before,
        "",
    ]


def _start_up(figures: dict[str, float], targets: list) -> list[str]:
    # bench/worker_memory.py: the app built in a fresh interpreter, lean and as before.
    if len(figures) != 2:
        return []
    (lean_name, lean), (before_name, before) = figures.items()
    targets.append(
        (
            "lean worker: less memory at start than with the heavy libraries imported",
            f"{lean} MB against {before} MB",
            lean < before,
        )
    )
    return [
        "",
        "`bench/worker_memory.py` builds the app in a fresh interpreter as uvicorn's factory "
        "does, once as this checkout starts (lean) and once also importing pandas, geopandas, "
        "pyarrow and folium, as round one's workers did at start (median of 3, VmRSS):",
        "",
        "| worker | at start MB |",
        "|---|---|",
        f"| {lean_name} | {lean} |",
        f"| {before_name} | {before} |",
        "",
        f"The lean worker saves {round(before - lean, 1)} MB per process at start; a request "
        "for a file export, an import or the shareable map loads what it needs then.",
    ]
