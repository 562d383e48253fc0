"""The quarantine checklist of a stay: washing, disinfection, the required vaccines (the
vaccine table says which and how many doses) and the last examination."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from health.models import QuarantineStay, Vaccine


@dataclass
class Checklist:
    washed: bool
    disinfected: bool
    vaccines_missing: list[str] = field(default_factory=list)
    examined: bool = False
    contagious: bool = False
    fitness: str = ""

    @property
    def missing(self) -> list[str]:
        items = [] if self.washed else [_("washing")]
        items += [] if self.disinfected else [_("disinfection")]
        items += [_("vaccine: %(name)s") % {"name": name} for name in self.vaccines_missing]
        items += [] if self.examined else [_("medical examination")]
        items += [_("contagious at the last examination")] if self.contagious else []
        return items

    @property
    def complete(self) -> bool:
        return not self.missing


def required_vaccines() -> list[Vaccine]:
    return list(Vaccine.objects.filter(doses_required__gt=0))


def checklist_of(stay: QuarantineStay, required: list[Vaccine] | None = None) -> Checklist:
    required = required_vaccines() if required is None else required
    given: dict[int, int] = {}
    for vaccine_id in stay.vaccinations.values_list("vaccine_id", flat=True):
        given[vaccine_id] = given.get(vaccine_id, 0) + 1
    last = stay.examinations.order_by("-examined_on", "-id").first()
    return Checklist(
        washed=stay.washed_on is not None,
        disinfected=stay.disinfected_on is not None,
        vaccines_missing=[str(v) for v in required if given.get(v.pk, 0) < v.doses_required],
        examined=last is not None,
        contagious=bool(last and last.contagious),
        fitness=last.fitness if last else "",
    )
