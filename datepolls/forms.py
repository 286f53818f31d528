from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from datepolls.models import Vote
from moeder.forms import DATETIME, DATETIME_FORMATS, check_meetup_time
from netvaerk.forms import OneLineField


class DateOptionForm(forms.Form):
    """A candidate date, entered in Copenhagen time (stored in UTC)."""

    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=DATETIME, input_formats=DATETIME_FORMATS
    )
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME, input_formats=DATETIME_FORMATS)

    def clean_starts_at(self):
        check_meetup_time(self.cleaned_data["starts_at"])
        return self.cleaned_data["starts_at"]

    def clean_ends_at(self):
        check_meetup_time(self.cleaned_data["ends_at"])
        return self.cleaned_data["ends_at"]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and starts_at <= timezone.now():
            self.add_error("starts_at", _("That date has passed. Choose a date in the future."))
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The meetup must end after it starts."))
        return cleaned


class VenueOptionForm(forms.Form):
    venue_name = OneLineField(
        label=_("Venue"),
        max_length=150,
        error_messages={"required": _("Please write the name of the venue.")},
    )
    address = OneLineField(label=_("Address"), max_length=300, required=False)


class VoteForm(forms.Form):
    """One radio group per option (`option_<pk>`); unanswered options stay as they were."""

    def __init__(self, *args, options, mine: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        for option in options:
            self.fields[f"option_{option.pk}"] = forms.ChoiceField(
                label=str(option),
                choices=Vote.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=mine.get(option.pk),
            )

    def answers(self) -> dict[int, str]:
        return {
            option.pk: self.cleaned_data[f"option_{option.pk}"]
            for option in self.options
            if self.cleaned_data.get(f"option_{option.pk}")
        }


class DecideForm(forms.Form):
    """The winners, as option ids. The template lists the options as radio
    buttons; an option removed meanwhile gets the service's clear message,
    not a bare "not one of the choices"."""

    date_option = forms.IntegerField(min_value=1, required=False)
    venue_option = forms.IntegerField(min_value=1, required=False)
