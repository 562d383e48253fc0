"""Signing a document payload into the text its QR code carries."""

from __future__ import annotations

from documents.signing.keys import SigningKey
from documents.signing.payload import (
    DocumentPayload,
    assemble_qr_text,
    encode_body,
    message_to_sign,
)


def sign_document(payload: DocumentPayload, signing_key: SigningKey) -> str:
    """Return the QR text ("WS1:...") for `payload`, signed by `signing_key`.

    The text uses only QR alphanumeric characters; pass it to `documents.signing.qr`
    or store it on the document row so a reprint shows the same code.
    """
    body = encode_body(payload)
    signature = signing_key.sign(message_to_sign(signing_key.key_id, body))
    return assemble_qr_text(signing_key.key_id, body, signature)
