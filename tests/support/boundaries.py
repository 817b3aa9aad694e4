"""Shared expectations for the 四至 parser's tests."""

# The reading of the four-side text every variant of the parser's tests is written around:
# 东至A路，南至B河，西至C小区，北至D街, as side -> [(name, kind)].
FOUR = {"east": [("A路", "road")], "south": [("B河", "water")]}
FOUR |= {"west": [("C小区", "estate")], "north": [("D街", "road")]}
