"""A report as a few kinds of blocks (headings, paragraphs, labelled fields, lists, tables), and
the two writers that draw it: PDF with ReportLab, DOCX with python-docx. A report is built once
(:mod:`.progress`, :mod:`.briefing`) and written in either format, so the two say the same.

ReportLab, not WeasyPrint: pure Python wheels, no Pango or Cairo to install from Debian on every
machine. python-docx: the well-kept library for Word files. Both embed nothing fetched at run
time: the PDF's font is DejaVu Sans where Debian's fonts-dejavu-core is installed, else the Vera
font ReportLab ships in its wheel; both draw every letter of Spanish (á, é, ñ, ü, ¿, ¡).
"""

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

#: Control characters no XML file (DOCX, or a PDF's markup) may hold; tab and line feed are kept.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text) -> str:
    """``text`` as a string, without the control characters XML refuses."""
    return CONTROL.sub("", "" if text is None else str(text))


# Blocks ---------------------------------------------------------------------------------------


@dataclass
class Heading:
    text: str
    level: int = 1  # 1, 2 or 3


@dataclass
class Paragraph:
    text: str
    muted: bool = False  # a note, drawn smaller and grey
    link: str = ""  # the address the paragraph's text opens


@dataclass
class Fields:
    """Labelled values, one a line ("Status: Implemented"); empty values are left out."""

    pairs: list[tuple[str, str]]


@dataclass
class Bullets:
    """A list; an entry is a text, or (text, address)."""

    entries: list


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None  # shares of the page's width, one per column


@dataclass
class Document:
    """A report: its title, a few lines under it (what, when, for whom), and its blocks."""

    title: str
    subtitle: list[str] = field(default_factory=list)
    blocks: list = field(default_factory=list)
    language: str = "en"

    def add(self, *blocks) -> None:
        self.blocks.extend(blocks)


def generated_line() -> str:
    """"Generated on 2 December 2026, 08:14" in the reader's language."""
    return _("Generated on %(when)s") % {"when": date_format(timezone.localtime(), "DATETIME_FORMAT")}


# PDF ------------------------------------------------------------------------------------------

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_FONTS: tuple[str, str] | None = None


