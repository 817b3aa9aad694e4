"""Answers in the language asked for: the API by Accept-Language, the CLI by --lang or LANG."""

import re

import pytest
from fastapi import Depends, FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.testclient import TestClient

from api.errors import add_error_handlers
from api.middleware import RequestContext
from geo.errors import InvalidInput
from geo.messages import current_language, language_from_accept, language_from_environment, message
from tests.support.cli import run

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
EN = {"Accept-Language": "en"}


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("zh-CN", "zh"),
        ("zh-TW,zh;q=0.9", "zh"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
        ("en;q=0.5, zh", "zh"),
        ("fr-FR, fr;q=0.9", "en"),
        ("*", "en"),
        ("", "en"),
        (None, "en"),
        ("zh;q=abc, en", "en"),
    ],
)
def test_the_language_an_accept_language_header_asks_for(header, language) -> None:
    assert language_from_accept(header) == language


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
        ({}, "en"),
    ],
)
def test_the_language_a_shell_asks_for(environment, language) -> None:
    assert language_from_environment(environment) == language


def test_an_error_has_the_same_code_in_both_languages(client) -> None:
    chinese = client.get("/api/v1/parcels/NO-SUCH-PARCEL", headers=ZH)
    english = client.get("/api/v1/parcels/NO-SUCH-PARCEL", headers=EN)
    unasked = client.get("/api/v1/parcels/NO-SUCH-PARCEL")
    assert chinese.status_code == english.status_code == unasked.status_code == 404
    assert chinese.json()["error"]["code"] == english.json()["error"]["code"] == "parcel_not_found"
    assert chinese.json()["error"]["message"] == message(
        "parcels.not_found_ever", "zh", parcel_id="NO-SUCH-PARCEL"
    )
    assert english.json()["error"]["message"] == (
        "No parcel has the id 'NO-SUCH-PARCEL', now or in its history."
    )
    assert unasked.json() == english.json()
    assert chinese.headers["Content-Language"] == "zh"
    assert english.headers["Content-Language"] == unasked.headers["Content-Language"] == "en"
    assert "Accept-Language" in chinese.headers["Vary"]


def test_an_answer_that_is_no_error_says_its_language_too(client) -> None:
    answer = client.get("/api/v1/plans", headers=ZH)
    assert answer.status_code == 200
    assert answer.headers["Content-Language"] == "zh"
    assert "Accept-Language" in answer.headers["Vary"]


def test_a_request_that_does_not_validate_is_summed_up_in_the_language(client) -> None:
    chinese = client.get("/api/v1/lookup", params={"lon": "east", "lat": "30.7"}, headers=ZH)
    english = client.get("/api/v1/lookup", params={"lon": "east", "lat": "30.7"}, headers=EN)
    assert chinese.json()["error"]["code"] == english.json()["error"]["code"] == "invalid_request"
    assert (
        chinese.json()["error"]["message"]
        == "查询参数“lon”：应为数字，无法把文本读成数字（收到 'east'）。"
    )
    assert english.json()["error"]["message"] == (
        "Query parameter 'lon': Input should be a valid number, unable to parse string as a "
        "number (got 'east')."
    )


def test_an_address_look_up_answers_in_the_language(client) -> None:
    """The async route geocodes in the thread pool; the language goes along."""
    address = {"address": "上海市浦东新区世纪大道100号"}
    chinese = client.get("/api/v1/lookup", params=address, headers=ZH).json()
    english = client.get("/api/v1/lookup", params=address, headers=EN).json()
    assert chinese["quality"] == english["quality"] == "none"
    assert chinese["message"] == "上海市不在本服务覆盖的范围内（嘉兴市）。"
    assert english["message"] == "上海市 is outside the area this service covers (嘉兴市)."


def test_a_refused_address_answers_in_the_language(client) -> None:
    chinese = client.get("/api/v1/lookup", params={"address": "xyz"}, headers=ZH).json()
    english = client.get("/api/v1/lookup", params={"address": "xyz"}, headers=EN).json()
    assert chinese["error"]["code"] == english["error"]["code"] == "invalid_address"
    assert chinese["error"]["message"] == "'xyz' 不是地址：其中既没有汉字，也没有数字。"
    assert english["error"]["message"] == (
        "'xyz' is not an address: it has no Chinese characters and no digits."
    )


