from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Region
from needs.models import MAX_TAGS, FollowUpAnswerChoice, NeedStatus
from netvaerk.forms import MarkdownField, OneLineField, PlainTextField
from netvaerk.text import clean_one_line

MAX_TAG_LENGTH = 30
_ANY_REGION = [("", _("Anywhere or online"))]


class NeedForm(forms.Form):
    title = OneLineField(
        label=_("What do you need or wish for?"),
        max_length=150,
        help_text=_("For example “Sparring om moms ved EU-salg”."),
        error_messages={"required": _("Please write what you need.")},
    )
    description = MarkdownField(
        label=_("Tell a little more"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Optional. Markdown works: **bold**, lists and links."),
    )
    region = forms.ChoiceField(label=_("Region"), required=False, choices=_ANY_REGION)
    tags = OneLineField(
        label=_("Tags"),
        required=False,
        max_length=200,
        help_text=_("A few words, separated by commas, e.g. “moms, eksport”. At most 5."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _ANY_REGION + list(Region.choices)

    def clean_tags(self):
        tags = []
        for raw in self.cleaned_data["tags"].split(","):
            tag = clean_one_line(clean_one_line(raw).lstrip("#")).lower()
            if not tag or tag in tags:
                continue
            if len(tag) > MAX_TAG_LENGTH:
                raise forms.ValidationError(
                    _("A tag can be at most %(count)s characters long.") % {"count": MAX_TAG_LENGTH}
                )
            tags.append(tag)
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(
                _("Please use at most %(count)s tags.") % {"count": MAX_TAGS}
            )
        return tags


class NeedStatusForm(forms.Form):
    """Authors close or reopen their own need; planners set any status."""

    status = forms.ChoiceField(label=_("Status"), widget=forms.RadioSelect)
    reason = OneLineField(
        label=_("Reason"),
        required=False,
        max_length=300,
        help_text=_("Needed when you close it: why, e.g. “Solved in the forum”."),
    )
    seen_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, need, any_status: bool, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("status", need.status)
        kwargs["initial"].setdefault("reason", need.closed_reason)
        kwargs["initial"]["seen_status"] = need.status
        super().__init__(*args, **kwargs)
        allowed = (
            list(NeedStatus.values)
            if any_status
            else [NeedStatus.OPEN, NeedStatus.CLOSED, need.status]
        )
        if need.meetup_id is None:
            allowed = [s for s in allowed if s != NeedStatus.PLANNED or s == need.status]
        self.fields["status"].choices = [
            (value, label) for value, label in NeedStatus.choices if value in allowed
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == NeedStatus.CLOSED and not cleaned.get("reason"):
            self.add_error("reason", _("Please say why the need is closed."))
        return cleaned


class CommentForm(forms.Form):
    body = MarkdownField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown works: **bold**, lists and links."),
        error_messages={"required": _("Please write a comment.")},
    )


class FollowUpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Was your need met?"),
        choices=FollowUpAnswerChoice.choices,
        widget=forms.RadioSelect,
    )
    comment = PlainTextField(
        label=_("Anything to add?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Organisers read it to plan the next meetups."),
    )


SORTS = [
    ("support", _("Most support")),
    ("newest", _("Newest")),
    ("region", _("By region")),
]


class BoardFilterForm(forms.Form):
    """The board's filters (GET). Unknown values are ignored, never an error page."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    tag = OneLineField(label=_("Tag"), required=False, max_length=MAX_TAG_LENGTH)
    sort = forms.ChoiceField(label=_("Order"), required=False, choices=SORTS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("Open and planned")),
            *NeedStatus.choices,
            ("all", _("All statuses")),
        ]
        self.fields["region"].choices = [("", _("All regions")), *Region.choices]

    def clean_tag(self):
        return self.cleaned_data["tag"].lstrip("#").lower()

    def filters(self) -> dict:
        """The valid filters only; an invalid field counts as not set."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status", ""),
            "region": data.get("region", ""),
            "tag": data.get("tag", ""),
            "sort": data.get("sort") or "support",
        }


class SignalForm(forms.Form):
    region = forms.ChoiceField(label=_("Your region"), choices=Region.choices)
