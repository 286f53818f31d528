from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import MemberField
from netvaerk.forms import MarkdownField, OneLineField
from netvaerk.uploads import AttachmentsForm
from notifications.models import DigestFrequency

MESSAGE_MAX_CHARS = 20_000


def _body_field(label):
    return MarkdownField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MESSAGE_MAX_CHARS,
        help_text=_("Only the members of the conversation can read it. Markdown works."),
    )


class ConversationForm(AttachmentsForm):
    subject = OneLineField(label=_("Subject"), max_length=200, required=False)
    body = _body_field(_("Your message"))
    field_order = ["subject", "body", "attachments", "attachment_alt"]


class MessageForm(AttachmentsForm):
    body = _body_field(_("Your message"))


class AddParticipantForm(forms.Form):
    member = MemberField(label=_("Add a member"))


class DigestSettingForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Send me the personal digest"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
    )


class ReportForm(forms.Form):
    reason = OneLineField(
        label=_("What is wrong with the message?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The moderators see this message and a few messages around it, "
            "not the rest of the conversation."
        ),
        error_messages={"required": _("Please say what is wrong.")},
    )


class ResolveReportForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("dismiss", _("Dismiss the report: the message stays")),
            ("remove", _("Remove the message")),
        ],
        widget=forms.RadioSelect,
    )
    reason = OneLineField(label=_("Reason (for the audit log)"), max_length=500, required=False)
