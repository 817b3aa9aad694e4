"""Block and stage colours: distinct, deterministic, whatever the number of blocks."""

import doctest
import re

import geo.parcels.styles
from geo.messages import LANGUAGES, message
from geo.models import STAGES
from geo.parcels.styles import (
    BLOCK_PALETTE,
    STAGE_COLOURS,
    UNSTATED_BLOCK_COLOUR,
    block_colours,
    generated_colour,
)

HEX = re.compile(r"^#[0-9a-f]{6}$")


def test_the_palette_is_given_in_name_order():
    colours = block_colours(["老城板块", "城北板块", "城东板块"])
    assert list(colours) == sorted(colours)
    assert list(colours.values()) == list(BLOCK_PALETTE[:3])


def test_every_block_has_its_own_colour_beyond_the_palette():
    blocks = [f"板块{n:04d}" for n in range(500)]
    colours = block_colours(blocks)
    assert len(colours) == 500
    assert len(set(colours.values())) == 500
    assert all(HEX.match(colour) for colour in colours.values())
    reserved = {UNSTATED_BLOCK_COLOUR, *STAGE_COLOURS.values()}
    assert not reserved & set(colours.values())


def test_the_same_blocks_get_the_same_colours_in_any_order():
    blocks = [f"板块{n}" for n in range(30)]
    assert block_colours(blocks) == block_colours(reversed(blocks))
    assert block_colours(blocks) == block_colours(blocks + blocks)


def test_a_block_not_stated_is_neutral():
    colours = block_colours(["城北板块", None])
    assert colours[None] == UNSTATED_BLOCK_COLOUR
    assert colours["城北板块"] == BLOCK_PALETTE[0]


def test_generated_colours_are_hex_and_not_grey():
    for n in range(200):
        colour = generated_colour(n)
        assert HEX.match(colour)
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert max(red, green, blue) - min(red, green, blue) > 40, colour


def test_every_stage_has_a_distinct_colour_and_a_name_in_each_language():
    assert set(STAGE_COLOURS) == set(STAGES)
    assert len(set(STAGE_COLOURS.values())) == len(STAGES)
    for stage in STAGES:
        for language in LANGUAGES:
            assert message(f"stage_names.{stage}", language=language)


def test_doctests():
    assert doctest.testmod(geo.parcels.styles).failed == 0
