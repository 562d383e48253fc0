"""The retention model's page: its model card, and the import of an outcome history from
elsewhere (the import runs on the task queue; this page shows its progress)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labour.explain_words import card_for_page
from labour.models import OutcomeImport
from labour.services.access import ACTING_ROLES, READING_ROLES
from labour.services.history_import import OPTIONAL_DEFAULTS, REQUIRED, start_import
from labour.services.retention import model_card
from labour.views import may_act
from stations.access import require, role_required

MAX_UPLOAD = 20 * 1024 * 1024


class ImportForm(forms.Form):
    source = forms.CharField(label=gettext_lazy("Where the outcomes come from"), max_length=160)
    file = forms.FileField(label=gettext_lazy("CSV file"))


@role_required(*READING_ROLES)
def outcomes(request: HttpRequest) -> HttpResponse:
    form = ImportForm()
    if request.method == "POST":
        require(request.user, ACTING_ROLES)
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD:
                form.add_error("file", _("The file is larger than 20 MB."))
            else:
                try:
                    content = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError:
                    form.add_error("file", _("The file is not UTF-8 text."))
                else:
                    start_import(
                        user=request.user,
                        source=form.cleaned_data["source"],
                        file_name=upload.name,
                        content=content,
                    )
                    messages.success(request, _("The import is queued; its progress shows below."))
                    return redirect("labour-outcomes")
    imports = OutcomeImport.objects.select_related("created_by")[:20]
    running = any(
        i.status in (OutcomeImport.Status.QUEUED, OutcomeImport.Status.RUNNING) for i in imports
    )
    context = {
        "form": form,
        "imports": imports,
        "running": running,
        "card": card_for_page(model_card()),
        "columns": [*REQUIRED, *OPTIONAL_DEFAULTS],
        "can_act": may_act(request),
    }
    return render(request, "labour/outcomes.html", context)
