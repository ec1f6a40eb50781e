"""The Times-compatible font of printed documents: Liberation Serif (SIL OFL 1.1).

Nghị định 30/2020/NĐ-CP asks for Times New Roman; Liberation Serif has the same metrics and
every Vietnamese letter in regular, bold, italic and bold italic. It ships in
``resources/fonts`` with its licence, so output looks the same on every machine.
reportlab draws one glyph per code point, so all text must be NFC (see ``domain.text``).
"""

from __future__ import annotations

from functools import cache

from ctmtqg_desktop.resource_paths import resource_path

SERIF = "CTMTQGSerif"
SERIF_BOLD = "CTMTQGSerif-Bold"
SERIF_ITALIC = "CTMTQGSerif-Italic"
SERIF_BOLD_ITALIC = "CTMTQGSerif-BoldItalic"

_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}


@cache
def register_fonts() -> str:
    """Register the family with reportlab once; returns the regular face's name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, file in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file))))
    pdfmetrics.registerFontFamily(SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF_ITALIC,
                                  boldItalic=SERIF_BOLD_ITALIC)
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    addMapping(SERIF, 0, 1, SERIF_ITALIC)
    addMapping(SERIF, 1, 1, SERIF_BOLD_ITALIC)
    return SERIF
