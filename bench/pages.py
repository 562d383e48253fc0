"""Benchmark: page and API latency with 100,000 demo persons, served by gunicorn on loopback.

Measures the median and p95 of the list page, the search page and the person page (one client
at a time, as a registrar uses them), and of the registration API under 10 concurrent clients.
Targets (issue 2): p95 under 150 ms for each page and under 100 ms for the API.
Prints progress to stderr and one JSON object as the last line of stdout.

    .venv/bin/python bench/pages.py [--persons 100000] [--database-url postgres://...]
"""

import argparse
import http.cookiejar
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median_ms": round(statistics.median(values), 1),
        "p95_ms": round(percentile(values, 0.95), 1),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def prepare(env: dict, persons: int) -> dict:
    log("migrating ...")
    manage(env, "migrate", "--no-input", "-v0")
    log(f"loading {persons:,} demo persons ...")
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "manage.py", "load_demo", "--if-empty", "--persons", str(persons)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    load_seconds = time.perf_counter() - started
    script = (
        "import json, random\n"
        "from api.models import ApiToken\n"
        "from django.contrib.auth import get_user_model\n"
        "from people.models import Person, PersonName\n"
        "User = get_user_model()\n"
        "_t, raw = ApiToken.issue(User.objects.get(username='registrar-onsong'), 'bench')\n"
        "ids = list(Person.objects.order_by('?').values_list('id', flat=True)[:300])\n"
        "names = list(PersonName.objects.filter(person_id__in=ids).values_list('value', flat=True))\n"
        "print(json.dumps({'token': raw, 'ids': ids, 'names': names}))\n"
    )
    output = manage(env, "shell", "-c", script)
    data = json.loads(output.strip().splitlines()[-1])
    data["load_seconds"] = round(load_seconds, 1)
    return data


class Session:
    """A logged-in browser stand-in: cookies and CSRF, no keep-alive (gunicorn sync workers)."""

    def __init__(self, base: str, username: str, password: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.opener.open(f"{base}/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            f"{base}/login/", data=body, headers={"Referer": f"{base}/login/"}
        )
        self.opener.open(request).read()

    def timed_get(self, path: str) -> float:
        started = time.perf_counter()
        response = self.opener.open(f"{self.base}{path}")
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{path}: {response.status}")
        return elapsed


def measure_pages(base: str, data: dict, repeats: int) -> dict:
    session = Session(base, "labour", "waystation-demo")
    rng = random.Random(5)
    for _warm in range(10):
        session.timed_get("/people/")
    states = ["", "at_work", "in_quarantine", "left_job", "awaiting_placement"]
    list_times, search_times, person_times = [], [], []
    for _ in range(repeats):
        params = {"page": rng.randint(1, 40)}
        state = rng.choice(states)
        if state:
            params["state"] = state
        list_times.append(session.timed_get(f"/people/?{urllib.parse.urlencode(params)}"))
        name = rng.choice(data["names"])
        query = name[: rng.randint(2, max(2, len(name)))]
        search_times.append(
            session.timed_get(f"/people/search/?{urllib.parse.urlencode({'q': query})}")
        )
        person_times.append(session.timed_get(f"/people/{rng.choice(data['ids'])}/"))
    return {
        "list": summary(list_times),
        "search": summary(search_times),
        "person": summary(person_times),
    }


def measure_api(base: str, token: str, clients: int, per_client: int) -> dict:
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(per_client):
            payload = {
                "client_uuid": str(uuid.uuid4()),
                "station": "onsong",
                "members": [
                    {
                        "family_name_hangul": "박",
                        "given_name_hangul": rng.choice(["영철", "순희", "명수"]),
                        "family_name_latin": "Pak",
                        "given_name_latin": "Yong-chol",
                        "sex": rng.choice("MF"),
                        "birth_date": f"19{rng.randint(20, 59)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    }
                    for _member in range(rng.randint(1, 4))
                ],
            }
            request = urllib.request.Request(
                f"{base}/api/households",
                data=json.dumps(payload).encode(),
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request) as response:
                    response.read()
                    ok = response.status == 201
            except Exception as error:  # noqa: BLE001 - every failure is counted, none hidden
                ok = False
                with lock:
                    errors.append(str(error))
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    times.append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(seed,)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    result = summary(times) if times else {"n": 0}
    result.update(
        {
            "clients": clients,
            "errors": len(errors),
            "requests_per_second": round(len(times) / wall, 1),
        }
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument(
        "--database-url", default="", help="Default: a new SQLite file in a temporary folder"
    )
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--api-clients", type=int, default=10)
    parser.add_argument("--api-requests-per-client", type=int, default=50)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="waystation-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-secret",
        "AUDIT_CHAIN_KEY": "bench-only-audit-chain-key",
        "DOCUMENT_KEYS_SECRET": "bench-only-document-keys",
        "HEALTH_NOTES_KEY": "YmVuY2gtb25seS1oZWFsdGgtbm90ZXMta2V5LTAwMDA=",
        "DEBUG": "0",
        "HTTPS": "0",  # plain http on loopback: no TLS redirect, no secure-only cookies
        "ALLOWED_HOSTS": "127.0.0.1",
        "WAYSTATION_DATA_DIR": str(workdir),
    }
    server = None
    try:
        data = prepare(env, args.persons)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log(f"starting gunicorn with {args.workers} workers on {base} ...")
        server = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "waystation.wsgi",
                "-w",
                str(args.workers),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _attempt in range(100):
            try:
                urllib.request.urlopen(f"{base}/login/").read()
                break
            except OSError:
                time.sleep(0.2)
        log("measuring pages ...")
        pages = measure_pages(base, data, args.repeats)
        log("measuring the registration API ...")
        api = measure_api(base, data["token"], args.api_clients, args.api_requests_per_client)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    result = {
        "benchmark": "pages",
        "database": "postgresql" if database_url.startswith("postgres") else "sqlite",
        "persons": args.persons,
        "demo_load_seconds": data["load_seconds"],
        "pages": pages,
        "registration_api": api,
        "targets": {"page_p95_ms": 150, "api_p95_ms": 100},
        "met": all(p["p95_ms"] < 150 for p in pages.values())
        and api.get("p95_ms", 1e9) < 100
        and api["errors"] == 0,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
