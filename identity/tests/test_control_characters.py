"""Names typed or pasted with control characters (a stray tab, a NUL from a broken export)
must be scored, not crash the files check (the API's live check answered 500 on them)."""

from identity.engine.readings import normalize_hangul_name, normalize_syllable
from identity.engine.surnames import apply_initial_sound_law


def test_control_characters_pass_through_the_initial_sound_law() -> None:
    for code in range(0x00, 0x20):
        assert normalize_syllable(chr(code)) == chr(code)
        assert apply_initial_sound_law(chr(code) + "철") == chr(code) + "철"
    assert normalize_hangul_name("리\x00철").startswith("이")


def test_the_initial_sound_law_still_applies_to_syllables() -> None:
    assert apply_initial_sound_law("리") == "이"
    assert apply_initial_sound_law("녀") == "여"
    assert normalize_syllable("김") == "김"
