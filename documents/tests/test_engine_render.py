"""Printed PDFs: render, rasterise, scan the QR back and verify it; Korean text survives."""

from __future__ import annotations

import ctypes
import io
from datetime import UTC, date, datetime
from types import ModuleType

import pytest
from PIL import Image

from documents.render.fonts import unprintable_characters
from documents.render.pdf import (
    PHOTO_PIXELS,
    DocumentRenderError,
    photo_data_uri,
    render_document_pdf,
    render_documents_pdf,
)
from documents.signing.keys import KeyList, SigningKey
from documents.signing.payload import DocumentType
from documents.signing.qr import data_uri_to_bytes, read_qr_texts
from documents.signing.samples import sample_name_hanzi, sample_payload
from documents.signing.sign import sign_document
from documents.signing.verify import Verdict, Verifier

TODAY = date(1961, 11, 10)
NOW = datetime(1961, 11, 10, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def office_key() -> SigningKey:
    return SigningKey.generate("NH-LAB")


@pytest.fixture(scope="module")
def verifier(office_key: SigningKey) -> Verifier:
    return Verifier(KeyList((office_key.published(date(1960, 1, 1)),)))


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 1200), (176, 140, 110)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _pdfium() -> ModuleType:
    # Rasterising needs pypdfium2 (a test dependency): without it only the tests that look
    # at the rendered page are skipped, with the reason shown, instead of a collection error.
    return pytest.importorskip("pypdfium2", reason="pypdfium2 rasterises the PDF")


def _pages(pdf: bytes, dpi: int = 150) -> list[Image.Image]:
    document = _pdfium().PdfDocument(pdf)
    return [page.render(scale=dpi / 72).to_pil() for page in document]


def _page_texts(pdf: bytes) -> list[str]:
    document = _pdfium().PdfDocument(pdf)
    return [page.get_textpage().get_text_range() for page in document]


def _font_names_of(pdf: bytes, characters: str) -> set[str]:
    """Names of the embedded fonts that draw the first occurrence of each character."""
    pdfium = _pdfium()
    text_page = pdfium.PdfDocument(pdf)[0].get_textpage()
    text = text_page.get_text_range()
    names = set()
    for character in characters:
        name = ctypes.create_string_buffer(256)
        pdfium.raw.FPDFText_GetFontInfo(
            text_page.raw, text.index(character), name, 256, ctypes.byref(ctypes.c_int())
        )
        # Embedded subsets are named "ABCDEF+Family"; the prefix changes on every render.
        names.add(name.value.decode().split("+")[-1])
    return names


def test_printed_qr_scans_back_to_a_valid_payload(
    office_key: SigningKey, verifier: Verifier
) -> None:
    payload = sample_payload(0)
    qr_text = sign_document(payload, office_key)
    pdf = render_document_pdf(
        {"qr_text": qr_text, "name_hanzi": sample_name_hanzi(0), "office_name": "함경북도 로동부"},
        photo=_photo(),
    )
    assert pdf.startswith(b"%PDF")
    (page,) = _pages(pdf)
    assert read_qr_texts(page) == [qr_text]
    result = verifier.verify_image(page, TODAY, NOW)
    assert result.verdict is Verdict.VALID
    assert result.document == payload


def test_korean_hanzi_and_latin_text_is_in_the_pdf_with_the_shipped_font(
    office_key: SigningKey,
) -> None:
    payload = sample_payload(3, document_type=DocumentType.PROVINCE_EXIT_PERMIT)
    pdf = render_document_pdf(
        {"qr_text": sign_document(payload, office_key), "name_hanzi": sample_name_hanzi(3)}
    )
    (text,) = _page_texts(pdf)
    for expected in (
        "도외 이동 허가증",
        "Province exit permit",
        "최옥련",
        "崔玉莲",
        "Ch'oe Ongnyŏn",
    ):
        assert expected in text
    # The shipped font, not whatever CJK font the machine happens to have.
    # (Headings are drawn with the same font, emboldened: "Waystation-CJK-Bold".)
    fonts = _font_names_of(pdf, "최崔ŏ허P")
    assert fonts and all(name.startswith("Waystation-CJK") for name in fonts)
    assert "사진 없음" in text


