"""Forms for the labour pages; model forms where a model already says what a field is."""

from django import forms
from django.utils.translation import gettext_lazy as _

from labour.models import Credential, Employer, Preference, Site, SiteKind, Vacancy
from labour.models.sites import Heaviness
from labour.services.runs import DEFAULT_PARAMETERS
from waystation.widgets import DateInput


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = ["name", "kind", "province"]


class SiteForm(forms.ModelForm):
    class Meta:
        model = Site
        fields = [
            "employer",
            "name",
            "kind",
            "province",
            "county",
            "housing_places",
            "housing_type",
            "x_km",
            "y_km",
            "is_active",
        ]


class VacancyForm(forms.ModelForm):
    class Meta:
        model = Vacancy
        fields = [
            "site",
            "occupation",
            "slots",
            "required_credential",
            "skilled",
            "heavy_work",
            "heaviness",
            "skill_level",
            "min_age",
            "language",
            "difficulty",
            "is_open",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Older forms (and the API) leave these out: medium work, elementary skill.
        self.fields["heaviness"].required = False
        self.fields["skill_level"].required = False

    def clean_heaviness(self) -> str:
        return self.cleaned_data.get("heaviness") or Heaviness.MEDIUM

    def clean_skill_level(self) -> int:
        value = self.cleaned_data.get("skill_level")
        return int(value) if value is not None and value != "" else 0


class WeightsForm(forms.Form):
    retention_weight = forms.FloatField(
        label=_("Weight of staying 180 days"),
        min_value=0,
        max_value=10,
        initial=DEFAULT_PARAMETERS["retention_weight"],
    )
    preference_weight = forms.FloatField(
        label=_("Extra weight for stated wishes (off unless you set it)"),
        help_text=_(
            "Wishes already raise the chance of staying. A bonus on top places more people "
            "where they asked to be, and the run says what it costs in expected stayers."
        ),
        min_value=0,
        max_value=10,
        initial=DEFAULT_PARAMETERS["preference_weight"],
    )
    housing_value = forms.FloatField(
        label=_("Value of housing a person"),
        min_value=0,
        max_value=10,
        initial=DEFAULT_PARAMETERS["housing_value"],
    )
    children_priority = forms.FloatField(
        label=_("Priority for households with children"),
        min_value=0,
        max_value=10,
        initial=DEFAULT_PARAMETERS["children_priority"],
    )
    large_household_share = forms.FloatField(
        label=_("Minimum share placed, households of 5+"),
        min_value=0,
        max_value=1,
        initial=DEFAULT_PARAMETERS["large_household_share"],
    )


class RunForm(WeightsForm):
    working_age_min = forms.IntegerField(
        label=_("Working age from"),
        required=False,
        min_value=14,
        max_value=80,
        initial=DEFAULT_PARAMETERS["working_age_min"],
    )
    working_age_max = forms.IntegerField(
        label=_("Working age to (inclusive)"),
        required=False,
        min_value=14,
        max_value=80,
        initial=DEFAULT_PARAMETERS["working_age_max"],
    )
    other_provinces = forms.CharField(
        label=_("Other provinces of the labour plan"),
        required=False,
        max_length=400,
        help_text=_(
            "Names separated by commas. Their sites are open to this run; people sent there "
            "need a travel permit."
        ),
    )
    station = forms.ModelChoiceField(label=_("Station"), queryset=None, required=False)
    batch_from = forms.DateField(
        label=_("Batch: waiting since"),
        required=False,
        widget=DateInput(),
    )
    batch_to = forms.DateField(label=_("until"), required=False, widget=DateInput())
    allow_moves = forms.BooleanField(
        label=_("Allow moving people already at work"),
        required=False,
        help_text=_(
            "People of the station (or the province) who are placed or at work may be moved to "
            "a clearly better place; without this, they keep their placements."
        ),
    )

    def __init__(self, *args, stations=None, provinces: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
        # Staff without a province of their own (administrators) choose the batch's province.
        if provinces is not None:
            self.fields["province"] = forms.ChoiceField(
                label=_("Province of the batch"),
                choices=[("", "---------")] + [(name, name) for name in provinces],
                required=False,
            )
        # Weights come after the scope on the page.
        self.order_fields(["station", "province", "batch_from", "batch_to", "allow_moves"])

    def clean(self) -> dict:
        data = super().clean() or {}
        if "province" in self.fields and not data.get("station") and not data.get("province"):
            self.add_error("province", _("Choose the province of the batch."))
        for key in ("working_age_min", "working_age_max"):
            if data.get(key) is None:
                data[key] = DEFAULT_PARAMETERS[key]
        data["other_provinces"] = [
            name.strip() for name in (data.get("other_provinces") or "").split(",") if name.strip()
        ]
        return data


class ClaimForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Credential.Kind.choices)
    name = forms.CharField(label=_("Diploma, certificate or skill"), max_length=120)
    years = forms.IntegerField(label=_("Years of study"), min_value=0, max_value=12, initial=0)
    institution = forms.CharField(
        label=_("Institution (as claimed)"), max_length=200, required=False
    )


class VerifyForm(forms.Form):
    evidence = forms.ChoiceField(
        label=_("Evidence"),
        choices=[c for c in Credential.Evidence.choices if c[0]],
    )
    document_seen = forms.CharField(label=_("Document seen"), max_length=200, required=False)
    issuing_institution = forms.CharField(
        label=_("Issuing institution"), max_length=200, required=False
    )
    test_result = forms.CharField(label=_("Practical test result"), max_length=200, required=False)


class PreferenceForm(forms.Form):
    """Three ranked wishes; empty rows are ignored."""

    KINDS = [("", "—"), *Preference.Kind.choices]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for rank in (1, 2, 3):
            self.fields[f"kind_{rank}"] = forms.ChoiceField(
                label=_("Wish %(rank)d") % {"rank": rank}, choices=self.KINDS, required=False
            )
            self.fields[f"value_{rank}"] = forms.CharField(
                label=_("Kind of work (%(kinds)s) or county")
                % {"kinds": ", ".join(SiteKind.values)},
                max_length=120,
                required=False,
            )

    def wishes(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data[f"kind_{rank}"], data[f"value_{rank}"])
            for rank in (1, 2, 3)
            if data.get(f"kind_{rank}")
        ]


class EditForm(forms.Form):
    vacancy = forms.ModelChoiceField(label=_("Vacancy"), queryset=None, required=False)
    housing_site = forms.ModelChoiceField(
        label=_("Or housing only at"), queryset=None, required=False
    )
    reason = forms.CharField(
        label=_("Reason for the change"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, province: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = Vacancy.objects.filter(
            site__province=province, is_open=True
        ).select_related("site")
        self.fields["housing_site"].queryset = Site.objects.filter(
            province=province, is_active=True
        )
