"""Figures of the situation report that come from other apps' records: the Cabinet Office's
blankets (received and handed out, from the supplies ledger) and travel documents issued a day
(from the daily counts the documents app keeps). Each is read where its app keeps it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from documents.stats import issued_per_day
from supplies.figures import received_and_handed_out

TRAVEL_DOCUMENT = "TP"  # the cable's "travel documents": the reception stations' travel passes
AVERAGE_DAYS = 30


@dataclass(frozen=True)
class CableFigures:
    blankets_received: int
    blankets_handed_out: int
    travel_documents_on_day: int
    travel_documents_average: float  # per day over the AVERAGE_DAYS days ending on the day
    average_days: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "blankets": {
                "received": self.blankets_received,
                "handed_out": self.blankets_handed_out,
            },
            "travel_documents": {
                "on_the_day": self.travel_documents_on_day,
                "average_per_day": self.travel_documents_average,
                "average_over_days": self.average_days,
            },
        }


def cable_figures(station_ids: list[int], day: dt.date, until: dt.datetime) -> CableFigures:
    received, handed_out = received_and_handed_out(station_ids, "blanket", until)
    counts = issued_per_day(
        station_ids, TRAVEL_DOCUMENT, day - dt.timedelta(days=AVERAGE_DAYS - 1), day
    )
    return CableFigures(
        blankets_received=received,
        blankets_handed_out=handed_out,
        travel_documents_on_day=counts[-1].count,
        travel_documents_average=round(sum(c.count for c in counts) / AVERAGE_DAYS, 1),
        average_days=AVERAGE_DAYS,
    )
