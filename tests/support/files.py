"""The project's files the tests read, and JSON files the tests write."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PARCELS_FILE = ROOT / "data" / "parcels.geojson"
REFERENCE_FILE = ROOT / "data" / "reference.geojson"
GAZETTEER_FILE = ROOT / "data" / "gazetteer.geojson"
NOTICE_FILE = ROOT / "data" / "sources" / "jiaxing-2022-plan-notice.txt"


def write_json(path: Path, data) -> Path:
    """Write ``data`` to ``path`` as UTF-8 JSON, Chinese unescaped; a str is written as it is
    (a broken file). Returns ``path``."""
    path.write_text(
        data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8"
    )
    return path


def read_json(path: Path):
    """A shipped JSON file, decoded."""
    return json.loads(path.read_text(encoding="utf-8"))


def refusal(reader, error: type[Exception], path: Path, data) -> str:
    """The message ``reader`` refuses ``data`` with, once written to ``path``; fails if it reads."""
    with pytest.raises(error) as caught:
        reader(write_json(path, data))
    return str(caught.value)
