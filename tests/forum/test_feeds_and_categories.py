import pytest
from django.urls import reverse

from forum.models import Access, Category
from tests.conftest import ROLES, make_user
from tests.factories import CategoryFactory, TagFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def test_latest_feed_has_public_threads_only(client):
    public = CategoryFactory(read_access=Access.EVERYONE)
    ThreadFactory(category=public, title="Åben nyhed")
    ThreadFactory(category=CategoryFactory(read_access=Access.MEMBERS), title="Kun medlemmer")
    ThreadFactory(category=CategoryFactory(read_access=Access.STAFF), title="Kun ledelsen")
    response = client.get(reverse("forum:latest_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Åben nyhed" in response.text
    assert "Kun medlemmer" not in response.text and "Kun ledelsen" not in response.text
    assert "&lt;p&gt;Hej&lt;/p&gt;" in response.text  # the first post, as HTML content


def test_category_feed_404_for_non_public_categories(client):
    members = CategoryFactory(read_access=Access.MEMBERS)
    assert client.get(reverse("forum:category_feed", args=[members.slug])).status_code == 404
    public = CategoryFactory(read_access=Access.EVERYONE)
    ThreadFactory(category=public, title="Synlig")
    response = client.get(reverse("forum:category_feed", args=[public.slug]))
    assert "Synlig" in response.text


def test_tag_feed_leaves_out_private_threads(client):
    tag = TagFactory(name="moms")
    ThreadFactory(category=CategoryFactory(read_access=Access.EVERYONE), title="Offentlig moms")
    ThreadFactory(category=CategoryFactory(read_access=Access.MEMBERS), title="Intern moms")
    for thread in tag.threads.model.objects.all():
        thread.tags.add(tag)
    response = client.get(reverse("forum:tag_feed", args=["moms"]))
    assert "Offentlig moms" in response.text and "Intern moms" not in response.text


def test_feed_queries_are_bounded(client, django_assert_max_num_queries):
    public = CategoryFactory(read_access=Access.EVERYONE)
    ThreadFactory.create_batch(25, category=public)
    with django_assert_max_num_queries(2):
        client.get(reverse("forum:latest_feed"))


@pytest.mark.parametrize("role", ROLES)
def test_only_leaders_manage_categories(client_for, role):
    client = client_for(make_user(role))
    listing = client.get(reverse("forum:category_list"))
    created = client.post(
        reverse("forum:category_create"),
        {
            "name": "Eksport",
            "slug": "eksport",
            "description": "Salg til udlandet",
            "position": 9,
            "read_access": "members",
            "start_access": "members",
        },
    )
    allowed = role == "network_leader"
    assert Category.objects.filter(slug="eksport").exists() is allowed
    if role == "anonymous":
        assert listing.status_code == created.status_code == 302
    elif not allowed:
        assert listing.status_code == created.status_code == 403
    else:
        assert listing.status_code == 200 and created.status_code == 302


def test_leader_edits_a_category(leader_client):
    category = CategoryFactory(name="Gammel")
    response = leader_client.post(
        reverse("forum:category_edit", args=[category.pk]),
        {
            "name": "Ny",
            "slug": category.slug,
            "description": "",
            "position": 1,
            "read_access": "everyone",
            "start_access": "staff",
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.name, category.read_access, category.start_access) == (
        "Ny",
        "everyone",
        "staff",
    )


def test_category_form_rejects_writers_who_cannot_read(leader_client):
    response = leader_client.post(
        reverse("forum:category_create"),
        {
            "name": "Skæv",
            "slug": "skaev",
            "position": 1,
            "read_access": "staff",
            "start_access": "members",
        },
    )
    assert response.status_code == 200
    assert "start_access" in response.context["form"].errors
    assert "Skæv" in response.text


def test_duplicate_slug_is_an_error(leader_client):
    CategoryFactory(slug="optaget")
    response = leader_client.post(
        reverse("forum:category_create"),
        {"name": "X", "slug": "optaget", "position": 1, "read_access": "members",
         "start_access": "members"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
