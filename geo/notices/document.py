"""The neutral form of a notice: what every reader produces and every layout reads.

A notice is a sequence of blocks, in reading order: paragraphs (one line of running text each)
and tables (rows of cells, merged cells already spread over every position they cover). Every
piece of text is kept verbatim, typos included; each says where it was found, in words a planner
can look up in the original ("第3页", "表1 第4行 第2列", "第12行"), so that a warning or a field
can point back to its source.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Cell:
    """One table cell's text, verbatim, and where it was found.

    ``merged_from`` names the cell whose text this position repeats, when the source merged
    cells (rowspan/colspan, Word's vertical merge, Excel's merged ranges); readers fill every
    covered position with the merged text so that a layout never sees a hole.
    """

    text: str
    where: str
    merged_from: str | None = None


@dataclass(frozen=True)
class Table:
    """A table: rows of cells, every row as wide as the table."""

    rows: tuple[tuple[Cell, ...], ...]
    where: str

    @property
    def width(self) -> int:
        """The number of columns."""
        return max((len(row) for row in self.rows), default=0)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph or line of running text, verbatim."""

    text: str
    where: str


Block = Paragraph | Table


@dataclass(frozen=True)
class NoticeDocument:
    """A whole notice as read: its blocks in reading order, and what the reader noticed."""

    source: str
    """The file name (or URL) the notice was read from."""
    format: str
    """One of: text, html, docx, pdf, xlsx, csv."""
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = field(default=())

    def paragraphs(self) -> list[Paragraph]:
        """The running text, in order."""
        return [block for block in self.blocks if isinstance(block, Paragraph)]

    def tables(self) -> list[Table]:
        """The tables, in order."""
        return [block for block in self.blocks if isinstance(block, Table)]

    def text(self) -> str:
        """All the running text, one paragraph a line (for the preamble and paragraph layouts)."""
        return "\n".join(paragraph.text for paragraph in self.paragraphs())
