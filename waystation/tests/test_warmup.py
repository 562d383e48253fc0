"""A server process is ready when it starts: its first registration does not wait for the
views, the API and the files check's name tables to load."""

import subprocess
import sys
from pathlib import Path

from waystation.tests.processes import ROOT, project_env

PROBE = """
import sys
import waystation.wsgi
from identity.engine.names import derive_name_forms
loaded = ["api.api", "people.views", "identity.views"]
print(all(name in sys.modules for name in loaded), derive_name_forms.cache_info().currsize > 0)
"""


def test_a_started_wsgi_process_has_loaded_what_its_first_request_needs(tmp_path: Path) -> None:
    env = project_env(tmp_path / "unused.sqlite3")
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.stdout.split() == ["True", "True"], done.stderr
