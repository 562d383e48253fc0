"""The date pages count days from: normally today.

WAYSTATION_TODAY=YYYY-MM-DD pins it, so a historical data set (the demo is set on 8 November
1961) shows day N of a quarantine, what is due and current outbreaks as on that day; the time
of day stays the real one.
"""

import datetime as dt
import os

from django.utils import timezone


def now() -> dt.datetime:
    moment = timezone.localtime()
    pinned = os.environ.get("WAYSTATION_TODAY", "").strip()
    if pinned:
        day = dt.date.fromisoformat(pinned)
        moment = moment.replace(year=day.year, month=day.month, day=day.day)
    return moment


def today() -> dt.date:
    return now().date()


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()
