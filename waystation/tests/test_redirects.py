"""Pages that follow a `next` parameter go only to a path on this site: another host, a
scheme, or something that is not a path at all falls back to the page's own destination."""

import pytest
from django.test import RequestFactory

from identity.models import ReviewItem
from identity.services import FilesCheck, decide_person
from identity.tests.test_decisions import pair
from waystation.redirects import redirect_back

HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "abc",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_a_next_off_the_site_or_not_a_path_falls_back(target: str) -> None:
    request = RequestFactory().post("/identity/review/1/decide/", {"next": target})
    assert redirect_back(request, "identity-review")["Location"] == "/identity/review/"


def test_a_next_on_the_site_is_followed() -> None:
    request = RequestFactory().post("/x/", {"next": "/identity/review/?page=2"})
    assert redirect_back(request, "home")["Location"] == "/identity/review/?page=2"


@pytest.mark.django_db
@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_deciding_a_review_item_never_leaves_the_site(personas, target: str) -> None:
    earlier, later = pair(personas)
    decide_person(
        user=personas["registrar-onsong"],
        person=later,
        files_check=FilesCheck({earlier.pk: "unsure"}),
    )
    item = ReviewItem.objects.get(resolved_at__isnull=True)
    answer = personas.client_for("registrar-onsong").post(
        f"/identity/review/{item.pk}/decide/", {"verdict": "different", "next": target}
    )
    assert answer.status_code == 302 and answer["Location"] == "/identity/review/"
