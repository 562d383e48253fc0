"""What a spreadsheet's columns can be mapped to, for each kind of import, and a first guess
of the mapping from the column headings (in English, Korean or Chinese)."""

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Target:
    name: str
    label: str | Promise
    required: bool = False
    # headings that mean this field, lower case, without spaces or punctuation
    aliases: tuple[str, ...] = ()


REGISTER_FIELDS = (
    Target("source_key", _("Key in the register"), True, ("key", "id", "no", "number", "번호", "编号")),
    Target("household", _("Household"), False, ("household", "family", "세대", "가구", "户")),
    Target("relationship", _("Relationship to the head"), False, ("relationship", "관계", "关系")),
    Target("family_name_hangul", _("Family name (Hangul)"), False, ("성", "familynamehangul")),
    Target("given_name_hangul", _("Given name (Hangul)"), False, ("이름", "givennamehangul")),
    Target("family_name_hanzi", _("Family name (Hanzi)"), False, ("姓", "familynamehanzi")),
    Target("given_name_hanzi", _("Given name (Hanzi)"), False, ("名", "givennamehanzi")),
    Target("family_name_latin", _("Family name (Latin)"), False, ("familyname", "surname")),
    Target("given_name_latin", _("Given name (Latin)"), False, ("givenname", "firstname")),
    Target("sex", _("Sex"), False, ("sex", "gender", "성별", "性别")),
    Target("birth_date", _("Date of birth"), False, ("birthdate", "born", "dateofbirth", "생년월일", "出生日期")),
    Target("place_of_origin", _("Place of origin"), False, ("origin", "placeoforigin", "출신지", "籍贯")),
    Target("document_number", _("Resident ID number"), False, ("residentid", "idnumber", "身份证号")),
    Target("education_level", _("Education"), False, ("education", "학력", "学历")),
    Target("education_years", _("Years of education"), False, ("educationyears", "yearsofeducation")),
    Target("occupation", _("Occupation"), False, ("occupation", "job", "직업", "职业")),
    Target("languages", _("Languages"), False, ("languages", "language", "언어", "语言")),
    Target("category", _("Category"), False, ("category", "구분", "类别")),
    Target("crossed_at", _("Crossed the border at"), False, (
        "crossedat", "crossed", "crossing", "crossingdate", "crossingtime", "dateofcrossing",
        "월경", "월경일", "월경일시", "월경일자", "월경시각", "越境", "越境日期", "越境时间",
    )),
)  # fmt: skip

LABOUR_FIELDS = (
    Target("employer", _("Employer"), True, ("employer", "기업소", "单位")),
    Target("kind", _("Sector"), True, ("kind", "sector", "부문", "部门")),
    Target("province", _("Province"), True, ("province", "도", "省")),
    Target("site", _("Site"), True, ("site", "작업장", "工地")),
    Target("county", _("County"), True, ("county", "군", "郡")),
    Target("housing_places", _("Housing places"), True, ("housing", "housingplaces", "숙소", "住房")),
    Target("housing_type", _("Housing type"), False, ("housingtype", "housing type", "숙소형태", "住房类型")),
    Target("x_km", _("East (km)"), False, ("xkm", "east", "eastkm")),
    Target("y_km", _("North (km)"), False, ("ykm", "north", "northkm")),
    Target("occupation", _("Occupation"), False, ("occupation", "직종", "工种")),
    Target("slots", _("Positions"), False, ("slots", "positions", "vacancies", "정원", "名额")),
    Target("required_credential", _("Verified credential needed"), False, ("credential", "requiredcredential")),
    Target("skilled", _("Skilled post"), False, ("skilled",)),
    Target("heavy_work", _("Heavy work"), False, ("heavywork", "heavy")),
    Target("heaviness", _("Heaviness of the work"), False, ("heaviness", "노동강도", "劳动强度")),
    Target("skill_level", _("Skill level"), False, ("skilllevel", "기술수준", "技能等级")),
    Target("min_age", _("Minimum age"), False, ("minage", "minimumage")),
    Target("language", _("Language needed"), False, ("language", "languageneeded")),
    Target("difficulty", _("Difficulty"), False, ("difficulty",)),
)  # fmt: skip

FIELDS = {"register": REGISTER_FIELDS, "labour_plan": LABOUR_FIELDS}


def _plain(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def guess_mapping(kind: str, header: list[str]) -> dict[str, int]:
    """Field -> column index, for the headings that name a field (its name, its English
    label or an alias); each column is used once."""
    mapping: dict[str, int] = {}
    plain = [_plain(heading) for heading in header]
    for target in FIELDS[kind]:
        names = {_plain(target.name), _plain(str(target.label)), *target.aliases}
        for index, heading in enumerate(plain):
            if heading and heading in names and index not in mapping.values():
                mapping[target.name] = index
                break
    return mapping
