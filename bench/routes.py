"""Benchmark: every route of the URLconf and the API, as the role that uses it, at province scale.

The demo is loaded with --persons (1,000,000 by default) into a fresh or kept database, served
by gunicorn on loopback in production mode, and every route is opened as a persona the access
rules allow (waystation/tests/access_rules.py), with real records for its arguments. Reads
are timed --repeat times each (PDFs whole; exports to their first byte); the registration
actions are timed on fresh records. Targets (issue 19): pages and API reads p95 < 300 ms,
PDFs < 1 s, exports' first byte < 1 s, actions < 500 ms.

    .venv/bin/python bench/routes.py [--persons 1000000] [--database NAME] [--workdir DIR]

Without --database a SQLite file in --workdir (kept, so a second run skips the load); with
it, that PostgreSQL database on 127.0.0.1:5432 (made if missing, loaded if empty). Progress
on stderr; one JSON object as the last line of stdout.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from appserver import PYTHON, ROOT, Gunicorn, bench_env, free_port, log, manage

TARGETS_MS = {"page": 300, "api": 300, "pdf": 1000, "export": 1000, "action": 500}
PASSWORD = "waystation-demo"

# Run inside the app: which persona opens which route, with which real records.
PLAN = r"""
import json
from django.urls import reverse
from people.models import Person
from waystation.tests.access_rules import RULES, Api, Public
from waystation.tests.routes import all_routes

PREFERRED = ["registrar-onsong", "medical-onsong", "supplies-onsong", "labour", "documents",
             "admin", "auditor"]
def person_in(*states):
    found = Person.objects.filter(station__code="onsong", state__in=states).order_by("-id")
    return found.values_list("pk", flat=True).first()
def first(model_path, **filters):
    from django.apps import apps
    model = apps.get_model(model_path)
    return model.objects.filter(**filters).order_by("-pk").values_list("pk", flat=True).first()
PERSON_BY_PREFIX = [("health", ("in_quarantine",)), ("documents", ("placed", "at_work")),
                    ("labour", ("at_work",)), ("supplies", ("registered", "identity_checked")),
                    ("identity", ("registered",)), ("", ("at_work", "in_quarantine"))]
ONSONG = {"person__station__code": "onsong"}
MISSING_BY_NAME = {"labour-run": ("labour.PlacementRun", {}),
    "labour-what-if": ("labour.PlacementRun", {}),
    "labour-assignment": ("labour.ProposedAssignment", {}),
    "documents:pdf": ("documents.Document", ONSONG),
    "documents:detail": ("documents.Document", ONSONG),
    "intake-conflict": ("intake.EditConflict", ONSONG),
    "labour-record": ("labour.Employer", {}),
    "reports:grievance": ("reports.Grievance", ONSONG),
    "setup-province": ("stations.Province", {}),
    "setup-staff": ("auth.User", {"staff_profile__isnull": False}),
    "imports-job": ("imports.ImportJob", {}),
    "imports-progress": ("imports.ImportJob", {})}
def photographed():
    from documents.models import HolderPhoto
    found = HolderPhoto.objects.filter(person__station__code="onsong", is_current=True)
    return found.values_list("person_id", flat=True).first()
def batch_query():
    # a day and office whose documents the documents officer sees and one PDF may hold
    from django.contrib.auth.models import User
    from django.db.models import Count
    from documents.batches import MAX_BATCH
    from documents.views import visible_documents
    officer = User.objects.get(username="documents").staff_profile
    days = (visible_documents(officer).values("issued_on", "office__code")
            .annotate(n=Count("id")).filter(n__lte=MAX_BATCH).order_by("-issued_on", "-n"))
    found = days.first()
    return f"?day={found['issued_on'].isoformat()}&office={found['office__code']}" if found else None
def enrolment_link(persona):
    # the one-time link an administrator gives this persona (the made-up one is refused)
    from django.contrib.auth.models import User
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode
    from accounts.services import enrolment_links
    user = User.objects.get(username=persona)
    return reverse("otp-enrol", kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                                        "token": enrolment_links.make_token(user)})
def compare_query():
    from labour.models import PlacementRun
    runs = list(PlacementRun.objects.order_by("-pk").values_list("pk", flat=True)[:2])
    return f"?a={runs[-1]}&b={runs[0]}" if len(runs) == 2 else None
