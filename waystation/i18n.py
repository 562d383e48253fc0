"""Picking the text of a record kept in three languages for the reader's language."""

from django.utils.translation import get_language


def in_reader_language(english: str, korean: str, chinese: str) -> str:
    """The Korean or Chinese text for a Korean or Chinese reader, English otherwise or when
    the translation is missing."""
    language = (get_language() or "en").lower()
    if language.startswith("ko"):
        return korean or english
    if language.startswith("zh"):
        return chinese or english
    return english
