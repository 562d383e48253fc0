"""Registration refuses impossible input with a clear message instead of failing to store it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from people import services


def test_a_crossing_time_before_1900_is_refused_not_a_crash(personas) -> None:
    far_back = dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    with pytest.raises(ValidationError, match="before 1900"):
        services.register_household(
            user=personas["registrar-onsong"],
            station=personas.onsong,
            members=[services.PersonInput(given_name_hangul="재수", sex="M")],
            crossed_at=far_back,
        )
