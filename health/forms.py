"""Input forms: they parse and type the input; the rules are in services.py and cases.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from health.models import Disease, DiseaseCase, Fitness, Vaccine
from waystation.widgets import DateInput

DATE = DateInput()


class AdmitForm(forms.Form):
    started_on = forms.DateField(label=_("Admitted on"), required=False, widget=DATE)
    split_reason = forms.CharField(
        label=_("Reason to admit without the rest of the household"),
        required=False,
        max_length=4000,
    )


class HygieneForm(forms.Form):
    on = forms.DateField(label=_("Date"), required=False, widget=DATE)


class VaccinationForm(forms.Form):
    vaccine = forms.ModelChoiceField(label=_("Vaccine"), queryset=Vaccine.objects.all())
    dose = forms.IntegerField(label=_("Dose"), min_value=1, max_value=10, initial=1)
    lot_number = forms.CharField(label=_("Lot number"), max_length=40)
    given_on = forms.DateField(label=_("Given on"), required=False, widget=DATE)


class ExaminationForm(forms.Form):
    examined_on = forms.DateField(label=_("Examined on"), required=False, widget=DATE)
    fitness = forms.ChoiceField(label=_("Fitness"), choices=Fitness.choices)
    contagious = forms.BooleanField(label=_("Contagious"), required=False)
    disease = forms.ModelChoiceField(
        label=_("Disease"), queryset=Disease.objects.filter(is_active=True), required=False
    )
    findings = forms.CharField(
        label=_("Findings"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AdjustForm(forms.Form):
    new_end = forms.DateField(label=_("New planned end"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=4000)


class ClearForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CaseForm(forms.Form):
    disease = forms.ModelChoiceField(
        label=_("Disease"), queryset=Disease.objects.filter(is_active=True)
    )
    onset_date = forms.DateField(label=_("Onset date"), widget=DATE)
    county = forms.CharField(label=_("County of origin"), max_length=120)
    isolated = forms.BooleanField(label=_("Isolated"), required=False)
    person = forms.IntegerField(label=_("Person number (if registered)"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutcomeForm(forms.Form):
    case = forms.IntegerField(label=_("Case"), min_value=1)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DiseaseCase.Outcome.choices)
    isolated = forms.BooleanField(label=_("Isolated"), required=False)


class OutbreakFilter(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    disease = forms.ModelChoiceField(
        label=_("Disease"), queryset=Disease.objects.all(), required=False
    )
    county = forms.CharField(label=_("County"), required=False, max_length=120)
