import pytest

from people.tests.factories import PersonFactory
from supplies.models import Item, SleepingPlace
from supplies.policy import ensure_policy

DB_FIXTURES = ("db", "transactional_db", "personas", "live_server")


@pytest.fixture(autouse=True)
def seeded_policy(request: pytest.FixtureRequest) -> None:
    """The items and policy come from a data migration; a transactional test elsewhere in the
    run empties every table, so put them back for each database test here."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not any(name in request.fixturenames for name in DB_FIXTURES):
        return
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_policy()


@pytest.fixture
def blanket(db: None) -> Item:
    return Item.objects.get(code="blanket")


@pytest.fixture
def soap(db: None) -> Item:
    return Item.objects.get(code="soap")


@pytest.fixture
def arrival(personas):  # noqa: ANN001, ANN201
    return PersonFactory(station=personas.onsong)


@pytest.fixture
def school(personas) -> SleepingPlace:  # noqa: ANN001
    return SleepingPlace.objects.create(
        station=personas.onsong, name="Onsong primary school", kind="school", capacity=3
    )
