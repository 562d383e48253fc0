"""Shared by the sync-fault and load benchmarks: a production-mode environment, migrations,
the personas and a gunicorn on a free loopback port that can be killed and started again."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(workdir: Path, database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only-secret",
        "AUDIT_CHAIN_KEY": "bench-only-audit-chain-key",
        "DOCUMENT_KEYS_SECRET": "bench-only-document-keys",
        "HEALTH_NOTES_KEY": "YmVuY2gtb25seS1oZWFsdGgtbm90ZXMta2V5LTAwMDA=",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "WAYSTATION_DATA_DIR": str(workdir),
        # Plain http on loopback: no redirect to https, cookies without the secure flag.
        "HTTPS": "0",
    }


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def shell(env: dict, script: str) -> str:
    """Run Python inside the app and return the last line it printed."""
    return manage(env, "shell", "-c", script).strip().splitlines()[-1]


class Gunicorn:
    """gunicorn in its own process group, so a 'crash' can kill master and workers at once."""

    def __init__(self, env: dict, port: int, workers: int, extra: tuple[str, ...] = ()) -> None:
        self.env, self.port, self.workers, self.extra = env, port, workers, extra
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "waystation.wsgi",
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "error",
                *self.extra,
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )
        for _attempt in range(300):
            try:
                urllib.request.urlopen(f"{self.base}/login/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer")

    def kill(self) -> None:
        """SIGKILL, no graceful shutdown: requests in flight get no answer."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


PERSONAS_AND_TOKEN = (
    "from api.models import ApiToken\n"
    "from django.contrib.auth import get_user_model\n"
    "from people.tests.personas import build_personas\n"
    "User = get_user_model()\n"
    "if not User.objects.filter(username='registrar-onsong').exists():\n"
    "    build_personas()\n"
    "_t, raw = ApiToken.issue(User.objects.get(username='registrar-onsong'), 'bench')\n"
    "print(raw)\n"
)
