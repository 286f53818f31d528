"""`make bench`: forum_benchmark's large forum and pages, plus the other pages
members open all day: Ubesvarede, a meetup page with answers, the needs board
and search (a common and a rare word). Each page's time beside its queries.

Wiring (it seeds several apps), so it lives in the project package.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from forum.management.commands import forum_benchmark
from forum.management.commands.search_benchmark import CORPUS_QUERIES, QUERIES
from forum.models import Category, Post
from forum.search import rebuild_index
from moeder import services as meetup_services
from moeder.models import Meetup, MeetupStatus
from needs import services as need_services
from needs.models import Need

MEETUP_TITLE = "Benchmark-møde om moms"


class Command(forum_benchmark.Command):
    help = "Seed a large forum, a meetup and needs; time the pages members open all day."

    def seed(self, **kwargs) -> Category:
        category = super().seed(**kwargs)
        self.seed_others()
        return category

    def seed_others(self) -> None:
        """A meetup with 60 answers, 30 needs with 5 supporters each, and the
        search index (once; --reuse keeps what is there)."""
        members = list(User.objects.filter(email__startswith="bench").order_by("pk")[:61])
        if not Meetup.objects.filter(title=MEETUP_TITLE).exists():
            starts = timezone.now() + timedelta(days=14)
            meetup = Meetup.objects.create(
                title=MEETUP_TITLE,
                slug=slugify(MEETUP_TITLE),
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                venue_name="Værkstedet",
                address="Mejlgade 1, 8000 Aarhus C",
                status=MeetupStatus.PUBLISHED,
                published_at=timezone.now(),
                created_by=members[0],
            )
            for member in members[1:]:
                meetup_services.answer(meetup=meetup, member=member, answer="yes")
        if not Need.objects.exists():
            for n in range(30):
                need = Need.objects.create(
                    title=f"Sparring om bogføring og moms nummer {n}",
                    description="Hvem vil være med?",
                    description_html="<p>Hvem vil være med?</p>",
                    author=members[n],
                )
                for member in members[31 : 31 + 5]:
                    need_services.support_need(need=need, member=member)
        if Post.objects.exists() and not self.search_ready():
            self.stdout.write("Building the search index:")
            rebuild_index(
                progress=lambda done, total: forum_benchmark.progress(done, total, "index")
            )

    def search_ready(self) -> bool:
        member = User.objects.filter(email="bench0@example.com").first()
        from forum.search import search_posts

        return bool(search_posts(member, self.search_words()[0])[0])

    def search_words(self) -> tuple[str, str]:
        queries = dict(CORPUS_QUERIES if self.uses_corpus() else QUERIES)
        return queries["common word"]["q"], queries["rare word"]["q"]

    def uses_corpus(self) -> bool:
        return Category.objects.filter(
            slug="benchmark", description=forum_benchmark.CORPUS_MARKER
        ).exists()

    def measure(self, *, category: Category, requests: int) -> None:
        self.seed_others()
        super().measure(category=category, requests=requests)

    def pages(self, category: Category) -> list[tuple[str, str]]:
        common, rare = self.search_words()
        meetup = Meetup.objects.get(title=MEETUP_TITLE)
        return [
            *super().pages(category),
            ("unanswered list", "/forum/ubesvarede/"),
            ("meetup page", meetup.get_absolute_url()),
            ("needs board", "/behov/"),
            ("search, common word", f"/forum/soeg/?q={common}"),
            ("search, rare word", f"/forum/soeg/?q={rare}"),
        ]
