"""The one clock of the system: every "now" and "today" that a record is stamped with, a
page counts days from or a report defaults to comes from here, never from
`timezone.now()` or `date.today()` directly.

Normally it is the real time. The setting WAYSTATION_TODAY=YYYY-MM-DD (read from the
environment) pins the day, so a historical data set - the demo is set on 8 November 1961 -
is worked on as on that day: new registrations, stays, issues, documents and reports all
agree on the date; the time of day stays the real one. Security mechanisms (sessions,
login throttling, second-factor codes, API tokens) keep the real time.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone


def pinned_day() -> dt.date | None:
    value = (getattr(settings, "WAYSTATION_TODAY", "") or "").strip()
    return dt.date.fromisoformat(value) if value else None


def now() -> dt.datetime:
    moment = timezone.localtime()
    day = pinned_day()
    if day is not None:
        moment = moment.replace(year=day.year, month=day.month, day=day.day)
    return moment


def today() -> dt.date:
    return now().date()


def local_date(moment: dt.datetime) -> dt.date:
    """The day a moment falls on in the deployment's time zone."""
    return timezone.localtime(moment).date()


def utc_midnight(moment: dt.datetime) -> dt.datetime:
    """The start of the UTC day the moment falls in: the days the database's daily counts
    are kept by."""
    return dt.datetime.combine(moment.astimezone(dt.UTC).date(), dt.time.min, tzinfo=dt.UTC)
