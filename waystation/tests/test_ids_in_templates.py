"""Record numbers written into pages (form values, links, test ids) must never be localised:
with the thousands separator on, person 1003 became "1,003" in the household card's hidden
field and every household action after the thousandth person landed on an error."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# {{ person.pk }}, {{ vacancy.id }}, {{ a.person_id }} with no filter after them
BARE_ID = re.compile(r"\{\{\s*[\w.]*(?:\.pk|\.id|_id)\s*\}\}")


def test_every_record_number_in_a_template_is_written_unlocalised() -> None:
    found = []
    for template in ROOT.glob("*/templates/**/*.html"):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            found += [
                f"{template.relative_to(ROOT)}:{number}: {hit}"
                for hit in BARE_ID.findall(line)
                if not hit.rstrip("} ").endswith("key_id")  # a signing key's id is text
            ]
    assert not found, "write these as {{ value|unlocalize }}:\n" + "\n".join(found)
