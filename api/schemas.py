import datetime as dt
import uuid
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, StrictInt, model_validator

from identity.models import Verdict
from people.models import Category, Crossing, DatePrecision, EducationLevel, Relationship, Sex
from people.states import JourneyState


def _without_nul(value: str) -> str:
    # PostgreSQL can neither store nor compare text with NUL in it: bad input, not a 500.
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


Text = Annotated[str, AfterValidator(_without_nul)]
"""Text a client sends."""


class Body(Schema):
    """A JSON object as the API takes it: an object and nothing else (ninja would read a list
    or a string as an object of defaults), with numbers as numbers (StrictInt fields take
    no "5" and no true)."""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: object) -> object:
        # ninja hands the value over wrapped in its DjangoGetter
        if not isinstance(getattr(value, "_obj", value), dict):
            raise ValueError("must be a JSON object")
        return value


class VerdictIn(Body):
    """The registrar's verdict on one candidate the live check (GET /api/identity/check)
    showed for this person."""

    candidate_id: StrictInt = Field(..., ge=1, le=2**63 - 1)
    verdict: Verdict


class PersonIn(Body):
    client_uuid: uuid.UUID | None = None
    family_name_hangul: Text = Field("", max_length=60)
    given_name_hangul: Text = Field("", max_length=60)
    family_name_hanzi: Text = Field("", max_length=60)
    given_name_hanzi: Text = Field("", max_length=60)
    family_name_latin: Text = Field("", max_length=80)
    given_name_latin: Text = Field("", max_length=80)
    sex: Sex
    birth_date: dt.date | None = None
    birth_date_precision: DatePrecision = DatePrecision.DAY
    place_of_origin: Text = Field("", max_length=200)
    document_number: Text = Field(
        "", max_length=24, description="Chinese resident ID number (18 characters), if any"
    )
    document_as_written: bool = Field(
        False,
        description="Keep a resident ID that does not check out exactly as the card shows it "
        "(stored flagged; otherwise such a number is refused with 422)",
    )
    education_level: EducationLevel = EducationLevel.NONE
    education_years: StrictInt = Field(0, ge=0, le=30)
    occupation: Text = Field("", max_length=120)
    languages: list[Text] = Field(default_factory=list, max_length=10)
    category: Category = Category.BORDER_CROSSER
    relationship: Relationship | None = Field(
        None, description="The member's relationship to the head of household, if stated"
    )
    files_check: list[VerdictIn] | None = Field(
        None,
        max_length=20,
        description="Verdicts on the live check's candidates. Without them (a client that "
        "could not run the check), every candidate the server finds waits in the station's "
        "review queue and the person stays at 'registered'.",
    )


class PersonCreateIn(PersonIn):
    station: Text = Field(..., max_length=32, description="Station code")
    household_uuid: uuid.UUID | None = None
    crossed_at: AwareDatetime | None = None


class HouseholdIn(Body):
    client_uuid: uuid.UUID
    station: Text = Field(..., max_length=32, description="Station code")
    crossed_at: AwareDatetime | None = None
    head_index: StrictInt = Field(0, ge=0, le=100)
    members: list[PersonIn] = Field(..., min_length=1, max_length=30)


class CrossingIn(Body):
    client_uuid: uuid.UUID
    person_id: StrictInt = Field(..., ge=1, le=2**63 - 1)
    station: Text = Field(..., max_length=32)
    direction: Crossing.Direction
    crossed_at: AwareDatetime
    note: Text = Field("", max_length=500)


class PersonOut(Schema):
    id: int
    client_uuid: uuid.UUID
    family_name_hangul: str
    given_name_hangul: str
    family_name_hanzi: str
    given_name_hanzi: str
    family_name_latin: str
    given_name_latin: str
    sex: str
    birth_date: dt.date | None
    birth_date_precision: str
    place_of_origin: str
    document_number: str
    document_as_written: bool
    education_level: str
    education_years: int
    occupation: str
    languages: list[str]
    category: str
    relationship: str
    station: str = Field(..., alias="station.code")
    household_id: int | None
    state: JourneyState
    version: int


class HouseholdOut(Schema):
    id: int
    client_uuid: uuid.UUID
    station: str
    head_id: int | None
    members: list[PersonOut]


class CrossingOut(Schema):
    id: int
    client_uuid: uuid.UUID
    person_id: int
    station: str = Field(..., alias="station.code")
    direction: str
    crossed_at: dt.datetime
    note: str
    person_state: str = Field(..., alias="person.state")


class CheckQuery(Schema):
    family_name_hangul: Text = Field("", max_length=60)
    given_name_hangul: Text = Field("", max_length=60)
    family_name_hanzi: Text = Field("", max_length=60)
    given_name_hanzi: Text = Field("", max_length=60)
    family_name_latin: Text = Field("", max_length=80)
    given_name_latin: Text = Field("", max_length=80)
    sex: Text = Field("", max_length=1)
    birth_date: dt.date | None = None
    birth_date_precision: DatePrecision = DatePrecision.DAY
    place_of_origin: Text = Field("", max_length=200)
    document_number: Text = Field("", max_length=24)


class CandidateOut(Schema):
    """An earlier record the files check found: what a registrar needs to decide."""

    id: int
    name: str
    sex: str = Field(..., description="Empty for a record outside the caller's scope")
    birth_date: dt.date | None
    station: str
    in_scope: bool = Field(..., description="False: only name, birth date and station shown")
    score: float
    band: str
    reasons: list[str]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(default_factory=dict)


class PersonChanges(Body):
    """Only the fields sent are changed."""

    family_name_hangul: Text | None = Field(None, max_length=60)
    given_name_hangul: Text | None = Field(None, max_length=60)
    family_name_hanzi: Text | None = Field(None, max_length=60)
    given_name_hanzi: Text | None = Field(None, max_length=60)
    family_name_latin: Text | None = Field(None, max_length=80)
    given_name_latin: Text | None = Field(None, max_length=80)
    sex: Sex | None = None
    birth_date: dt.date | None = None
    birth_date_precision: DatePrecision | None = None
    place_of_origin: Text | None = Field(None, max_length=200)
    document_number: Text | None = Field(None, max_length=24)
    document_as_written: bool | None = None
    education_level: EducationLevel | None = None
    education_years: StrictInt | None = Field(None, ge=0, le=30)
    occupation: Text | None = Field(None, max_length=120)
    languages: list[Text] | None = Field(None, max_length=10)
    category: Category | None = None
    relationship: Relationship | None = None


class PersonEditIn(Body):
    client_uuid: uuid.UUID = Field(..., description="Made by the client; a resend is harmless")
    version: StrictInt = Field(
        ..., ge=1, le=2**31, description="The person's version the edit was based on"
    )
    changes: PersonChanges


class PersonEditConflictOut(Schema):
    detail: str
    conflict_id: int | None = Field(None, description="The conflict a registrar must settle")
    current: PersonOut
