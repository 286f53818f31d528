from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.permissions import require
from forum import services as forum_services
from forum.forms import ThreadForm
from forum.models import Access, ThreadKind
from forum.permissions import can_start_thread, visible_categories
from netvaerk.ratelimit import limit_writes
from relay import services
from relay.permissions import can_ask_member, can_decline


@require_http_methods(["GET", "POST"])
def decline(request, token):
    """ "Ikke lige nu" from the mail: the signed link opens a page with one
    button (a mail scanner following links declines nothing)."""
    relay_request = services.request_from_token(token)
    if relay_request is None:
        raise Http404
    require(can_decline(request.user, relay_request))
    if request.method == "POST":
        services.decline(request=relay_request)
        messages.success(
            request, _("Thank you for telling us. We will not count on you this time.")
        )
        return redirect("relay:declined")
    return render(
        request,
        "relay/decline.html",
        {"relay_request": relay_request, "done": relay_request.declined_at is not None},
    )


def declined(request):
    return render(request, "relay/declined.html")


@login_required
@limit_writes("forum_thread")
@require_http_methods(["GET", "POST"])
def ask_member(request, pk):
    """ "Spørg et medlem": a public question with this member invited to answer."""
    member = get_object_or_404(User.objects.members(), pk=pk)
    require(can_ask_member(request.user, member))
    # Public to members (the invited member reads it too), never staff-only.
    categories = (
        visible_categories(request.user)
        .filter(read_access__in=[Access.EVERYONE, Access.MEMBERS])
        .ordered()
    )
    allowed = [c.pk for c in categories if can_start_thread(request.user, c)]
    require(bool(allowed))
    categories = categories.filter(pk__in=allowed)
    form = ThreadForm(
        request.POST or None, categories=categories, initial={"kind": ThreadKind.QUESTION}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = forum_services.submit_thread(
            category=data["category"],
            author=request.user,
            title=data["title"],
            kind=data["kind"],
            body=data["body"],
            tags=data["tags_text"],
            submission_key=data["submission_key"],
        )
        if outcome.published is None:
            messages.info(request, outcome.message)
            return redirect(data["category"] if outcome.held else "forum:draft_list")
        services.invite(thread=outcome.published, member=member)
        messages.success(
            request,
            _("Your question was published and %(name)s was asked to answer it.")
            % {"name": member.display_name},
        )
        return redirect(outcome.published)
    return render(request, "relay/ask_member.html", {"form": form, "member": member})
