import io

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Sum

from stations.models import Station
from supplies import beds
from supplies.models import BedAssignment, EntitlementIssue, Movement


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_hands_out_the_cables_blankets_from_a_consistent_ledger(monkeypatch) -> None:
    # Only this app's loader: the others need data of theirs that a transactional test
    # elsewhere in the run may have emptied.
    from supplies.demo import load

    monkeypatch.setattr("people.demo.loader.demo_loaders", lambda: [load])
    out = io.StringIO()
    call_command("load_demo", "--persons", "2000", "--seed", "7", stdout=out)
    expected = round(11_000 * 2000 / 20_517)
    assert f"blankets handed out: {expected:,}" in out.getvalue()
    issues = Movement.objects.filter(kind="issue", item__code="blanket")
    assert issues.count() == expected
    assert EntitlementIssue.objects.filter(movement__in=issues).count() == expected
    # every chain: the last balance is the sum of the ledger, and never below zero
    chains = Movement.objects.values("station_id", "item_id").annotate(
        total=Sum("quantity"), last=Max("seq"), n=Count("id")
    )
    for chain in chains:
        last = Movement.objects.get(
            station_id=chain["station_id"], item_id=chain["item_id"], seq=chain["last"]
        )
        assert last.balance_after == chain["total"] and chain["n"] == chain["last"]
    assert not Movement.objects.filter(balance_after__lt=0).exists()
    assert EntitlementIssue.objects.filter(entitlement__code="travel-funds").count() > 1000
    onsong = beds.occupancy(Station.objects.get(code="onsong"))
    assert onsong.is_full and len(onsong.places) == 3
    assert BedAssignment.objects.exists()


def test_backtest_command_prints_model_and_baseline() -> None:
    out = io.StringIO()
    call_command("backtest_forecast", "--synthetic", stdout=out)
    text = out.getvalue()
    assert "seasonal_naive" in text and "MAPE" in text and "cov80" in text
    out = io.StringIO()
    call_command("backtest_forecast", "--synthetic", "--json", stdout=out)
    import json

    report = json.loads(out.getvalue())
    assert (
        report["baseline_method"] == "seasonal_naive" and 0 <= report["model"]["coverage_80"] <= 1
    )


@pytest.mark.django_db
def test_backtest_command_without_crossings_says_so() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No crossings"):
        call_command("backtest_forecast", stdout=io.StringIO())
