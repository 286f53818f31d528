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
