"""The situation report told in a few sentences, in the viewer's language (gettext catalogs)."""

from __future__ import annotations

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.situation import SituationReport

# The reasons the labour office records most often; other texts are quoted as written.
KNOWN_REASONS = {
    "work too hard": gettext_lazy("the work was too hard"),
    "unable to do the work": gettext_lazy("unable to do the work"),
    "dissatisfied with the assignment": gettext_lazy("dissatisfied with the assignment"),
    "dissatisfied with assignment": gettext_lazy("dissatisfied with the assignment"),
    "family": gettext_lazy("family reasons"),
    "health": gettext_lazy("health"),
    "other": gettext_lazy("other reasons"),
}
TOP_REASONS = 3


def reason_label(reason: str) -> str:
    label = KNOWN_REASONS.get(reason.lower())
    return str(label) if label is not None else reason


def _n(value: int) -> str:
    return f"{value:,}"


def narrative(report: SituationReport) -> list[str]:
    """Paragraphs describing the report, in the active language."""
    totals = report.totals
    names = {station.pk: station.localized_name for station in report.scope.stations}
    present = [s for s in sorted(report.stations, key=lambda s: -s.present) if s.present]
    paragraphs = [
        _("As of %(date)s, %(arrivals)s people had crossed into %(scope)s.")
        % {
            "date": formats.date_format(report.as_of, "DATE_FORMAT"),
            "arrivals": _n(totals["arrivals"]),
            "scope": report.scope.label,
        }
    ]
    if present:
        listing = _(", ").join(
            _("%(station)s %(count)s") % {"station": names[s.station_id], "count": _n(s.present)}
            for s in present
        )
        paragraphs.append(
            _("%(present)s were at the reception stations: %(stations)s.")
            % {"present": _n(totals["present"]), "stations": listing}
        )
    else:
        paragraphs.append(_("Nobody was at the reception stations."))
    paragraphs.append(
        _(
            "%(placed)s had been placed in work; %(educated)s had three or more years of "
            "university or technical school."
        )
        % {"placed": _n(totals["placed"]), "educated": _n(totals["higher_education"])}
    )
    if totals["left_job"]:
        reasons = _(", ").join(
            _("%(reason)s (%(count)s)") % {"reason": reason_label(r), "count": _n(n)}
            for r, n in report.left_job_reasons[:TOP_REASONS]
        )
        paragraphs.append(
            _(
                "%(left)s had left their jobs, %(young)s of them (%(share)s%%) aged 30 or "
                "under. Reasons given most often: %(reasons)s."
            )
            % {
                "left": _n(totals["left_job"]),
                "young": _n(report.left_job_young),
                "share": round(report.left_job_young_share * 100),
                "reasons": reasons,
            }
        )
    else:
        paragraphs.append(_("Nobody had left a job."))
    paragraphs.append(
        _(
            "%(returned)s had gone back across the border; %(repeat)s had crossed more often "
            "than the policy allows."
        )
        % {"returned": _n(totals["returned"]), "repeat": _n(totals["repeat_crossers"])}
    )
    if report.cable is not None:
        cable = report.cable
        paragraphs.append(
            _(
                "%(received)s blankets had been received and %(handed_out)s handed out. "
                "%(average)s travel passes were issued a day on average over the last %(days)s "
                "days, %(on_day)s on the day itself."
            )
            % {
                "received": _n(cable.blankets_received),
                "handed_out": _n(cable.blankets_handed_out),
                "average": formats.number_format(cable.travel_documents_average, 1),
                "days": cable.average_days,
                "on_day": _n(cable.travel_documents_on_day),
            }
        )
    return paragraphs


def narratives(report: SituationReport) -> dict[str, list[str]]:
    """The narrative in every language of the site, keyed by language code."""
    result = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            result[code] = narrative(report)
    return result
