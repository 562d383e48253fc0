from django import forms
from django.utils.translation import gettext_lazy as _

from people.states import JourneyState
from reports.downloads import person_columns
from reports.models import LeaveReason, Outcome
from waystation.widgets import DateInput


class PersonExportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")], initial="csv"
    )
    fields = forms.MultipleChoiceField(
        label=_("Fields"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only the fields a recipient needs; none chosen means all."),
    )
    state = forms.ChoiceField(
        label=_("Journey state"),
        required=False,
        choices=[("", _("Any state")), *JourneyState.choices],
    )
    anonymise = forms.BooleanField(
        label=_("Anonymise (pseudonyms for names and numbers, birth years in 5-year bands)"),
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fields"].choices = [(c.key, c.header) for c in person_columns()]

    def clean_fields(self) -> list[str] | None:
        return self.cleaned_data["fields"] or None


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=Outcome.Kind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    source = forms.ChoiceField(label=_("Source"), choices=Outcome.Source.choices)
    source_detail = forms.CharField(label=_("Source details"), max_length=200, required=False)
    reason = forms.ModelChoiceField(
        label=_("Reason for leaving"),
        queryset=LeaveReason.objects.filter(is_active=True),
        required=False,
    )
    reason_text = forms.CharField(label=_("Explanation"), max_length=500, required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)
