"""The journey's table: every step has an owner, every owner, guard and effect exists, and only
the owners take steps (found by reading the code, so a new shortcut fails here)."""

import ast
import inspect
from pathlib import Path

import pytest

from people import journey
from people.states import JourneyState as S

ROOT = Path(__file__).resolve().parents[2]


def test_the_table_prints_every_step_with_its_owner_and_guards(capsys) -> None:
    text = journey.describe()
    print(text)
    assert "Admit to quarantine: identity_checked -> in_quarantine" in text
    assert "owner:   health.services.admit" in text
    for step in journey.STEPS:
        assert step.owners, f"{step.source} -> {step.target} has no owner"
        assert str(step.label) in text


def test_every_owner_guard_and_effect_named_in_the_table_exists() -> None:
    paths = {path for step in journey.STEPS for path in (*step.owners, *step.guards, *step.effects)}
    for path in sorted(paths):
        assert callable(journey.resolve(path)), path


def test_steps_that_stand_for_a_record_are_guarded_by_it_and_cannot_be_forced() -> None:
    needs = {
        S.IN_QUARANTINE: journey.NEEDS_STAY,
        S.MEDICALLY_CLEARED: journey.NEEDS_CLEARANCE,
        S.PLACED: journey.NEEDS_PLACEMENT,
        S.AT_WORK: journey.NEEDS_PLACEMENT,
    }
    for step in journey.STEPS:
        if step.target in needs:
            assert needs[step.target] in step.guards, step
    for target in (*needs, S.MERGED):
        assert journey.override_roles(target) == frozenset()


def _take_step_calls() -> list[tuple[str, str, str]]:
    """(module, enclosing function, owner constant) of every take_step call in the code."""
    found = []
    apps = [d for d in ROOT.iterdir() if (d / "__init__.py").exists()]
    for path in sorted(p for app in apps for p in app.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        module = ".".join(relative.with_suffix("").parts)
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "take_step"):
                    continue
                owner = next((k.value for k in node.keywords if k.arg == "owner"), None)
                assert isinstance(owner, ast.Attribute), f"{module}.{function.name}: owner?"
                found.append((module, function.name, owner.attr))
    return found


def test_only_the_owning_module_takes_a_step() -> None:
    """A step is taken by the module of the action the table names: a page or another app
    calling take_step for someone else's step is a shortcut around its rules."""
    calls = _take_step_calls()
    assert len(calls) >= 10
    for module, function, constant in calls:
        owner = getattr(journey, constant)
        assert owner.rsplit(".", 1)[0] == module, (
            f"{module}.{function} takes a step owned by {owner}"
        )


def test_every_owner_in_the_table_takes_its_step() -> None:
    owners_calling = {getattr(journey, constant) for _m, _f, constant in _take_step_calls()}
    for step in journey.STEPS:
        for owner in step.owners:
            module = owner.rsplit(".", 1)[0]
            assert any(o.rsplit(".", 1)[0] == module for o in owners_calling), owner


@pytest.mark.parametrize("step", journey.STEPS, ids=lambda s: f"{s.source}->{s.target}")
def test_a_step_refuses_code_that_does_not_own_it(step: journey.Step) -> None:
    role = sorted(step.roles)[0]
    with pytest.raises(journey.NotTheOwner):
        journey.check_step(step.source, step.target, role, owner="people.views.person_detail")
    assert journey.check_step(step.source, step.target, role, owner=step.owners[0])


def test_owner_functions_exist_with_the_names_the_table_gives() -> None:
    for step in journey.STEPS:
        for owner in step.owners:
            assert inspect.isfunction(journey.resolve(owner)), owner
