from datetime import timedelta

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import MemberField
from accounts.models import User
from duties.models import MAX_WEEKS, Duty, NonexistentLocalTime, weekly_occurrences
from duties.permissions import can_hold_duty
from netvaerk.forms import OneLineField, PlainTextField

MAX_SLOT_LENGTH = timedelta(days=31)
_LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _datetime_field(label):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL_INPUT),
        help_text=_("Danish time (Copenhagen)."),
    )


class DutyForm(forms.ModelForm):
    class Meta:
        model = Duty
        fields = ["name", "description", "eligibility"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "eligibility": forms.RadioSelect,
        }
        field_classes = {"name": OneLineField, "description": PlainTextField}
        error_messages = {"name": {"required": _("Please give the duty a name.")}}


class SlotForm(forms.Form):
    """A slot's times; with `repeat`, also how many weeks to repeat it."""

    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    weeks = forms.IntegerField(
        label=_("Repeat weekly for how many weeks"),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=1,
    )

    def __init__(self, *args, repeat: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if repeat:
            self.fields["weeks"].help_text = _(
                "1 adds just this slot. At most %(count)s weeks."
            ) % {"count": MAX_WEEKS}
        else:
            del self.fields["weeks"]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at is None or ends_at is None:
            return cleaned
        if ends_at <= starts_at:
            self.add_error("ends_at", _("The slot must end after it starts."))
            return cleaned
        if ends_at - starts_at > MAX_SLOT_LENGTH:
            self.add_error("ends_at", _("A slot can last at most 31 days."))
            return cleaned
        if ends_at <= timezone.now():
            self.add_error("ends_at", _("That time has already passed."))
            return cleaned
        try:
            weekly_occurrences(starts_at, ends_at, weeks=cleaned.get("weeks") or 1)
        except NonexistentLocalTime as error:
            self.add_error(
                None,
                _(
                    "A repeat on %(date)s would fall in the hour when the clocks change. "
                    "Please choose another time."
                )
                % {"date": formats.date_format(error.when.date(), "SHORT_DATE_FORMAT")},
            )
        return cleaned


class HandoverForm(forms.Form):
    member = MemberField(label=_("Hand over to"))
    note = PlainTextField(
        label=_("Note for the new holder"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What they should know: open questions, newcomers to greet, and so on."),
    )

    def __init__(self, *args, slot, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot = slot
        self.user = user
        self.fields["member"].queryset = User.objects.with_access().members()

    def clean_member(self):
        member = self.cleaned_data["member"]
        if member.pk == self.slot.member_id:
            if member.pk == self.user.pk:
                raise forms.ValidationError(_("You cannot hand a slot over to yourself."))
            raise forms.ValidationError(_("That member already holds the slot."))
        if not can_hold_duty(member, self.slot.duty):
            raise forms.ValidationError(
                _("%(name)s cannot take this duty: it is for moderators and network leaders.")
                % {"name": member.display_name}
            )
        return member
