"""The member's notifications, and unsubscribing from their mail."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from accounts.permissions import is_member, require
from netvaerk import uploads
from netvaerk.paging import page_of
from netvaerk.ratelimit import limit_writes
from netvaerk.site import base_url
from notifications import conversations, digest, reports, services
from notifications.forms import (
    AddParticipantForm,
    ConversationForm,
    DigestSettingForm,
    MessageForm,
    ReportForm,
    ResolveReportForm,
)
from notifications.models import (
    Block,
    Conversation,
    DigestFrequency,
    Message,
    MessageReport,
    Notification,
    Participant,
)
from notifications.permissions import UPLOAD_SCOPE as SCOPE
from notifications.permissions import (
    can_add_participant,
    can_message,
    can_post_message,
    visible_conversations,
)


@login_required
def notification_list(request):
    page = page_of(request, Notification.objects.filter(recipient=request.user).for_listing())
    services.resolve(list(page.object_list), request.user)
    return render(request, "notifications/notification_list.html", {"page_obj": page})


@login_required
def notification_open(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(notification=notification)
    services.resolve([notification], request.user)
    if not notification.readable or not notification.target_url:
        raise Http404
    return redirect(notification.target_url)


@login_required
@require_POST
def notification_mark_all_read(request):
    services.mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:notification_list")


# Email clients send the one-click unsubscribe as a POST without our CSRF
# token (RFC 8058); the signed token in the URL is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user = services.user_from_unsubscribe_token(token)
    if user is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.unsubscribe(user=user)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"email": user.email})


# --- Private conversations -----------------------------------------------------------


def _others(people, user):
    return [p.user for p in people if p.user_id != user.pk]


@login_required
def conversation_list(request):
    page = page_of(request, Conversation.objects.for_member(request.user))
    for conversation in page.object_list:
        conversation.others = _others(conversation.people, request.user)
    return render(request, "notifications/conversation_list.html", {"page_obj": page})


@login_required
@limit_writes("conversation_start")
def conversation_start(request, member_pk):
    """ "Send en besked" on a member's profile."""
    member = get_object_or_404(User.objects.members(), pk=member_pk)
    blocked = Block.objects.filter(blocker=member, blocked=request.user).exists()
    require(can_message(request.user, member, blocked=blocked))
    form = ConversationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic(), uploads.discard_on_error():
            stored = uploads.store_attachments(form, uploader=request.user)
            if stored is not None:
                conversation = conversations.start_conversation(
                    author=request.user,
                    recipients=[member],
                    subject=form.cleaned_data["subject"],
                    body=stored.body,
                    body_html=stored.body_html,
                )
                uploads.attach(stored.uploads, scope=SCOPE, scope_id=conversation.pk)
        if stored is not None:
            messages.success(request, _("Your message was sent."))
            return redirect(conversation)
    return render(request, "notifications/conversation_form.html", {"form": form, "member": member})


def _conversation_for(request, pk):
    """The conversation (404 unless the member takes part), its people, and
    whether the member may write in it."""
    conversation = get_object_or_404(visible_conversations(request.user), pk=pk)
    people = list(
        Participant.objects.filter(conversation=conversation, left_at=None)
        .select_related("user")
        .order_by("joined_at", "pk")
    )
    me = next(p for p in people if p.user_id == request.user.pk)
    others = _others(people, request.user)
    blocks = list(
        Block.objects.filter(
            Q(blocker__in=others, blocked=request.user)
            | Q(blocker=request.user, blocked__in=others)
        ).values_list("blocker_id", "blocked_id")
    )
    blocked = any(blocked_id == request.user.pk for _blocker, blocked_id in blocks)
    mine = {blocked_id for blocker_id, blocked_id in blocks if blocker_id == request.user.pk}
    for other in others:
        other.blocked_by_me = other.pk in mine
    conversation.me, conversation.others = me, others
    conversation.can_post = can_post_message(
        request.user, conversation, blocked=blocked, people=len(others)
    )
    conversation.blocked = blocked
    conversation.can_add = can_add_participant(
        request.user, conversation, people=len(others), blocked=blocked
    )
    return conversation


def _message_page(request, conversation):
    """Newest page first when no page is asked for."""
    paginator = Paginator(
        Message.objects.filter(conversation=conversation).for_reading(),
        settings.NETVAERK_PAGE_SIZE,
    )
    return paginator.get_page(request.GET.get("page") or paginator.num_pages)


@login_required
@limit_writes("conversation_write")
def conversation_detail(request, pk):
    conversation = _conversation_for(request, pk)
    form = MessageForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(conversation.can_post)
        stored = None
        if form.is_valid():
            with transaction.atomic(), uploads.discard_on_error():
                stored = uploads.store_attachments(form, uploader=request.user)
                if stored is not None:
                    conversations.post_message(
                        conversation=conversation,
                        author=request.user,
                        body=stored.body,
                        body_html=stored.body_html,
                    )
                    uploads.attach(stored.uploads, scope=SCOPE, scope_id=conversation.pk)
        if stored is not None:
            messages.success(request, _("Your message was sent."))
            return redirect(conversation)
    else:
        conversations.mark_read(conversation=conversation, user=request.user)
    return render(
        request,
        "notifications/conversation_detail.html",
        {
            "conversation": conversation,
            "page_obj": _message_page(request, conversation),
            "form": form,
            "add_form": AddParticipantForm(),
        },
    )


