"""A bounded HTTP load generator for loopback servers (asyncio, HTTP/1.1 keep-alive).

It sends at most ``--requests`` requests and runs at most ``--seconds`` seconds, from
``--concurrency`` clients, to URLs on 127.0.0.1 / localhost only, then stops by itself and
prints req/s, p50/p90/p99/max latency, errors and bytes as JSON. URLs are taken in turn from
the list (the runner draws them with a fixed seed), so every server gets the same requests in
the same order.

The client is a minimal HTTP/1.1 reader on asyncio streams rather than httpx: on a 2-core
machine the client shares the CPU with the server under test, and a lighter client takes less
of it. It reads Content-Length and chunked bodies in full, so a response is timed to its last
byte.

    .venv/bin/python bench/load.py --concurrency 8 --requests 2000 --seconds 20 \
        'http://127.0.0.1:8000/api/v1/lookup?lon=120.75&lat=30.76'
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Result:
    """What one load run measured."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    bytes: int = 0
    elapsed: float = 0.0

    def summary(self) -> dict[str, object]:
        """JSON-ready figures: req/s over the whole run, latency percentiles in ms."""
        lat = sorted(self.latencies)

        def pct(p: float) -> float | None:
            if not lat:
                return None
            return round(lat[min(len(lat) - 1, int(p / 100 * len(lat)))] * 1000, 2)

        done = len(lat)
        return {
            "requests": done,
            "seconds": round(self.elapsed, 2),
            "req_s": round(done / self.elapsed, 1) if self.elapsed else None,
            "p50_ms": pct(50),
            "p90_ms": pct(90),
            "p99_ms": pct(99),
            "max_ms": round(lat[-1] * 1000, 2) if lat else None,
            "errors": self.errors,
            "non_2xx": sum(n for s, n in self.statuses.items() if not 200 <= s < 300),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "mean_kb": round(self.bytes / done / 1024, 1) if done else None,
            "error_samples": self.error_samples[:3],
        }


def check_loopback(urls: list[str]) -> tuple[str, int]:
    """Refuse any URL that is not http on loopback; all URLs must share host and port."""
    targets = set()
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname not in LOOPBACK:
            raise SystemExit(f"refusing non-loopback URL: {url}")
        targets.add((parts.hostname, parts.port or 80))
    if len(targets) != 1:
        raise SystemExit(f"all URLs must go to one server, got {sorted(targets)}")
    return targets.pop()


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> int:
    if "content-length" in headers:
        n = int(headers["content-length"])
        await reader.readexactly(n)
        return n
    if headers.get("transfer-encoding", "").lower() == "chunked":
        total = 0
        while True:
            size = int((await reader.readline()).split(b";")[0].strip(), 16)
            if size == 0:
                while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                return total
            await reader.readexactly(size + 2)
            total += size
    data = await reader.read()  # read to close
    return len(data)


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, target: str
) -> tuple[int, int, bool]:
    writer.write(
        f"GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: zhengshou-bench\r\n"
        "Accept: */*\r\nAccept-Encoding: identity\r\n\r\n".encode()
    )
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        key, _, value = line.decode("latin-1").partition(":")
        headers[key.strip().lower()] = value.strip()
    size = 0 if status in (204, 304) else await _read_body(reader, headers)
    keep = headers.get("connection", "").lower() != "close"
    return status, size, keep


async def run_load(
    urls: list[str], concurrency: int, max_requests: int, max_seconds: float
) -> Result:
    """Send up to max_requests GETs, cycling through urls, for at most max_seconds."""
    host, port = check_loopback(urls)
    targets = []
    for url in urls:
        parts = urlsplit(url)
        targets.append(parts.path + ("?" + parts.query if parts.query else ""))
    result = Result()
    counter = iter(range(max_requests))
    start = time.perf_counter()
    deadline = start + max_seconds

    async def client() -> None:
        reader = writer = None
        for i in counter:
            if time.perf_counter() >= deadline:
                break
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            t0 = time.perf_counter()
            try:
                remaining = max(0.1, deadline - t0 + 30)
                status, size, keep = await asyncio.wait_for(
                    _request(reader, writer, host, targets[i % len(targets)]), remaining
                )
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                result.errors += 1
                if len(result.error_samples) < 3:
                    result.error_samples.append(repr(exc))
                writer.close()
                reader = writer = None
                continue
            result.latencies.append(time.perf_counter() - t0)
            result.statuses[status] = result.statuses.get(status, 0) + 1
            result.bytes += size
            if not keep:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(client() for _ in range(concurrency)))
    result.elapsed = time.perf_counter() - start
    return result


def load(urls: list[str], concurrency: int, max_requests: int, max_seconds: float) -> dict:
    """Synchronous wrapper: the summary of one bounded run."""
    return asyncio.run(run_load(urls, concurrency, max_requests, max_seconds)).summary()


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", nargs="*")
    parser.add_argument("--urls-file", help="one URL a line")
    parser.add_argument("--concurrency", "-c", type=int, default=8)
    parser.add_argument("--requests", "-n", type=int, default=2000)
    parser.add_argument("--seconds", "-t", type=float, default=20.0)
    args = parser.parse_args()
    urls = list(args.urls)
    if args.urls_file:
        with open(args.urls_file, encoding="utf-8") as f:
            urls += [line.strip() for line in f if line.strip()]
    if not urls:
        parser.error("give URLs or --urls-file")
    print(json.dumps(load(urls, args.concurrency, args.requests, args.seconds)))


if __name__ == "__main__":
    main()
