"""What tests need to run the project in a process of its own, on a database of their own."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def project_env(database: Path) -> dict[str, str]:
    """A clean environment for a child Python process that sets up the project on an SQLite
    file: nothing leaks in from the test runner's own settings."""
    return {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "k" * 50,
        "AUDIT_CHAIN_KEY": "a" * 50,
        "AUDIT_HEAD_FILE": "",
        "DATABASE_URL": f"sqlite:///{database}",
        "PYTHONPATH": str(ROOT),
    }
