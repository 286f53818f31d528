"""Knowledge cards: the list by topic and tag, a card, making one from a
solved thread, editing with history, and the owner's renewal."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import require
from forum.models import Tag
from forum.permissions import visible_threads
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes
from viden import services
from viden.forms import CardForm
from viden.permissions import can_edit_card, can_make_card, can_view_card_history, visible_cards


def _handle(user) -> str:
    return f"@{user.handle}" if user.handle else user.display_name


def card_list(request):
    cards = visible_cards(request.user).for_listing()
    tag = None
    if slug := request.GET.get("tag", "")[:50]:
        tag = get_object_or_404(Tag, slug=slug)
        cards = cards.filter(tags=tag)
    page = page_of(request, cards)
    topics = [
        (category, list(items))
        for category, items in groupby(page.object_list, key=lambda card: card.category)
    ]
    return render(request, "viden/card_list.html", {"page_obj": page, "topics": topics, "tag": tag})


def _card_or_404(user, pk):
    return get_object_or_404(visible_cards(user).select_related("category", "owner"), pk=pk)


def card_detail(request, pk):
    card = _card_or_404(request.user, pk)
    sources = list(
        visible_threads(request.user)
        .filter(pk__in=card.sources.values("thread_id"))
        .order_by("created_at")
    )
    return render(
        request,
        "viden/card_detail.html",
        {
            "card": card,
            "tags": list(card.tags.order_by("name")),
            "sources": sources,
            "can_edit": can_edit_card(request.user, card),
        },
    )


@login_required
@limit_writes("viden")
@require_http_methods(["GET", "POST"])
def card_create(request, thread_pk):
    thread = get_object_or_404(
        visible_threads(request.user).select_related("category", "accepted_post"), pk=thread_pk
    )
    require(can_make_card(request.user, thread))
    initial = services.prefill(thread)
    initial["owner"] = _handle(request.user)
    form = CardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        card = services.create_card(
            thread=thread,
            author=request.user,
            title=data["title"],
            body=data["body"],
            body_html=form.body_html,
            tags_text=data["tags_text"],
            owner=data["owner"],
            review_by=data["review_by"],
        )
        messages.success(request, _("The knowledge card is saved."))
        return redirect(card)
    return render(request, "viden/card_form.html", {"form": form, "thread": thread})


@login_required
@limit_writes("viden")
@require_http_methods(["GET", "POST"])
def card_edit(request, pk):
    card = _card_or_404(request.user, pk)
    require(can_edit_card(request.user, card))
    initial = {
        "title": card.title,
        "body": card.body,
        "tags_text": ", ".join(t.name for t in card.tags.order_by("name")),
        "owner": _handle(card.owner) if card.owner else "",
        "review_by": card.review_by,
    }
    form = CardForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.edit_card(
            card=card,
            editor=request.user,
            title=data["title"],
            body=data["body"],
            body_html=form.body_html,
            tags_text=data["tags_text"],
            owner=data["owner"],
            review_by=data["review_by"],
            reason=data.get("reason", ""),
        )
        messages.success(request, _("The knowledge card is saved."))
        return redirect(card)
    return render(request, "viden/card_form.html", {"form": form, "card": card})


@login_required
@limit_writes("viden")
@require_POST
def card_renew(request, pk):
    card = _card_or_404(request.user, pk)
    require(can_edit_card(request.user, card))
    card = services.renew_card(card=card, user=request.user)
    messages.success(
        request,
        _("Thank you. The card is marked as checked; review it again by %(date)s.")
        % {"date": card.review_by.strftime("%d.%m.%Y")},
    )
    return redirect(card)


@login_required
def card_history(request, pk):
    card = _card_or_404(request.user, pk)
    require(can_view_card_history(request.user, card))
    revisions = list(card.revisions.select_related("editor").order_by("-number"))
    return render(request, "viden/card_history.html", {"card": card, "revisions": revisions})
