"""The roles of DESIGN.md and the scope each one works in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGISTRAR = "registrar", _("Registrar")
    MEDICAL_OFFICER = "medical_officer", _("Medical officer")
    SUPPLIES_CLERK = "supplies_clerk", _("Supplies clerk")
    LABOUR_OFFICER = "labour_officer", _("Labour officer")
    DOCUMENTS_OFFICER = "documents_officer", _("Documents officer")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


STATION_ROLES = frozenset({Role.REGISTRAR, Role.MEDICAL_OFFICER, Role.SUPPLIES_CLERK})
PROVINCE_ROLES = frozenset({Role.LABOUR_OFFICER, Role.DOCUMENTS_OFFICER})
GLOBAL_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR})
READ_ONLY_ROLES = frozenset({Role.AUDITOR})
