"""A server process is ready when it starts: its first registration does not wait for the
views, the API and the files check's name tables to load, and its first page does not wait
for its templates to compile."""

import subprocess
import sys
from pathlib import Path

from django.template import engines

from waystation.tests.processes import ROOT, project_env
from waystation.warmup import compile_templates

PROBE = """
import sys
import waystation.wsgi
from identity.engine.names import derive_name_forms
from django.template import engines
loaded = ["api.api", "people.views", "identity.views"]
(templates,) = engines["django"].engine.template_loaders
print(
    all(name in sys.modules for name in loaded),
    derive_name_forms.cache_info().currsize > 0,
    "people/person_list.html" in templates.get_template_cache,
)
"""


def test_a_started_wsgi_process_has_loaded_what_its_first_request_needs(tmp_path: Path) -> None:
    env = project_env(tmp_path / "unused.sqlite3")
    done = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.stdout.split() == ["True", "True", "True"], done.stderr


def _cached_loader():  # noqa: ANN202 - Django's cached loader has no public type
    engine = engines["django"].engine  # type: ignore[attr-defined]
    (loader,) = engine.template_loaders
    return loader


def test_every_project_template_compiles_into_the_cache() -> None:
    loader = _cached_loader()
    loader.reset()
    assert compile_templates() > 100
    cached = {key.split("-")[0] for key in loader.get_template_cache}
    assert {"people/person_list.html", "stations/dashboard.html", "base.html"} <= cached


def test_a_page_template_is_not_compiled_again_after_warm_up() -> None:
    loader = _cached_loader()
    loader.reset()
    compile_templates()
    compiled = loader.get_template_cache["people/person_list.html"]
    assert engines["django"].get_template("people/person_list.html").template is compiled
