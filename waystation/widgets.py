"""Date and time inputs the browser's own picker accepts in every language: an <input
type="date"> takes only ISO dates (1961-11-08), so the value is never written in the page's
local format (a Chinese page wrote 1961/11/08, which the browser threw away)."""

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
