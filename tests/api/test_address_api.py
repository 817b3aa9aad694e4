import io

import pandas as pd
import pytest

from geo.addresses.batch import MAX_ROWS
from tests.support.errors import assert_error


def test_address_lookup(client):
    body = client.get("/api/v1/lookup", params={"address": "嘉兴市南湖区城北路592号"}).json()
    assert body["address"]["road"] == "城北路" and body["address"]["house_number"] == 592
    assert body["quality"] == "exact" and body["inside"] is True
    assert body["parcels"][0]["properties"]["name"] == "4号地块"
    assert body["geocoder"] == "local"


def test_road_only_address_does_not_claim_inside_or_outside(client):
    body = client.get("/api/v1/lookup", params={"address": "少年路"}).json()
    assert body["quality"] == "road" and body["inside"] is None and body["nearest"] is None
    assert {p["id"] for p in body["nearby"]["parcels"]} >= {"JX2022-09"}


@pytest.mark.parametrize(
    ("params", "code", "words"),
    [
        ({"address": ""}, "invalid_address", ("empty",)),
        ({"address": "   "}, "invalid_address", ("empty",)),
        ({"address": "!!!"}, "invalid_address", ("not an address",)),
        ({"address": "路" * 201}, "invalid_request", ("'address'", "200")),
        ({"address": "城北路592号", "lon": 120.7, "lat": 30.7}, "invalid_input", ("not both",)),
    ],
)
def test_bad_addresses(client, params, code, words):
    assert_error(client.get("/api/v1/lookup", params=params), 400, code, *words)


def csv_upload(rows: list[str], name: str = "addresses.csv") -> dict:
    text = "地址,编号\n" + "".join(f"{row},{i}\n" for i, row in enumerate(rows))
    return {"file": (name, text.encode("utf-8-sig"), "text/csv")}


def test_batch_csv_keeps_rows_and_explains_failures(client):
    rows = ["城北路592号", "嘉兴市环城西路23号一楼及仓库", "", "杭州市文三路1号", "城北路"]
    response = client.post("/api/v1/lookup/batch", files=csv_upload(rows))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # Excel reads the BOM as UTF-8
    table = pd.read_csv(
        io.BytesIO(response.content), dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    assert list(table["编号"]) == ["0", "1", "2", "3", "4"]
    assert list(table["quality"]) == ["exact", "exact", "none", "none", "road"]
    assert list(table["parcel_id"][:2]) == ["JX2022-06", "JX2022-10"]
    assert table["block"][0] == "城北板块" and table["implementing_unit"][0].endswith("有限公司")
    assert "empty" in table["message"][2] and "杭州市 is outside" in table["message"][3]
    assert table["inside"][4] == "" and "JX2022-05" in table["message"][4]


def test_batch_xlsx_round_trip(client):
    frame = pd.DataFrame({"address": ["大新弄17号", "城北路592号"]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    files = {"file": ("addresses.xlsx", buffer.getvalue(), "application/octet-stream")}
    response = client.post("/api/v1/lookup/batch", files=files)
    assert response.status_code == 200
    table = pd.read_excel(io.BytesIO(response.content), dtype=str)
    assert list(table["parcel_id"]) == ["JX2022-02", "JX2022-06"]


@pytest.mark.parametrize(
    ("files", "words"),
    [
        (csv_upload(["城北路592号"], name="addresses.txt"), ("Upload a .csv or .xlsx",)),
        (csv_upload(["城北路592号"] * (MAX_ROWS + 1)), (f"the limit is {MAX_ROWS}",)),
        (
            {"file": ("a.xlsx", b"not a spreadsheet", "application/octet-stream")},
            ("cannot be read",),
        ),
        ({"file": ("a.csv", "地址\n城北路".encode("gbk"), "text/csv")}, ("not UTF-8",)),
    ],
)
def test_bad_batch_uploads(client, files, words):
    assert_error(client.post("/api/v1/lookup/batch", files=files), 400, "invalid_input", *words)


def test_batch_without_a_file(client):
    assert_error(client.post("/api/v1/lookup/batch"), 400, "invalid_request", "'file'")
