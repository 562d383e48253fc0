"""Benchmark of the documents engine: signing, offline verification and PDF rendering.

    .venv/bin/python bench/documents.py [--quick] [--save-pdf bench/out/passes.pdf]

Progress goes to stderr; the LAST line of stdout is one JSON object with the figures.
Targets (issue 7): a verification under 1 ms; 80 travel passes to one PDF under 20 s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image  # noqa: E402

from documents.render.pdf import render_document_pdf, render_documents_pdf  # noqa: E402
from documents.signing.keys import KeyList, SigningKey  # noqa: E402
from documents.signing.payload import DocumentPayload  # noqa: E402
from documents.signing.qr import qr_png_bytes  # noqa: E402
from documents.signing.revocation import RevocationList, RevokedDocument  # noqa: E402
from documents.signing.samples import sample_name_hanzi, sample_payload  # noqa: E402
from documents.signing.sign import sign_document  # noqa: E402
from documents.signing.verify import Verdict, Verifier  # noqa: E402

VERIFICATION_TARGET_MS = 1.0
BATCH_TARGET_SECONDS = 20.0
BATCH_SIZE = 80  # travel documents issued a day, per the 1961 cable
REVOKED_ENTRIES = 5_000
ISSUED = date(1961, 11, 8)
NOW = datetime(1961, 11, 10, 9, 0, tzinfo=UTC)


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def timed_with_cpu(action: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds: on a shared machine the CPU time shows the code's own cost."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def sample_photo(index: int) -> bytes:
    buffer = io.BytesIO()
    # A phone-sized photo, so the benchmark includes scaling it down to print size.
    Image.new("RGB", (1200, 1600), (150 + index % 60, 120, 100)).save(buffer, format="JPEG")
    return buffer.getvalue()


def bench_signing(key: SigningKey, payloads: list[DocumentPayload]) -> tuple[float, list[str]]:
    signed: list[str] = []
    seconds = timed(lambda: signed.extend(sign_document(p, key) for p in payloads))
    return len(payloads) / seconds, signed


def bench_verification(verifier: Verifier, qr_texts: list[str], rounds: int) -> dict[str, float]:
    for qr_text in qr_texts[:50]:  # warm-up: caches, branch predictors
        verifier.verify(qr_text, ISSUED, NOW)
    durations: list[float] = []
    verdicts: dict[Verdict, int] = {}
    cpu_started = time.process_time()
    for _ in range(rounds):
        for qr_text in qr_texts:
            started = time.perf_counter()
            result = verifier.verify(qr_text, ISSUED, NOW)
            durations.append(time.perf_counter() - started)
            verdicts[result.verdict] = verdicts.get(result.verdict, 0) + 1
    cpu_seconds = time.process_time() - cpu_started
    if set(verdicts) - {Verdict.VALID, Verdict.REVOKED}:
        raise RuntimeError(f"unexpected verdicts in benchmark: {verdicts}")
    durations.sort()
    return {
        "verifications_per_second": round(len(durations) / sum(durations), 1),
        "verification_ms_mean": round(statistics.fmean(durations) * 1000, 4),
        "verification_ms_p99": round(durations[int(len(durations) * 0.99)] * 1000, 4),
        "verification_cpu_ms_mean": round(cpu_seconds / len(durations) * 1000, 4),
    }


def bench_image_verification(verifier: Verifier, qr_texts: list[str]) -> float:
    images = [qr_png_bytes(text, module_pixels=5) for text in qr_texts]
    seconds = timed(lambda: [verifier.verify_image(image, ISSUED, NOW) for image in images])
    return len(images) / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke run")
    parser.add_argument("--save-pdf", type=Path, help="write the batch PDF here")
    arguments = parser.parse_args()
    signing_count, verify_rounds, single_renders = (
        (200, 2, 3) if arguments.quick else (2_000, 10, 10)
    )

    key = SigningKey.generate("NH-LAB")
    key_list = KeyList((key.published(date(1960, 1, 1)),))
    payloads = [sample_payload(i, issued_on=ISSUED) for i in range(signing_count)]

    progress(f"signing {signing_count} payloads")
    signatures_per_second, qr_texts = bench_signing(key, payloads)

    revoked = tuple(
        RevokedDocument(f"TP-NH-1961-{900_000 + i}", ISSUED, "test") for i in range(REVOKED_ENTRIES)
    ) + (RevokedDocument(payloads[0].number, ISSUED, "lost"),)
    revocations = RevocationList(7, NOW - timedelta(hours=3), "NH-DOC", revoked)
    verifier = Verifier(key_list, revocations)
    progress(f"verifying {signing_count} x {verify_rounds} with {len(revoked)} revocations")
    verification = bench_verification(verifier, qr_texts, verify_rounds)

    progress("verifying 20 QR images")
    image_verifications_per_second = bench_image_verification(verifier, qr_texts[:20])

    progress(f"rendering {single_renders} single PDFs")
    documents = [
        ({"qr_text": qr_texts[i], "name_hanzi": sample_name_hanzi(i)}, sample_photo(i))
        for i in range(BATCH_SIZE)
    ]
    render_document_pdf(*documents[0])  # warm-up: font loading happens once per process
    single_seconds = timed(lambda: [render_document_pdf(*d) for d in documents[:single_renders]])

    progress(f"rendering a batch of {BATCH_SIZE} travel passes into one PDF")
    batch_pdf: list[bytes] = []
    batch_seconds, batch_cpu_seconds = timed_with_cpu(
        lambda: batch_pdf.append(render_documents_pdf(documents))
    )
    if arguments.save_pdf:
        arguments.save_pdf.parent.mkdir(parents=True, exist_ok=True)
        arguments.save_pdf.write_bytes(batch_pdf[0])
        progress(f"batch PDF written to {arguments.save_pdf}")

    figures = {
        "benchmark": "documents",
        "signatures_per_second": round(signatures_per_second, 1),
        **verification,
        "revocation_list_entries": len(revoked),
        "image_verifications_per_second": round(image_verifications_per_second, 1),
        "pdf_renders_per_second": round(single_renders / single_seconds, 2),
        "batch_documents": BATCH_SIZE,
        "batch_pdf_seconds": round(batch_seconds, 2),
        "batch_pdf_cpu_seconds": round(batch_cpu_seconds, 2),
        "batch_pdf_bytes": len(batch_pdf[0]),
        "batch_seconds_per_document": round(batch_seconds / BATCH_SIZE, 3),
        "verification_target_ms": VERIFICATION_TARGET_MS,
        "batch_target_seconds": BATCH_TARGET_SECONDS,
        "verification_target_met": verification["verification_ms_mean"] < VERIFICATION_TARGET_MS,
        "batch_target_met": batch_seconds < BATCH_TARGET_SECONDS,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "quick": arguments.quick,
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
