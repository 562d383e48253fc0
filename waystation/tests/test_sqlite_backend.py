"""Concurrent writers on the SQLite file queue on the writers' lock instead of failing or
sleeping in SQLite's busy handler: even with SQLite's own wait switched off, four processes
writing at once all succeed."""

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from waystation.sqlite_backend.base import CHECKPOINT_EVERY_COMMITS
from waystation.tests.processes import ROOT, project_env

WRITER = """
import os, sys, time, django
os.environ["DJANGO_SETTINGS_MODULE"] = "waystation.settings"
django.setup()
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # start together
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("PRAGMA busy_timeout = 0")  # fail at once if the database is locked
    cursor.execute("CREATE TABLE IF NOT EXISTS tally (writer INTEGER, n INTEGER)")
for n in range(400):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tally")
            cursor.execute("INSERT INTO tally VALUES (%s, %s)", [int(sys.argv[1]), n])
"""


def test_four_processes_write_at_once_without_a_locked_database(tmp_path: Path) -> None:
    database = tmp_path / "concurrent.sqlite3"
    env = project_env(database)
    # The table exists before the race, so only the inserts compete.
    subprocess.run([sys.executable, "-c", WRITER, "0", "0"], cwd=ROOT, env=env, check=True)
    start = str(time.time() + 4)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(i), start],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
        )
        for i in range(1, 5)
    ]
    errors = [w.communicate()[1].decode() for w in writers]
    assert [w.returncode for w in writers] == [0, 0, 0, 0], errors
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT count(*) FROM tally").fetchone()[0] == 5 * 400


CHECKPOINTED = """
import os, shutil, sqlite3, sys, time, django
os.environ["DJANGO_SETTINGS_MODULE"] = "waystation.settings"
django.setup()
from django.db import connection, transaction
from waystation.sqlite_backend.base import CHECKPOINT_EVERY_COMMITS
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE tally (n INTEGER)")
for n in range(CHECKPOINT_EVERY_COMMITS):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO tally VALUES (%s)", [n])
deadline = time.time() + 10
while time.time() < deadline:
    # the database file alone, without its write-ahead log: what a checkpoint copied back
    shutil.copyfile(sys.argv[1], sys.argv[1] + ".copy")
    try:
        copied = sqlite3.connect(sys.argv[1] + ".copy").execute("SELECT count(*) FROM tally")
        if copied.fetchone()[0] == CHECKPOINT_EVERY_COMMITS:
            print("checkpointed")
            break
    except sqlite3.OperationalError:  # the table itself is not in the file yet
        pass
    time.sleep(0.05)
"""


def test_committed_writes_are_checkpointed_into_the_database_file_in_the_background(
    tmp_path: Path,
) -> None:
    database = tmp_path / "checkpointed.sqlite3"
    env = project_env(database)
    done = subprocess.run(
        [sys.executable, "-c", CHECKPOINTED, str(database)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.strip() == "checkpointed", done.stderr


WRITES_AND_EXITS = """
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "waystation.settings"
django.setup()
from django.db import connection, transaction
from waystation.sqlite_backend.base import CHECKPOINT_EVERY_COMMITS
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE tally (n INTEGER)")
for n in range(3 * CHECKPOINT_EVERY_COMMITS + 5):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO tally VALUES (%s)", [n])
"""


def test_a_finished_command_leaves_the_whole_database_in_its_file(tmp_path: Path) -> None:
    """Copying the database file after a command (a backup, a test's fresh copy) must copy
    everything the command wrote, not leave the last commits in a log beside it."""
    database = tmp_path / "finished.sqlite3"
    subprocess.run(
        [sys.executable, "-c", WRITES_AND_EXITS],
        cwd=ROOT,
        env=project_env(database),
        check=True,
        timeout=60,
    )
    assert not Path(f"{database}-wal").exists()
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(database.read_bytes())
    with sqlite3.connect(copy) as check:
        assert check.execute("SELECT count(*) FROM tally").fetchone()[0] == (
            3 * CHECKPOINT_EVERY_COMMITS + 5
        )
