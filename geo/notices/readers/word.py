"""Word notices (.docx): paragraphs and tables in body order, merged cells spread."""

import io

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from geo.notices.document import Block, NoticeDocument, Paragraph, Table
from geo.notices.readers.common import Origin, cell_where, spread, tidy


class _Reader:
    """Walks a document body, numbering paragraphs ("第3段") and tables ("表2") as it goes."""

    def __init__(self, document: docx.document.Document) -> None:
        self.document = document
        self.blocks: list[Block] = []
        self.paragraphs = 0
        self.tables = 0

    def body(self, element: etree._Element) -> None:
        for child in element.iterchildren():
            if child.tag == qn("w:p"):
                self.paragraph(child)
            elif child.tag == qn("w:tbl"):
                self.table(child)
            elif child.tag in (qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")):
                self.body(child)

    def text(self, p: etree._Element) -> str:
        return DocxParagraph(p, self.document).text

    def paragraph(self, p: etree._Element) -> None:
        lines = [line.rstrip() for line in self.text(p).split("\n") if line.strip()]
        if not lines:
            return
        self.paragraphs += 1
        for line in lines:
            self.blocks.append(Paragraph(line, f"第{self.paragraphs}段"))

    def table(self, tbl: etree._Element) -> None:
        self.tables += 1
        prefix = f"表{self.tables}"
        origins: dict[tuple[int, int], Origin] = {}
        covered: dict[tuple[int, int], tuple[int, int]] = {}
        nested: list[etree._Element] = []
        for r, tr in enumerate(tbl.iterchildren(qn("w:tr"))):
            c = _grid_before(tr)
            for tc in tr.iterchildren(qn("w:tc")):
                span = max(tc.grid_span, 1)
                above = covered.get((r - 1, c))
                if tc.vMerge == "continue" and above is not None:
                    origins[above].rowspan = r - above[0] + 1
                    key = above
                else:
                    paragraphs = tc.iterchildren(qn("w:p"))
                    text = tidy("\n".join(self.text(p) for p in paragraphs))
                    origins[(r, c)] = Origin(text, 1, span)
                    key = (r, c)
                for dc in range(span):
                    covered[(r, c + dc)] = key
                nested.extend(tc.iterchildren(qn("w:tbl")))
                c += span
        table = spread(origins, lambda row, col: cell_where(prefix, row, col), prefix)
        self.blocks.append(table)
        for inner in nested:
            self.table(inner)


def _grid_before(tr: etree._Element) -> int:
    found = tr.xpath("./w:trPr/w:gridBefore/@w:val")
    return int(found[0]) if found and str(found[0]).isdigit() else 0


def read_docx(data: bytes, filename: str) -> NoticeDocument:
    """Paragraphs and tables in the order of the body.

    Paragraphs are "第3段" (a line break inside one gives several paragraphs with that place);
    tables "表1", their cells "表1 第4行 第3列".

    A horizontal merge (``gridSpan``) and a vertical one (``vMerge``) spread the origin's text
    over every covered position with ``merged_from``. A table nested in a cell follows its outer
    table as a table of its own. Headers, footers and text boxes are not read.
    """
    document = docx.Document(io.BytesIO(data))
    reader = _Reader(document)
    reader.body(document.element.body)
    blocks = tuple(b for b in reader.blocks if not isinstance(b, Table) or b.rows)
    return NoticeDocument(source=filename, format="docx", blocks=blocks)