QUERY_BY_NAME = {"documents:batch-pdf": batch_query, "labour-compare": compare_query}
plan = []
for route in all_routes():
    rule = RULES.get(route.name)
    if rule is None or isinstance(rule, Public) or route.pattern.startswith("/admin/"):
        continue
    if rule.method != "get":
        continue
    allowed = [p for p in PREFERRED if p in rule.allowed]
    if not allowed:
        continue
    kwargs, missing = {}, False
    for key, value in rule.kwargs.items():
        if value == "person" and route.name == "documents:photo":
            kwargs[key] = photographed()
        elif value == "person":
            states = next(s for prefix, s in PERSON_BY_PREFIX if route.name.startswith(prefix))
            kwargs[key] = person_in(*states) or person_in("at_work")
        elif value == "station":
            kwargs[key] = "onsong"
        elif value == "missing":
            model, filters = MISSING_BY_NAME.get(route.name, (None, {}))
            kwargs[key] = first(model, **filters) if model else None
        else:
            kwargs[key] = value
        missing = missing or kwargs[key] is None
    if missing:
        plan.append({"name": route.name, "skipped": "no record of this kind in the demo"})
        continue
    url = reverse(route.name, kwargs=kwargs)
    if route.name == "otp-enrol":
        url = enrolment_link(allowed[0])
    if route.name in QUERY_BY_NAME:
        query = QUERY_BY_NAME[route.name]()
        if query is None:
            plan.append({"name": route.name, "skipped": "no record of this kind in the demo"})
            continue
        url += query
    kind = "api" if isinstance(rule, Api) else "page"
    if url.endswith(".pdf") or "pdf" in route.name:
        kind = "pdf"
    elif url.endswith((".csv", ".xlsx", ".json")) or "export" in route.name:
        kind = "export"
    plan.append({"name": route.name, "url": url, "persona": allowed[0], "kind": kind})
