"""Each person's blocking keys packed into one value (identity/packed_keys.py): the batch
reads a million persons' keys as a million values instead of 48 million rows. Keys stored
before are packed here from BlockingKey, in the format packed_keys.py writes (nine bytes a
key: the hash as int8send writes it, then its class)."""

from django.db import migrations, models

# As packed_keys.key_class when this migration was written: later changes to the
# families must not change what an old migration did.
RESTRICTED_FAMILY = "n"
LOOSE_FAMILIES = ("sy", "ga", "gmd", "rmd", "sra", "fr0", "fr1", "fk0", "fk1", "da", "hz")

POSTGRESQL = f"""
UPDATE identity_personkeys AS p SET packed_keys = k.packed
FROM (
    SELECT person_id, string_agg(
        int8send(key_hash) || CASE
            WHEN family = '{RESTRICTED_FAMILY}' THEN '\\x01'::bytea
            WHEN family IN ({", ".join(f"'{family}'" for family in LOOSE_FAMILIES)})
                THEN '\\x02'::bytea
            ELSE '\\x00'::bytea END,
        ''::bytea ORDER BY id) AS packed
    FROM identity_blockingkey GROUP BY person_id
) AS k
WHERE p.person_id = k.person_id
"""


def _kind(family: str) -> int:
    if family == RESTRICTED_FAMILY:
        return 1
    return 2 if family in LOOSE_FAMILIES else 0


def pack_stored_keys(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
        return
    blocking_key = apps.get_model("identity", "BlockingKey")
    person_keys = apps.get_model("identity", "PersonKeys")
    rows = blocking_key.objects.order_by("person_id", "id").values_list(
        "person_id", "key_hash", "family"
    )
    person, value, changed = None, bytearray(), []
    for person_id, key_hash, family in rows.iterator(chunk_size=10_000):
        if person_id != person:
            if person is not None:
                changed.append(person_keys(person_id=person, packed_keys=bytes(value)))
            person, value = person_id, bytearray()
            if len(changed) >= 1_000:
                person_keys.objects.bulk_update(changed, ["packed_keys"])
                changed = []
        value += key_hash.to_bytes(8, "big", signed=True) + bytes([_kind(family)])
    if person is not None:
        changed.append(person_keys(person_id=person, packed_keys=bytes(value)))
    person_keys.objects.bulk_update(changed, ["packed_keys"])


class Migration(migrations.Migration):
    dependencies = [("identity", "0009_inward_crossings_index_direction")]

    operations = [
        migrations.AddField(
            model_name="personkeys",
            name="packed_keys",
            field=models.BinaryField(default=b""),
        ),
        migrations.RunPython(pack_stored_keys, migrations.RunPython.noop),
    ]
