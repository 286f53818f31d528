from django import forms
from django.utils.translation import gettext_lazy as _

from letters.models import LetterAudience
from netvaerk.forms import MarkdownField, OneLineField


class PieceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.title


class LetterForm(forms.Form):
    title = OneLineField(label=_("Title"), max_length=150, min_length=3)
    intro = MarkdownField(
        label=_("Intro"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    threads = PieceField(label=_("Solved threads"), queryset=None, required=False)
    meetups = PieceField(label=_("Upcoming meetups"), queryset=None, required=False)
    needs = PieceField(label=_("Needs looking for support"), queryset=None, required=False)
    cards = PieceField(label=_("Knowledge cards"), queryset=None, required=False)
    body = MarkdownField(
        label=_("More text"),
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Free sections in Markdown: start each with a heading (## Heading)."),
    )
    audience = forms.ChoiceField(
        label=_("Archive page for"),
        choices=LetterAudience.choices,
        initial=LetterAudience.PUBLIC,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, candidates: dict, picked: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, queryset in candidates.items():
            # The offered pieces, and those picked before that are no longer offered.
            ids = [o.pk for o in queryset] + [o.pk for o in (picked or {}).get(name, [])]
            self.fields[name].queryset = queryset.model.objects.filter(pk__in=ids).order_by("pk")
