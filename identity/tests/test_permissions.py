"""Who may open the files check's pages: registrars for their station, administrators,
auditors read-only."""

import pytest

from people.tests.personas import assert_access

pytestmark = pytest.mark.django_db
REGISTRARS = {"registrar-onsong", "registrar-musan"}


def test_the_live_check_is_for_those_who_register(personas) -> None:
    assert_access(personas, "/identity/check/?family_name_hangul=안", REGISTRARS | {"admin"})


def test_the_review_queue_and_repeat_crossers_are_for_registrars_administrators_auditors(
    personas,
) -> None:
    for url in ("/identity/review/", "/identity/repeat-crossers/"):
        assert_access(personas, url, REGISTRARS | {"admin", "auditor"})


def test_batch_pages_are_for_administrators_and_auditors(personas) -> None:
    assert_access(personas, "/identity/duplicates/", {"admin", "auditor"})
    assert_access(personas, "/identity/duplicates/progress/", {"admin", "auditor"})


def test_only_administrators_decide_and_run_in_bulk(personas) -> None:
    assert_access(
        personas, "/identity/duplicates/run/", {"admin"}, method="post", allowed_status=(302,)
    )
    assert_access(
        personas,
        "/identity/review/1/decide/",
        REGISTRARS | {"admin"},
        method="post",
        allowed_status=(404,),
    )


def test_auditors_see_the_queue_without_decision_buttons(personas) -> None:
    import datetime as dt

    from identity.services import FilesCheck, decide_person
    from identity.tests.helpers import stored_person

    a = stored_person(
        family_name_hanzi="安",
        given_name_hanzi="在秀",
        sex="M",
        birth_date=dt.date(1958, 4, 12),
        station=personas.onsong,
    )
    b = stored_person(
        family_name_hangul="안",
        given_name_hangul="재수",
        sex="M",
        birth_date=dt.date(1958, 4, 12),
        station=personas.onsong,
    )
    decide_person(
        user=personas["registrar-onsong"], person=b, files_check=FilesCheck({a.pk: "unsure"})
    )
    page = personas.client_for("auditor").get("/identity/review/").content.decode()
    assert "review-pair" in page and "review-same" not in page
    assert "review-same" in personas.client_for("admin").get("/identity/review/").content.decode()