@login_required
@require_POST
@limit_writes("conversation_write")
def conversation_add(request, pk):
    conversation = _conversation_for(request, pk)
    require(conversation.can_add)
    form = AddParticipantForm(request.POST)
    if form.is_valid():
        member = form.cleaned_data["member"]
        blocked = Block.objects.filter(blocker=member, blocked=request.user).exists()
        if not can_message(request.user, member, blocked=blocked) or any(
            o.pk == member.pk for o in conversation.others
        ):
            form.add_error("member", _("You cannot add this member to the conversation."))
        else:
            conversations.add_participant(conversation=conversation, member=member)
            messages.success(
                request,
                _("%(name)s was added to the conversation.") % {"name": member.display_name},
            )
            return redirect(conversation)
    return render(
        request,
        "notifications/conversation_detail.html",
        {
            "conversation": conversation,
            "page_obj": _message_page(request, conversation),
            "form": MessageForm(),
            "add_form": form,
        },
    )


@login_required
@require_POST
@limit_writes("conversation_write")
def conversation_leave(request, pk):
    conversation = _conversation_for(request, pk)
    conversations.leave(conversation=conversation, user=request.user)
    messages.success(request, _("You left the conversation."))
    return redirect("conversations:conversation_list")


@login_required
@require_POST
@limit_writes("conversation_write")
def conversation_mute(request, pk):
    conversation = _conversation_for(request, pk)
    muted = request.POST.get("muted") == "1"
    conversations.set_muted(conversation=conversation, user=request.user, muted=muted)
    if muted:
        messages.success(request, _("The conversation is muted: you get no notifications of it."))
    else:
        messages.success(request, _("You get notifications of the conversation again."))
    return redirect(conversation)


@login_required
@require_POST
@limit_writes("conversation_write")
def member_block(request, member_pk):
    member = get_object_or_404(User.objects.members(), pk=member_pk)
    require(is_member(request.user) and member.pk != request.user.pk)
    if request.POST.get("blocked") == "1":
        conversations.block(blocker=request.user, blocked=member)
        messages.success(
            request,
            _("%(name)s can no longer write to you.") % {"name": member.display_name},
        )
    else:
        conversations.unblock(blocker=request.user, blocked=member)
        messages.success(
            request, _("%(name)s can write to you again.") % {"name": member.display_name}
        )
    return redirect(url_has_allowed_host_and_scheme_or(request, member.get_absolute_url()))


def url_has_allowed_host_and_scheme_or(request, fallback):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
def digest_overview(request):
    """ "Din oversigt": the member's personal digest as a page (only one's own)."""
    frequency, sections = digest.overview(request.user)
    return render(
        request,
        "notifications/digest_overview.html",
        {
            "sections": sections,
            "weekly": frequency != DigestFrequency.DAILY,
            "base_url": base_url(),
        },
    )


@login_required
def digest_settings(request):
    """The member's own digest frequency (no member id in the address: only one's own)."""
    form = DigestSettingForm(
        request.POST or None, initial={"frequency": digest.frequency_of(request.user)}
    )
    if request.method == "POST" and form.is_valid():
        digest.set_frequency(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Your digest setting is saved."))
        return redirect("notifications:digest_settings")
    return render(request, "notifications/digest_settings.html", {"form": form})


# One-click unsubscribe (RFC 8058): the signed token authorises it, not a session.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, token):
    user = digest.user_from_unsubscribe_token(token)
    if user is None:
        return render(
            request, "notifications/digest_unsubscribe.html", {"invalid": True}, status=404
        )
    if request.method == "POST":
        digest.set_frequency(user=user, frequency=DigestFrequency.NEVER)
        return render(request, "notifications/digest_unsubscribe.html", {"done": True})
    return render(request, "notifications/digest_unsubscribe.html", {"email": user.email})


# --- Reports of messages -----------------------------------------------------


@login_required
@limit_writes("conversation_write")
@require_http_methods(["GET", "POST"])
def message_report(request, pk):
    """A participant reports a message (the form on GET, the report on POST)."""
    message = get_object_or_404(
        Message.objects.select_related("conversation", "author").filter(
            conversation__in=visible_conversations(request.user)
        ),
        pk=pk,
    )
    require(reports.can_report_message(request.user, message, reads_conversation=True))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reports.report_message(
            message=message, reporter=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("Thank you. The moderators will look at the message."))
        return redirect(message.conversation)
    return render(request, "notifications/message_report.html", {"form": form, "message": message})


@login_required
def report_list(request):
    require(reports.can_review_reports(request.user))
    page = page_of(
        request,
        MessageReport.objects.select_related("reporter", "message__author").order_by(
            "-resolution", "-created_at", "-pk"
        ),
    )
    return render(request, "notifications/report_list.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request, pk):
    """The reported message with a few around it, and the moderator's decision."""
    require(reports.can_review_reports(request.user))
    report = get_object_or_404(
        MessageReport.objects.select_related("reporter", "resolved_by", "message"), pk=pk
    )
    form = ResolveReportForm(request.POST or None)
    if request.method == "POST" and not report.resolution and form.is_valid():
        reports.resolve_report(
            report=report,
            moderator=request.user,
            remove=form.cleaned_data["decision"] == "remove",
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("The report is closed."))
        return redirect(report)
    return render(
        request,
        "notifications/report_detail.html",
        {"report": report, "context": reports.context_of(report.message), "form": form},
    )
