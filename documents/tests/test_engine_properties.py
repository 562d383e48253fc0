"""Property tests: any valid document survives signing and verification unchanged."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from documents.signing.keys import KeyList, SigningKey
from documents.signing.payload import (
    MAX_NAME_LENGTH,
    MAX_SCOPE_LENGTH,
    DocumentPayload,
    DocumentType,
)
from documents.signing.sign import sign_document
from documents.signing.verify import Verdict, Verifier

KEY = SigningKey.generate("NH-LAB")
VERIFIER = Verifier(KeyList((KEY.published(date(1900, 1, 1)),)))
NOW = datetime(2026, 11, 29, tzinfo=UTC)

# Printable text in every script a name or address may use, but no control characters.
printable = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"),
    ),
    min_size=1,
    # NFC can lengthen text up to threefold; the field limit applies after it.
    max_size=MAX_NAME_LENGTH // 3,
).filter(lambda text: text.strip())


@st.composite
def payloads(draw: st.DrawFn) -> DocumentPayload:
    issued = draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 1, 1)))
    valid_from = issued + timedelta(days=draw(st.integers(0, 30)))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 1, 1)))
    precision = draw(st.sampled_from((4, 7, 10)))
    return DocumentPayload(
        document_type=draw(st.sampled_from(list(DocumentType))),
        number=draw(st.from_regex(r"[A-Z]{2}-[A-Z]{2}-[0-9]{4}-[0-9]{1,20}", fullmatch=True)),
        name_hangul=draw(printable),
        name_latin=draw(printable),
        date_of_birth=birth.isoformat()[:precision],
        issued_on=issued,
        valid_from=valid_from,
        valid_until=valid_from + timedelta(days=draw(st.integers(0, 3650))),
        scope=draw(st.text(max_size=MAX_SCOPE_LENGTH // 3).filter(lambda t: t.isprintable())),
        office="NH-LAB",
    )


# No example database: it would be written into the work tree.
@settings(max_examples=80, deadline=None, database=None)
@given(payloads())
def test_any_valid_document_verifies_to_itself(payload: DocumentPayload) -> None:
    result = VERIFIER.verify(sign_document(payload, KEY), today=payload.valid_from, now=NOW)
    assert result.verdict is Verdict.VALID
    assert result.document == payload
