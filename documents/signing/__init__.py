"""Signed QR payloads for travel documents, verified offline (no Django imports).

The Django side calls:

    sign_document(payload, signing_key) -> str                 # QR text "WS1:..."
    Verifier(key_list, revocation_list).verify(qr_text) -> VerificationResult
    Verifier.from_files(key_list_path, revocation_paths)       # ticket office, offline
    sign_revocation_list(revocation_list, signing_key) -> str  # file content
"""

from documents.signing.keys import KeyList, KeyListError, PublishedKey, SigningKey
from documents.signing.payload import (
    DocumentPayload,
    DocumentType,
    InvalidDocumentFieldError,
    MalformedPayloadError,
)
from documents.signing.revocation import (
    RevocationList,
    RevocationListError,
    RevokedDocument,
    choose_newest_revocation_list,
    read_signed_revocation_list,
    sign_revocation_list,
)
from documents.signing.sign import sign_document
from documents.signing.verify import RevocationStatus, Verdict, VerificationResult, Verifier

__all__ = [
    "DocumentPayload",
    "DocumentType",
    "InvalidDocumentFieldError",
    "KeyList",
    "KeyListError",
    "MalformedPayloadError",
    "PublishedKey",
    "RevocationList",
    "RevocationListError",
    "RevocationStatus",
    "RevokedDocument",
    "SigningKey",
    "VerificationResult",
    "Verdict",
    "Verifier",
    "choose_newest_revocation_list",
    "read_signed_revocation_list",
    "sign_document",
    "sign_revocation_list",
]
