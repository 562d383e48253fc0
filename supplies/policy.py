"""The starting policy table and items (the data migration 0003 loads them). ensure_policy()
puts back any that are missing, e.g. after a test run emptied the tables."""

from decimal import Decimal

ITEMS = (
    ("blanket", "piece", "Blanket", "담요", "毯子"),
    ("winter-clothing", "set", "Winter clothing set", "겨울옷 한 벌", "冬衣一套"),
    ("soap", "bar", "Soap", "비누", "肥皂"),
    ("food-ration", "ration", "Food ration", "식량 배급", "口粮"),
    ("ration-coupon", "coupon", "Ration coupon", "배급표", "粮票"),
)

TRAVEL = ("Travel funds", "여비", "路费")
COUPONS = ("Ration coupons", "배급표", "粮票")
BLANKET = ("Blanket for the winter", "겨울 담요", "过冬毯子")
CLOTHING = ("Winter clothing", "겨울옷", "冬衣")
SOAP = ("Soap", "비누", "肥皂")

# category, code, names, item code, quantity, amount, period, due
POLICY = (
    ("border_crosser", "travel-funds", TRAVEL, None, 0, Decimal("20.00"), "once", "placement"),
    ("border_crosser", "ration-coupons", COUPONS, "ration-coupon", 30, None, "month", "placement"),
    ("border_crosser", "blanket", BLANKET, "blanket", 1, None, "winter", "arrival"),
    ("border_crosser", "soap", SOAP, "soap", 1, None, "month", "arrival"),
    (
        "returning_compatriot",
        "travel-funds",
        TRAVEL,
        None,
        0,
        Decimal("50.00"),
        "once",
        "placement",
    ),
    (
        "returning_compatriot",
        "ration-coupons",
        COUPONS,
        "ration-coupon",
        45,
        None,
        "month",
        "placement",
    ),
    ("returning_compatriot", "blanket", BLANKET, "blanket", 1, None, "winter", "arrival"),
    (
        "returning_compatriot",
        "winter-clothing",
        CLOTHING,
        "winter-clothing",
        1,
        None,
        "winter",
        "arrival",
    ),
    ("returning_compatriot", "soap", SOAP, "soap", 2, None, "month", "arrival"),
)


def ensure_policy(item_model: object = None, entitlement_model: object = None) -> None:
    """Create the items and policy lines that do not exist yet (never changes existing ones)."""
    if item_model is None or entitlement_model is None:
        from supplies.models import Entitlement, Item

        item_model, entitlement_model = Item, Entitlement
    items = {}
    for code, unit, en, ko, zh in ITEMS:
        items[code], _ = item_model.objects.get_or_create(
            code=code, defaults={"unit": unit, "name_en": en, "name_ko": ko, "name_zh": zh}
        )
    for category, code, (en, ko, zh), item, quantity, amount, period, due in POLICY:
        entitlement_model.objects.get_or_create(
            category=category,
            code=code,
            defaults={
                "name_en": en,
                "name_ko": ko,
                "name_zh": zh,
                "item": items[item] if item else None,
                "quantity": quantity,
                "amount": amount,
                "currency": "KPW" if amount else "",
                "period": period,
                "due_when": due,
            },
        )
