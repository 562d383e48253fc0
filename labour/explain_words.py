"""The chance of staying and what raises or lowers it, in an officer's words and language.

The engine gives factor codes with their effect on the probability (labour/engine/factors.py);
the run's saved inputs say what the person wished for, how fit they are, the job's heaviness
and the site's housing, so each factor is worded about this person and this place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from labour.models.sites import Heaviness, HousingType, SiteKind

_FITNESS_WORDS = {"heavy": "heavy", "light": "light", "unfit": "no"}


class RunFacts:
    """Persons, jobs and sites of a run's saved inputs, by id."""

    def __init__(self, inputs: dict[str, Any]) -> None:
        self.persons = {p["person_id"]: p for p in inputs.get("persons", [])}
        self.jobs = {j["job_id"]: j for j in inputs.get("jobs", [])}
        self.sites = {s["site_id"]: s for s in inputs.get("sites", [])}
        self.household_size = {
            h["household_id"]: len(h["member_ids"]) for h in inputs.get("households", [])
        }


def _points(effect: float) -> str:
    return _("%(n)s points") % {"n": abs(round(100 * effect))}


def _heaviness(job: dict[str, Any]) -> str:
    if job.get("requirements", {}).get("heavy_work"):
        return str(Heaviness.HEAVY.label)
    return str(
        dict(Heaviness.choices).get(job.get("heaviness") or "medium", Heaviness.MEDIUM.label)
    )


def _fitness(person: dict[str, Any]) -> str:
    level = person.get("fitness") or ("heavy" if person.get("heavy_work_fit") else "light")
    return {
        "heavy": _("fit for heavy work"),
        "light": _("fit for light work only"),
        "unfit": _("found unfit for work"),
    }.get(level, level)


def factor_text(
    code: str,
    effect: float,
    person: dict[str, Any],
    job: dict[str, Any],
    site: dict[str, Any],
    household_size: int,
) -> str:
    """One factor in words, e.g. 'wants mine work (first choice): +8 points'."""
    raises = effect > 0
    sign = "+" if raises else "−"
    amount = f"{sign}{_points(effect)}"
    if code == "sector_wish":
        wished = list(person.get("preferred_sectors", []))
        sector = job.get("sector", "")
        label = str(dict(SiteKind.choices).get(sector, sector))
        if sector in wished:
            text = _("wants this kind of work (%(kind)s, choice %(rank)s)") % {
                "kind": label,
                "rank": wished.index(sector) + 1,
            }
        else:
            text = _("%(kind)s is not among the kinds of work they asked for") % {"kind": label}
    elif code == "place_wish":
        places = [p.casefold() for p in person.get("preferred_places", [])]
        names = [site.get("county", ""), site.get("province", "")]
        rank = next(
            (places.index(n.casefold()) + 1 for n in names if n and n.casefold() in places), 0
        )
        where = site.get("county") or site.get("province") or ""
        if rank:
            text = _("wished to live in %(place)s (choice %(rank)s)") % {
                "place": where,
                "rank": rank,
            }
        else:
            text = _("%(place)s is not a place they asked for") % {"place": where or "—"}
    elif code == "heaviness":
        text = _("%(work)s for someone %(fitness)s, aged %(age)s") % {
            "work": _heaviness(job).lower(),
            "fitness": _fitness(person),
            "age": person.get("age", "?"),
        }
    elif code == "housing":
        kind = str(dict(HousingType.choices).get(site.get("housing_type") or "mixed", ""))
        text = ngettext(
            "%(housing)s for a household of %(n)s person",
            "%(housing)s for a household of %(n)s people",
            household_size,
        ) % {"housing": kind.lower(), "n": household_size}
    elif code == "skill":
        text = (
            _("over-qualified for this work")
            if not raises and _gap_positive(person, job)
            else _("less trained than this work asks")
            if not raises
            else _("the work matches their training")
        )
    elif code == "relatives":
        text = _("far from relatives") if not raises else _("near relatives")
    elif code == "other_province":
        text = _("sent away from the home province")
    else:
        text = code.replace("_", " ")
    return f"{text}: {amount}"


def _gap_positive(person: dict[str, Any], job: dict[str, Any]) -> bool:
    verified = bool(person.get("verified_credentials"))
    years = int(person.get("higher_education_years") or 0)
    level = 3 if verified and years >= 3 else 2 if verified else 1 if years >= 1 else 0
    job_level = job.get("skill_level")
    if job_level is None:
        job_level = 2 if job.get("requirements", {}).get("credential") else 0
    return level > int(job_level)


def chance_summary(
    stay: float | None,
    factors: list[list[Any]],
    facts: RunFacts,
    person_id: str,
    job_id: str | None,
) -> dict[str, Any]:
    """The chance of staying and the factors raising and lowering it, worded."""
    if stay is None or job_id is None:
        return {}
    person = facts.persons.get(person_id, {})
    job = facts.jobs.get(job_id, {})
    site = facts.sites.get(job.get("site_id", ""), {})
    size = facts.household_size.get(person.get("household_id", ""), 1)
    raised = [factor_text(c, e, person, job, site, size) for c, e in factors if e > 0]
    lowered = [factor_text(c, e, person, job, site, size) for c, e in factors if e < 0]
    return {"percent": round(100 * stay), "raised": raised, "lowered": lowered}


def would_open_text(would_open: list[dict[str, Any]], person: dict[str, Any]) -> str:
    """What verifying the claimed credentials would open, e.g. 'Verifying the claimed nurse
    certificate would open: nurse · Musan clinic'."""
    if not would_open:
        return ""
    claimed = ", ".join(sorted(person.get("claimed_credentials", []))) or _("credential")
    names = ", ".join(str(item["name"]) for item in would_open[:5])
    more = len(would_open) - 5
    text = _("Verifying the claimed %(credential)s would open: %(jobs)s") % {
        "credential": claimed,
        "jobs": names,
    }
    if more > 0:
        text += " " + ngettext("and %(n)s more", "and %(n)s more", more) % {"n": more}
    return text


GROUP_LABELS = {
    "age under 30": _lazy("age under 30"),
    "age 30-54": _lazy("age 30-54"),
    "age 55 and over": _lazy("age 55 and over"),
    "women": _lazy("women"),
    "men": _lazy("men"),
    "heavy work": _lazy("heavy work"),
    "medium work": _lazy("medium work"),
    "light work": _lazy("light work"),
    "single people": _lazy("single people"),
    "households of 2-4": _lazy("households of 2-4"),
    "households of 5 or more": _lazy("households of 5 or more"),
    "first-choice kind of work": _lazy("first-choice kind of work"),
    "kind of work not asked for": _lazy("kind of work not asked for"),
}


def card_for_page(card: dict[str, Any] | None) -> dict[str, Any] | None:
    """The saved model card with its group names in the reader's language."""
    if card is None:
        return None
    groups = [
        {**g, "group": str(GROUP_LABELS.get(g["group"], g["group"]))} for g in card["by_group"]
    ]
    trained_on = card.get("trained_on")  # cards saved before it carry only an English source
    if trained_on:
        trained_on = {
            **trained_on,
            "first_date": _day(trained_on.get("first_date")),
            "last_date": _day(trained_on.get("last_date")),
        }
    return {**card, "by_group": groups, "trained_on": trained_on}


def _day(value: str | None) -> dt.date | None:
    """A date saved in the card, for the template's localized |date."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
