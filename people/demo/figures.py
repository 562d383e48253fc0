"""The figures of the cable of 8 November 1961 (shared/seed), which the demo data reproduces.

Every count here is for the full data set of 20,517 arrivals; a smaller or larger `--persons`
scales them in proportion.
"""

import datetime as dt
import zoneinfo

CABLE_DATE = dt.date(1961, 11, 8)
FIRST_ARRIVALS = dt.date(1960, 3, 1)  # "during the first half of last year"
TOTAL_ARRIVALS = 20_517
QUARANTINE_DAYS = 15
PROVINCE = "North Hamgyong"

# code, English, Korean, Chinese, county, beds (school buildings), present on 1961-11-08,
# share of all arrivals. The cable names five stations; the sixth it leaves unnamed.
STATIONS: tuple[tuple[str, str, str, str, str, int, int, float], ...] = (
    ("onsong", "Onsong", "온성", "稳城", "Onsong County", 600, 712, 0.30),
    ("hoeryong", "Hoeryong", "회령", "会宁", "Hoeryong City", 350, 318, 0.20),
    ("namyang", "Namyang", "남양", "南阳", "Onsong County", 150, 64, 0.09),
    ("kyongsong", "Kyongsong", "경성", "镜城", "Kyongsong County", 300, 263, 0.18),
    ("musan", "Musan", "무산", "茂山", "Musan County", 150, 117, 0.14),
    (
        "kyongwon",
        "Kyongwon (unnamed in the cable)",
        "경원",
        "庆源",
        "Kyongwon County",
        120,
        41,
        0.09,
    ),
)

HIGHER_EDUCATION = 503  # "three or more years of university or technical school ... about 500"
LEFT_JOBS = 1_523  # "over 1500 people have fled their jobs"
LEFT_JOBS_SHARE_AGED_30_OR_LESS = 0.74  # "most of those who fled were youth age 30 or less"
LEFT_JOB_REASONS = (
    ("work too hard", 0.52),
    ("unable to do the work", 0.21),
    ("dissatisfied with the assignment", 0.22),
    ("family", 0.05),
)
LEAVERS_WHO_WENT_BACK = 0.18  # "some of those fled back across the border to China"
GROUP_RETURN = 310  # young people sent back as a group in July and August 1961
GROUP_RETURN_DATES = (dt.date(1961, 7, 10), dt.date(1961, 8, 25))
REPEAT_CROSSERS = 64  # "crossed the border back and forth seven or eight times"
OCCASIONAL_CROSSERS = 420  # crossed two to four times
RETURNING_COMPATRIOT_SHARE = 0.03
RESIDENCY_GRANTED_SHARE = 0.12
MOVED_SHARE = 0.03

OCCUPATIONS = (
    "farmer",
    "farmer",
    "farmer",
    "miner",
    "labourer",
    "carpenter",
    "blacksmith",
    "driver",
    "teacher",
    "clerk",
    "mechanic",
    "weaver",
    "cook",
    "petty trader",
    "student",
    "",
)
PLACES_OF_ORIGIN = (
    "Yanji, Jilin",
    "Longjing, Jilin",
    "Helong, Jilin",
    "Tumen, Jilin",
    "Hunchun, Jilin",
    "Wangqing, Jilin",
    "Antu, Jilin",
    "Mudanjiang, Heilongjiang",
    "Shangzhi, Heilongjiang",
    "Shenyang, Liaoning",
    "Dandong, Liaoning",
    "Tonghua, Jilin",
)


def after_cable_date(tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """The first moment after the cable's day: `at < after_cable_date(tz)` is what
    `at__date__lte=CABLE_DATE` means, compared in SQL instead of by a Python function per
    row (SQLite)."""
    return dt.datetime.combine(CABLE_DATE + dt.timedelta(days=1), dt.time(), tzinfo=tz)
