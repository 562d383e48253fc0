"""The reasons for leaving a job that the labour office starts with (the cable's, and more)."""

from django.db import migrations

REASONS = (
    ("work_too_hard", "work too hard", "일이 너무 힘듦", "工作太辛苦", False),
    ("unable", "unable to do the work", "일을 해낼 수 없음", "无法胜任工作", False),
    ("dissatisfied", "dissatisfied with the assignment", "배치에 불만", "对分配不满", False),
    ("family", "family", "가족 사정", "家庭原因", False),
    ("health", "health", "건강", "健康", False),
    ("other", "other", "기타", "其他", True),
)


def seed(apps, schema_editor):
    LeaveReason = apps.get_model("reports", "LeaveReason")
    for position, (code, en, ko, zh, needs_text) in enumerate(REASONS):
        LeaveReason.objects.get_or_create(
            code=code,
            defaults={
                "label_en": en,
                "label_ko": ko,
                "label_zh": zh,
                "needs_text": needs_text,
                "position": position,
            },
        )


def retire(apps, schema_editor):
    # Nothing is deleted: going back leaves the reasons in place.
    pass


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, retire)]
