"""HTML and CSS of the printed documents, as plain strings (no template engine).

Every label is in Korean with its English gloss, and every name in Hangul with its Latin
transliteration, so a ticket clerk who reads either script can use the document. The
Django side may swap these for Django templates; the renderer only needs the HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path
from string import Template

from documents.signing.payload import DocumentType

FONT_FILE = Path(__file__).resolve().parent.parent / "fonts" / "NotoSansCJKkr-Subset-Regular.otf"
FONT_FAMILY = "Waystation CJK"


@dataclass(frozen=True, slots=True)
class DocumentWording:
    title_korean: str
    title_english: str
    scope_korean: str
    scope_english: str


WORDING: dict[DocumentType, DocumentWording] = {
    DocumentType.TRAVEL_PASS: DocumentWording("통행증", "Travel pass", "경로", "Route"),
    DocumentType.PROVINCE_EXIT_PERMIT: DocumentWording(
        "도외 이동 허가증", "Province exit permit", "목적지", "Destination province"
    ),
    DocumentType.RESIDENCY_DOCUMENT: DocumentWording(
        "거주 증명서", "Residency document", "주소", "Address"
    ),
}

STYLESHEET = Template("""
@font-face { font-family: "$family"; src: url("$font_uri") format("opentype"); }
@page { size: A5 landscape; margin: 9mm; }
* { box-sizing: border-box; }
body { font-family: "$family"; font-size: 10pt; color: #111; margin: 0; }
.document { page-break-after: always; height: 130mm; border: 0.6mm solid #222;
  padding: 5mm 6mm; position: relative; }
.document:last-child { page-break-after: auto; }
header { border-bottom: 0.3mm solid #222; padding-bottom: 2mm; margin-bottom: 4mm; }
header .office { font-size: 9pt; }
/* One weight only: the shipped font has no bold, and a synthesised bold is embedded as a
   second font, which doubles the font subsetting time of every PDF. */
h1, strong, b { font-weight: normal; }
header h1 { font-size: 20pt; margin: 1mm 0 0 0; }
header h1 small { font-size: 11pt; margin-left: 3mm; }
/* Absolutely placed boxes rather than flexbox or a table: WeasyPrint lays those out
   several times over, which made a batch of 80 passes twice as slow. */
.layout { position: relative; min-height: 62mm; }
.photo { position: absolute; left: 0; top: 0; width: 30mm; height: 40mm;
  border: 0.3mm solid #555; text-align: center; padding-top: 16mm;
  font-size: 7.5pt; color: #666; overflow: hidden; }
.photo.with-image { padding: 0; }
.photo img { width: 30mm; height: 40mm; object-fit: cover; }
.fields { margin-left: 35mm; width: 100mm; }
.field { position: relative; padding-left: 25mm; min-height: 8.5mm; margin-bottom: 1.2mm;
  font-size: 10.5pt; }
.label { position: absolute; left: 0; top: 0.4mm; width: 24mm; color: #444;
  font-size: 8pt; line-height: 1.25; }
.name { font-size: 13pt; }
.latin { display: block; font-size: 9.5pt; color: #333; }
.qr { position: absolute; right: 0; top: 0; width: 40mm; text-align: center;
  font-size: 7pt; color: #444; }
/* Sharp module edges in print: a viewer must not smooth the QR image when scaling it. */
.qr img { width: 40mm; height: 40mm; image-rendering: pixelated; }
footer { position: absolute; bottom: 4mm; left: 6mm; right: 6mm; font-size: 7.5pt;
  color: #444; border-top: 0.2mm solid #999; padding-top: 1.5mm; }
""")

DOCUMENT_TEMPLATE = Template("""
<section class="document">
 <header>
  <div class="office">$office_name</div>
  <h1>$title_korean<small>$title_english</small></h1>
 </header>
 <div class="layout">
  <div class="$photo_class">$photo</div>
  <div class="fields">
   <div class="field"><div class="label">번호<br>No.</div>$number</div>
   <div class="field"><div class="label">성명<br>Name</div>
    <span class="name">$name_hangul</span>$name_hanzi<span class="latin">$name_latin</span></div>
   <div class="field"><div class="label">생년월일<br>Date of birth</div>$date_of_birth</div>
   <div class="field"><div class="label">$scope_korean<br>$scope_english</div>$scope</div>
   <div class="field"><div class="label">유효 기간<br>Valid</div>$valid_from ~ $valid_until</div>
   <div class="field"><div class="label">발급일<br>Issued</div>$issued_on</div>
  </div>
  <div class="qr"><img src="$qr_data_uri" alt="QR"><br>QR 코드로 진위 확인<br>
   Scan to verify</div>
 </div>
 <footer>$footer_office · 서명 열쇠 Key $key_hint ·
  이 증명서는 서명된 QR 코드와 함께만 유효합니다.
  Valid only with its signed QR code.</footer>
</section>
""")

PAGE_TEMPLATE = Template("""<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>$title</title>
<style>$stylesheet</style></head>
<body>$documents</body></html>
""")

NO_PHOTO = "사진 없음<br>No photo"


def stylesheet(font_file: Path = FONT_FILE) -> str:
    return STYLESHEET.substitute(family=FONT_FAMILY, font_uri=font_file.as_uri())


def document_html(
    fields: dict[str, str], qr_data_uri: str, photo_data_uri: str | None, key_hint: str
) -> str:
    """HTML of one document page. `fields` are DocumentPayload.to_dict() values plus the
    optional display-only "name_hanzi" and "office_name"; all text is escaped here."""
    wording = WORDING[DocumentType(fields["document_type"])]
    photo = f'<img src="{escape(photo_data_uri)}" alt="">' if photo_data_uri else NO_PHOTO
    name_hanzi = fields.get("name_hanzi", "")
    office_name = fields.get("office_name") or fields["office"]
    footer_office = (
        office_name if office_name == fields["office"] else f"{office_name} · {fields['office']}"
    )
    return DOCUMENT_TEMPLATE.substitute(
        office_name=escape(office_name),
        footer_office=escape(footer_office),
        title_korean=escape(wording.title_korean),
        title_english=escape(wording.title_english),
        scope_korean=escape(wording.scope_korean),
        scope_english=escape(wording.scope_english),
        photo=photo,
        photo_class="photo with-image" if photo_data_uri else "photo",
        number=escape(fields["number"]),
        name_hangul=escape(fields["name_hangul"]),
        name_hanzi=f" ({escape(name_hanzi)})" if name_hanzi else "",
        name_latin=escape(fields["name_latin"]),
        date_of_birth=escape(fields["date_of_birth"]),
        scope=escape(fields.get("scope", "")),
        valid_from=escape(fields["valid_from"]),
        valid_until=escape(fields["valid_until"]),
        issued_on=escape(fields["issued_on"]),
        qr_data_uri=escape(qr_data_uri),
        key_hint=escape(key_hint),
    )


def page_html(title: str, documents_html: list[str]) -> str:
    return PAGE_TEMPLATE.substitute(
        title=escape(title), stylesheet=stylesheet(), documents="".join(documents_html)
    )