def _fonts() -> tuple[str, str]:
    """The regular and bold font names, registered with ReportLab once."""
    global _FONTS
    if _FONTS is None:
        import reportlab
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        shipped = Path(reportlab.__file__).parent / "fonts"
        pairs = [(DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"),
                 (shipped / "Vera.ttf", shipped / "VeraBd.ttf")]
        regular, bold = next((r, b) for r, b in pairs if r.is_file() and b.is_file())
        pdfmetrics.registerFont(TTFont("ReportBody", str(regular)))
        pdfmetrics.registerFont(TTFont("ReportBody-Bold", str(bold)))
        pdfmetrics.registerFontFamily("ReportBody", normal="ReportBody", bold="ReportBody-Bold",
                                      italic="ReportBody", boldItalic="ReportBody-Bold")
        _FONTS = ("ReportBody", "ReportBody-Bold")
    return _FONTS


def _markup(text: str) -> str:
    """Plain text as ReportLab's paragraph markup: escaped, line breaks kept."""
    return escape(clean(text)).replace("\n", "<br/>")


def render_pdf(document: Document) -> bytes:
    """The document as an A4 PDF."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import ListFlowable, ListItem, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Paragraph as PdfParagraph
    from reportlab.platypus import Table as PdfTable

    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5, spaceAfter=4)
    muted = ParagraphStyle("muted", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#555555"))
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0)
    head_cell = ParagraphStyle("head-cell", parent=cell, fontName=bold)
    headings = {
        1: ParagraphStyle("h1", parent=body, fontName=bold, fontSize=14, leading=18, spaceBefore=10, spaceAfter=6),
        2: ParagraphStyle("h2", parent=body, fontName=bold, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4),
        3: ParagraphStyle("h3", parent=body, fontName=bold, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2),
    }
    title = ParagraphStyle("title", parent=body, fontName=bold, fontSize=18, leading=23, spaceAfter=6)

    out = io.BytesIO()
    page = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                             bottomMargin=16 * mm, title=document.title, lang=document.language,
                             creator="hrtrack")
    width = page.width
    story = [PdfParagraph(_markup(document.title), title)]
    story += [PdfParagraph(_markup(line), muted) for line in document.subtitle]
    story.append(Spacer(1, 4 * mm))

    def linked(text: str, link: str) -> str:
        return f'<a href="{escape(link)}" color="#0b4f8a">{_markup(text)}</a>' if link else _markup(text)

    for block in document.blocks:
        if isinstance(block, Heading):
            story.append(PdfParagraph(_markup(block.text), headings.get(block.level, headings[3])))
        elif isinstance(block, Paragraph):
            story.append(PdfParagraph(linked(block.text, block.link), muted if block.muted else body))
        elif isinstance(block, Fields):
            for label, value in block.pairs:
                if value not in (None, ""):
                    story.append(PdfParagraph(f"<b>{_markup(label)}:</b> {_markup(value)}", body))
        elif isinstance(block, Bullets):
            items = []
            for entry in block.entries:
                text, link = entry if isinstance(entry, tuple) else (entry, "")
                items.append(ListItem(PdfParagraph(linked(text, link), body), leftIndent=10))
            if items:
                story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=10, bulletFontName=regular))
        elif isinstance(block, Table):
            shares = block.widths or [1 / len(block.header)] * len(block.header)
            total = sum(shares)
            data = [[PdfParagraph(_markup(h), head_cell) for h in block.header]]
            data += [[PdfParagraph(_markup(value), cell) for value in row] for row in block.rows]
            table = PdfTable(data, colWidths=[width * share / total for share in shares], repeatRows=1)
            table.setStyle(TableStyle([
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]))
            story += [table, Spacer(1, 3 * mm)]

    def number_pages(canvas, doc):
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(18 * mm, 9 * mm, document.title[:110])
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm, _("Page %(number)d") % {"number": doc.page})
        canvas.restoreState()

    page.build(story, onFirstPage=number_pages, onLaterPages=number_pages)
    return out.getvalue()


# DOCX -----------------------------------------------------------------------------------------


def render_docx(document: Document) -> bytes:
    """The document as a Word file (DOCX), with Word's own heading and table styles."""
    import docx
    from docx.shared import Pt, RGBColor

    word = docx.Document()
    word.core_properties.title = clean(document.title)[:255]
    word.core_properties.language = document.language
    word.styles["Normal"].font.size = Pt(10)
    word.add_heading(clean(document.title), level=0)
    for line in document.subtitle:
        run = word.add_paragraph().add_run(clean(line))
        run.font.size, run.font.color.rgb = Pt(9), RGBColor(0x55, 0x55, 0x55)

    for block in document.blocks:
        if isinstance(block, Heading):
            word.add_heading(clean(block.text), level=min(max(block.level, 1), 3))
        elif isinstance(block, Paragraph):
            text = f"{block.text} ({block.link})" if block.link and block.link != block.text else block.text
            run = word.add_paragraph().add_run(clean(text))
            if block.muted:
                run.font.size, run.font.color.rgb = Pt(9), RGBColor(0x55, 0x55, 0x55)
        elif isinstance(block, Fields):
            for label, value in block.pairs:
                if value not in (None, ""):
                    paragraph = word.add_paragraph()
                    paragraph.add_run(f"{clean(label)}: ").bold = True
                    paragraph.add_run(clean(value))
        elif isinstance(block, Bullets):
            for entry in block.entries:
                text, link = entry if isinstance(entry, tuple) else (entry, "")
                word.add_paragraph(clean(f"{text} ({link})" if link and link != text else text), style="List Bullet")
        elif isinstance(block, Table):
            table = word.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(clean(text)).bold = True
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = clean(text)
            word.add_paragraph()
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def write_document(document: Document, fmt: str) -> bytes:
    """The document as ``pdf`` or ``docx``."""
    return render_pdf(document) if fmt == "pdf" else render_docx(document)
