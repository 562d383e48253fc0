from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from supplies.models import Item, SleepingPlace


class MovementForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.filter(is_active=True))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class IssueForm(MovementForm):
    """ "Issue from stock" on the person page. An item of the person's policy counts as the
    period's entitlement; a second one needs an administrator's written reason."""

    override_reason = forms.CharField(
        label=_("Override reason (administrator)"),
        max_length=300,
        required=False,
        help_text=_("Only to hand out an entitled item a second time in its period."),
    )


class WriteOffForm(MovementForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class TransferForm(MovementForm):
    target = forms.ModelChoiceField(label=_("To station"), queryset=None)

    def __init__(self, *args: object, stations: QuerySet, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = stations


class PlaceForm(forms.ModelForm):
    class Meta:
        model = SleepingPlace
        fields = ["name", "kind", "capacity"]


class ReleaseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
