"""Checking the audit log's keyed chain, and keeping its head where the database cannot reach.

The chain (people/audit.py) finds a row changed or removed in the middle: without
AUDIT_CHAIN_KEY nobody can write hashes that fit. Entries removed from the end leave a
shorter chain that still links, so the application writes the chain's head, signed with the
same key, outside the database now and then: a line in AUDIT_HEAD_FILE (and syslog when
AUDIT_HEAD_SYSLOG is on) at most every AUDIT_HEAD_INTERVAL seconds per process, and a signed
head in every backup's manifest. `manage.py verify_audit_chain` checks the entries against
the latest of those heads and names everything it finds.
"""

from __future__ import annotations

import hmac
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from people.audit import AuditEntry, chain_hash, keyed_digest

logger = logging.getLogger("waystation.audit_head")
CHANGED = "its content no longer matches its hash (it was changed)"
REMOVED = "does not follow the entry before it (one was removed or changed)"
# A finding list stops growing here; the counts go on.
MAX_LISTED = 20


@dataclass(frozen=True)
class Finding:
    entry_id: int | None
    kind: str  # changed, removed, cut short, rewritten, forged head
    text: str


@dataclass
class ChainReport:
    """What a walk of the chain found, in order, with counts per kind."""

    entries: int = 0
    last_id: int | None = None
    last_hash: str = ""
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, finding: Finding) -> None:
        self.counts[finding.kind] = self.counts.get(finding.kind, 0) + 1
        if len(self.findings) < MAX_LISTED:
            self.findings.append(finding)

    @property
    def intact(self) -> bool:
        return not self.counts


def walk_chain(entries: Iterable[AuditEntry], report: ChainReport | None = None) -> ChainReport:
    """Walk the entries in id order. An entry whose keyed hash does not fit its own content
    and link was changed (or rewritten without the key); one whose hash fits but whose link
    does not follow the entry before it comes after a removal."""
    report = report or ChainReport()
    previous = ""
    for entry in entries:
        report.entries += 1
        if not hmac.compare_digest(chain_hash(entry.prev_hash, entry), entry.entry_hash):
            report.add(Finding(entry.pk, "changed", CHANGED))
        elif entry.prev_hash != previous:
            report.add(Finding(entry.pk, "removed", REMOVED))
        previous = entry.entry_hash
        report.last_id, report.last_hash = entry.pk, entry.entry_hash
    return report


def _head_text(entry_id: int, entry_hash: str, at: str) -> str:
    return f"audit-head\n{entry_id}\n{entry_hash}\n{at}"


def signed_head(entry_id: int | None, entry_hash: str) -> dict[str, Any] | None:
    """The head as the application vouches for it: id and hash of the last entry, when it was
    the last, and an HMAC of the three with the chain's key."""
    if entry_id is None:
        return None
    at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return {
        "id": entry_id,
        "hash": entry_hash,
        "at": at,
        "signature": keyed_digest(_head_text(entry_id, entry_hash, at)),
    }


def current_head() -> dict[str, Any] | None:
    last = AuditEntry.objects.order_by("-id").values_list("id", "entry_hash").first()
    return signed_head(*last) if last else None


def check_head(head: dict[str, Any], report: ChainReport) -> None:
    """Add to the report what a recorded head says about the log as it is now."""
    forged = Finding(
        None,
        "forged head",
        "a recorded head's signature does not fit: it was not written with this key",
    )
    try:
        entry_id, entry_hash, at = int(head["id"]), str(head["hash"]), str(head["at"])
        genuine = hmac.compare_digest(
            keyed_digest(_head_text(entry_id, entry_hash, at)), str(head["signature"])
        )
    except (KeyError, TypeError, ValueError):
        report.add(forged)
        return
    if not genuine:
        report.add(forged)
        return
    stored = AuditEntry.objects.filter(pk=entry_id).values_list("entry_hash", flat=True).first()
    if stored is None:
        report.add(
            Finding(
                entry_id,
                "cut short",
                f"was the log's last entry on {at} and is gone: the log was cut short "
                f"(it now ends at entry {report.last_id or 'none'})",
            )
        )
    elif stored != entry_hash:
        report.add(
            Finding(
                entry_id,
                "rewritten",
                f"is not the entry recorded as the head on {at}: the log was rewritten",
            )
        )


def latest_recorded_head(path: Path) -> tuple[dict[str, Any] | None, int]:
    """The recorded head with the highest id in a head file, and how many lines could not be
    read as heads at all."""
    best: dict[str, Any] | None = None
    unreadable = 0
    if not path.exists():
        return None, 0
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            try:
                head: dict[str, Any] = json.loads(line[line.index("{") :])
                entry_id = int(head["id"])
            except (ValueError, TypeError, KeyError):
                unreadable += 1
                continue
            if best is None or entry_id > int(best["id"]):
                best = head
    return best, unreadable


def record_head() -> dict[str, Any] | None:
    """Write the signed head to the head log (file and/or syslog, see settings)."""
    head = current_head()
    if head is not None:
        logger.info("audit head %s", json.dumps(head, sort_keys=True))
    return head


_last_recorded = {"at": float("-inf")}


def record_head_now_and_then() -> None:
    """After an append commits: record the head if this process has not for a while."""
    if time.monotonic() - _last_recorded["at"] < settings.AUDIT_HEAD_INTERVAL:
        return
    _last_recorded["at"] = time.monotonic()
    try:
        record_head()
    except Exception:  # a head log that cannot be written must not fail a registration
        logging.getLogger(__name__).exception("Could not record the audit chain's head.")
