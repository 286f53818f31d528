import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_the_relay_benchmark_seeds_and_times(capsys):
    call_command("relay_benchmark", "--members", "60", "--runs", "2")
    out = capsys.readouterr().out
    assert "relay candidates among" in out and "3 chosen" in out
    call_command("relay_benchmark", "--members", "60", "--runs", "1")  # reuses the seed


@pytest.mark.slow
def test_choosing_among_10000_members_is_within_budget(capsys):
    try:
        call_command("relay_benchmark", "--members", "10000", "--runs", "15")
    except CommandError as error:  # pragma: no cover - the figure is the point
        pytest.fail(str(error))
    assert "median" in capsys.readouterr().out
