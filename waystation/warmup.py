"""Work a server process would otherwise do on its first request.

Each gunicorn worker imported every view, built the API and loaded the name tables of the
files check on its first request: 1-4 s on a busy two-core machine (more with several
workers starting at once), which the first registrar served by each worker waited for.
wsgi.py calls warm_up() as a worker starts, before it accepts connections.
"""

from contextlib import suppress
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import Resolver404, get_resolver, resolve, reverse
from django.utils import translation

from identity.keys import prepare_keys
from people.models import Person


def compile_templates() -> int:
    """Compile the project's own templates into the cached loader: a worker's first page
    otherwise compiles its templates while a user waits (about 0.2 s of the first request of
    each page in each worker, at the top of the benchmarks' p95). Returns how many."""
    compiled = 0
    for engine in engines.all():
        for directory in map(Path, engine.template_dirs):
            if not directory.is_relative_to(settings.BASE_DIR) or ".venv" in directory.parts:
                continue
            for path in directory.rglob("*.html"):
                engine.get_template(path.relative_to(directory).as_posix())
                compiled += 1
    return compiled


def warm_up() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf, every view and the API
    for language, _name in settings.LANGUAGES:  # loads each language's catalogue once
        with translation.override(language):
            translation.gettext("Registered on arrival")
            # The URLconf's reverse table and its patterns' regexes are built per language on
            # first use: 0.26 s of a worker's first page, which links to dozens of routes.
            reverse("home")
            with suppress(Resolver404):
                resolve("/a-path-no-route-has/")  # tries, so compiles, every pattern
    # The apps' derivations (identity keys: Hanja readings, romanisations, surname tables,
    # the place gazetteer, ~0.7 s alone) of a person who is never saved: nothing is written.
    prepare_keys(
        [
            Person(
                family_name_hanzi="安",
                given_name_hanzi="在秀",
                family_name_hangul="안",
                given_name_hangul="재수",
                family_name_latin="An",
                given_name_latin="Jae-su",
                document_number="220104193003104513",
                place_of_origin="延吉市",
            )
        ]
    )
    compile_templates()
