"""Decisions on the files check: links that lose nothing and can be undone, labels, the
review queue, and the audit trail of every decision."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from identity.models import MatchLabel, PersonLink, ReviewItem
from identity.services import FilesCheck, decide_person, merge_records
from identity.tests.helpers import crossing, stored_person
from people.audit import AuditEntry
from people.models import Person
from people.tests.factories import registration_form

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


def test_same_person_makes_one_record_and_undoing_it_gives_everything_back(personas) -> None:
    earlier, later = pair(personas)
    before = (snapshot(earlier), snapshot(later))
    survivor = decide_person(
        user=personas["registrar-onsong"],
        person=later,
        files_check=FilesCheck({earlier.pk: "same"}),
    )
    # one human, one live record: the earlier one, with both crossings and the names it lacked
    assert survivor == earlier
    later.refresh_from_db()
    earlier.refresh_from_db()
    assert later.state == "merged" and earlier.state != "merged"
    assert earlier.crossings.count() == 2 and later.crossings.count() == 0
    assert (earlier.family_name_hangul, earlier.given_name_hangul) == ("안", "재수")
    # the human is at Onsong now, where the later record was registered
    assert earlier.station == personas.onsong
    listed = personas.client_for("admin").get("/people/").content.decode()
    assert f"/people/{later.pk}/" not in listed and f"/people/{earlier.pk}/" in listed
    assert Person.objects.exclude(state="merged").filter(pk__in=[earlier.pk, later.pk]).count() == 1
    link = PersonLink.objects.get(person=later, undone_at__isnull=True)
    assert link.merged_into == earlier

    response = personas.client_for("admin").post(
        f"/identity/links/{link.pk}/undo/", {"reason": "Twins"}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.undone_at is not None and link.undo_reason == "Twins"
    after = (snapshot(earlier), snapshot(later))
    unchanged = ("family_name_hangul", "given_name_hangul", "station", "household", "crossings")
    for old, new in zip(before, after, strict=True):
        assert {k: new[k] for k in unchanged} == {k: old[k] for k in unchanged}
    # the closed record is live again as it was; the survivor keeps the steps taken since
    assert after[1]["state"] == before[1]["state"] == "registered"
    listed = personas.client_for("admin").get("/people/").content.decode()
    assert f"/people/{later.pk}/" in listed
    labels = MatchLabel.objects.filter(left=later, right=earlier)
    assert sorted(labels.values_list("verdict", flat=True)) == ["different", "same"]
    audit = AuditEntry.objects.filter(object_type="identity.PersonLink")
    assert audit.count() == 2


def test_a_registrar_may_not_undo_a_merge_nor_decide_for_another_station(personas) -> None:
    earlier, later = pair(personas)
    merge_records(user=personas["admin"], person=later, into=earlier)
    link = PersonLink.objects.get(undone_at__isnull=True)
    response = personas.client_for("registrar-onsong").post(
        f"/identity/links/{link.pk}/undo/", {"reason": "x"}
    )
    assert response.status_code == 403
    other = stored_person(family_name_hanzi="安", given_name_hanzi="在秀", sex="M", birth_date=BORN)
    for name in ("registrar-musan", "auditor"):
        with pytest.raises(PermissionDenied):
            decide_person(
                user=personas[name], person=other, files_check=FilesCheck({earlier.pk: "different"})
            )


def test_different_is_a_label_and_not_sure_waits_in_the_stations_review_queue(personas) -> None:
    earlier, later = pair(personas)
    registrar = personas["registrar-onsong"]
    decide_person(user=registrar, person=later, files_check=FilesCheck({earlier.pk: "unsure"}))
    item = ReviewItem.objects.get(resolved_at__isnull=True)
    later.refresh_from_db()
    assert later.state == "registered"  # held at the identity step while the pair waits

    client = personas.client_for("registrar-onsong")
    page = client.get("/identity/review/").content.decode()
    assert "安在秀" in page and "안 재수" in page
    musan = personas.client_for("registrar-musan").get("/identity/review/").content.decode()
    assert "Nothing waits" in musan
    client.post(f"/identity/review/{item.pk}/decide/", {"verdict": "different"})
    item.refresh_from_db()
    assert item.resolved_at is not None and item.verdict == "different"
    assert MatchLabel.objects.get(left=later, right=earlier).verdict == "different"
    assert not PersonLink.objects.exists()
    later.refresh_from_db()
    assert later.state == "identity_checked"  # nothing left open: the step is taken
    assert "Nothing waits" in client.get("/identity/review/").content.decode()


def test_same_in_the_review_queue_makes_one_record(personas) -> None:
    earlier, later = pair(personas)
    decide_person(
        user=personas["registrar-onsong"],
        person=later,
        files_check=FilesCheck({earlier.pk: "unsure"}),
    )
    item = ReviewItem.objects.get(resolved_at__isnull=True)
    personas.client_for("registrar-onsong").post(
        f"/identity/review/{item.pk}/decide/", {"verdict": "same"}
    )
    later.refresh_from_db()
    earlier.refresh_from_db()
    assert later.state == "merged" and earlier.crossings.count() == 2
    assert earlier.station == personas.onsong


def test_the_registration_form_adds_a_returning_persons_crossing_to_their_record(personas) -> None:
    earlier = stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=BORN,
        station=personas.musan,
        state="returned",
    )
    crossing(earlier, days_ago=300)
    other = stored_person(family_name_hanzi="安", given_name_hanzi="在洙", sex="M", birth_date=BORN)
    data = registration_form(
        [
            {
                "family_name_hangul": "안",
                "given_name_hangul": "재수",
                "sex": "M",
                "birth_date": BORN.isoformat(),
                "occupation": "miner",
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
    people_before = Person.objects.count()
    response = personas.client_for("registrar-onsong").post("/people/register/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Person.objects.count() == people_before  # no second record
    earlier.refresh_from_db()
    assert earlier.station == personas.onsong and earlier.household is not None
    assert earlier.crossings.count() == 2
    assert earlier.occupation == "miner" and earlier.given_name_hangul == "재수"
    assert earlier.crossings.latest("crossed_at").registered_as["given_name_hangul"] == "재수"
    assert MatchLabel.objects.get(left=earlier, right=other).verdict == "different"
    # every candidate has a verdict: the identity step is taken with the registration
    assert earlier.state == "identity_checked"
    steps = list(earlier.transitions.values_list("to_state", flat=True))
    assert steps[-2:] == ["registered", "identity_checked"]


def test_a_registration_without_verdicts_is_held_with_a_review_item(personas) -> None:
    earlier, _later = pair(personas)
    data = registration_form(
        [
            {
                "family_name_hanzi": "安",
                "given_name_hanzi": "在秀",
                "sex": "M",
                "birth_date": BORN.isoformat(),
            }
        ],
        personas.onsong.pk,
    )
    personas.client_for("registrar-onsong").post("/people/register/", data)
    new = Person.objects.latest("id")
    assert new.state == "registered"
    assert ReviewItem.objects.filter(left=new, resolved_at__isnull=True).exists()


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
        decide_person(user=registrar, person=c, files_check=FilesCheck({a.pk: "different"}))
        decide_person(user=registrar, person=b, files_check=FilesCheck({a.pk: "same"}))
    call_command("identity_reestimate", "--min-labels", "10")
    out = capsys.readouterr().out
    assert "before: auto-link precision" in out and "after: auto-link precision" in out
    assert json.loads(out.strip().splitlines()[-1])["saved"] is True
