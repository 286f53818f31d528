"""Skills matched with the search's stemming, compounds and synonyms."""

import pytest
from django.urls import reverse

from accounts.models import User
from relay.matching import matching_skill_ids, skills_matching_text, stems_for
from tests.relay.conftest import helper

pytestmark = pytest.mark.django_db


def names(ids):
    from accounts.models import Skill

    return set(Skill.objects.filter(pk__in=ids).values_list("name", flat=True))


@pytest.mark.parametrize(
    "text",
    ["moms", "momsen", "Moms ved salg til EU", "momsregistrering", "VAT", "merværdiafgift"],
)
def test_moms_on_a_profile_matches_stems_compounds_and_synonyms(vocabulary, text):
    helper("moms")
    helper("regnskabsprogram")
    helper("webshop")
    assert names(skills_matching_text(text)) == {"moms"}


def test_a_compound_skill_matches_its_parts(vocabulary):
    helper("Momsregistrering")
    helper("Regnskab")
    assert names(skills_matching_text("moms")) == {"Momsregistrering"}
    assert names(skills_matching_text("regnskabsprogram")) == {"Regnskab"}


def test_a_word_inside_another_word_does_not_match(vocabulary):
    helper("private")
    assert names(skills_matching_text("VAT")) == set()


@pytest.mark.parametrize(
    "skill",
    ["", " ", "🙂🙂", "<b>moms</b>", "x" * 50, "'; DROP TABLE accounts_user; --", "a,b,,c"],
)
def test_odd_profile_text_never_breaks_matching(vocabulary, skill):
    helper(skill or "tom")
    helper("moms")
    found = names(skills_matching_text("moms " + "ø" * 2000 + " 🙂 <script>"))
    assert "moms" in found


def test_empty_text_matches_nothing(vocabulary):
    helper("moms")
    assert skills_matching_text("") == set()
    assert matching_skill_ids(stems_for("og i at")) == set()


def test_matching_runs_a_fixed_number_of_queries(vocabulary, django_assert_max_num_queries):
    for n in range(30):
        helper(f"moms{n}", "moms")
    with django_assert_max_num_queries(4):
        skills_matching_text("momsregistrering VAT")


@pytest.mark.parametrize("typed", ["VAT", "momsregistrering", "moms", "Momsen"])
def test_the_directory_finds_helpers_by_what_they_help_with(member_client, vocabulary, typed):
    shown = helper("moms", display_name="Bente Bogholder")
    helper("moms", display_name="Skjult Hjælper", show_skills=False)
    helper("webshop", display_name="Walter Webshop")
    response = member_client.get(reverse("accounts:member_list"), {"q": typed})
    assert response.status_code == 200
    found = {m.display_name for m in response.context["page_obj"]}
    assert found == {shown.display_name}


def test_the_directory_still_finds_by_name(member_client, vocabulary):
    helper("moms", display_name="Bente Bogholder")
    response = member_client.get(reverse("accounts:member_list"), {"q": "bente"})
    assert [m.display_name for m in response.context["page_obj"]] == ["Bente Bogholder"]
    assert User.objects.count() >= 2
