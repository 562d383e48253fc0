"""Printable PDFs of documents (WeasyPrint), one document per A5 landscape page.

The printed fields are taken from the signed QR payload itself, never from a second copy
of the data, so the text on the paper cannot disagree with what a ticket office verifies.
A document dict may carry the payload fields too: they are checked against the QR and a
mismatch is an error (it means the caller is about to print a stale QR code).

Input dict keys:
    qr_text       required, the text `documents.signing.sign.sign_document` returned
    name_hanzi    optional, the name in Chinese characters (display only, not signed)
    office_name   optional, the issuing office's full name (display only)
    document_type, number, name_hangul, ... optional, must match the signed payload
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable, Mapping
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from documents.render.templates import document_html, page_html
from documents.signing.payload import DocumentPayload, parse_qr_text
from documents.signing.qr import qr_png_data_uri

# 30 x 40 mm at 300 dpi: sharp in print, and a phone photo of several MB does not bloat
# a batch PDF of 80 documents.
PHOTO_PIXELS = (354, 472)
# A PNG QR with crisp scaling draws 3x faster in WeasyPrint than the SVG one, and at 4
# pixels a module it stays sharp even in a viewer that ignores "pixelated".
QR_MODULE_PIXELS = 4
DISPLAY_ONLY_KEYS = frozenset({"qr_text", "name_hanzi", "office_name"})


class DocumentRenderError(ValueError):
    """The document cannot be printed as given (bad QR text, mismatch, unreadable photo)."""


def photo_data_uri(photo: bytes) -> str:
    """A JPEG data URI of the photo, turned upright and scaled down to print size."""
    try:
        with Image.open(io.BytesIO(photo)) as opened:
            # JPEG can decode straight to a fraction of its size: 5x faster for a phone photo.
            opened.draft("RGB", PHOTO_PIXELS)
            picture = ImageOps.exif_transpose(opened) or opened
            picture = picture.convert("RGB")
            picture.thumbnail(PHOTO_PIXELS, reducing_gap=2.0)
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=85)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise DocumentRenderError(f"the photo cannot be read: {error}") from error
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _printable_fields(document: Mapping[str, Any]) -> tuple[dict[str, str], str, str]:
    qr_text = document.get("qr_text")
    if not qr_text:
        raise DocumentRenderError("the document has no qr_text")
    try:
        signed = parse_qr_text(str(qr_text))
    except ValueError as error:
        raise DocumentRenderError(f"the qr_text is not a valid payload: {error}") from error
    fields = signed.payload.to_dict()
    given = {k: v for k, v in document.items() if k not in DISPLAY_ONLY_KEYS}
    if given:
        try:
            as_given = DocumentPayload.from_dict({**fields, **given}).to_dict()
        except ValueError as error:
            raise DocumentRenderError(f"bad document field: {error}") from error
        differing = sorted(name for name in fields if as_given[name] != fields[name])
        if differing:
            raise DocumentRenderError(
                f"fields differ from the signed QR payload: {', '.join(differing)}"
            )
    for key in ("name_hanzi", "office_name"):
        if document.get(key):
            fields[key] = str(document[key])
    return fields, str(qr_text).strip(), signed.key_id


def _document_page(document: Mapping[str, Any], photo: bytes | None) -> tuple[str, str]:
    fields, qr_text, key_id = _printable_fields(document)
    html = document_html(
        fields,
        qr_data_uri=qr_png_data_uri(qr_text, module_pixels=QR_MODULE_PIXELS),
        photo_data_uri=photo_data_uri(photo) if photo else None,
        key_hint=key_id,
    )
    return html, fields["number"]


def _write_pdf(html: str) -> bytes:
    # A fresh FontConfiguration per PDF: WeasyPrint registers @font-face rules into it,
    # and sharing one across threads is not safe.
    return HTML(string=html).write_pdf(font_config=FontConfiguration())


def render_document_pdf(document: Mapping[str, Any], photo: bytes | None = None) -> bytes:
    """PDF bytes of one document; `photo` is the holder's photo (any format Pillow reads)."""
    page, number = _document_page(document, photo)
    return _write_pdf(page_html(number, [page]))


def render_documents_pdf(
    documents: Iterable[tuple[Mapping[str, Any], bytes | None]], title: str = "Documents"
) -> bytes:
    """ONE PDF with a page per (document, photo) pair, in order: a day's batch for printing.

    Much faster per document than separate renders, as the font is laid out and embedded
    once for the whole batch.
    """
    return render_pages_pdf(
        [document_page(document, photo) for document, photo in documents], title
    )


def document_page(document: Mapping[str, Any], photo: bytes | None = None) -> str:
    """The HTML of one document's page, for a batch laid out a page at a time."""
    return _document_page(document, photo)[0]


def render_pages_pdf(pages: list[str], title: str = "Documents") -> bytes:
    """ONE PDF of pages made by `document_page`, in order."""
    if not pages:
        raise DocumentRenderError("no documents to render")
    return _write_pdf(page_html(title, pages))
