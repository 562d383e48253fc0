"""The reports app's part of the demo data set: the labour office's outcome records behind
the journey steps after placement (arrived at work, left the job with the cable's reasons,
moved, went back), and grievances - complaints about job assignments from people who left
unwilling, appeals against the group return, a few about refused documents - some answered,
some still open and overdue on the cable's date.

Outcomes are written with one INSERT ... SELECT over the steps, so a million-person demo
adds them without moving rows through Python.
"""

import datetime as dt
import random
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from people.demo.figures import CABLE_DATE, after_cable_date
from people.models import JourneyTransition
from people.states import JourneyState as S
from reports.grievances import ANSWER_DAYS
from reports.models import Grievance
from reports.step_counts import merge_slots
from waystation.rows import new_uuid_sql

# (kind of outcome, journey step it records, which step it must come from)
_OUTCOME_STEPS = (
    ("arrived_at_work", S.AT_WORK, None),
    ("left_job", S.LEFT_JOB, None),
    ("moved", S.MOVED, None),
    ("returned", S.RETURNED, (S.PLACED, S.AT_WORK, S.LEFT_JOB, S.MOVED)),
)
GRIEVANCE_SHARE_OF_UNWILLING = 0.25  # of those who left, dissatisfied with the assignment
GROUP_RETURN_APPEALS = 40  # at the cable's scale
DOCUMENT_APPEALS = 12


def _insert_outcomes(officer_id: int) -> int:
    """One statement per kind: an outcome for every matching step that has none yet."""
    new_uuid = new_uuid_sql()
    written = 0
    with connection.cursor() as cursor:
        for kind, to_state, from_states in _OUTCOME_STEPS:
            source_filter = ""
            params: list[object] = [kind, officer_id, to_state]
            if from_states:
                source_filter = f"AND t.from_state IN ({', '.join(['%s'] * len(from_states))})"
                params.extend(from_states)
            reason = "r.id" if kind == "left_job" else "NULL"
            join = (
                "JOIN reports_leavereason r ON r.label_en = t.reason" if kind == "left_job" else ""
            )
            cursor.execute(
                f"""
                INSERT INTO reports_outcome (client_uuid, person_id, kind, occurred_at, source,
                    source_detail, reason_id, reason_text, transition_id, recorded_by_id,
                    recorded_at)
                SELECT {new_uuid}, t.person_id, %s,
                       t.at,
                       CASE WHEN t.id %% 3 = 0 THEN 'visit' ELSE 'employer' END,
                       '', {reason}, '', t.id, %s, t.at
                  FROM people_journeytransition t {join}
                 WHERE t.to_state = %s {source_filter}
                   AND NOT EXISTS (SELECT 1 FROM reports_outcome o WHERE o.transition_id = t.id)
                """,
                params,
            )
            written += cursor.rowcount
    return written


def _grievances(rng: random.Random, factor: float, users: dict[str, object]) -> int:
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    labour, documents = users["labour"], users["documents"]
    steps = JourneyTransition.objects.filter(at__lt=after_cable_date(tz)).order_by("id")
    unwilling = list(
        steps.filter(to_state=S.LEFT_JOB, reason="dissatisfied with the assignment")
        .values_list("person_id", "at")
        .iterator()
    )
    sent_back = list(
        steps.filter(to_state=S.RETURNED, reason__startswith="Sent back")
        .values_list("person_id", "at")
        .iterator()
    )
    rows = []
    picks = (
        (
            rng.sample(unwilling, int(len(unwilling) * GRIEVANCE_SHARE_OF_UNWILLING)),
            Grievance.Filing.COMPLAINT,
            Grievance.Kind.JOB_ASSIGNMENT,
            "Was sent to a job they had not asked for and could not keep; asks for another.",
        ),
        (
            rng.sample(sent_back, min(len(sent_back), round(GROUP_RETURN_APPEALS * factor))),
            Grievance.Filing.APPEAL,
            Grievance.Kind.GROUP_RETURN,
            "Family appeals against the group return; the son had work and a place to live.",
        ),
    )
    for chosen, filing, kind, subject in picks:
        for person_id, at in chosen:
            rows.append(
                (person_id, at + dt.timedelta(days=rng.randint(1, 20)), filing, kind, subject)
            )
    documents_refused = rng.sample(unwilling, min(len(unwilling), round(DOCUMENT_APPEALS * factor)))
    for person_id, at in documents_refused:
        rows.append(
            (
                person_id,
                at + dt.timedelta(days=rng.randint(5, 40)),
                Grievance.Filing.APPEAL,
                Grievance.Kind.DOCUMENT_REFUSAL,
                "A travel pass to the new workplace was refused; appeals the refusal.",
            )
        )
    cable_end = dt.datetime.combine(CABLE_DATE, dt.time(17), tzinfo=tz)
    grievances = []
    for index, (person_id, filed_at, filing, kind, subject) in enumerate(sorted(rows)):
        filed_at = min(filed_at, cable_end - dt.timedelta(days=1))
        due_on = filed_at.astimezone(tz).date() + dt.timedelta(days=ANSWER_DAYS)
        officer = documents if kind == Grievance.Kind.DOCUMENT_REFUSAL else labour
        # Older cases were mostly answered; recent ones are open, some already overdue.
        answered = due_on < CABLE_DATE - dt.timedelta(days=20) and rng.random() < 0.85
        reviewing = not answered and rng.random() < 0.6
        answered_at = (
            filed_at + dt.timedelta(days=rng.randint(5, ANSWER_DAYS)) if answered else None
        )
        grievances.append(
            Grievance(
                case_number=f"G-{filed_at.year}-D{index + 1:06d}",
                person_id=person_id,
                filing=filing,
                kind=kind,
                subject=subject,
                state=Grievance.State.CLOSED
                if answered
                else (Grievance.State.UNDER_REVIEW if reviewing else Grievance.State.OPEN),
                responsible=officer if answered or reviewing else None,
                due_on=due_on,
                answer="Reviewed with the employer; offered a place at another site."
                if answered
                else "",
                answered_at=answered_at,
                filed_by=labour,
                filed_at=filed_at,
            )
        )
    Grievance.objects.bulk_create(grievances, batch_size=2000)
    return len(grievances)


def load(seed: int, factor: float) -> dict[str, int]:
    User = get_user_model()
    users = {name: User.objects.get(username=name) for name in ("labour", "documents")}
    with transaction.atomic():
        outcomes = _insert_outcomes(users["labour"].pk)
        grievances = _grievances(random.Random(seed + 80), factor, users)
    return {"outcome records": outcomes, "grievances": grievances}


def merge_step_slots(seed: int, factor: float) -> dict[str, int]:
    """After the demo's history is written, nobody writes to its days any more: each day's
    step counters are merged into one row per kind of step."""
    merge_slots(before=dt.date.max)
    return {}
