from django import forms
from django.utils.translation import gettext_lazy as _

from imports.models import ImportJob
from stations.models import Station


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=ImportJob.Kind.choices)
    station = forms.ModelChoiceField(
        label=_("Station"),
        queryset=Station.objects.none(),
        required=False,
        help_text=_("For a register: the station its people are registered at."),
    )
    source = forms.CharField(
        label=_("Name of the register"),
        max_length=120,
        help_text=_("Keys are unique within it: import the same register under the same name."),
    )
    file = forms.FileField(label=_("File (CSV or .xlsx)"))

    def __init__(self, *args: object, stations: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]
