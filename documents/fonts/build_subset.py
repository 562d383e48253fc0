"""Rebuild the shipped CJK font subset from Debian's fonts-noto-cjk package.

The printed documents must render Korean names (any Hangul syllable), their Latin
transliterations (with McCune-Reischauer and pinyin diacritics) and Chinese names in
Hanzi on a machine that has no CJK fonts, so the project ships a subset of Noto Sans
CJK KR (SIL Open Font Licence 1.1). Run once after `apt-get install fonts-noto-cjk`:

    .venv/bin/python documents/fonts/build_subset.py

The set of Hanzi is GB 2312 (all 6,763, the set Chinese civil registration used for
names) plus the KS X 1001 Hanja (the set Korean registers use), about 8,700 ideographs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

SOURCE_COLLECTION = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FAMILY = "Noto Sans CJK KR"
OUTPUT_FONT = Path(__file__).with_name("NotoSansCJKkr-Subset-Regular.otf")

# Ranges named by block; every one is small except the Hangul syllables, which names
# need in full because a registrar types whatever syllable a person's name has.
UNICODE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x00FF),  # Latin-1 Supplement
    (0x0100, 0x017F),  # Latin Extended-A: McCune-Reischauer o/u breve
    (0x01CD, 0x01DC),  # Latin Extended-B: pinyin tone marks on a, i, o, u, u-umlaut
    (0x02C6, 0x02DD),  # spacing modifiers (breve, caron)
    (0x0300, 0x036F),  # combining diacritics, for decomposed input
    (0x2000, 0x206F),  # general punctuation
    (0x2100, 0x214F),  # letterlike symbols (No.)
    (0x2190, 0x21FF),  # arrows, used in routes
    (0x2460, 0x24FF),  # enclosed alphanumerics
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3131, 0x318E),  # Hangul compatibility jamo
    (0xAC00, 0xD7A3),  # all Hangul syllables
    (0xFF01, 0xFF5E),  # full-width forms
)


def characters_of_double_byte_codec(codec: str) -> set[str]:
    """Every character a two-byte EUC codec can encode (GB 2312 or KS X 1001)."""
    characters: set[str] = set()
    for high in range(0xA1, 0xFF):
        for low in range(0xA1, 0xFF):
            try:
                characters.add(bytes([high, low]).decode(codec))
            except UnicodeDecodeError:
                continue
    return characters


def subset_codepoints() -> set[int]:
    codepoints = {cp for start, end in UNICODE_RANGES for cp in range(start, end + 1)}
    for codec in ("gb2312", "euc_kr"):
        codepoints.update(ord(ch) for ch in characters_of_double_byte_codec(codec))
    return codepoints


def build_subset(source: Path = SOURCE_COLLECTION, output: Path = OUTPUT_FONT) -> Path:
    collection = TTCollection(str(source))
    font = next(f for f in collection.fonts if f["name"].getDebugName(1) == SOURCE_FAMILY)
    options = subset.Options()
    # Vertical metrics, hinting and layout features for Japanese are dead weight on a
    # horizontal Korean/Latin form; dropping them halves the file.
    options.layout_features = ["kern", "liga", "locl", "ccmp", "mark", "mkmk", "palt"]
    options.hinting = False
    options.drop_tables += ["vhea", "vmtx", "VORG", "BASE"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset_codepoints())
    subsetter.subset(font)
    font.save(str(output))
    return output


if __name__ == "__main__":
    written = build_subset()
    print(f"{written} {written.stat().st_size / 1e6:.2f} MB", file=sys.stderr)
