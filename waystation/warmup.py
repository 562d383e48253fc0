"""Work a server process would otherwise do on its first request.

Each gunicorn worker imported every view, built the API and loaded the name tables of the
files check on its first request: 1-4 s on a busy two-core machine (more with several
workers starting at once), which the first registrar served by each worker waited for.
wsgi.py calls warm_up() as a worker starts, before it accepts connections.
"""

from django.conf import settings
from django.urls import get_resolver
from django.utils import translation

from identity.keys import prepare_keys
from people.models import Person


def warm_up() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports the URLconf, every view and the API
    for language, _name in settings.LANGUAGES:  # loads each language's catalogue once
        with translation.override(language):
            translation.gettext("Registered on arrival")
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
