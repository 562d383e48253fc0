import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.models import CitizenshipApplication, IssuingOffice
from documents.rules import RULES, requestable_types
from waystation.widgets import DateInput

MAX_PHOTO_BYTES = 15 * 1024 * 1024


class RequestForm(forms.Form):
    document_type = forms.ChoiceField(label=_("Document"))
    office = forms.ModelChoiceField(
        label=_("Issuing office"), queryset=IssuingOffice.objects.none()
    )
    destination = forms.CharField(
        label=_("Destination, province or address"),
        max_length=100,
        required=False,
        help_text=_(
            "Travel pass: the labour bureau or workplace; exit permit: the province; "
            "residency document: the address."
        ),
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, role: str, offices: list[IssuingOffice], **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].choices = [
            (rule.document_type.value, rule.document_type.label) for rule in requestable_types(role)
        ]
        self.fields["office"].queryset = IssuingOffice.objects.filter(
            pk__in=[office.pk for office in offices]
        )
        if offices:
            self.fields["office"].initial = offices[0].pk
        # A submission id per form shown: a double click stores one request.
        self.fields["client_uuid"].initial = uuid.uuid4()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class VerifyForm(forms.Form):
    payload = forms.CharField(
        label=_("QR text"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "WS1:..."}),
    )
    photo = forms.FileField(label=_("or a photo of the document"), required=False)
    as_of = forms.DateField(
        label=_("Check validity on (default: today)"),
        required=False,
        widget=DateInput(),
    )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("payload") and not data.get("photo"):
            raise forms.ValidationError(_("Give the QR text or a photo of the document."))
        photo = data.get("photo")
        if photo is not None and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("The photo is larger than 15 MB."))
        return data


class ApplicationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Application"), choices=CitizenshipApplication.Kind.choices)
    lodged_at = forms.CharField(label=_("Lodged at"), max_length=120)
    submitted_on = forms.DateField(label=_("Submitted on"), required=False, widget=DateInput())
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_uuid"].initial = uuid.uuid4()


class DecisionForm(forms.Form):
    state = forms.ChoiceField(
        label=_("New state"),
        choices=[
            (state.value, state.label)
            for state in CitizenshipApplication.State
            if state != CitizenshipApplication.State.SUBMITTED
        ],
    )
    decision = forms.CharField(label=_("Decision"), max_length=2000, required=False)


DOCUMENT_TYPE_LABELS = {code: rule.document_type.label for code, rule in RULES.items()}
