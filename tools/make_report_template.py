"""Build resources/report-template.docx, the styles of the DOCX visit report.

The report writer only names styles; every font, colour, border and spacing lives in this
template, so a company can restyle its reports by replacing the file (in Word: edit the
styles, save as .docx). This script makes the shipped template from python-docx's own
default template, so it can be rebuilt and reviewed as code:

    python tools/make_report_template.py [OUT.docx]
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).resolve().parents[1] / "resources" / "report-template.docx"

ACCENT = "1F4E79"  # the one accent colour: headings, table header rows
TEXT_GREY = "595959"
NOTE_GREY = "6B6B6B"
RULE = "BFBFBF"
LIGHT_RULE = "D9D9D9"
SANS = "Calibri"
# Word takes CJK characters from the East Asian font; a Japanese sans that ships with
# Windows and Office keeps them from falling back to a serif
EAST_ASIAN = "Yu Gothic"
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN = Cm(2.0)

# Statuses of a read-back point; the writer picks the character style by name.
STATUS_COLOURS = {
    "Status Confirmed": "2E7D32",
    "Status Corrected": "B26A00",
    "Status Rejected": "C62828",
    "Status Not Read Back": "7F7F7F",
}


def build_template() -> bytes:
    document = docx.Document()
    _drop_extras(document)
    _page(document)
    styles = document.styles
    _trim_table_styles(styles.element)
    _defaults(styles.element)
    _base_styles(styles)
    _report_styles(styles)
    _table_styles(styles.element)
    _fonts(document)
    _properties(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- the package ------------------------------------------------------------------------------

def _drop_extras(document: docx.document.Document) -> None:
    """A thumbnail of an empty page would preview every report as blank, and Word 2010
    would read its stylesWithEffects part instead of the styles set here."""
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            del package.rels[rid]
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rid)


def _page(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = section.top_margin = MARGIN
    section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(1.0)


def _properties(document: docx.document.Document) -> None:
    props = document.core_properties
    props.title = "Visit report"
    props.subject = "Styles of the VOC Desktop visit report"
    props.author = props.last_modified_by = "VOC Desktop"
    props.comments = props.keywords = props.category = ""
    props.revision = 1
    # fixed, so rebuilding the template changes nothing unless a style changed
    props.created = props.modified = datetime(2026, 1, 1)
    for part in document.part.package.iter_parts():
        if part.partname == "/docProps/app.xml":
            part._blob = _APP_XML  # a plain Part: python-docx has no API for app.xml


_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties">'
    b"<Template>Normal.dotm</Template><Application>VOC Desktop</Application>"
    b"<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
    b"<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    b"<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


def _fonts(document: docx.document.Document) -> None:
    """Tell Word what kind of font each one is, so a machine without it substitutes a
    sans of the same build (the panose and family) instead of Times."""
    for part in document.part.package.iter_parts():
        if part.partname == "/word/fontTable.xml":
            part._blob = _FONT_TABLE  # a plain Part: python-docx has no API for fontTable


_FONT_TABLE = f"""<?xml version='1.0' encoding='UTF-8' standalone='yes'?>
<w:fonts {nsdecls('w')}>
  <w:font w:name="{SANS}">
    <w:altName w:val="Carlito"/>
    <w:panose1 w:val="020F0502020204030204"/>
    <w:charset w:val="00"/>
    <w:family w:val="swiss"/>
    <w:pitch w:val="variable"/>
    <w:sig w:usb0="E4002EFF" w:usb1="C000247B" w:usb2="00000009" w:usb3="00000000"
           w:csb0="000001FF" w:csb1="00000000"/>
  </w:font>
  <w:font w:name="{EAST_ASIAN}">
    <w:altName w:val="游ゴシック"/>
    <w:panose1 w:val="020B0400000000000000"/>
    <w:charset w:val="80"/>
    <w:family w:val="swiss"/>
    <w:pitch w:val="variable"/>
    <w:sig w:usb0="E00002FF" w:usb1="2AC7FDFF" w:usb2="00000016" w:usb3="00000000"
           w:csb0="0002009F" w:csb1="00000000"/>
  </w:font>
  <w:font w:name="Symbol">
    <w:panose1 w:val="05050102010706020507"/>
    <w:charset w:val="02"/>
    <w:family w:val="roman"/>
    <w:pitch w:val="variable"/>
    <w:sig w:usb0="00000000" w:usb1="10000000" w:usb2="00000000" w:usb3="00000000"
           w:csb0="80000000" w:csb1="00000000"/>
  </w:font>
