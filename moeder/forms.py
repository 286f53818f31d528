from datetime import datetime, timedelta

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Region, Role, User
from accounts.permissions import holds_role
from moeder.models import Answer, Meetup, MeetupKind, QuestionKind
from netvaerk.forms import MarkdownField, OneLineField, PlainTextField
from netvaerk.text import clean_one_line
from netvaerk.uploads import AttachmentsForm

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
# The times a meetup may be given: from a year back (a recent meetup is still
# edited) to five years ahead. Anything else is a typo or a probe.
TIMES_FROM = timedelta(days=365)
TIMES_UNTIL = timedelta(days=5 * 365)


def check_meetup_time(value: datetime) -> None:
    """Refuse a time outside the range above, saying which range is allowed."""
    now = timezone.now()
    earliest, latest = now - TIMES_FROM, now + TIMES_UNTIL
    if not earliest <= value <= latest:
        raise forms.ValidationError(
            _("Choose a time between %(earliest)s and %(latest)s."),
            code="out_of_range",
            params={
                "earliest": formats.date_format(timezone.localtime(earliest), "DATE_FORMAT"),
                "latest": formats.date_format(timezone.localtime(latest), "DATE_FORMAT"),
            },
        )


class MeetupForm(forms.ModelForm, AttachmentsForm):
    """Times are entered in Copenhagen time (the site's time zone) and stored in UTC."""

    regions = forms.MultipleChoiceField(
        label=_("Invite"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to invite every member."),
    )
    co_hosts = OneLineField(
        label=_("Co-hosts (@handles)"),
        max_length=300,
        required=False,
        help_text=_("Separate with commas. They can edit the meetup and see every answer."),
    )
    tentative = forms.BooleanField(
        label=_("Only held if enough say yes"),
        required=False,
        help_text=_("Decided automatically at the time below."),
    )

    class Meta:
        model = Meetup
        fields = [
            "title",
            "kind",
            "description",
            "starts_at",
            "ends_at",
            "venue_name",
            "address",
            "online_url",
            "capacity",
            "rsvp_deadline",
            "guests_allowed",
            "regions",
            "tentative",
            "min_attendees",
            "decide_at",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "rsvp_deadline": DATETIME,
            "decide_at": DATETIME,
        }
        field_classes = {
            "title": OneLineField,
            "description": MarkdownField,
            "venue_name": OneLineField,
            "address": OneLineField,
        }
        error_messages = {
            "title": {"required": _("The title must not be empty.")},
            "description": {
                "too_long": _("The description is too long."),
                "unformattable": _("The description could not be formatted. Please simplify it."),
                "too_complex": _("The description could not be formatted. Please simplify it."),
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "rsvp_deadline", "decide_at"):
            self.fields[name].input_formats = DATETIME_FORMATS
        self.fields["kind"].choices = MeetupKind.choices
        if self.instance.pk:
            self.initial["regions"] = self.instance.regions
            self.initial["tentative"] = self.instance.min_attendees is not None
            self.initial["co_hosts"] = ", ".join(
                f"@{h.user.handle}" for h in self.instance.hosts.select_related("user")
            )
        self.preview_html = ""

    def clean_description(self):
        self.preview_html = self.fields["description"].rendered_html
        return self.cleaned_data["description"]

    def _clean_time(self, name: str):
        """A time in the allowed range. Editing a meetup that is long past may
        keep the past time it has (a far-future one must be corrected)."""
        value = self.cleaned_data.get(name)
        kept = self.instance.pk and getattr(self.instance, name) == value
        if value is not None and not (kept and value < timezone.now()):
            check_meetup_time(value)
        return value

    def clean_starts_at(self):
        return self._clean_time("starts_at")

    def clean_ends_at(self):
        return self._clean_time("ends_at")

    def clean_rsvp_deadline(self):
        return self._clean_time("rsvp_deadline")

    def clean_capacity(self):
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(_("At least one seat, or leave it empty for no limit."))
        return capacity

    def clean_co_hosts(self):
        handles = [h.strip().lstrip("@") for h in self.cleaned_data["co_hosts"].split(",")]
        handles = [h for h in handles if h]
        users = list(User.objects.members().filter(handle__in=handles))
        missing = sorted(set(handles) - {u.handle for u in users})
        if missing:
            raise forms.ValidationError(
                _("No member has the handle %(handles)s.")
                % {"handles": ", ".join(f"@{h}" for h in missing)}
            )
        # Co-hosts see every answer: only organisers and network leaders.
        not_organisers = [
            u.handle
            for u in users
            if not (holds_role(u, Role.ORGANISER) or holds_role(u, Role.NETWORK_LEADER))
        ]
        if not_organisers:
            raise forms.ValidationError(
                _("Co-hosts must be organisers: %(handles)s is not.")
                % {"handles": ", ".join(f"@{h}" for h in not_organisers)}
            )
        return users

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        now = timezone.now()
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meetup must end after it starts."))
        if starts and starts <= now and (not self.instance.pk or self.instance.starts_at != starts):
            self.add_error("starts_at", _("The start must be in the future."))
        deadline = cleaned.get("rsvp_deadline")
        if deadline and starts and deadline > starts:
            self.add_error("rsvp_deadline", _("The deadline for answers must be before the start."))
        if (
            not cleaned.get("venue_name")
            and not cleaned.get("address")
            and not cleaned.get("online_url")
        ):
            self.add_error("venue_name", _("Give a place, an address or an online link."))
        if cleaned.get("tentative"):
            if not cleaned.get("min_attendees"):
                self.add_error("min_attendees", _("How many must say yes?"))
            decide = cleaned.get("decide_at")
            if not decide:
                self.add_error("decide_at", _("When is it decided?"))
            elif starts and not (now < decide < starts):
                self.add_error("decide_at", _("The decision must be between now and the start."))
        else:
            cleaned["min_attendees"] = None
            cleaned["decide_at"] = None
        return cleaned

    def meetup_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("tentative", None)
        data.pop("co_hosts", None)
        data.pop("attachments", None)
        data.pop("attachment_alt", None)
        data["regions"] = list(data.get("regions") or [])
        return data


class CancelForm(forms.Form):
    reason = OneLineField(
        label=_("Why is it cancelled?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone invited gets it with the cancellation."),
        error_messages={"required": _("Please give a reason.")},
    )


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Will you come?"), choices=Answer.choices, widget=forms.RadioSelect
    )
    guests = forms.IntegerField(label=_("Guests"), min_value=0, initial=0, required=False)
    # Consent is asked, not assumed: unticked until the member ticks it.
    show_in_list = forms.BooleanField(
        label=_("Show my name in the list of who is coming"), required=False, initial=False
    )
    morning_reminder = forms.BooleanField(
        label=_("Remind me on the morning of the day"), required=False
    )

    def __init__(self, *args, meetup: Meetup, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetup = meetup
        self.questions = list(questions)
        if meetup.guests_allowed:
            self.fields["guests"].max_value = meetup.guests_allowed
            self.fields["guests"].widget.attrs["max"] = meetup.guests_allowed
            self.fields["guests"].help_text = _("At most %(count)s.") % {
                "count": meetup.guests_allowed
            }
        else:
            del self.fields["guests"]
        for question in self.questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.TEXT:
                field = OneLineField(max_length=500, required=False)
            elif question.kind == QuestionKind.SINGLE:
                field = forms.ChoiceField(
                    choices=[("", "—")] + [(c, c) for c in question.choices], required=False
                )
            else:
                field = forms.MultipleChoiceField(
                    choices=[(c, c) for c in question.choices],
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                )
            field.label = question.text
            self.fields[name] = field

    def clean_guests(self):
        guests = self.cleaned_data.get("guests") or 0
        if guests > self.meetup.guests_allowed:
            raise forms.ValidationError(
                _("You may bring at most %(count)s guests.") % {"count": self.meetup.guests_allowed}
            )
        return guests

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == Answer.YES:
            for question in self.questions:
                if question.required and not cleaned.get(f"q{question.pk}"):
                    self.add_error(f"q{question.pk}", _("Please answer this question."))
        return cleaned

    def answers(self) -> dict:
        out = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value:
                out[question.pk] = value
        return out


class QuestionForm(forms.Form):
    text = OneLineField(
        label=_("Question"),
        max_length=200,
        error_messages={"required": _("Please write the question.")},
    )
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    choices = PlainTextField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, for one or several choices."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def clean(self):
        cleaned = super().clean()
        choices = [clean_one_line(line)[:100] for line in cleaned.get("choices", "").splitlines()]
        cleaned["choices"] = list(dict.fromkeys(c for c in choices if c))[:30]
        if (
            cleaned.get("kind") in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
            and len(cleaned["choices"]) < 2
        ):
            self.add_error("choices", _("Give at least two choices."))
        if cleaned.get("kind") == QuestionKind.TEXT:
            cleaned["choices"] = []
        return cleaned


class MeetupFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *MeetupKind.choices], required=False
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("All regions")), *Region.choices], required=False
    )
