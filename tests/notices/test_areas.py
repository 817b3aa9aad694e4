from decimal import Decimal

import pytest

from geo.chinese import fold
from geo.notices.areas import combine_areas, header_unit, parse_area


def wide(text: str) -> str:
    """The text with full-width digits, full stops and commas, as some notices print them."""
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789.,"})


@pytest.mark.parametrize(
    ("text", "unit", "value", "unit_text", "mu", "m2"),
    [
        ("42.84", "亩", "42.84", "", "42.84", None),
        ("12.5亩", None, "12.5", "亩", "12.5", None),
        ("1.2公顷", None, "1.2", "公顷", "18", "12000"),
        ("1.2公頃", None, "1.2", "公頃", "18", "12000"),
        ("8000平方米", None, "8000", "平方米", "12", "8000"),
        ("3000㎡", None, "3000", "㎡", "4.5", "3000"),
        ("3000m²", None, "3000", "m²", "4.5", "3000"),
        ("3000m2", None, "3000", "m2", "4.5", "3000"),
        ("3000平米", None, "3000", "平米", "4.5", "3000"),
        ("1.5万平方米", None, "1.5", "万平方米", "22.5", "15000"),
        (wide("12.5"), "亩", wide("12.5"), "", "12.5", None),
        (wide("1,234.5平方米"), None, wide("1,234.5"), "平方米", "1.85175", "1234.5"),
        ("1,234.5", "平方米", "1,234.5", "", "1.85175", "1234.5"),
        (wide("12.5畝"), None, wide("12.5"), "畝", "12.5", None),
    ],
)
def test_area_as_published(text, unit, value, unit_text, mu, m2):
    area = parse_area(text, unit)
    assert (area.value, area.unit_text, area.warnings) == (value, unit_text, ())
    assert area.mu == Decimal(mu)
    if m2 is not None:
        assert area.m2 == Decimal(m2)
    assert area.unit_from_header == (unit is not None)


def test_one_mu_is_ten_thousand_fifteenths_of_a_square_metre_exactly():
    area = parse_area("1亩")
    assert area.m2 * 15 == Decimal(10000)  # 666.666…7 times 15, at 28 digits
    assert parse_area("15亩").m2 == Decimal(10000)


@pytest.mark.parametrize("text", ["约12.5亩", "大约12.5亩", "约为12.5亩", "約12.5亩"])
def test_about(text):
    area = parse_area(text)
    assert area.about and area.mu == Decimal("12.5") and not area.warnings


def test_two_figures_that_agree_are_both_kept():
    area = parse_area("53999平方米(合80.9985亩)")
    assert [(f.value, f.unit) for f in area.figures] == [("53999", "平方米"), ("80.9985", "亩")]
    assert area.m2 == Decimal(53999) and not area.warnings
    rounded = parse_area("12.5亩（约8333平方米）")
    assert rounded.figures[1].about and not rounded.warnings


def test_two_figures_that_disagree_beyond_rounding_warn():
    area = parse_area("12.5亩（约8000平方米）")
    assert area.mu == Decimal("12.5")
    assert "disagree" in area.warnings[0]


def test_tolerance_is_the_rounding_of_the_printed_digits():
    # 12.5亩 stands for 12.45 to 12.55亩: ±33.3 m², plus 0.5 m² for 8300平方米.
    assert not parse_area("12.5亩（8300平方米）").warnings
    assert parse_area("12.5亩（8299平方米）").warnings
    # More decimals, less slack: 12.50亩 is ±3.33 m².
    assert parse_area("12.50亩（8300平方米）").warnings


@pytest.mark.parametrize("text", ["见附图", "-5", "12,5亩", "约", "一二三亩"])
def test_nonsense_is_refused_with_a_warning(text):
    area = parse_area(text)
    assert area.figures == () and area.mu is None
    assert "not an area" in area.warnings[0]


def test_empty_missing_unit_and_zero_warn():
    assert parse_area(" ").warnings == ("no area given",)
    assert "no unit" in parse_area("42.84").warnings[0]
    assert "not a positive area" in parse_area("0亩").warnings[0]


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("面积（亩）", "亩"),
        ("用地面积(公顷)", "公顷"),
        ("征收面积/平方米", "平方米"),
        ("面積（公頃）", "公顷"),
        ("面积（㎡）", "平方米"),
        ("面积（万平方米）", "万平方米"),
        ("面积", None),
    ],
)
def test_unit_from_the_column_header(header, unit):
    assert header_unit(header) == unit


def test_two_columns_make_one_area_with_two_figures():
    area = combine_areas(parse_area("12.5", "亩"), parse_area("8000", "平方米"))
    assert len(area.figures) == 2 and "disagree" in area.warnings[0]


def test_fold_keeps_length_so_matches_point_at_the_verbatim_text():
    text = wide("面積（公頃）：12.5,東至河")
    assert len(fold(text)) == len(text)
    assert fold(text) == "面积(公顷):12.5,东至河"