def test_check_reasons_come_in_both_languages_and_the_method_in_the_asked_one(client) -> None:
    audits = client.get("/api/v1/checks", headers=EN).json()
    sides = [side for audit in audits["parcels"] for side in audit["sides"]]
    assert sides
    words = {"east": "东", "south": "南", "west": "西", "north": "北"}
    for side in sides:
        assert side["en"].startswith(f"{side['side']} side: {side['name']}")
        assert side["zh"].startswith(f"{words[side['side']]}至{side['name']}：")
    reasons = [reason for audit in audits["parcels"] for reason in audit["reasons"]]
    assert reasons and all(CHINESE.search(reason["zh"]) for reason in reasons)
    chinese = client.get("/api/v1/checks/area", headers=ZH).json()
    english = client.get("/api/v1/checks/area", headers=EN).json()
    assert chinese["method"] == message("checks.area_method", "zh")
    assert english["method"].startswith("Planar area on the parcel's own CGCS2000")
    assert chinese["parcels"] == english["parcels"]


def test_sync_routes_and_dependencies_in_the_thread_pool_get_the_language() -> None:
    """Starlette runs sync routes and dependencies in worker threads: the context goes along."""
    app = FastAPI()

    def language_of_dependency() -> str:
        return current_language()

    @app.get("/sync")
    def sync_route(dependency: str = Depends(language_of_dependency)) -> dict:
        return {"route": current_language(), "dependency": dependency}

    @app.get("/pool")
    async def pooled() -> dict:
        return {"pool": await run_in_threadpool(current_language)}

    @app.get("/refuse")
    def refuse() -> None:
        raise InvalidInput(message("tokens.name_needed"))

    add_error_handlers(app)
    app.add_middleware(RequestContext)
    with TestClient(app) as client:
        assert client.get("/sync", headers=ZH).json() == {"route": "zh", "dependency": "zh"}
        assert client.get("/sync", headers=EN).json() == {"route": "en", "dependency": "en"}
        assert client.get("/pool", headers=ZH).json() == {"pool": "zh"}
        refused = client.get("/refuse", headers=ZH)
        assert refused.json()["error"]["message"] == "令牌需要一个名称，写明是谁在用。"
        # One request's language does not leak into the next.
        assert client.get("/sync").json() == {"route": "en", "dependency": "en"}


def test_the_cli_follows_lang_and_the_lang_option(database_url) -> None:
    chinese = run(
        database_url, "lookup", "120.7", "30.7", "--crs", "mars",
        environment={"LANG": "zh_CN.UTF-8"},
    )  # fmt: skip
    assert chinese.returncode == 2
    assert chinese.stderr.startswith("错误：不支持的坐标系 “mars”；请使用以下之一：")
    english = run(
        database_url, "--lang", "en", "lookup", "120.7", "30.7", "--crs", "mars",
        environment={"LANG": "zh_CN.UTF-8"},
    )  # fmt: skip
    assert english.returncode == 2
    assert english.stderr.startswith("error: Unknown crs 'mars'; use one of:")
    forced = run(database_url, "--lang", "zh", "lookup", "120.7", "30.7", "--crs", "mars")
    assert forced.stderr == chinese.stderr


def test_the_cli_prints_check_reasons_in_its_language(database_url) -> None:
    chinese = run(database_url, "--lang", "zh", "check")
    english = run(database_url, "--lang", "en", "check")
    assert chinese.returncode == english.returncode == 0, chinese.stderr
    assert chinese.stdout.splitlines()[0].startswith("编号")
    assert "个通过" in chinese.stdout and " ok, " in english.stdout
    reasons = [
        line.split(maxsplit=1)[1] for line in chinese.stdout.splitlines() if line[:4] == "    "
    ]
    assert reasons and all(CHINESE.search(reason) for reason in reasons)
    english_reasons = [line for line in english.stdout.splitlines() if line[:4] == "    "]
    assert len(english_reasons) == len(reasons)
    assert not any("至" in line and "：" in line for line in english_reasons)
