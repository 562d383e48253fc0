"""Settings come from the environment, and a production server refuses to start without a key."""

import os
import subprocess
import sys
from pathlib import Path

from waystation.tests.processes import ROOT


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
    }
    code = "import waystation.settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env}, capture_output=True, text=True
    )


def test_secret_key_is_required_outside_debug() -> None:
    result = load_settings()
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr
    assert load_settings(DEBUG="1").returncode == 0
    assert load_settings(SECRET_KEY="k" * 50).returncode == 0


def test_the_database_comes_from_database_url_with_sqlite_as_default() -> None:
    assert load_settings(SECRET_KEY="k" * 50).stdout.split()[0] == "waystation.sqlite_backend"
    postgres = load_settings(SECRET_KEY="k" * 50, DATABASE_URL="postgres://u@127.0.0.1:5432/w")
    assert postgres.stdout.split()[0] == "django.db.backends.postgresql"


def test_the_default_sqlite_database_runs_in_wal_mode(tmp_path: Path) -> None:
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode')\n"
        "print(cursor.fetchone()[0])"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env = {
        **clean,
        "SECRET_KEY": "k" * 50,
        "DJANGO_SETTINGS_MODULE": "waystation.settings",
        "WAYSTATION_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "wal", result.stderr
    assert (tmp_path / "waystation.sqlite3").exists()
