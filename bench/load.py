"""Benchmark: 50 registrars at once against gunicorn and PostgreSQL on loopback, for 60 s.

Creates its own PostgreSQL database (dropped and made again), migrates, loads the demo data
(manage.py load_demo), creates one account per simulated registrar at the demo stations and
starts gunicorn. Locust, used as a library, then runs the registrars: each logs in and, with a
pause between actions, registers households through the API (session and CSRF, as the offline
page does), searches by name and opens person pages. Target (issue 9): zero errors and p95 under
300 ms. Progress on stderr; one JSON object as the last line of stdout.

    .venv/bin/python bench/load.py [--users 50] [--seconds 60] [--database waystation_load]
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import psycopg  # noqa: E402
from appserver import Gunicorn, bench_env, free_port, log, manage, shell  # noqa: E402
from locust import HttpUser, between, events, task  # noqa: E402
from locust.env import Environment  # noqa: E402
from tqdm import tqdm  # noqa: E402

PASSWORD = "load-bench-password-1961"

SETUP = """
import json, random
from django.contrib.auth import get_user_model
from people.models import Person, PersonName
from stations.models import StaffProfile, Station
User = get_user_model()
stations = list(Station.objects.order_by("code").values_list("pk", "code"))
accounts, seen = [], {{}}
for n in range({users}):
    pk, code = stations[n % len(stations)]
    name = f"load-registrar-{{n:02d}}"
    user = User.objects.filter(username=name).first() or User.objects.create_user(name, password={password!r})
    StaffProfile.objects.get_or_create(user=user, defaults={{"role": "registrar", "station_id": pk}})
    accounts.append({{"username": name, "station": code}})
for pk, code in stations:
    ids = list(Person.objects.filter(station_id=pk).order_by("?").values_list("id", flat=True)[:200])
    names = list(PersonName.objects.filter(person_id__in=ids, form="hangul").values_list("value", flat=True))
    seen[code] = {{"ids": ids, "names": names}}
print(json.dumps({{"accounts": accounts, "stations": seen}}))
"""


def recreate_database(admin_url: str, name: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def registrar_class(setup: dict, rng: random.Random, pause: tuple[float, float]) -> type[HttpUser]:
    accounts = iter(setup["accounts"] * 2)

    class Registrar(HttpUser):
        wait_time = between(*pause)
        logged_in: list[str] = []

        def on_start(self) -> None:
            self.account = next(accounts)
            self.data = setup["stations"][self.account["station"]]
            page = self.client.get("/login/", name="login").text
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            self.client.post(
                "/login/",
                {
                    "username": self.account["username"],
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": token,
                },
                headers={"Referer": f"{self.host}/login/"},
                name="login",
            )
            self.csrf = self.client.cookies.get("csrftoken", "")
            Registrar.logged_in.append(self.account["username"])

        @task(2)
        def register(self) -> None:
            body = {
                "client_uuid": str(uuid.uuid4()),
                "station": self.account["station"],
                "members": [
                    {
                        "family_name_hangul": rng.choice("김리박최정"),
                        "given_name_hangul": rng.choice(["영철", "순희", "명수", "옥순"]),
                        "sex": rng.choice("MF"),
                        "birth_date": f"19{rng.randint(20, 59)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    }
                    for _member in range(rng.randint(1, 4))
                ],
            }
            with self.client.post(
                "/api/households",
                json=body,
                headers={"X-CSRFToken": self.csrf, "Referer": f"{self.host}/people/register/"},
                name="register (API)",
                catch_response=True,
            ) as response:
                if response.status_code != 201:
                    response.failure(f"{response.status_code}: {response.text[:200]}")

        @task(3)
        def search(self) -> None:
            name = rng.choice(self.data["names"] or ["김"])
            query = name[: rng.randint(1, max(1, len(name)))]
            self.client.get("/people/search/", params={"q": query}, name="search")

        @task(3)
        def read(self) -> None:
            if self.data["ids"]:
                self.client.get(f"/people/{rng.choice(self.data['ids'])}/", name="person page")

        @task(1)
        def read_api(self) -> None:
            if self.data["ids"]:
                self.client.get(f"/api/persons/{rng.choice(self.data['ids'])}", name="person (API)")

    return Registrar


def run_locust(host: str, user_class: type[HttpUser], users: int, seconds: int) -> dict:
    environment = Environment(user_classes=[user_class], events=events, host=host)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=max(1, users // 5))
    # Logging in (a deliberately slow password hash) is not what is measured: wait until every
    # registrar is in, then count from zero.
    while len(user_class.logged_in) < users:
        gevent.sleep(0.5)
    gevent.sleep(2)
    environment.stats.reset_all()
    progress = tqdm(total=seconds, desc="load", unit="s")

    def tick() -> None:
        for _second in range(seconds):
            gevent.sleep(1)
            total = environment.stats.total
            progress.set_postfix(requests=total.num_requests, failures=total.num_failures)
            progress.update()
        runner.quit()

    gevent.spawn(tick)
    runner.greenlet.join()
    progress.close()
    total = environment.stats.total
    per_name = {
        entry.name: {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
        }
        for entry in environment.stats.entries.values()
    }
    errors = [
        f"{error.method} {error.name}: {error.error} x{error.occurrences}"
        for error in environment.stats.errors.values()
    ]
    return {
        "requests": total.num_requests,
        "errors": total.num_failures,
        "throughput_rps": round(total.total_rps, 1),
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "by_request": per_name,
        "error_samples": errors[:5],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--pause",
        type=float,
        nargs=2,
        default=(0.5, 2.0),
        help="seconds between a registrar's actions",
    )
    parser.add_argument("--persons", type=int, default=0, help="demo arrivals (default: all)")
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--database", default="waystation_load")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="waystation-load-"))
    env = bench_env(workdir, recreate_database(args.admin_url, args.database))
    server = Gunicorn(env, free_port(), args.workers)
    try:
        log("migrating ...")
        manage(env, "migrate", "--no-input", "-v0")
        log("loading the demo data ...")
        started = time.perf_counter()
        manage(env, "load_demo", *(["--persons", str(args.persons)] if args.persons else []))
        load_seconds = time.perf_counter() - started
        setup = json.loads(shell(env, SETUP.format(users=args.users, password=PASSWORD)))
        log(f"starting gunicorn with {args.workers} workers ...")
        server.start()
        measured = run_locust(
            server.base,
            registrar_class(setup, random.Random(9), tuple(args.pause)),
            args.users,
            args.seconds,
        )
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    result = {
        "benchmark": "load",
        "database": "postgresql",
        "users": args.users,
        "seconds": args.seconds,
        "gunicorn_workers": args.workers,
        "pause_s": list(args.pause),
        "demo_load_seconds": round(load_seconds, 1),
        **measured,
        "targets": {"errors": 0, "p95_ms": 300},
        "met": measured["errors"] == 0 and measured["p95_ms"] < 300,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
