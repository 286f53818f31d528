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
