import importlib

import pytest

DB_FIXTURES = {"db", "personas", "transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def health_reference_data(request) -> None:
    """The policy, disease and vaccine rows come from a data migration; a transactional test
    elsewhere in the suite flushes them, so put them back when they are missing."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not DB_FIXTURES & set(request.fixturenames):
        return
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from django.apps import apps

    seed_module().seed(apps, None)


def seed_module():
    return importlib.import_module("health.migrations.0002_seed_policy_diseases_vaccines")