fresh = {
    "admit": list(Person.objects.filter(station__code="onsong", state="identity_checked")
                  .values_list("pk", flat=True)[:40]),
    "hand_over": list(Person.objects.filter(station__code="onsong", state="medically_cleared")
                      .values_list("pk", flat=True)[:40]),
}
print(json.dumps({"plan": plan, "fresh": fresh}))
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class Session:
    """A signed-in browser stand-in: cookies and the CSRF token."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.post("/login/", {"username": username, "password": PASSWORD}, form="/login/")

    def csrf(self, path: str) -> str:
        page = self.opener.open(f"{self.base}{path}").read().decode()
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def get(self, path: str, first_byte_only: bool = False) -> tuple[float, int]:
        started = time.perf_counter()
        try:
            response = self.opener.open(f"{self.base}{path}")
            response.read(1) if first_byte_only else response.read()
            status = response.status
        except urllib.error.HTTPError as error:
            error.read()
            status = error.code
        return (time.perf_counter() - started) * 1000, status

    def post(self, path: str, data: dict, form: str) -> tuple[float, int]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf(form)}).encode()
        request = urllib.request.Request(
            f"{self.base}{path}", data=body, headers={"Referer": f"{self.base}{form}"}
        )
        started = time.perf_counter()
        try:
            response = self.opener.open(request)
            response.read()
            status = response.status
        except urllib.error.HTTPError as error:
            error.read()
            status = error.code
        return (time.perf_counter() - started) * 1000, status


def measure_reads(base: str, plan: list[dict], repeat: int) -> list[dict]:
    sessions: dict[str, Session] = {}
    results = []
    for entry in plan:
        if "skipped" in entry:
            results.append(entry)
            continue
        session = sessions.get(entry["persona"]) or sessions.setdefault(
            entry["persona"], Session(base, entry["persona"])
        )
        first_byte = entry["kind"] == "export"
        session.get(entry["url"], first_byte)  # warm: the first request of a worker
        times, statuses = [], set()
        for _ in range(repeat):
            elapsed, status = session.get(entry["url"], first_byte)
            times.append(elapsed)
            statuses.add(status)
        results.append(
            {
                **entry,
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "status": sorted(statuses),
                "target_ms": TARGETS_MS[entry["kind"]],
            }
        )
        log(f"{entry['name']:<45} p95 {results[-1]['p95_ms']:>8.1f} ms  {sorted(statuses)}")
    return results


def measure_actions(base: str, fresh: dict, repeat: int) -> list[dict]:
    """The desk's actions on fresh records: registering a household (form), admitting to
    quarantine, handing over for placement."""
    registrar = Session(base, "registrar-onsong")
    medical = Session(base, "medical-onsong")
    labour = Session(base, "labour")
    timings: dict[str, list[tuple[float, int]]] = {"register": [], "admit": [], "hand_over": []}
    for number in range(repeat):
        form = {
            "station": "",
            "head_index": 0,
            "client_uuid": str(uuid.uuid4()),
            "members-TOTAL_FORMS": 1,
            "members-INITIAL_FORMS": 0,
            "members-MIN_NUM_FORMS": 1,
            "members-MAX_NUM_FORMS": 30,
            "members-0-family_name_hangul": "박",
            "members-0-given_name_hangul": "영철",
            "members-0-sex": "M",
            "members-0-birth_date": f"19{30 + number % 30}-03-02",
            "members-0-birth_date_precision": "day",
            "members-0-education_level": "none",
            "members-0-education_years": 0,
            "members-0-category": "border_crosser",
        }
        page = registrar.opener.open(f"{base}/people/register/").read().decode()
        station = re.search(r'<option value="(\d+)"[^>]*selected', page)
        form["station"] = station.group(1) if station else ""
        timings["register"].append(
            registrar.post("/people/register/", form, form="/people/register/")
        )
    for pk in fresh["admit"][:repeat]:
        timings["admit"].append(
            medical.post(f"/health/people/{pk}/admit/", {}, form=f"/health/people/{pk}/")
        )
    for pk in fresh["hand_over"][:repeat]:
        timings["hand_over"].append(
            labour.post(f"/labour/people/{pk}/hand-over/", {}, form=f"/people/{pk}/")
        )
    results = []
    for name, values in timings.items():
        if not values:
            results.append({"name": f"action:{name}", "skipped": "no record in that state"})
            continue
        times = [elapsed for elapsed, _status in values]
        results.append(
            {
                "name": f"action:{name}",
                "kind": "action",
                "p50_ms": round(statistics.median(times), 1),
                "p95_ms": round(percentile(times, 0.95), 1),
                "status": sorted({status for _elapsed, status in values}),
                "target_ms": TARGETS_MS["action"],
            }
        )
    return results


def prepare(env: dict, persons: int) -> dict:
    log("migrating ...")
    manage(env, "migrate", "--no-input", "-v0")
    log(f"loading {persons:,} demo persons (skipped if already loaded) ...")
    subprocess.run(
        [PYTHON, "manage.py", "load_demo", "--if-empty", "--persons", str(persons)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(manage(env, "shell", "-c", PLAN).strip().splitlines()[-1])


def database_url(args: argparse.Namespace, workdir: Path) -> str:
    if not args.database:
        return f"sqlite:///{workdir / 'routes.sqlite3'}"
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database])
        if exists.fetchone() is None:
            db.execute(f'CREATE DATABASE "{args.database}"')
    return f"postgres://postgres@127.0.0.1:5432/{args.database}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--database", default="", help="PostgreSQL database name")
    parser.add_argument("--workdir", default="", help="where the SQLite file is kept")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    workdir = Path(args.workdir or tempfile.mkdtemp(prefix="waystation-routes-"))
    workdir.mkdir(parents=True, exist_ok=True)
    url = database_url(args, workdir)
    # the demo's day; no second factor (this measures speed, not sign-in)
    env = {**bench_env(workdir, url), "WAYSTATION_TODAY": "1961-11-08", "OTP_REQUIRED_ROLES": ""}
    data = prepare(env, args.persons)
    server = Gunicorn(env, free_port(), args.workers)
    load_before = os.getloadavg()[0]
    server.start()
    try:
        reads = measure_reads(server.base, data["plan"], args.repeat)
        actions = measure_actions(server.base, data["fresh"], args.repeat)
    finally:
        server.stop()
    measured = [r for r in reads + actions if "p95_ms" in r]
    failed = [r["name"] for r in measured if any(status >= 400 for status in r["status"])]
    missed = [r["name"] for r in measured if r["p95_ms"] >= r["target_ms"]]
    worst = sorted(measured, key=lambda r: -r["p95_ms"] / r["target_ms"])[:10]
    print(
        json.dumps(
            {
                "benchmark": "routes",
                "database": "postgresql" if url.startswith("postgres") else "sqlite",
                "persons": args.persons,
                "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "routes_measured": len(measured),
                "routes_skipped": [r for r in reads + actions if "skipped" in r],
                "errors": failed,
                "missed_targets": missed,
                "worst_ten": [
                    {k: r[k] for k in ("name", "kind", "p50_ms", "p95_ms", "target_ms")}
                    for r in worst
                ],
                "routes": measured,
                "met": not missed and not failed,
            }
        )
    )


if __name__ == "__main__":
    main()
