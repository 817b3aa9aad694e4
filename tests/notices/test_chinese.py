"""Normalisation for derived fields: Simplified, half-width, spaces collapsed."""

import pytest

from geo.chinese import fold, normalise, simplified


def wide(ascii_text: str) -> str:
    """The full-width form of ASCII text, as notices typed on a Chinese keyboard have it."""
    return "".join(chr(ord(char) + 0xFEE0) for char in ascii_text)


@pytest.mark.parametrize(
    ("published", "normalised"),
    [
        ("東至規劃路", "东至规划路"),
        ("面積3.2公頃", "面积3.2公顷"),
        (wide("12.5"), "12.5"),
        (wide("53999") + "平方米（合" + wide("80.9985") + "畝）", "53999平方米(合80.9985亩)"),
        ("東至：國道，南至：河道；西至村道", "东至:国道,南至:河道;西至村道"),
        ("城西村、城北村", "城西村、城北村"),  # the enumeration comma carries meaning: kept
        ("根据《土地管理法》。", "根据《土地管理法》。"),
        ("浙政土〔2024〕12号", "浙政土〔2024〕12号"),
        ("53999㎡", "53999㎡"),  # NFKC would make "m2", which reads as a number
        ("　　東至　村道 \t南至\n河道 ", "东至 村道 南至 河道"),
        ("徵收土地預公告", "征收土地预公告"),
        ("臺州市", "台州市"),
        (wide("ABC") + "地块", "ABC地块"),
        ("城东片区1号地块", "城东片区1号地块"),  # Simplified text passes through
    ],
)
def test_normalise(published: str, normalised: str) -> None:
    assert normalise(published) == normalised


def test_simplified_changes_only_the_characters() -> None:
    assert simplified("東至（規劃路）　" + wide("12")) == "东至（规划路）　" + wide("12")


@pytest.mark.parametrize(
    ("verbatim", "folded"),
    [
        pytest.param(
            "徵收範圍：東至縣道，北至鄉村道路", "征收范围:东至县道,北至乡村道路", id="traditional"
        ),
        pytest.param("用地面積（畝）\uff11\uff12\uff0e\uff15", "用地面积(亩)12.5", id="full-width"),
        pytest.param("东至水系，南至城北路", "东至水系,南至城北路", id="simplified-unchanged"),
    ],
)
def test_fold_keeps_every_position(verbatim, folded):
    assert fold(verbatim) == folded
    assert len(fold(verbatim)) == len(verbatim)  # a match in the fold quotes the verbatim text
