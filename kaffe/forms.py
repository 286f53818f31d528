from django import forms
from django.utils.translation import gettext_lazy as _

from kaffe.models import place_choices


class JoinForm(forms.Form):
    place = forms.ChoiceField(
        label=_("Where would you like to meet?"),
        choices=place_choices,
        help_text=_("Your region for a coffee in person, or online for a video call."),
    )
