"""manage.py report_user_text lists stored text the text rule would refuse; it changes nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from forum.models import Post, Thread
from tests.factories import ThreadFactory, UserFactory
from tests.needs.factories import NeedFactory

pytestmark = pytest.mark.django_db


def _report(*args) -> str:
    out = StringIO()
    call_command("report_user_text", *args, stdout=out)
    return out.getvalue()


def test_reports_titles_names_and_bodies_without_changing_them():
    thread = ThreadFactory(title="Faktura\u202efdp.exe")
    Post.objects.filter(thread=thread).update(body="Hej\x1b[31m")
    member = UserFactory(display_name="\u200b\u2060", company="Firma\x9b")
    need = NeedFactory(title="Behov", description="&nbsp;", description_html="<p>&nbsp;</p>")
    fine = ThreadFactory(title="سارة \u200fspørger")

    report = _report()

    assert f"forum.Thread #{thread.pk} title: bidi override or isolate: Faktura\\u202efdp.exe" in (
        report
    )
    assert f"forum.Post #{thread.posts.get().pk} body: control characters: Hej\\x1b[31m" in report
    assert f"accounts.User #{member.pk} display_name: shows nothing" in report
    assert f"accounts.User #{member.pk} company: control characters: Firma\\x9b" in report
    assert f"needs.Need #{need.pk} description: renders to nothing: &nbsp;" in report
    assert f"forum.Thread #{fine.pk} " not in report
    assert "5 finding(s). Nothing was changed." in report
    thread.refresh_from_db()
    assert thread.title == "Faktura\u202efdp.exe"


def test_one_model_and_a_clean_database():
    ThreadFactory(title="Moms")
    assert _report("forum.Thread") == "No stored text needs attention.\n"
    with pytest.raises(CommandError):
        _report("forum.Nothing")


def test_reports_are_limited_to_the_model_asked_for():
    UserFactory(display_name="\u202eNavn")
    assert "accounts.User" not in _report("forum.Thread")
    assert Thread.objects.count() == 0
