"""QR codes: drawing a payload (segno) and reading one back from a photo (zxing-cpp)."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import segno
import zxingcpp
from PIL import Image, ImageOps

# Quartile correction survives a fold, a stamp or a coffee ring over a quarter of the
# code on a paper document; the payload is small enough to afford it.
ERROR_CORRECTION = "q"
# Looking for QR codes only is faster and keeps a stray barcode on a ticket out of the way.
QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


def make_qr(qr_text: str) -> segno.QRCode:
    # Alphanumeric mode is what makes base45 compact; segno would pick byte mode for a
    # text it did not recognise, so it is forced here and fails loudly on a bad text.
    return segno.make_qr(qr_text, error=ERROR_CORRECTION, mode="alphanumeric", boost_error=False)


def qr_svg_data_uri(qr_text: str, module_size: float = 1.0) -> str:
    """SVG data URI (vector, sharp at any print resolution) for an <img> tag."""
    return make_qr(qr_text).svg_data_uri(scale=module_size, border=4)


def qr_png_data_uri(qr_text: str, module_pixels: int = 4) -> str:
    return make_qr(qr_text).png_data_uri(scale=module_pixels, border=4)


def qr_png_bytes(qr_text: str, module_pixels: int = 4) -> bytes:
    buffer = io.BytesIO()
    make_qr(qr_text).save(buffer, kind="png", scale=module_pixels, border=4)
    return buffer.getvalue()


def _as_image(image: Image.Image | bytes | str | Path) -> Image.Image:
    if isinstance(image, Image.Image):
        return image
    opened = Image.open(io.BytesIO(image) if isinstance(image, bytes) else image)
    # A phone photo is often stored sideways with an EXIF rotation flag.
    return ImageOps.exif_transpose(opened) or opened


def read_qr_texts(image: Image.Image | bytes | str | Path) -> list[str]:
    """All QR code texts found in an image (a photo or scan of a document), in order found."""
    picture = _as_image(image).convert("L")
    results = zxingcpp.read_barcodes(picture, formats=QR_ONLY)
    return [result.text for result in results if result.valid and result.text]


def data_uri_to_bytes(data_uri: str) -> bytes:
    """Payload bytes of a base64 data URI (used by tests of the rendered QR)."""
    _, _, encoded = data_uri.partition(";base64,")
    return base64.b64decode(encoded)
