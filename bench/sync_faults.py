"""Benchmark: 10,000 registrations through the API under faults, none lost and none doubled.

Starts gunicorn on a free loopback port (SQLite in a temporary folder, or PostgreSQL when
--database-url is given) and sends households of one person each from several threads, with:
answers dropped (the client closes the connection after sending, or halfway through sending),
retries until a definite answer, deliberate duplicates of answered submissions, submissions
reusing a UUID with other content (must be refused with 409), and a kill -9 of the whole server
halfway, which is then started again. Afterwards the database must hold each submission
exactly once. Progress on stderr; one JSON object as the last line of stdout.

    .venv/bin/python bench/sync_faults.py [--submissions 10000] [--database-url postgres://...]
"""

import argparse
import http.client
import json
import random
import shutil
import socket
import tempfile
import threading
import time
import uuid
from pathlib import Path

from appserver import PERSONAS_AND_TOKEN, Gunicorn, bench_env, free_port, log, manage, shell
from tqdm import tqdm


class Client:
    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token

    def _request_bytes(self, body: bytes) -> bytes:
        head = (
            "POST /api/households HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{self.port}\r\n"
            f"Authorization: Bearer {self.token}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        )
        return head.encode() + body

    def drop(self, body: bytes, rng: random.Random) -> None:
        """Send and hang up without reading the answer; sometimes hang up mid-request."""
        data = self._request_bytes(body)
        if rng.random() < 0.3:
            data = data[: rng.randint(1, len(data) - 1)]
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
                sock.sendall(data)
                time.sleep(rng.random() * 0.01)
        except OSError:
            pass

    def send(self, body: bytes) -> tuple[int, dict]:
        """One ordinary request; (0, {}) when there was no answer at all."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(
                "POST",
                "/api/households",
                body=body,
                headers={
                    "Authorization": f"Bearer {self.token}",
                    "Content-Type": "application/json",
                },
            )
            response = connection.getresponse()
            text = response.read()
            return response.status, json.loads(text) if text else {}
        except (OSError, http.client.HTTPException, json.JSONDecodeError):
            return 0, {}
        finally:
            connection.close()


def payload(index: int, client_uuid: str, variant: str = "") -> bytes:
    return json.dumps(
        {
            "client_uuid": client_uuid,
            "station": "onsong",
            "members": [
                {
                    "family_name_latin": "Sync",
                    "given_name_latin": f"S{index:06d}{variant}",
                    "sex": "MF"[index % 2],
                    "birth_date": f"19{50 + index % 50}-0{1 + index % 9}-1{index % 10}",
                }
            ],
        }
    ).encode()


class Counts:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values = {
            "sent": 0,
            "requests": 0,
            "dropped": 0,
            "retries": 0,
            "duplicates": 0,
            "duplicate_answers_consistent": 0,
            "conflicts": 0,
            "unexpected": 0,
        }

    def add(self, name: str, amount: int = 1) -> None:
        with self.lock:
            self.values[name] += amount


def deliver(client: Client, body: bytes, counts: Counts) -> tuple[int, dict]:
    """Retry until the server gives a definite answer (a 2xx, or a 4xx about the content)."""
    delay = 0.05
    while True:
        status, answer = client.send(body)
        counts.add("requests")
        if status in (200, 201, 409, 422):
            return status, answer
        counts.add("retries")
        time.sleep(delay)
        delay = min(delay * 2, 2.0)


def worker(
    jobs: list[int],
    uuids: list[str],
    client: Client,
    counts: Counts,
    progress: tqdm,
    seed: int,
    args: argparse.Namespace,
) -> None:
    rng = random.Random(seed)
    for index in jobs:
        body = payload(index, uuids[index])
        if rng.random() < args.drop_rate:
            client.drop(body, rng)
            counts.add("dropped")
            counts.add("retries")
        status, answer = deliver(client, body, counts)
        if status not in (200, 201):
            counts.add("unexpected")
        if rng.random() < args.duplicate_rate:
            counts.add("duplicates")
            again, second = deliver(client, body, counts)
            if again == 200 and second.get("id") == answer.get("id"):
                counts.add("duplicate_answers_consistent")
        if rng.random() < args.conflict_rate:
            refused, _answer = deliver(client, payload(index, uuids[index], "-other"), counts)
            counts.add("conflicts" if refused == 409 else "unexpected")
        counts.add("sent")
        progress.update()


VERIFY = """
import json
from collections import Counter
from people.models import Household, Person
expected = json.load(open({path!r}))
uuids = set(expected)
stored = set(str(u) for u in Household.objects.values_list("client_uuid", flat=True))
names = Counter(Person.objects.filter(family_name_latin="Sync").values_list("given_name_latin", flat=True))
print(json.dumps({{
    "stored": len(uuids & stored),
    "missing": len(uuids - stored),
    "extra_households": len(stored - uuids),
    "persons": sum(names.values()),
    "doubled": sum(1 for n in names.values() if n > 1),
    "altered": sum(1 for name in names if name.endswith("-other")),
}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument("--database-url", default="", help="Default: SQLite in a temporary folder")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--drop-rate", type=float, default=0.1)
    parser.add_argument("--duplicate-rate", type=float, default=0.05)
    parser.add_argument("--conflict-rate", type=float, default=0.01)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="waystation-sync-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'sync.sqlite3'}"
    env = bench_env(workdir, database_url)
    server = Gunicorn(env, free_port(), args.workers)
    try:
        log("migrating ...")
        manage(env, "migrate", "--no-input", "-v0")
        token = shell(env, PERSONAS_AND_TOKEN)
        server.start()
        client = Client(server.port, token)
        uuids = [str(uuid.uuid4()) for _ in range(args.submissions)]
        counts = Counts()
        indexes = list(range(args.submissions))
        shares = [indexes[n :: args.clients] for n in range(args.clients)]
        progress = tqdm(
            total=args.submissions, desc="submissions", unit="rec", file=__import__("sys").stderr
        )
        started = time.perf_counter()
        threads = [
            threading.Thread(
                target=worker, args=(share, uuids, client, counts, progress, seed, args)
            )
            for seed, share in enumerate(shares)
        ]
        for thread in threads:
            thread.start()
        while counts.values["sent"] < args.submissions // 2:
            time.sleep(0.05)
        killed_after = counts.values["sent"]
        progress.write(f"killing the server (SIGKILL) after {killed_after} submissions ...")
        restart_started = time.perf_counter()
        server.kill()
        time.sleep(1.0)
        server.start()
        downtime = time.perf_counter() - restart_started
        progress.write(f"server back after {downtime:.1f} s")
        for thread in threads:
            thread.join()
        progress.close()
        elapsed = time.perf_counter() - started
        expected = workdir / "expected.json"
        expected.write_text(json.dumps(uuids))
        verified = json.loads(shell(env, VERIFY.format(path=str(expected))))
    finally:
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    result = {
        "benchmark": "sync_faults",
        "database": "postgresql" if database_url.startswith("postgres") else "sqlite",
        "submissions": args.submissions,
        **counts.values,
        **verified,
        "killed_after": killed_after,
        "restart_downtime_s": round(downtime, 1),
        "seconds": round(elapsed, 1),
        "submissions_per_second": round(args.submissions / elapsed, 1),
        "ok": verified["stored"] == args.submissions
        and verified["missing"] == 0
        and verified["doubled"] == 0
        and verified["extra_households"] == 0
        and verified["altered"] == 0
        and verified["persons"] == args.submissions
        and counts.values["unexpected"] == 0,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
