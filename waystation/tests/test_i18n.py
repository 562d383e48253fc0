"""Every string on the pages is translated into Korean and Simplified Chinese, and the compiled
catalogs the server loads match the sources."""

from pathlib import Path

import polib
import pytest

from waystation.tests.processes import ROOT

# The project's catalog and those of apps that keep their own.
CATALOGS = sorted(
    path
    for language in ("ko", "zh_Hans")
    for path in ROOT.glob(f"*/locale/{language}/LC_MESSAGES/django.po")
)


def test_every_app_with_pages_has_both_catalogs() -> None:
    assert len(CATALOGS) >= 2 and len(CATALOGS) % 2 == 0


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_message_is_translated_and_compiled(catalog: Path) -> None:
    language = catalog.parent.parent.name
    source = polib.pofile(str(catalog))
    compiled = polib.mofile(str(catalog.with_suffix(".mo")))
    untranslated = [
        entry.msgid for entry in source if not entry.obsolete and not entry.translated()
    ]
    assert not untranslated, f"{language}: {untranslated[:10]}"
    assert not [entry.msgid for entry in source.fuzzy_entries()]
    in_mo = {(entry.msgctxt, entry.msgid): entry for entry in compiled}
    for entry in source.translated_entries():
        key = (entry.msgctxt, entry.msgid)
        assert key in in_mo, f"{language}: run `make messages` ({entry.msgid!r} not compiled)"
        assert (in_mo[key].msgstr or in_mo[key].msgstr_plural) == (
            entry.msgstr or entry.msgstr_plural
        )


@pytest.mark.parametrize("catalog", CATALOGS, ids=lambda path: str(path.relative_to(ROOT)))
def test_placeholders_survive_translation(catalog: Path) -> None:
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")
    for entry in polib.pofile(str(catalog)):
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        expected = sorted(set(pattern.findall(entry.msgid + entry.msgid_plural)))
        for text in translations:
            assert sorted(set(pattern.findall(text))) == expected, entry.msgid
