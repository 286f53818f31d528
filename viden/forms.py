from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from netvaerk.forms import MarkdownField, OneLineField


class CardForm(forms.Form):
    title = OneLineField(label=_("Title"), max_length=150, min_length=3)
    body = MarkdownField(
        label=_("Answer"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Short and to the point: what a member needs to know. Markdown works."),
    )
    tags_text = OneLineField(
        label=_("Tags"), required=False, max_length=300, help_text=_("Separated by commas.")
    )
    owner = OneLineField(
        label=_("Owner"),
        max_length=254,
        help_text=_("The member who keeps the card true: a name or an @handle."),
    )
    review_by = forms.DateField(
        label=_("Review by"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = OneLineField(label=_("Reason for the change"), max_length=200, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["reason"]

    def clean_owner(self):
        text = self.cleaned_data["owner"]
        owners = list(User.objects.members().filter(erased_at=None).matching(text)[:2])
        if len(owners) != 1:
            raise forms.ValidationError(_("The owner must be one member of the network."))
        return owners[0]

    @property
    def body_html(self) -> str:
        return self.fields["body"].rendered_html
