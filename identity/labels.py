"""Translated names of the engine's fields, agreement levels and bands, for display."""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "document": _("Document number"),
    "family_name": _("Family name"),
    "given_name": _("Given name"),
    "birth_date": _("Date of birth"),
    "sex": _("Sex"),
    "place_of_origin": _("Place of origin"),
    "place": _("Place of origin"),
}
LEVEL_LABELS = {
    "exact": _("agrees"),
    "typo": _("one character apart"),
    "conflict": _("two different valid IDs"),
    "different": _("differs"),
    "other_hanzi": _("another surname in Hanzi"),
    "similar": _("similar"),
    "phonetic": _("sounds the same"),
    "reading": _("same Korean reading"),
    "close": _("close"),
    "one_day": _("a day apart"),
    "day_month_swapped": _("day and month swapped"),
    "year_off": _("year differs"),
    "year_month": _("same year and month"),
    "year_only": _("same year"),
    "approximate_near": _("near an approximate year"),
    "year_near": _("years one or two apart"),
    "digit_typo": _("one digit mistyped"),
    "two_slips": _("two typing slips apart"),
    "year_transposed": _("year's digits transposed"),
    "agree": _("agrees"),
}
BAND_LABELS = {
    "auto_link": _("Very likely the same person"),
    "review": _("Possibly the same person"),
    "non_match": _("Probably different"),
}
