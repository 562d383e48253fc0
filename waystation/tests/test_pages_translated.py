"""Every page a role reaches from its home page, rendered in Korean and in Chinese, shows no
interface text left in English: a string the catalogs know shown untranslated, or a run of
English words that was never marked for translation."""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import polib
import pytest
from django.test import Client

from health.tests.helpers import checked_person
from people.states import JourneyState as S
from people.tests.factories import PersonFactory, put_in_state
from people.tests.personas import Personas, build_personas
from waystation.tests.processes import ROOT

pytestmark = pytest.mark.django_db

ROLES = ["registrar-onsong", "medical-onsong", "supplies-onsong", "labour", "documents", "admin"]
PAGES_PER_ROLE = 45
# Words that are the same in every language here: codes, units, formats and proper names.
SAME_EVERYWHERE = {"csv", "pdf", "api", "id", "totp", "xlsx", "json", "utc", "icd", "ok"}
ENGLISH_RUN = re.compile(r"\b[a-z]{2,}(?: [a-z]{2,}){2,}\b")
SKIPPED_TAGS = {"script", "style", "code", "pre", "textarea", "option"}


class VisibleText(HTMLParser):
    """Text a reader sees, with the links to follow; skips elements marked as data
    (`translate="no"`) and what is not shown."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag in SKIPPED_TAGS or values.get("translate") == "no":
            self._skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skipping:
            self.texts.append(text)


def english_messages() -> set[str]:
    messages = set()
    for catalog in ROOT.glob("*/locale/ko/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(catalog)):
            if "%(" not in entry.msgid and "{" not in entry.msgid and len(entry.msgid) > 3:
                messages.add(entry.msgid)
    return messages


def untranslated(texts: list[str], known: set[str]) -> list[str]:
    return [
        text
        for text in texts
        if (text in known and text.lower() not in SAME_EVERYWHERE) or ENGLISH_RUN.search(text)
    ]


def crawl(client: Client, start: str) -> Iterator[tuple[str, str]]:
    seen, queue = set(), [start]
    while queue and len(seen) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        yield url, html
        parser = VisibleText()
        parser.feed(html)
        for link in parser.links:
            target = urlsplit(urljoin(url, link))
            if target.netloc or target.scheme not in ("", "http"):
                continue
            path = target.path + (f"?{target.query}" if target.query else "")
            if any(part in path for part in ("logout", "/lang", ".csv", ".pdf", "export", "/api/")):
                continue
            queue.append(path)


@pytest.fixture
def province() -> Personas:
    personas = build_personas()
    checked_person(personas.onsong, days_ago=20)
    PersonFactory(station=personas.onsong, given_name_latin="")
    for state in (S.IN_QUARANTINE, S.AWAITING_PLACEMENT, S.PLACED):
        put_in_state(PersonFactory(station=personas.onsong, given_name_latin=""), state)
    return personas


@pytest.mark.parametrize("language", ["ko", "zh-hans"])
def test_no_page_shows_english_interface_text(province: Personas, language: str) -> None:
    known = english_messages()
    failures: dict[str, list[str]] = {}
    for role in ROLES:
        client = province.client_for(role)
        client.cookies["django_language"] = language
        for url, html in crawl(client, "/"):
            parser = VisibleText()
            parser.feed(html)
            left = untranslated(parser.texts, known)
            if left:
                failures[f"{role} {url}"] = left[:5]
    assert not failures, "\n".join(f"{page}: {texts}" for page, texts in failures.items())
