"""The network letter: the archive, an issue, composing, previews, a test to
oneself, sending to everyone with its progress, and unsubscribing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import is_member, require
from letters import services
from letters.forms import LetterForm
from letters.models import Letter, LetterKind
from letters.permissions import can_edit_letters, can_read_letter, visible_letters
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes
from notifications.digest import user_from_unsubscribe_token


def letter_list(request):
    page = page_of(request, visible_letters(request.user).order_by("-sent_at", "-pk"))
    drafts = []
    if can_edit_letters(request.user):
        drafts = list(
            Letter.objects.filter(status="draft", kind=LetterKind.LETTER).order_by("-created_at")[
                :20
            ]
        )
    return render(
        request,
        "letters/letter_list.html",
        {"page_obj": page, "drafts": drafts, "can_edit": can_edit_letters(request.user)},
    )


def _letter_or_404(user, pk):
    letter = get_object_or_404(Letter, pk=pk, kind=LetterKind.LETTER)
    if not can_read_letter(user, letter):
        raise Http404  # an unsent or members-only letter: others do not learn it exists
    return letter


def letter_detail(request, pk):
    letter = _letter_or_404(request.user, pk)
    found = services.pieces(letter, public=not is_member(request.user))
    return render(
        request,
        "letters/letter_detail.html",
        {"letter": letter, "pieces": found, "can_edit": can_edit_letters(request.user)},
    )


def _picked(letter) -> dict:
    return {
        name: list(getattr(letter, name).all()) for name in ("threads", "meetups", "needs", "cards")
    }


def _data(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "intro": data["intro"],
        "body": data["body"],
        "audience": data["audience"],
        "picked": {n: list(data[n]) for n in ("threads", "meetups", "needs", "cards")},
    }


@login_required
@limit_writes("letters")
@require_http_methods(["GET", "POST"])
def letter_create(request):
    require(can_edit_letters(request.user))
    form = LetterForm(request.POST or None, candidates=services.candidates())
    if request.method == "POST" and form.is_valid():
        letter = services.create_letter(author=request.user, **_data(form))
        messages.success(request, _("The letter is saved as a draft."))
        return redirect(letter)
    return render(request, "letters/letter_form.html", {"form": form})


@login_required
@limit_writes("letters")
@require_http_methods(["GET", "POST"])
def letter_edit(request, pk):
    require(can_edit_letters(request.user))
    letter = get_object_or_404(Letter, pk=pk)
    if not letter.is_draft:
        messages.error(request, _("This letter has been sent and can no longer be changed."))
        return redirect(letter)
    picked = _picked(letter)
    initial = {
        "title": letter.title,
        "intro": letter.intro,
        "body": letter.body,
        "audience": letter.audience,
        **{name: [o.pk for o in objs] for name, objs in picked.items()},
    }
    form = LetterForm(
        request.POST or None, initial=initial, candidates=services.candidates(), picked=picked
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_letter(letter=letter, **_data(form))
        except services.LetterSent:
            messages.error(request, _("This letter has been sent and can no longer be changed."))
            return redirect(letter)
        messages.success(request, _("The letter is saved."))
        return redirect(letter)
    return render(request, "letters/letter_form.html", {"form": form, "letter": letter})


@login_required
def letter_email_preview(request, pk):
    """The letter as the e-mail shows it (editors)."""
    require(can_edit_letters(request.user))
    letter = get_object_or_404(Letter, pk=pk)
    html = services.render_html(
        letter, services.pieces(letter), unsubscribe_url=services.unsubscribe_url(request.user)
    )
    return HttpResponse(html)


@login_required
@limit_writes("letters")
@require_POST
def letter_send_test(request, pk):
    require(can_edit_letters(request.user))
    letter = get_object_or_404(Letter, pk=pk)
    services.send_test(letter=letter, user=request.user)
    messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
    return redirect(letter)


@login_required
@limit_writes("letters")
@require_POST
def letter_send(request, pk):
    require(can_edit_letters(request.user))
    letter = get_object_or_404(Letter, pk=pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm that the letter goes to every member."))
    elif services.start_sending(letter=letter):
        messages.success(request, _("The letter is being sent to every member."))
    else:
        messages.error(request, _("This letter has already been sent."))
    return redirect(letter)


def _unsubscribe(request, token, kind):
    user = user_from_unsubscribe_token(token)
    context = {"announcements": kind == LetterKind.ANNOUNCEMENT}
    if user is None:
        return render(
            request, "letters/letter_unsubscribe.html", {**context, "invalid": True}, status=404
        )
    if request.method == "POST":
        services.opt_out(user=user, kind=kind)
        return render(request, "letters/letter_unsubscribe.html", {**context, "done": True})
    return render(request, "letters/letter_unsubscribe.html", {**context, "email": user.email})


# One-click unsubscribe (RFC 8058): the signed token (the digest's) authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def letter_unsubscribe(request, token):
    return _unsubscribe(request, token, LetterKind.LETTER)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def announcement_unsubscribe(request, token):
    return _unsubscribe(request, token, LetterKind.ANNOUNCEMENT)
