"""Every string on the pages is translated into Korean and Simplified Chinese, and the compiled
catalogs the server loads match the sources."""

from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["ko", "zh_Hans"])
def test_every_message_is_translated_and_compiled(language: str) -> None:
    source = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
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


@pytest.mark.parametrize("language", ["ko", "zh_Hans"])
def test_placeholders_survive_translation(language: str) -> None:
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\{\s*\w+\s*\}\}")
    for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po")):
        translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
        expected = sorted(set(pattern.findall(entry.msgid + entry.msgid_plural)))
        for text in translations:
            assert sorted(set(pattern.findall(text))) == expected, entry.msgid