def test_batch_is_one_pdf_with_a_page_per_document_in_order(
    office_key: SigningKey, verifier: Verifier
) -> None:
    payloads = [
        sample_payload(0),
        sample_payload(1, document_type=DocumentType.RESIDENCY_DOCUMENT, scope="회령시 남문동 3"),
        sample_payload(2, document_type=DocumentType.PROVINCE_EXIT_PERMIT, scope="평안남도"),
    ]
    items = [({"qr_text": sign_document(p, office_key)}, _photo()) for p in payloads]
    pdf = render_documents_pdf(items)
    pages = _pages(pdf, dpi=120)
    assert len(pages) == 3
    scanned = [verifier.verify_image(page, TODAY, NOW).document for page in pages]
    assert scanned == payloads
    texts = _page_texts(pdf)
    assert "거주 증명서" in texts[1] and "회령시 남문동 3" in texts[1]


def test_photo_of_a_tilted_printout_still_verifies(
    office_key: SigningKey, verifier: Verifier
) -> None:
    pdf = render_document_pdf({"qr_text": sign_document(sample_payload(4), office_key)})
    (page,) = _pages(pdf, dpi=200)
    photographed = page.rotate(7, expand=True, fillcolor="white").resize(
        (page.width * 3 // 4, page.height * 3 // 4)
    )
    buffer = io.BytesIO()
    photographed.save(buffer, format="JPEG", quality=70)
    result = verifier.verify_image(buffer.getvalue(), TODAY, NOW)
    assert result.verdict is Verdict.VALID
    assert result.document is not None and result.document.name_hangul == "안재수"


def test_image_without_a_qr_code_is_malformed(verifier: Verifier) -> None:
    blank = Image.new("RGB", (400, 300), "white")
    assert verifier.verify_image(blank, TODAY, NOW).verdict is Verdict.MALFORMED
    not_an_image = verifier.verify_image(b"%PDF-1.7 not a picture", TODAY, NOW)
    assert not_an_image.verdict is Verdict.MALFORMED
    assert "cannot be read" in not_an_image.reason


def test_fields_that_disagree_with_the_signed_qr_are_refused(office_key: SigningKey) -> None:
    payload = sample_payload(0)
    stale_name = {**payload.to_dict(), "name_hangul": "김영출"}
    with pytest.raises(DocumentRenderError, match="name_hangul"):
        render_document_pdf({**stale_name, "qr_text": sign_document(payload, office_key)})


def test_matching_fields_are_accepted(office_key: SigningKey) -> None:
    payload = sample_payload(0)
    document = {**payload.to_dict(), "qr_text": sign_document(payload, office_key)}
    assert render_document_pdf(document).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("document", "photo", "message"),
    [
        ({}, None, "no qr_text"),
        ({"qr_text": "WS1:GARBAGE"}, None, "not a valid payload"),
        (None, b"not an image", "photo"),
    ],
)
def test_unprintable_input_is_refused(
    office_key: SigningKey, document: dict[str, str] | None, photo: bytes | None, message: str
) -> None:
    document = (
        document
        if document is not None
        else {"qr_text": sign_document(sample_payload(), office_key)}
    )
    with pytest.raises(DocumentRenderError, match=message):
        render_document_pdf(document, photo)
    with pytest.raises(DocumentRenderError):
        render_documents_pdf([])


def test_shipped_font_covers_names_in_every_script_but_not_rare_hanzi() -> None:
    every_syllable = "".join(chr(cp) for cp in range(0xAC00, 0xD7A4))
    assert unprintable_characters(every_syllable) == ""
    assert unprintable_characters("金永哲 李顺姬 崔玉蓮 Ch'oe Ongnyŏn Lǚ Yǔ → №") == ""
    # U+20000 (CJK Extension B) is in neither GB 2312 nor KS X 1001.
    assert unprintable_characters("김𠀀 𠀀") == "𠀀"


def test_phone_photo_is_turned_upright_and_shrunk_to_print_size() -> None:
    sideways = Image.new("RGB", (1600, 1200), (90, 90, 90))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the camera was held upright, the pixels are sideways
    buffer = io.BytesIO()
    sideways.save(buffer, format="JPEG", exif=exif)
    printed = Image.open(io.BytesIO(data_uri_to_bytes(photo_data_uri(buffer.getvalue()))))
    assert printed.height > printed.width
    assert printed.size[0] <= PHOTO_PIXELS[0] and printed.size[1] <= PHOTO_PIXELS[1]
    transparent = io.BytesIO()
    Image.new("RGBA", (300, 400), (0, 0, 0, 0)).save(transparent, format="PNG")
    assert photo_data_uri(transparent.getvalue()).startswith("data:image/jpeg;base64,")
