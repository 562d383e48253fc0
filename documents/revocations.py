"""The signed revocation list that ticket offices download, and the server's own verifier.

Every revocation publishes the next list in full (sequence + 1), in the revoking
transaction. A list older than a day is re-published with the same entries when it is
downloaded, so a ticket office can tell a fresh list from one it has had for a week.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max

from documents import keyring
from documents.models import Document, PublishedRevocationList
from documents.signing import (
    RevocationList,
    RevocationListError,
    RevokedDocument,
    Verifier,
    read_signed_revocation_list,
    sign_revocation_list,
)
from waystation import clock

REFRESH_AFTER = dt.timedelta(days=1)


class NoListSigner(Exception):
    """No office is set to sign lists, or it has no active key."""


def publish_revocation_list(now: dt.datetime | None = None) -> PublishedRevocationList:
    """Sign and store the next list, holding every revoked document."""
    key = keyring.list_signing_key()
    if key is None:
        raise NoListSigner("no office with an active key signs lists")
    now = now or clock.now()
    # The list is public: it says only "lost" (reissued) or "revoked", never the officer's
    # written reason, which stays in the database and the audit log.
    revoked = tuple(
        RevokedDocument(number, revoked_on, "lost" if replacement else "revoked")
        for number, revoked_on, replacement in Document.objects.filter(
            status=Document.Status.REVOKED
        )
        .order_by("revoked_on", "id")
        .values_list("number", "revoked_on", "superseded_by")
    )
    with transaction.atomic():
        last = PublishedRevocationList.objects.aggregate(last=Max("sequence"))["last"] or 0
        listing = RevocationList(
            sequence=last + 1, issued_at=now, issuer=key.office, revoked=revoked
        )
        return PublishedRevocationList.objects.create(
            sequence=listing.sequence,
            issued_at=now,
            entries=len(revoked),
            signed_json=sign_revocation_list(listing, key),
        )


def newest_revocation_list() -> PublishedRevocationList | None:
    return PublishedRevocationList.objects.order_by("-sequence").first()


def revocation_list_for_download(now: dt.datetime | None = None) -> PublishedRevocationList:
    now = now or clock.now()
    newest = newest_revocation_list()
    if newest is not None and now - newest.issued_at < REFRESH_AFTER:
        return newest
    try:
        return publish_revocation_list(now)
    except IntegrityError:
        # Another request published the same sequence a moment ago: serve that one.
        newest = newest_revocation_list()
        if newest is None:
            raise
        return newest


def server_verifier() -> Verifier:
    """A verifier from the database: every key ever published and the newest list whose
    signature checks out (the same checks a ticket office makes on downloaded files)."""
    key_list = keyring.current_key_list()
    revocation_list: RevocationList | None = None
    for published in PublishedRevocationList.objects.order_by("-sequence")[:5]:
        try:
            revocation_list = read_signed_revocation_list(published.signed_json, key_list)
        except RevocationListError:
            continue
        break
    return Verifier(key_list, revocation_list)
