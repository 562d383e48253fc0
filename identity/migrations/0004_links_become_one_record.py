"""One person, one record: every active link between two records of one person, made when a
link left both records live, becomes the shape the files check now makes. The linked record is
closed as "merged" (a journey step, kept in its history); its crossings move to the record it
belongs to, which also takes the fields it lacked. The link remembers what moved, its state
before and the fields filled, so undoing it gives everything back."""

from django.db import migrations
from django.utils import timezone

FILLABLE = (
    "family_name_hangul",
    "given_name_hangul",
    "family_name_hanzi",
    "given_name_hanzi",
    "family_name_latin",
    "given_name_latin",
    "place_of_origin",
    "document_number",
    "occupation",
    "languages",
)
MAX_CHAIN = 20


def _refresh_derived(apps, person):
    """The survivor's search forms follow its new names; its files-check keys are removed,
    so the next `manage.py identity_keys` (or batch deduplication) derives them again."""
    from people.names import name_form_values

    PersonName = apps.get_model("people", "PersonName")
    PersonName.objects.filter(person=person).delete()
    values = name_form_values(
        person.family_name_hangul,
        person.given_name_hangul,
        person.family_name_hanzi,
        person.given_name_hanzi,
        person.family_name_latin,
        person.given_name_latin,
    )
    PersonName.objects.bulk_create(
        PersonName(person=person, form=form, value=value) for form, value in values.items()
    )
    apps.get_model("identity", "BlockingKey").objects.filter(person=person).delete()
    apps.get_model("identity", "PersonKeys").objects.filter(person=person).delete()


def forwards(apps, schema_editor):
    PersonLink = apps.get_model("identity", "PersonLink")
    Person = apps.get_model("people", "Person")
    Crossing = apps.get_model("people", "Crossing")
    JourneyTransition = apps.get_model("people", "JourneyTransition")
    active = PersonLink.objects.filter(undone_at__isnull=True)
    parent = dict(active.values_list("person_id", "merged_into_id"))

    def root_of(person_id):
        for _step in range(MAX_CHAIN):
            if person_id not in parent:
                break
            person_id = parent[person_id]
        return person_id

    now = timezone.now()
    for link in active.order_by("id"):
        closed = Person.objects.get(pk=link.person_id)
        if closed.state == "merged":
            continue
        survivor = Person.objects.get(pk=root_of(link.person_id))
        moved = list(Crossing.objects.filter(person=closed).values_list("pk", flat=True))
        Crossing.objects.filter(pk__in=moved).update(person=survivor)
        filled = [
            name
            for name in FILLABLE
            if getattr(closed, name) and not getattr(survivor, name)
        ]
        for name in filled:
            setattr(survivor, name, getattr(closed, name))
        if filled:
            survivor.version += 1
            survivor.save(update_fields=[*filled, "version"])
            _refresh_derived(apps, survivor)
        JourneyTransition.objects.create(
            person=closed,
            from_state=closed.state,
            to_state="merged",
            at=now,
            reason=f"Closed as a second record of person {survivor.pk} (one person, one record)",
        )
        link.undo = {
            "crossings": moved,
            "fields": filled,
            "state": closed.state,
            "survivor": {"station": survivor.station_id, "household": survivor.household_id},
        }
        link.merged_into_id = survivor.pk
        link.save(update_fields=["undo", "merged_into"])
        closed.state, closed.state_changed_at, closed.version = "merged", now, closed.version + 1
        closed.save(update_fields=["state", "state_changed_at", "version"])


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0003_one_person_one_record"),
        ("people", "0006_one_person_one_record"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
