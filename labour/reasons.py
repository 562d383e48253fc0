"""The engine explains in plain English with ids (it knows no Django); pages show those
explanations in the reader's language with names. Each clause of a reason is matched against
the engine's phrasings (labour/engine/explain.py, eligibility.py); a clause no pattern knows
is shown as the engine wrote it, so nothing is ever hidden."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

Names = Callable[[str], str]

_CLAUSES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], Names, Names], str]], ...] = (
    (
        re.compile(r"the best fit among (\d+) jobs open to this person$"),
        lambda m, job, site: _("the best fit among %(n)s jobs open to this person") % {"n": m[1]},
    ),
    (
        re.compile(r"already at work, kept: no move was worth more than staying$"),
        lambda m, job, site: _("already at work, kept: no move was worth more than staying"),
    ),
    (
        re.compile(r"full: all (\d+) positions of (\S+) taken$"),
        lambda m, job, site: (
            _("full: all %(n)s positions of %(job)s taken") % {"n": m[1], "job": job(m[2])}
        ),
    ),
    (
        re.compile(r"full: housing at (\S+) has (\d+) free places, the household needs (\d+)$"),
        lambda m, job, site: (
            _("full: housing at %(site)s has %(free)s free places, the household needs %(need)s")
            % {"site": site(m[1]), "free": m[2], "need": m[3]}
        ),
    ),
    (
        re.compile(r"less likely to stay: (\d+)% against (\d+)% in the chosen job$"),
        lambda m, job, site: (
            _("less likely to stay: %(here)s%% against %(chosen)s%% in the chosen job")
            % {"here": m[1], "chosen": m[2]}
        ),
    ),
    (
        re.compile(r"the chosen job matches the person's wishes or the plan's priorities better$"),
        lambda m, job, site: _(
            "the chosen job matches the person's wishes or the plan's priorities better"
        ),
    ),
    (
        re.compile(r"its positions went to people for whom they make a bigger difference$"),
        lambda m, job, site: _(
            "its positions went to people for whom they make a bigger difference"
        ),
    ),
    (
        re.compile(
            r"the household was housed at (\S+) for another member's job, and no job there fits "
            r"this person \((\d+) fitting jobs elsewhere\)$"
        ),
        lambda m, job, site: (
            _(
                "the household was housed at %(site)s for another member's job, and no job "
                "there fits this person (%(n)s fitting jobs elsewhere)"
            )
            % {"site": site(m[1]), "n": m[2]}
        ),
    ),
    (
        re.compile(
            r"the household is housed together at (\S+), where no job fits this person "
            r"\((\d+) fitting jobs elsewhere\)$"
        ),
        lambda m, job, site: (
            _(
                "the household is housed together at %(site)s, where no job fits this person "
                "(%(n)s fitting jobs elsewhere)"
            )
            % {"site": site(m[1]), "n": m[2]}
        ),
    ),
    (
        re.compile(r"all (\d+) jobs that fit this person are full$"),
        lambda m, job, site: _("all %(n)s jobs that fit this person are full") % {"n": m[1]},
    ),
    (
        re.compile(
            r"the (\d+) jobs that fit at (\S+) are full \((\d+) of (\d+) fitting jobs are full\)$"
        ),
        lambda m, job, site: (
            _(
                "the %(n)s jobs that fit at %(site)s are full (%(full)s of %(all)s fitting jobs are full)"
            )
            % {"n": m[1], "site": site(m[2]), "full": m[3], "all": m[4]}
        ),
    ),
    (
        re.compile(r"(\d+) of (\d+) jobs that fit are full$"),
        lambda m, job, site: (
            _("%(full)s of %(n)s jobs that fit are full") % {"full": m[1], "n": m[2]}
        ),
    ),
    (
        re.compile(r"the others are at sites without housing for a household of (\d+)$"),
        lambda m, job, site: (
            _("the others are at sites without housing for a household of %(n)s") % {"n": m[1]}
        ),
    ),
    (
        re.compile(
            r"the open ones are kept for people with a better chance of staying or for later "
            r"arrivals$"
        ),
        lambda m, job, site: _(
            "the open ones are kept for people with a better chance of staying or for later "
            "arrivals"
        ),
    ),
    (
        re.compile(r"best placement found among (\d+) eligible jobs \(score ([\d.]+)\)$"),
        lambda m, job, site: (
            _("best placement among %(n)s eligible jobs (score %(score)s)")
            % {"n": m[1], "score": m[2]}
        ),
    ),
    (
        re.compile(r"housed with the household at (\S+)$"),
        lambda m, job, site: _("housed with the household at %(site)s") % {"site": site(m[1])},
    ),
    (
        re.compile(r"no housing: no candidate site had (\d+) free places left for the household$"),
        lambda m, job, site: (
            _("no housing: no site had %(n)s free places for the household") % {"n": m[1]}
        ),
    ),
    (
        re.compile(r"full: all (\d+) job slots of (\S+) taken \(scarcity price ([\d.]+)\)$"),
        lambda m, job, site: (
            _("full: all %(n)s positions of %(job)s taken (scarcity price %(price)s)")
            % {"n": m[1], "job": job(m[2]), "price": m[3]}
        ),
    ),
    (
        re.compile(
            r"full: housing at (\S+) has (\d+) free places, the household needs (\d+) "
            r"\(scarcity price ([\d.]+)\)$"
        ),
        lambda m, job, site: (
            _(
                "full: housing at %(site)s has %(free)s free places, the "
                "household needs %(need)s (scarcity price %(price)s)"
            )
            % {"site": site(m[1]), "free": m[2], "need": m[3], "price": m[4]}
        ),
    ),
    (
        re.compile(r"household of (\d+) is placed together at (\S+), better for the household"),
        lambda m, job, site: (
            _(
                "the household of %(n)s is placed together at %(site)s, better "
                "for the household as a whole"
            )
            % {"n": m[1], "site": site(m[2])}
        ),
    ),
    (
        re.compile(r"lower score \(([\d.]+) against ([\d.]+)\)$"),
        lambda m, job, site: (
            _("lower score (%(score)s against %(chosen)s)") % {"score": m[1], "chosen": m[2]}
        ),
    ),
    (
        re.compile(
            r"higher score but the slot serves the plan better elsewhere.*\(job price "
            r"([\d.]+)\)$"
        ),
        lambda m, job, site: (
            _(
                "higher score, but the position serves the plan better "
                "elsewhere (position price %(price)s)"
            )
            % {"price": m[1]}
        ),
    ),
    (
        re.compile(
            r"already at work, kept: no move was worth more than staying \(score ([\d.]+)\)$"
        ),
        lambda m, job, site: (
            _("already at work, kept: no move was worth more than staying (score %(score)s)")
            % {"score": m[1]}
        ),
    ),
    (
        re.compile(r"moved from (\S+)$"),
        lambda m, job, site: _("moved from %(job)s") % {"job": job(m[1])},
    ),
    (
        re.compile(r"already at work; not moved"),
        lambda m, job, site: _("already at work; not moved (no move allowed)"),
    ),
    (
        re.compile(r"no candidate jobs were offered for this person$"),
        lambda m, job, site: _("no jobs were offered for this person"),
    ),
    (
        re.compile(
            r"the household is placed together at a site where no job fits this person "
            r"\((\d+) eligible jobs elsewhere\)$"
        ),
        lambda m, job, site: (
            _(
                "the household is placed together at a site where no job fits "
                "this person (%(n)s eligible jobs elsewhere)"
            )
            % {"n": m[1]}
        ),
    ),
    (
        re.compile(r"(\d+) of (\d+) eligible jobs are full$"),
        lambda m, job, site: (
            _("%(full)s of %(n)s eligible jobs are full") % {"full": m[1], "n": m[2]}
        ),
    ),
    (
        re.compile(
            r"the rest went to placements of higher value \(most binding: job slots of "
            r"(\S+), price ([\d.]+)\)$"
        ),
        lambda m, job, site: (
            _(
                "the rest went to placements of higher value (most binding: "
                "%(job)s, price %(price)s)"
            )
            % {"job": job(m[1]), "price": m[2]}
        ),
    ),
)

_FAILURES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"not seeking work$"), lambda m: _("not seeking work")),
    (
        re.compile(r"no verified (.+)$"),
        lambda m: _("no verified %(credential)s") % {"credential": m[1]},
    ),
    (
        re.compile(r"not fit for heavy work \(medical examination\)$"),
        lambda m: _("not fit for heavy work (medical examination)"),
    ),
    (
        re.compile(r"not fit for work \(medical examination\)$"),
        lambda m: _("not fit for work (medical examination)"),
    ),
    (
        re.compile(r"in another province$"),
        lambda m: _("in another province, and this plan keeps people in their own"),
    ),
    (
        re.compile(r"outside the plan's working age$"),
        lambda m: _("outside the working age of this plan"),
    ),
    (
        re.compile(r"under the minimum age of (\d+)$"),
        lambda m: _("under the minimum age of %(age)s") % {"age": m[1]},
    ),
    (
        re.compile(r"does not speak (\S+)$"),
        lambda m: _("does not speak %(language)s") % {"language": m[1]},
    ),
)


def _failure(text: str) -> str:
    counted = re.match(r"(.+) \((\d+) jobs\)$", text)
    core = counted[1] if counted else text
    for pattern, render in _FAILURES:
        if found := pattern.match(core):
            core = render(found)
            break
    if counted:
        return _("%(failure)s (%(n)s jobs)") % {"failure": core, "n": counted[2]}
    return core


def _clause(text: str, job: Names, site: Names) -> str:
    if text.startswith("not eligible: "):
        return _("not eligible: %(why)s") % {"why": _failure(text.removeprefix("not eligible: "))}
    if found := re.match(r"no eligible job among (\d+) candidates: (.+)$", text):
        return _("no eligible job among %(n)s: %(why)s") % {
            "n": found[1],
            "why": _failure(found[2]),
        }
    for pattern, render in _CLAUSES:
        if found := pattern.match(text):
            return render(found, job, site)
    return _failure(text)


def localize_reason(reason: str, job_names: dict[str, str], site_names: dict[str, str]) -> str:
    """The engine's reason in the reader's language, with vacancy and site names for ids."""
    if not reason:
        return ""

    def job(job_id: str) -> str:
        return job_names.get(job_id, job_id)

    def site(site_id: str) -> str:
        return site_names.get(site_id, site_id)

    return "; ".join(_clause(part, job, site) for part in reason.split("; "))


def unknown_clauses(reason: str) -> list[str]:
    """Clauses that no pattern knows (for tests: the engine changed its phrasing)."""
    unknown = []
    for part in reason.split("; ") if reason else []:
        core = part.removeprefix("not eligible: ")
        if found := re.match(r"no eligible job among \d+ candidates: (.+)$", core):
            core = found[1]
        core = re.sub(r" \(\d+ jobs\)$", "", core)
        known = any(p.match(core) for p, _r in _CLAUSES) or any(
            p.match(core) for p, _r in _FAILURES
        )
        if not known:
            unknown.append(part)
    return unknown
