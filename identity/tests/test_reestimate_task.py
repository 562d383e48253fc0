"""Re-estimating the weights from reviewers' decisions runs as a task and reports on the
duplicates page (issue 17, item 7)."""

import datetime as dt

import pytest
from django.utils import timezone

from identity.models import MatchLabel, MatchModelVersion, Verdict
from identity.tests.helpers import stored_person
from waystation.testing import run_queued_tasks

pytestmark = pytest.mark.django_db


def _labels(personas) -> None:
    now = timezone.now()
    for n in range(30):
        born = dt.date(1940 + n, 1 + n % 12, 1 + n % 28)
        a = stored_person(family_name_hangul="연", given_name_hangul=f"재{chr(0xAC00 + n)}",
                          sex="M", birth_date=born, station=personas.musan)  # fmt: skip
        b = stored_person(family_name_latin="Yeon", given_name_latin="Jae",
                          sex="M", birth_date=born, station=personas.onsong)  # fmt: skip
        c = stored_person(family_name_hangul="김", given_name_hangul="민호", sex="F",
                          birth_date=dt.date(1990, 1, 1 + n % 28), station=personas.onsong)  # fmt: skip
        MatchLabel.objects.create(left=a, right=b, verdict=Verdict.SAME, decided_at=now)
        MatchLabel.objects.create(left=a, right=c, verdict=Verdict.DIFFERENT, decided_at=now)


def test_the_page_queues_a_reestimation_whose_report_shows_before_and_after(
    personas, django_capture_on_commit_callbacks
) -> None:
    _labels(personas)
    admin = personas.client_for("admin")
    page = admin.get("/identity/duplicates/").content.decode()
    assert "have not been re-estimated" in page
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post("/identity/weights/reestimate/").status_code == 302
    assert run_queued_tasks() == 1
    version = MatchModelVersion.objects.get(active=True)
    assert version.report["method"] == "em"
    assert version.report["evaluation_pairs"] > 0
    page = admin.get("/identity/duplicates/").content.decode()
    assert "Before" in page and "After" in page and 'data-testid="weights-report"' in page
    # when the re-estimate did no better on the held-out labels, the page says it was kept
    assert ('data-testid="weights-kept"' in page) == version.report["kept_in_force"]
