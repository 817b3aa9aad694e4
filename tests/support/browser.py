"""What the browser tests share: waiting on the page, the map page's phrases, and the parcels'
shapes as the API gives them."""

import time

import httpx

PARCEL_COUNT = 13
# Phrases the look-up card uses for inside / outside (zh); a coarse match must use neither.
SAYS_INSIDE = "该位置在以下地块范围内"
SAYS_OUTSIDE = "该位置不在任何地块范围内"
# A 1x1 transparent PNG, served in place of outside basemap tiles.
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def point_in_ring(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def parcel_polygons(base: str, parcel_id: str) -> list:
    """The parcel's polygons (rings of [lon, lat]) as the API gives them."""
    geometry = httpx.get(f"{base}/api/v1/parcels/{parcel_id}").json()["geometry"]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return [geometry["coordinates"]]


def wait_until(page, expression: str, timeout_s: float = 15) -> None:
    """Poll a JavaScript expression until it is truthy.

    Not `page.wait_for_function`: Playwright compiles its predicate with eval in the page, which
    the service's Content-Security-Policy (no 'unsafe-eval') refuses. `page.evaluate` is not
    subject to the page's policy.
    """
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {expression}")
        page.wait_for_timeout(50)


def write(server, method: str, path: str, token: str, **kwargs) -> httpx.Response:
    """A write through the API of a test server (``server.base``) with a bearer token; it must
    succeed."""
    headers = {"Authorization": f"Bearer {token}"} | kwargs.pop("headers", {})
    response = httpx.request(method, server.base + path, headers=headers, timeout=10, **kwargs)
    assert response.status_code < 300, response.text
    return response


def open_history(popup) -> None:
    """Click a popup's 历史记录 once its documents row has loaded.

    The popup re-renders when its documents arrive; a click pressed on the old button and
    released on the new one is no click at all, so a loaded machine would lose it.
    """
    from playwright.sync_api import expect

    expect(popup).not_to_contain_text("正在加载…")
    popup.get_by_role("button", name="历史记录").click()
