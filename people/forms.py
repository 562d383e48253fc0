import json
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from identity.services import FilesCheck
from people.models import Category, Crossing, DatePrecision, EducationLevel, Relationship, Sex
from people.services import MAX_HOUSEHOLD_SIZE
from people.states import JourneyState
from stations.models import Station
from waystation.widgets import DateInput, DateTimeInput


class HouseholdForm(forms.Form):
    station = forms.ModelChoiceField(queryset=Station.objects.none(), label=_("Station"))
    crossed_at = forms.DateTimeField(
        label=_("Crossed the border at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for now."),
    )
    head_index = forms.IntegerField(min_value=0, initial=0, widget=forms.HiddenInput)
    # Made when the page is drawn: sending the same page twice registers the household once.
    client_uuid = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, stations=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_uuid"].initial = uuid.uuid4()
        self.fields["station"].queryset = (
            stations if stations is not None else Station.objects.none()
        )
        if stations is not None and stations.count() == 1:
            self.fields["station"].initial = stations.first()


class MemberForm(forms.Form):
    family_name_hangul = forms.CharField(
        label=_("Family name (Hangul)"), max_length=60, required=False
    )
    given_name_hangul = forms.CharField(
        label=_("Given name (Hangul)"), max_length=60, required=False
    )
    family_name_hanzi = forms.CharField(
        label=_("Family name (Hanzi)"), max_length=60, required=False
    )
    given_name_hanzi = forms.CharField(label=_("Given name (Hanzi)"), max_length=60, required=False)
    family_name_latin = forms.CharField(
        label=_("Family name (Latin)"), max_length=80, required=False
    )
    given_name_latin = forms.CharField(label=_("Given name (Latin)"), max_length=80, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices])
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    birth_date_precision = forms.ChoiceField(
        label=_("Date of birth is"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    place_of_origin = forms.CharField(label=_("Place of origin"), max_length=200, required=False)
    document_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=24,
        required=False,
        help_text=_("18 characters, if the person carries a resident ID card"),
    )
    document_as_written = forms.BooleanField(
        label=_("As written on the card"),
        required=False,
        help_text=_("Keep a number that does not check out, exactly as the card shows it"),
    )
    education_level = forms.ChoiceField(label=_("Education"), choices=EducationLevel.choices)
    education_years = forms.IntegerField(
        label=_("Years of education"), min_value=0, max_value=30, initial=0
    )
    occupation = forms.CharField(label=_("Occupation"), max_length=120, required=False)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=200,
        required=False,
        help_text=_("Comma-separated, e.g. ko, zh"),
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    relationship = forms.ChoiceField(
        label=_("Relationship to the head"),
        choices=[("", "—"), *Relationship.choices],
        required=False,
    )

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        return [code.strip() for code in raw.replace("，", ",").split(",") if code.strip()]


MemberFormSet = formset_factory(
    MemberForm, extra=0, min_num=1, validate_min=True, max_num=MAX_HOUSEHOLD_SIZE, validate_max=True
)


class OverrideForm(forms.Form):
    """Forcing a state against the rules: only the states the officer may force, and always
    with a written reason."""

    target = forms.ChoiceField(label=_("Move to"), choices=JourneyState.choices)
    reason = forms.CharField(
        label=_("Reason (required)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, targets: list[JourneyState] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if targets is not None:
            self.fields["target"].choices = [(t.value, t.label) for t in targets]


MAX_VERDICTS = 20


def files_check_of(data: Any, prefix: str) -> FilesCheck:
    """The registrar's verdicts on a member's candidates, as the files check box on the form
    sends them (a JSON object: candidate id -> verdict, or -> {"verdict": ...})."""
    raw = data.get(f"{prefix}-identity_decisions", "") or "{}"
    try:
        decoded = json.loads(raw)
    except ValueError as error:
        raise ValidationError(
            {"files_check": [_("The files check's answers could not be read.")]}
        ) from error
    if not isinstance(decoded, dict) or len(decoded) > MAX_VERDICTS:
        raise ValidationError({"files_check": [_("The files check's answers could not be read.")]})
    verdicts: dict[int, str] = {}
    for key, choice in decoded.items():
        verdict = choice.get("verdict") if isinstance(choice, dict) else choice
        if not str(key).isdigit() or not isinstance(verdict, str):
            raise ValidationError(
                {"files_check": [_("The files check's answers could not be read.")]}
            )
        verdicts[int(key)] = verdict
    return FilesCheck(verdicts)


class CrossingForm(forms.Form):
    station = forms.ModelChoiceField(queryset=Station.objects.none(), label=_("Station"))
    direction = forms.ChoiceField(label=_("Direction"), choices=Crossing.Direction.choices)
    crossed_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, stations=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = (
            stations if stations is not None else Station.objects.none()
        )
