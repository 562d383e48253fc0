"""A person leaves with their vaccination record: FHIR R4 JSON and a printable card."""

import io
import json

import pypdfium2

from health.exports import fhir_bundle, vaccination_card_pdf
from health.tests.helpers import admitted, complete_checklist


def test_the_fhir_bundle_holds_the_patient_and_one_immunization_per_dose(personas) -> None:
    person = admitted(personas, days_ago=16)
    complete_checklist(personas, person)
    bundle = fhir_bundle(person)
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
    patient, *immunizations = [entry["resource"] for entry in bundle["entry"]]
    assert patient["resourceType"] == "Patient" and patient["birthDate"] == "1931-05-04"
    assert {"text": "안재수", "family": "안"}.items() <= patient["name"][1].items()
    assert len(immunizations) == 3
    smallpox = next(i for i in immunizations if i["vaccineCode"]["text"].startswith("Smallpox"))
    assert smallpox["vaccineCode"]["coding"][0] == {
        "system": "http://hl7.org/fhir/sid/cvx",
        "code": "75",
        "display": "Smallpox (vaccinia)",
    }
    assert smallpox["status"] == "completed" and smallpox["lotNumber"] == "LOT-smallpox-1"
    assert smallpox["protocolApplied"] == [{"doseNumberPositiveInt": 1}]
    assert smallpox["patient"]["reference"] == bundle["entry"][0]["fullUrl"]
    assert smallpox["performer"][0]["actor"]["display"] == "medical-onsong"
    json.dumps(bundle)  # serialisable as it is


def test_the_json_download_is_fhir(personas) -> None:
    person = admitted(personas, days_ago=3)
    response = personas.client_for("medical-onsong").get(
        f"/health/people/{person.pk}/immunizations.json"
    )
    assert response["Content-Type"].startswith("application/fhir+json")
    assert json.loads(response.content)["entry"][0]["resource"]["resourceType"] == "Patient"


def test_the_card_prints_the_korean_name_and_every_dose(personas) -> None:
    person = admitted(personas, days_ago=16)
    complete_checklist(personas, person)
    pdf = vaccination_card_pdf(person)
    assert pdf.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    text = document[0].get_textpage().get_text_range()
    assert "안재수" in text and "安在秀" in text
    for lot in ("LOT-smallpox-1", "LOT-typhoid-1", "LOT-cholera-1"):
        assert lot in text
