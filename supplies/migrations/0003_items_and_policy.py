"""The items the stations stock and the policy table of entitlements per category.

The cable says every arrival got travel funds and ration coupons and that 11,000 blankets
were handed out, and that border crossers were not treated like returning compatriots. The
quantities and amounts are the starting policy; administrators change them in the admin
(an issue keeps the quantity, amount and currency it was paid with, so a later change of a
line does not rewrite what people received).
"""

from django.db import migrations

from supplies.policy import ensure_policy


def forward(apps, schema_editor) -> None:
    ensure_policy(apps.get_model("supplies", "Item"), apps.get_model("supplies", "Entitlement"))


class Migration(migrations.Migration):
    dependencies = [("supplies", "0002_ledger_chain_trigger")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
