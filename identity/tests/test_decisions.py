"""Decisions on the files check: links that lose nothing and can be undone, labels, the
review queue, and the audit trail of every decision."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from identity import decisions
from identity.crossings import crossings_of
from identity.models import MatchLabel, PersonLink, ReviewItem
from identity.tests.helpers import crossing, stored_person
from people.audit import AuditEntry
from people.models import Person
from people.tests.test_views import registration_form

pytestmark = pytest.mark.django_db
BORN = dt.date(1958, 4, 12)


def pair(personas):
    earlier = stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=BORN,
        station=personas.musan,
        place_of_origin="延吉",
    )
    later = stored_person(
        family_name_hangul="안",
        given_name_hangul="재수",
        sex="M",
        birth_date=BORN,
        station=personas.onsong,
        place_of_origin="연길",
    )
    crossing(earlier, days_ago=400)
    crossing(later, days_ago=2)
    return earlier, later


def snapshot(person: Person) -> dict:
    fresh = Person.objects.get(pk=person.pk)
    fields = {f.name: getattr(fresh, f.name) for f in Person._meta.concrete_fields}
    fields["crossings"] = sorted(fresh.crossings.values_list("pk", flat=True))
    return fields


def test_link_and_undo_lose_nothing(personas) -> None:
    earlier, later = pair(personas)
    before = (snapshot(earlier), snapshot(later))
    admin = personas["admin"]
    decisions.decide(
        user=personas["registrar-onsong"],
        person=later,
        candidate=earlier,
        verdict="same",
        score=30.0,
    )
    link = PersonLink.objects.get(person=later, undone_at__isnull=True)
    assert link.merged_into == earlier
    assert (snapshot(earlier), snapshot(later)) == before
    assert len(list(crossings_of(earlier))) == 2  # the earlier person shows both crossings
    listed = personas.client_for("admin").get("/people/").content.decode()
    assert f"/people/{later.pk}/" not in listed and f"/people/{earlier.pk}/" in listed

    response = personas.client_for("admin").post(
        f"/identity/links/{link.pk}/undo/", {"reason": "Twins"}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.undone_at is not None and link.undo_reason == "Twins" and link.undone_by == admin
    assert (snapshot(earlier), snapshot(later)) == before
    assert len(list(crossings_of(earlier))) == 1
    listed = personas.client_for("admin").get("/people/").content.decode()
    assert f"/people/{later.pk}/" in listed
    labels = list(MatchLabel.objects.filter(left=later).values_list("verdict", flat=True))
    assert sorted(labels) == ["different", "same"]
    audit = AuditEntry.objects.filter(person=later, object_type="identity.PersonLink")
    assert audit.count() == 2


def test_a_registrar_may_not_undo_a_link_nor_decide_for_another_station(personas) -> None:
    earlier, later = pair(personas)
    link = decisions.link_persons(user=personas["admin"], person=later, into=earlier)
    response = personas.client_for("registrar-onsong").post(
        f"/identity/links/{link.pk}/undo/", {"reason": "x"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        decisions.decide(
            user=personas["registrar-musan"], person=later, candidate=earlier, verdict="different"
        )
    with pytest.raises(PermissionDenied):
        decisions.decide(
            user=personas["auditor"], person=later, candidate=earlier, verdict="different"
        )


def test_different_is_a_label_and_not_sure_goes_to_the_review_queue(personas) -> None:
    earlier, later = pair(personas)
    registrar = personas["registrar-onsong"]
    decisions.decide(
        user=registrar, person=later, candidate=earlier, verdict="different", score=14.0
    )
    assert not PersonLink.objects.exists()
    assert MatchLabel.objects.get().verdict == "different"
    decisions.decide(
        user=registrar, person=later, candidate=earlier, verdict="unsure", score=14.0, band="review"
    )
    item = ReviewItem.objects.get(resolved_at__isnull=True)
    assert AuditEntry.objects.filter(object_type="identity.MatchLabel", person=later).count() == 2

    client = personas.client_for("registrar-onsong")
    page = client.get("/identity/review/").content.decode()
    assert "安在秀" in page and "안 재수" in page
    assert (
        "Nothing waits"
        in personas.client_for("registrar-musan").get("/identity/review/").content.decode()
    )
    client.post(f"/identity/review/{item.pk}/decide/", {"verdict": "same"})
    item.refresh_from_db()
    assert item.resolved_at is not None and item.verdict == "same"
    assert PersonLink.objects.get(undone_at__isnull=True).merged_into == earlier
    assert "Nothing waits" in client.get("/identity/review/").content.decode()


def test_the_registration_form_carries_the_registrars_verdict(personas) -> None:
    earlier = stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=BORN,
        station=personas.musan,
    )
    other = stored_person(family_name_hanzi="安", given_name_hanzi="在洙", sex="M", birth_date=BORN)
    data = registration_form(
        [
            {
                "family_name_hangul": "안",
                "given_name_hangul": "재수",
                "sex": "M",
                "birth_date": BORN.isoformat(),
            }
        ],
        personas.onsong.pk,
    )
    data["members-0-identity_decisions"] = json.dumps(
        {
            str(earlier.pk): {"verdict": "same", "score": 27.5, "band": "review"},
            str(other.pk): {"verdict": "different", "score": 13.0, "band": "review"},
        }
    )
    response = personas.client_for("registrar-onsong").post("/people/register/", data)
    assert response.status_code == 302
    new = Person.objects.get(family_name_hangul="안", station=personas.onsong)
    assert PersonLink.objects.get(person=new).merged_into == earlier
    assert MatchLabel.objects.get(left=new, right=other).verdict == "different"
    assert new.crossings.count() == 1 and new.identity_keys is not None


def test_the_reestimate_command_reports_before_and_after(personas, capsys) -> None:
    registrar = personas["registrar-onsong"]
    for number in range(12):
        born = BORN + dt.timedelta(days=40 * number)
        a = stored_person(
            family_name_hanzi="安",
            given_name_hanzi="在秀",
            sex="M",
            birth_date=born,
            station=personas.onsong,
        )
        b = stored_person(
            family_name_hangul="안",
            given_name_hangul="재수",
            sex="M",
            birth_date=born,
            station=personas.onsong,
        )
        c = stored_person(
            family_name_hangul="안",
            given_name_hangul="재민",
            sex="M",
            birth_date=born,
            station=personas.onsong,
        )
        decisions.decide(user=registrar, person=b, candidate=a, verdict="same")
        decisions.decide(user=registrar, person=c, candidate=a, verdict="different")
    call_command("identity_reestimate", "--min-labels", "10")
    out = capsys.readouterr().out
    assert "before: auto-link precision" in out and "after: auto-link precision" in out
    assert json.loads(out.strip().splitlines()[-1])["saved"] is True
