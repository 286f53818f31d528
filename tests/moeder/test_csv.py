"""The organisers' CSV of answers never hands a spreadsheet a formula (CSV
injection): every cell that starts with = + - @, a tab or a carriage return,
also after leading spaces, is prefixed so that it is shown as text."""

import csv
import io

import pytest
from django.urls import reverse

from moeder import services
from moeder.models import QuestionAnswer, Rsvp
from tests.factories import UserFactory
from tests.moeder.test_services import make_meetup

pytestmark = pytest.mark.django_db

DANGEROUS = [
    '=HYPERLINK("https://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    " =HYPERLINK(1)",
    "   +cmd|' /C calc'!A0",
    " \t@x",
    "\n=1+1",
    "\xa0=1",
]
HARMLESS = ["Kage", "Vegetar, glutenfri", "1 + 1", "a=b", "e-mail", ""]


def rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def is_formula(cell: str) -> bool:
    return cell.lstrip(" \n\xa0")[:1] in ("=", "+", "-", "@", "\t", "\r")


def export(client_for, meetup, user=None):
    url = reverse("moeder:meetup_answers_csv", args=[meetup.pk])
    return rows(client_for(user or meetup.created_by).get(url))


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_dangerous_answer_is_shown_as_text(client_for, value):
    meetup = make_meetup()
    question = services.add_question(
        meetup=meetup, text="Hvad tager du med?", kind="text", choices=[], required=False
    )
    rsvp = services.answer(meetup=meetup, member=UserFactory(), answer="yes")
    # Stored as it is (the form tidies spaces, older or imported rows may not be).
    QuestionAnswer.objects.create(rsvp=rsvp, question=question, text=value)

    _header, row = export(client_for, meetup)

    assert row[-1] == "'" + value
    assert not is_formula(row[-1])


def test_the_reported_answer_through_the_answer_form(client_for):
    meetup = make_meetup()
    question = services.add_question(
        meetup=meetup, text="Hvad tager du med?", kind="text", choices=[], required=False
    )
    payload = '=HYPERLINK("https://evil.example","x")'
    client_for(UserFactory()).post(
        reverse("moeder:rsvp", args=[meetup.pk]), {"answer": "yes", f"q{question.pk}": payload}
    )

    _header, row = export(client_for, meetup)

    assert row[-1] == "'" + payload


@pytest.mark.parametrize("value", DANGEROUS)
def test_every_cell_is_safe_names_addresses_and_questions_too(client_for, network_leader, value):
    meetup = make_meetup()
    question = services.add_question(
        meetup=meetup, text="Spørgsmål", kind="multiple", choices=["a", "b"], required=False
    )
    # Question texts and names are tidied by their forms; stored rows may not be.
    type(question).objects.filter(pk=question.pk).update(text=value)
    member = UserFactory(display_name=value, email="medlem@example.com")
    rsvp = services.answer(meetup=meetup, member=member, answer="yes")
    QuestionAnswer.objects.create(rsvp=rsvp, question=question, choices=[value, "b"])

    for user in (meetup.created_by, network_leader):
        table = export(client_for, meetup, user)
        for cell in (cell for row in table for cell in row):
            assert not is_formula(cell), (user, cell)
        header, row = table
        assert header[-1] == "'" + value
        assert row[0] == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_harmless_text_is_left_alone(client_for, value):
    meetup = make_meetup()
    question = services.add_question(
        meetup=meetup, text="Kostbehov", kind="text", choices=[], required=False
    )
    rsvp = services.answer(meetup=meetup, member=UserFactory(), answer="yes")
    QuestionAnswer.objects.create(rsvp=rsvp, question=question, text=value)

    header, row = export(client_for, meetup)

    assert row[-1] == value
    assert header[-1] == "Kostbehov"


def test_numbers_stay_numbers(client_for):
    meetup = make_meetup(guests_allowed=2)
    services.answer(meetup=meetup, member=UserFactory(), answer="yes", guests=2)
    header, row = export(client_for, meetup)
    assert row[header.index("Gæster")] == "2"
    assert Rsvp.objects.count() == 1
