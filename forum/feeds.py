"""Atom feeds of the latest threads in public categories (no login, so no private data)."""

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from forum.models import Access, Category, Post, Tag
from forum.permissions import visible_threads

FEED_SIZE = 20


def _public_threads():
    """What a visitor who is not logged in may list (the lists' own rule)."""
    first_post = Post.objects.filter(thread=OuterRef("pk"), number=1)
    return (
        visible_threads(AnonymousUser())
        .select_related("author", "category")
        .annotate(first_post_html=Subquery(first_post.values("body_html")[:1]))
        .order_by("-created_at", "-pk")
    )


class LatestThreadsFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return _("Netværk: latest threads")

    def link(self, obj=None):
        return reverse("forum:latest")

    def subtitle(self, obj=None):
        return _("New threads in the network's public categories.")

    def items(self, obj=None):
        return _public_threads()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.first_post_html

    def item_author_name(self, item):
        return item.author.display_name

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.last_posted_at

    def item_categories(self, item):
        return [item.category.name]


class CategoryFeed(LatestThreadsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug, read_access=Access.EVERYONE)

    def title(self, obj=None):
        return _("Netværk: %(name)s") % {"name": obj.name}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def items(self, obj=None):
        return _public_threads().filter(category=obj)[:FEED_SIZE]


class TagFeed(LatestThreadsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return _("Netværk: threads tagged %(name)s") % {"name": obj.name}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def items(self, obj=None):
        return _public_threads().filter(tags=obj)[:FEED_SIZE]
