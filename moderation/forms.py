import re
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.extensions import audit_action_choices
from accounts.models import SanctionKind
from forum.models import Category, Thread
from moderation.models import FlagReason
from netvaerk.forms import OneLineField, PlainTextField
from netvaerk.text import clean_one_line


class ReasonForm(forms.Form):
    """A reason that the author (or the thread's readers) will see."""

    reason = OneLineField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the author and, for a locked thread, to everyone reading it."),
        error_messages={"required": _("Please give a reason.")},
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        if not required:
            self.fields["reason"].help_text = _("Optional; kept in the audit log.")


class MoveForm(ReasonForm):
    category = forms.ModelChoiceField(
        label=_("Move to category"), queryset=Category.objects.none(), empty_label=None
    )

    field_order = ["category", "reason"]

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


_THREAD_URL = re.compile(r"/t/(\d+)(?:/|$)")
_POST_URL = re.compile(r"/p/(\d+)(?:/|$)")


class MergeForm(ReasonForm):
    target = OneLineField(
        label=_("Merge into thread"),
        max_length=500,
        help_text=_(
            "The thread that should receive the posts: its address, its number, or the "
            "address of one of its posts."
        ),
    )

    field_order = ["target", "reason"]

    def __init__(self, *args, threads, **kwargs):
        super().__init__(*args, **kwargs)
        self.threads = threads

    def clean_target(self):
        value = self.cleaned_data["target"]
        thread_match, post_match = _THREAD_URL.search(value), _POST_URL.search(value)
        if thread_match:
            number, threads = thread_match.group(1), self.threads
        elif post_match:  # a post's link, e.g. from search: its thread
            number, threads = post_match.group(1), None
        else:
            number, threads = value.strip().lstrip("#"), self.threads
        if not number.isdigit() or len(number) > 12:
            raise forms.ValidationError(_("Give a thread's address or number."))
        if threads is None:
            thread = self.threads.filter(posts__pk=int(number)).first()
        else:
            thread = threads.filter(pk=int(number)).first()
        if thread is None:
            raise forms.ValidationError(_("There is no such thread that you may moderate."))
        return thread


class SplitForm(ReasonForm):
    posts = forms.TypedMultipleChoiceField(
        label=_("Replies to move"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    title = OneLineField(
        label=_("Title of the new thread"),
        max_length=150,
        error_messages={"required": _("The title must not be empty.")},
    )
    category = forms.ModelChoiceField(
        label=_("Category of the new thread"), queryset=Category.objects.none(), empty_label=None
    )

    field_order = ["posts", "title", "category", "reason"]

    def __init__(self, *args, replies, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posts"].choices = [
            (post.pk, f"#{post.number} {post.author}: {clean_one_line(post.body)[:80]}")
            for post in replies
        ]
        self.fields["category"].queryset = categories
        self.fields["posts"].error_messages["required"] = _("Choose at least one reply to move.")


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong?"), choices=FlagReason.choices, widget=forms.RadioSelect
    )
    text = OneLineField(
        label=_("Tell the moderators more"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when you choose “Something else”. Only moderators see it."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == FlagReason.OTHER and not cleaned.get("text"):
            self.add_error("text", _("Please say what is wrong."))
        return cleaned


DURATIONS = [
    ("1", _("1 day")),
    ("3", _("3 days")),
    ("7", _("1 week")),
    ("30", _("1 month")),
    ("", _("Until a moderator lifts it")),
]


class SanctionForm(ReasonForm):
    kind = forms.ChoiceField(
        label=_("What"), choices=SanctionKind.choices, widget=forms.RadioSelect
    )
    duration = forms.ChoiceField(label=_("For how long"), choices=DURATIONS, required=False)

    field_order = ["kind", "duration", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _("The member sees this reason.")

    def ends_at(self):
        days = self.cleaned_data.get("duration")
        return timezone.now() + timedelta(days=int(days)) if days else None


class SilenceForm(ReasonForm):
    """Silence the author from the flag queue."""

    duration = forms.ChoiceField(label=_("For how long"), choices=DURATIONS, required=False)

    field_order = ["duration", "reason"]

    def ends_at(self):
        days = self.cleaned_data.get("duration")
        return timezone.now() + timedelta(days=int(days)) if days else None


class NoteForm(forms.Form):
    text = PlainTextField(
        label=_("New note"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only moderators and network leaders see these notes."),
        error_messages={"required": _("Please write something.")},
    )


class WarnForm(forms.Form):
    message = OneLineField(
        label=_("Warning"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The member gets it as a notification and by email."),
        error_messages={"required": _("Please write the warning.")},
    )


class AuditFilterForm(forms.Form):
    actor = OneLineField(label=_("Who (@handle)"), max_length=60, required=False)
    action = forms.ChoiceField(
        label=_("What"),
        choices=lambda: [("", _("Any action")), *audit_action_choices()],
        required=False,
    )
    target_type = forms.ChoiceField(
        label=_("On"),
        required=False,
        choices=[
            ("", _("Anything")),
            ("thread", _("Threads")),
            ("post", _("Posts")),
            ("member", _("Members")),
            ("category", _("Categories")),
        ],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def filter(self, entries):
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor__handle=data["actor"].lstrip("@"))
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["target_type"]:
            entries = entries.filter(target_type=data["target_type"])
        if data["date_from"]:
            entries = entries.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(created_at__date__lte=data["date_to"])
        return entries


class CategoryModeratorForm(forms.Form):
    handle = OneLineField(label=_("Member (@handle)"), max_length=60)

    def clean_handle(self):
        from accounts.models import User

        handle = self.cleaned_data["handle"].lstrip("@")
        user = User.objects.members().filter(handle=handle).first()
        if user is None:
            raise forms.ValidationError(_("There is no member with that handle."))
        return user


def thread_choices_for(user):
    """Threads a moderator may merge into (not merged or deleted ones)."""
    from forum.permissions import is_staff_moderator, moderated_category_ids

    threads = Thread.objects.filter(state__in=["published", "hidden"])
    if not is_staff_moderator(user):
        threads = threads.filter(category__in=moderated_category_ids(user))
    return threads
