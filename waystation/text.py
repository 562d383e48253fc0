"""What text a person's record, a note or a case may hold: the characters a reader can see.

Control characters (BEL, ESC, C1), invisible format characters (zero-width spaces and joiners,
byte-order marks, the bidirectional overrides such as U+202E that make a text read otherwise
than it is stored), private-use and unassigned code points are refused at the edge: services
call these checks whatever the text came through (form, API, import). Names keep only what
names need: letters and marks of any script, spaces, and - ' . · ’.

Multi-line text keeps its tabs and line breaks; everything else is judged per character.
"""

import unicodedata

from django.utils.translation import gettext as _

INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
LINE_BREAKS = frozenset("\t\n\r")
NAME_PUNCTUATION = frozenset(" -'.·’")


def invisible_problem(text: str, multiline: bool = False) -> str | None:
    """Why the text is refused (a translated sentence), or None."""
    for character in text:
        if multiline and character in LINE_BREAKS:
            continue
        if unicodedata.category(character) in INVISIBLE_CATEGORIES:
            return _(
                "Invisible or control characters are not allowed (U+%(code)04X). "
                "Type the text again rather than pasting it."
            ) % {"code": ord(character)}
    return None


def name_problem(text: str) -> str | None:
    """Why a name is refused, or None: letters and marks of any script, spaces, - ' . · ’."""
    for character in text:
        if character in NAME_PUNCTUATION or unicodedata.category(character)[0] in "LM":
            continue
        return _(
            "A name holds letters, spaces and - ' . · only (not “%(character)s”, U+%(code)04X)."
        ) % {"character": character if character.isprintable() else "?", "code": ord(character)}
    return None