</w:fonts>
""".encode()


# --- styles -----------------------------------------------------------------------------------

def _trim_table_styles(styles_el) -> None:
    """The default template carries some 140 coloured table styles; the report uses its own,
    and Word still offers all of its built-in ones. Fewer styles: a smaller, faster file."""
    for style in styles_el.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) != "TableNormal":
            styles_el.remove(style)


def _defaults(styles_el) -> None:
    """Document defaults hold only the language. Fonts, sizes and spacing live in Normal:
    LibreOffice applies the defaults to table text as if set by hand, which would beat the
    table and character styles. Without theme fonts: a theme font wins over a named one."""
    defaults = styles_el.find(qn("w:docDefaults"))
    styles_el.remove(defaults)
    styles_el.insert(0, parse_xml(
        f'<w:docDefaults {nsdecls("w")}><w:rPrDefault><w:rPr>'
        '<w:lang w:val="en-GB" w:eastAsia="ja-JP" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        "<w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>"))


def _set_fonts(style) -> None:
    """Named fonts on a style, replacing the theme fonts the default template uses."""
    rpr = style.element.get_or_add_rPr()
    old = rpr.find(qn("w:rFonts"))
    if old is not None:
        rpr.remove(old)
    rpr.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="{SANS}" w:hAnsi="{SANS}" '
                            f'w:cs="{SANS}" w:eastAsia="{EAST_ASIAN}"/>'))


def _text(style, *, size: float | None = None, bold: bool | None = None,
          italic: bool | None = None, colour: str | None = None) -> None:
    font = style.font
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if colour is not None:
        font.color.rgb = RGBColor.from_string(colour)
    # the same for right-to-left and complex scripts, which Word sizes and weights apart
    rpr = style.element.rPr
    for tag, value in (("w:szCs", size and str(round(size * 2))), ("w:bCs", bold),
                       ("w:iCs", italic)):
        old = None if rpr is None else rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
        if value is not None and rpr is not None:
            el = rpr.makeelement(qn(tag), {})
            if tag == "w:szCs":
                el.set(qn("w:val"), value)
            elif not value:
                el.set(qn("w:val"), "0")
            _after(rpr, el, _RPR_BEFORE[tag])


# what precedes each complex-script element in w:rPr (CT_RPr's sequence)
_RPR_BEFORE = {
    "w:bCs": ("w:rStyle", "w:rFonts", "w:b"),
    "w:iCs": ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i"),
    "w:szCs": ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
               "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
               "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
               "w:w", "w:kern", "w:position", "w:sz"),
}


def _spacing(style, before: float = 0, after: float = 6, *, keep_next: bool = False,
             line: float | None = None) -> None:
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if line is not None:
        fmt.line_spacing = line
    if keep_next:
        fmt.keep_with_next = True


def _borders(style, **sides: tuple[int, str, int]) -> None:
    """Paragraph borders: side=(eighths of a point, colour, space in points)."""
    ppr = style.element.get_or_add_pPr()
    xml = "".join(f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{colour}"/>'
                  for side, (size, colour, space) in sides.items())
    _put(ppr, f'<w:pBdr {nsdecls("w")}>{xml}</w:pBdr>',
         after=("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
                "w:widowControl", "w:numPr", "w:suppressLineNumbers"))


def _shading(style, fill: str) -> None:
    ppr = style.element.get_or_add_pPr()
    _put(ppr, f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>',
         after=("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
                "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr"))


def _put(parent, xml: str, after: Iterable[str]) -> None:
    """Insert a child where the schema wants it: after the elements that must precede."""
    element = parse_xml(xml)
    old = parent.find(element.tag)
    if old is not None:
        parent.remove(old)
    _after(parent, element, after)


def _after(parent, element, after: Iterable[str]) -> None:
    before = {qn(t) for t in after}
    index = 0
    for i, child in enumerate(parent):
        if child.tag in before:
            index = i + 1
    parent.insert(index, element)


def _clear_rpr(style, *tags: str) -> None:
    rpr = style.element.rPr
    for tag in tags:
        for el in [] if rpr is None else rpr.findall(qn(tag)):
            rpr.remove(el)


def _base_styles(styles) -> None:
    normal = styles["Normal"]
    _set_fonts(normal)
    _text(normal, size=10.5)
    _spacing(normal, 0, 6, line=1.1)
    normal.paragraph_format.widow_control = True  # stated: readers differ on the default

    title = styles["Title"]
    _set_fonts(title)
    _clear_rpr(title, "w:color", "w:spacing", "w:kern")
    _text(title, size=22, bold=True, colour=ACCENT)
    _spacing(title, 0, 10, line=1.0)
    _borders(title, bottom=(12, ACCENT, 6))

    for level, (size, before, after) in enumerate(((15, 20, 6), (13, 16, 4), (11, 12, 3)), 1):
        heading = styles[f"Heading {level}"]
        _set_fonts(heading)
        _clear_rpr(heading, "w:color")
        _text(heading, size=size, bold=True, colour=ACCENT)
        _spacing(heading, before, after, keep_next=True)
        heading.paragraph_format.keep_together = True
    _borders(styles["Heading 1"], bottom=(6, "9DB3CC", 3))

    quote = styles["Quote"]
    _clear_rpr(quote, "w:color")
    _text(quote, italic=True, colour="404040")
    _spacing(quote, 4, 8)
    quote.paragraph_format.left_indent = Cm(0.8)
    quote.paragraph_format.right_indent = Cm(0.8)
    _borders(quote, left=(18, "9DB3CC", 8))
    _shading(quote, "F4F7FB")

    caption = styles["Caption"]
    _clear_rpr(caption, "w:color")
    _text(caption, size=9, bold=False, colour="404040")
    _spacing(caption, 2, 8, line=1.0)
    caption.hidden = False

    for name in ("Header", "Footer"):
        style = styles[name]
        _text(style, size=8.5, colour=NOTE_GREY)
        _spacing(style, 0, 0, line=1.0)
        style.element.pPr.remove(style.element.pPr.find(qn("w:tabs")))
        style.paragraph_format.tab_stops.add_tab_stop(PAGE_WIDTH - 2 * MARGIN,
                                                      WD_TAB_ALIGNMENT.RIGHT)
    _borders(styles["Header"], bottom=(4, LIGHT_RULE, 4))
    page_number = _paragraph_style(styles, "Footer Page", base="Footer")
    page_number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    page_number.quick_style = False

    bullet = styles["List Bullet"]
    _spacing(bullet, 0, 3)


def _paragraph_style(styles, name: str, base: str = "Normal", next_style: str | None = None):
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles[base]
    style.next_paragraph_style = styles[next_style or "Normal"]
    style.quick_style = True
    return style


def _character_style(styles, name: str):
    style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.base_style = styles["Default Paragraph Font"]
    return style


def _report_styles(styles) -> None:
    question = _paragraph_style(styles, "Question")
    _text(question, bold=True)
    _spacing(question, 8, 2, keep_next=True)

    ladder = _paragraph_style(styles, "Ladder Step", next_style="Ladder Step")
    _spacing(ladder, 0, 2)
    ladder.paragraph_format.left_indent = Cm(0.6)

    small = _paragraph_style(styles, "Small Note")
    _text(small, size=8.5, colour=NOTE_GREY)
    _spacing(small, 0, 4)

    subtle = _paragraph_style(styles, "Subtle Note")
    _text(subtle, size=9.5, italic=True, colour=TEXT_GREY)
    _spacing(subtle, 0, 6)
    # a bucket's description: stays with what follows, like the heading above it
    intro = _paragraph_style(styles, "Intro Note", base="Subtle Note")
    _spacing(intro, 0, 6, keep_next=True)
    tier = _paragraph_style(styles, "Tier Intro", base="Intro Note")
    _spacing(tier, 14, 0, keep_next=True)

    draft = _paragraph_style(styles, "Draft Note")
    _text(draft, bold=True, colour="5C4400")
    _spacing(draft, 4, 14)
    draft.paragraph_format.left_indent = draft.paragraph_format.right_indent = Pt(6)
    _borders(draft, top=(4, "E0C060", 4), left=(24, "C99A06", 6), bottom=(4, "E0C060", 4),
             right=(4, "E0C060", 6))
    _shading(draft, "FFF4CE")

    figure = _paragraph_style(styles, "Figure", next_style="Caption")
    _spacing(figure, 6, 2, keep_next=True, line=1.0)
    figure.paragraph_format.keep_together = True

    gap = _paragraph_style(styles, "Table Gap")
    _text(gap, size=5)
    _spacing(gap, 0, 4, line=1.0)

    # room above and below cell text comes from here: LibreOffice stops keeping headings
    # with their text on pages whose tables have top or bottom cell margins
    table_text = _paragraph_style(styles, "Table Text")
    _spacing(table_text, 3, 3, line=1.0)
    table_label = _paragraph_style(styles, "Table Label", base="Table Text")
    _text(table_label, bold=True)

    stamp = _character_style(styles, "Stamp")
    _text(stamp, size=8.5, italic=False, bold=False, colour="7F7F7F")
    # Word's own name, so a link pasted in later looks like the ones the report made
    link = _character_style(styles, "Hyperlink")
    _text(link, colour=ACCENT)
    link.font.underline = True
    link.unhide_when_used = True
    why = _character_style(styles, "Ladder Why")
    _text(why, bold=True, colour=ACCENT)
    for name, colour in STATUS_COLOURS.items():
        _text(_character_style(styles, name), bold=True, colour=colour)


def _table_styles(styles_el) -> None:
    """"Report Table": a header row in the accent colour with white bold text and light
    rules between rows, no vertical lines. "Field Table": label/value pairs, rules only."""
    styles_el.append(parse_xml(f"""
<w:style {nsdecls('w')} w:type="table" w:customStyle="1" w:styleId="ReportTable">
  <w:name w:val="Report Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="40"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="{ACCENT}"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="{LIGHT_RULE}"/>
    </w:tblBorders>
    <w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/><w:bCs/><w:color w:val="FFFFFF"/></w:rPr>
    <w:tblPr/>
    <w:trPr><w:tblHeader/></w:trPr>
    <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{ACCENT}"/></w:tcPr>
  </w:tblStylePr>
</w:style>"""))
    styles_el.append(parse_xml(f"""
<w:style {nsdecls('w')} w:type="table" w:customStyle="1" w:styleId="FieldTable">
  <w:name w:val="Field Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="41"/>
  <w:qFormat/>
  <w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:tblPr>
    <w:tblBorders>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="{LIGHT_RULE}"/>
    </w:tblBorders>
    <w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="113" w:type="dxa"/></w:tblCellMar>
  </w:tblPr>
</w:style>"""))


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    out.write_bytes(build_template())
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
