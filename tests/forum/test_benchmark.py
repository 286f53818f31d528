import pytest
from django.core.management import CommandError, call_command

from forum.models import Post, Thread

pytestmark = pytest.mark.django_db


def test_benchmark_command_seeds_and_prints_a_table(capsys):
    call_command("forum_benchmark", "--threads", "3", "--posts", "1010", "--requests", "2")
    out = capsys.readouterr().out
    assert Thread.objects.filter(category__slug="benchmark").count() == 3
    assert Post.objects.filter(thread__category__slug="benchmark").count() == 1010
    assert Thread.objects.order_by("-reply_count").first().reply_count == 999
    for label in ("baseline (trivial view)", "thread page", "last page, 1,000 posts"):
        assert label in out
    assert "× baseline" in out


def test_benchmark_refuses_to_seed_twice():
    call_command("forum_benchmark", "--threads", "2", "--posts", "1002", "--requests", "1")
    with pytest.raises(CommandError):
        call_command("forum_benchmark", "--threads", "2", "--posts", "1002", "--requests", "1")


def test_search_benchmark_runs_on_the_seeded_forum(capsys):
    call_command("forum_benchmark", "--threads", "2", "--posts", "1002", "--requests", "1")
    call_command("rebuild_search_index")
    call_command("search_benchmark", "--requests", "1")
    out = capsys.readouterr().out
    assert "common word" in out and "p95 × baseline" in out and "Indexed 1,002 posts" in out


def test_search_benchmark_needs_the_seeded_forum():
    with pytest.raises(CommandError):
        call_command("search_benchmark", "--requests", "1")


def test_site_benchmark_times_the_other_everyday_pages_with_their_queries(capsys):
    call_command(
        "site_benchmark", "--threads", "3", "--posts", "1010", "--requests", "1", "--no-corpus"
    )
    out = capsys.readouterr().out
    for label in ("meetup page", "needs board", "search, common word", "search, rare word"):
        assert label in out
    assert "| queries |" in out and "RSS" in out
