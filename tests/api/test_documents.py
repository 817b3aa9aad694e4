"""PDF documents attached to parcels: upload, list, download, search, history."""

import pytest

from geo.tokens import create_token
from tests.support.errors import assert_error

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def editor(session):
    return {"Authorization": f"Bearer {create_token(session, '档案员', 'editor')}"}


def attach(
    client, headers, data=PDF, name="批复.pdf", title="征收决定批复扫描件", parcel="JX2022-09"
):
    files = {"file": (name, data, "application/pdf")}
    return client.post(
        f"/api/v1/parcels/{parcel}/documents",
        headers=headers,
        files=files,
        data={"title": title, "reason": "归档"},
    )


def test_attach_list_download_and_search(client, editor):
    created = attach(client, editor)
    assert created.status_code == 201, created.text
    meta = created.json()
    assert (meta["title"], meta["size"], meta["content_type"]) == (
        "征收决定批复扫描件",
        len(PDF),
        "application/pdf",
    )
    listed = client.get("/api/v1/parcels/JX2022-09/documents").json()["documents"]
    assert [d["id"] for d in listed] == [meta["id"]]
    download = client.get(meta["url"])
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''" in download.headers["content-disposition"]
    found = client.get("/api/v1/parcels", params={"q": "批复扫描"}).json()["features"]
    assert [f["id"] for f in found] == ["JX2022-09"]
    history = client.get("/api/v1/parcels/JX2022-09/history").json()["changes"]
    assert history[-1]["action"] == "attach" and history[-1]["new"]["document"]["id"] == meta["id"]


def test_approval_reference_is_searchable(client, editor):
    etag = client.get("/api/v1/parcels/JX2022-08").headers["etag"]
    body = {"properties": {"approval_reference": "嘉政征字第8号"}, "reason": "补录"}
    assert (
        client.patch(
            "/api/v1/parcels/JX2022-08", json=body, headers=editor | {"If-Match": etag}
        ).status_code
        == 200
    )
    found = client.get("/api/v1/parcels", params={"q": "嘉政征字"}).json()["features"]
    assert [f["id"] for f in found] == ["JX2022-08"]


def test_refusals(client, editor):
    assert_error(attach(client, editor, data=b"GIF89a..."), 415, "not_a_pdf")
    assert_error(attach(client, editor, parcel="NOPE"), 404, "parcel_not_found")
    assert_error(attach(client, {}), 401, "not_authenticated")
    assert_error(client.get("/api/v1/documents/999999"), 404, "document_not_found")
    assert client.get("/api/v1/parcels/JX2022-01/documents").json()["documents"] == []
