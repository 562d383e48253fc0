from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from supplies.models import Item, SleepingPlace


class MovementForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Item"), queryset=Item.objects.filter(is_active=True))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


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
