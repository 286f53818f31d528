import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from factory.django import DjangoModelFactory

from accounts.models import Guidelines, Region, RoleAssignment, RoleChange, Skill, User

PASSWORD = "correct-horse-battery"


class SkillFactory(DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Færdighed {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"medlem{n}@example.com")
    display_name = factory.Faker("name", locale="da_DK")
    handle = factory.Sequence(lambda n: f"medlem{n}")
    password = factory.django.Password(PASSWORD)
    company = factory.Faker("company", locale="da_DK")
    region = Region.MIDTJYLLAND

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        for role in extracted or []:
            RoleAssignment.objects.create(user=obj, role=role)

    @factory.post_generation
    def totp(obj, create, extracted, **kwargs):
        if create and extracted:
            TOTP.activate(obj, generate_totp_secret())

    @factory.post_generation
    def skills(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.skills.set(extracted)


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = "organiser"


class RoleChangeFactory(DjangoModelFactory):
    class Meta:
        model = RoleChange

    user = factory.SubFactory(UserFactory)
    role = "organiser"
    action = RoleChange.Action.GRANTED


class GuidelinesFactory(DjangoModelFactory):
    class Meta:
        model = Guidelines
        django_get_or_create = ["language"]

    language = "da"
    body = "Vær venlig."
    body_html = "<p>Vær venlig.</p>"


# --- Forum ------------------------------------------------------------------

from forum import search  # noqa: E402
from forum.models import Category, Post, Tag, Thread, ThreadRead  # noqa: E402


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Kategori {n}")
    slug = factory.Sequence(lambda n: f"kategori-{n}")


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"emne{n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower())


class ThreadFactory(DjangoModelFactory):
    """A thread with its first post (every thread has one)."""

    class Meta:
        model = Thread
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Spørgsmål nummer {n}")
    slug = factory.LazyAttribute(lambda o: o.title.lower().replace(" ", "-"))
    author = factory.SubFactory(UserFactory)
    last_poster = factory.SelfAttribute("author")

    @factory.post_generation
    def first_post(obj, create, extracted, **kwargs):
        if create:
            post = Post.objects.create(
                thread=obj, number=1, author=obj.author, body="Hej", body_html="<p>Hej</p>"
            )
            search.index_post(post)  # as forum.services does


class PostFactory(DjangoModelFactory):
    """A reply; use forum.services.post_reply when counters matter."""

    class Meta:
        model = Post

    thread = factory.SubFactory(ThreadFactory)
    number = factory.LazyAttribute(lambda o: o.thread.posts.count() + 1)
    author = factory.SubFactory(UserFactory)
    body = "Svar"
    body_html = "<p>Svar</p>"


class ThreadReadFactory(DjangoModelFactory):
    class Meta:
        model = ThreadRead

    user = factory.SubFactory(UserFactory)
    thread = factory.SubFactory(ThreadFactory)
    last_read_number = 1
