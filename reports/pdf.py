"""The situation report as a printable PDF (WeasyPrint), with the project's CJK font so Korean
and Chinese text print on a machine without CJK fonts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

FONT_FILE = (
    Path(settings.BASE_DIR) / "documents" / "fonts" / "NotoSansCJKkr-Subset-Regular.otf"
).resolve()


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template, {**context, "font_uri": FONT_FILE.as_uri()})
    # A fresh FontConfiguration per PDF: WeasyPrint registers @font-face rules into it.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        font_config=FontConfiguration()
    )
