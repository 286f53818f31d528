from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import DigestFrequency


class DigestSettingForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Send me the personal digest"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
    )
