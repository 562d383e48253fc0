"""The 15-day default quarantine (the cable), the notifiable diseases with their ICD-10 codes,
the vaccines given at the stations and the default outbreak alert rule. Data, not code:
officers change these rows, never a constant."""

from django.db import migrations

POLICIES = (
    # category, quarantine days, extra days for a household with a contagious member
    ("border_crosser", 15, 14),
    ("returning_compatriot", 15, 14),
)

DISEASES = (
    ("A00", "Cholera", "콜레라", "霍乱"),
    ("A01.0", "Typhoid fever", "장티푸스", "伤寒"),
    ("A01.4", "Paratyphoid fever", "파라티푸스", "副伤寒"),
    ("A03", "Shigellosis (bacillary dysentery)", "세균성 이질", "细菌性痢疾"),
    ("A09", "Infectious gastroenteritis", "감염성 위장염", "感染性胃肠炎"),
    ("A15", "Respiratory tuberculosis", "호흡기 결핵", "呼吸道结核"),
    ("A36", "Diphtheria", "디프테리아", "白喉"),
    ("A37", "Whooping cough", "백일해", "百日咳"),
    ("A38", "Scarlet fever", "성홍열", "猩红热"),
    ("A39", "Meningococcal infection", "수막구균 감염", "脑膜炎球菌感染"),
    ("A68.0", "Louse-borne relapsing fever", "이 매개 재귀열", "虱传回归热"),
    ("A75.0", "Epidemic louse-borne typhus", "유행성 발진티푸스", "流行性斑疹伤寒"),
    ("A80", "Acute poliomyelitis", "급성 회백수염", "急性脊髓灰质炎"),
    ("B05", "Measles", "홍역", "麻疹"),
    ("B15", "Acute hepatitis A", "급성 A형 간염", "急性甲型肝炎"),
    ("B26", "Mumps", "유행성 이하선염", "流行性腮腺炎"),
    ("B54", "Malaria", "말라리아", "疟疾"),
    ("B85", "Pediculosis (lice)", "이 기생증", "虱病"),
    ("B86", "Scabies", "옴", "疥疮"),
    ("J11", "Influenza", "인플루엔자", "流行性感冒"),
)

VACCINES = (
    # code, English, Korean, Chinese, CVX, doses required during quarantine
    ("smallpox", "Smallpox (vaccinia)", "천연두", "天花疫苗", "75", 1),
    ("typhoid", "Typhoid", "장티푸스", "伤寒疫苗", "91", 1),
    ("cholera", "Cholera", "콜레라", "霍乱疫苗", "26", 1),
    ("typhus", "Typhus", "발진티푸스", "斑疹伤寒疫苗", "", 0),
    ("bcg", "BCG (tuberculosis)", "BCG (결핵)", "卡介苗", "19", 0),
    ("dtp", "Diphtheria, tetanus, pertussis", "디프테리아·파상풍·백일해", "百白破疫苗", "01", 0),
)


def seed(apps, schema_editor) -> None:
    QuarantinePolicy = apps.get_model("health", "QuarantinePolicy")
    Disease = apps.get_model("health", "Disease")
    Vaccine = apps.get_model("health", "Vaccine")
    OutbreakRule = apps.get_model("health", "OutbreakRule")
    if Disease.objects.exists() or QuarantinePolicy.objects.exists():
        return  # already seeded (tests re-seed after a flush)
    for category, days, extension in POLICIES:
        QuarantinePolicy.objects.create(
            category=category, quarantine_days=days, contagious_extension_days=extension
        )
    Disease.objects.bulk_create(
        Disease(icd10=code, name_en=en, name_ko=ko, name_zh=zh) for code, en, ko, zh in DISEASES
    )
    Vaccine.objects.bulk_create(
        Vaccine(code=code, name_en=en, name_ko=ko, name_zh=zh, cvx=cvx, doses_required=doses)
        for code, en, ko, zh, cvx, doses in VACCINES
    )
    OutbreakRule.objects.create(disease=None, threshold=5, window_days=14)
    typhus = Disease.objects.get(icd10="A75.0")
    OutbreakRule.objects.create(disease=typhus, threshold=3, window_days=14)


class Migration(migrations.Migration):
    dependencies = [("health", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
