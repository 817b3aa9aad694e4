"""Small views of a NoticeDocument that make expectations short to write."""

from geo.notices.document import NoticeDocument, Paragraph, Table


def texts(table: Table) -> list[list[str]]:
    """The table's cell texts, row by row."""
    return [[cell.text for cell in row] for row in table.rows]


def merged(table: Table) -> dict[str, str]:
    """Every spread position's ``where`` and the ``where`` of the cell it repeats."""
    return {cell.where: cell.merged_from for row in table.rows for cell in row if cell.merged_from}


def outline(document: NoticeDocument) -> list[str]:
    """The blocks in order: a paragraph's text, or "[table <where>]"."""
    return [
        block.text if isinstance(block, Paragraph) else f"[table {block.where}]"
        for block in document.blocks
    ]


def notice_merges(prefix: str, merged_down: tuple[int, ...] = (2, 6)) -> dict[str, str]:
    """The merges of the sample notices: the given columns merged from row 2 into row 3 (所属板块,
    实施单位), and the 合计 in row 4 merged across columns 1 to 4."""
    down = {f"{prefix} 第3行 第{c}列": f"{prefix} 第2行 第{c}列" for c in merged_down}
    across = {f"{prefix} 第4行 第{c}列": f"{prefix} 第4行 第1列" for c in (2, 3, 4)}
    return down | across
