from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from people.forms import MemberForm


class PersonEditForm(MemberForm):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    client_uuid = forms.UUIDField(widget=forms.HiddenInput)

    def has_changed_field(self, name: str) -> bool:
        return name in self.changed_data


class ConflictForm(forms.Form):
    """One choice per disputed field: keep the server's value or take the late edit's."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, rows: list[dict], version: int, **kwargs: Any) -> None:
        super().__init__(*args, initial={"version": version}, **kwargs)
        self.disputed = [row["name"] for row in rows]
        for row in rows:
            self.fields[f"take_{row['name']}"] = forms.ChoiceField(
                label=row["label"],
                choices=[("server", _("Keep the server's value")), ("mine", _("Take this edit"))],
                widget=forms.RadioSelect,
            )

    def taken_from_edit(self) -> set[str]:
        return {name for name in self.disputed if self.cleaned_data[f"take_{name}"] == "mine"}
