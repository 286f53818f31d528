"""Form fields for user text; every form in every app takes its text through these.

- `OneLineField`: titles, names, handles, tags, places, reasons shown in a line.
- `PlainTextField`: multi-line text shown as typed (bio, notes, a duty's description).
- `MarkdownField`: Markdown, rendered and sanitised once in `clean`; the HTML
  is left on the field as `rendered_html` for the form to use as its preview.

What they strip and what they count as empty is the rule in `netvaerk.text`.
A field that is required refuses text that shows nothing with its "required"
message (give a clear one: "The title must not be empty."); one that is
optional turns such text into "".
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import BaseValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from netvaerk.markup import MAX_SOURCE_CHARS, MarkupError, MarkupTooSlow, render_markdown
from netvaerk.text import clean_multiline, clean_one_line, html_is_blank, is_blank, visible_length


class MinVisibleLengthValidator(BaseValidator):
    message = ngettext_lazy(
        "Write at least %(limit_value)d visible character.",
        "Write at least %(limit_value)d visible characters.",
        "limit_value",
    )
    code = "min_length"

    def compare(self, a, b):
        return a < b

    def clean(self, x):
        return visible_length(x)


class OneLineField(forms.CharField):
    """One line of text. Control and bidi override characters are removed,
    spaces collapsed; `min_length` counts visible characters only."""

    def __init__(self, *, min_length=None, **kwargs):
        super().__init__(**kwargs)
        self.min_visible_length = min_length
        if min_length is not None:
            self.validators.append(MinVisibleLengthValidator(int(min_length)))

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return self.empty_value
        return clean_one_line(value) or self.empty_value


class PlainTextField(forms.CharField):
    """Several lines of text shown as typed: control characters are removed
    (tabs and line breaks stay); nothing visible counts as empty."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return self.empty_value
        value = clean_multiline(value)
        return self.empty_value if is_blank(value) else value


class MarkdownField(forms.CharField):
    """Markdown source. Empty when its sanitised rendering shows nothing
    ("&nbsp;", "[]()", "****", "---", "> "); refused when too long or too
    costly to render. `max_length` is the limit the message names: the browser
    lets a little more through, so that a long paste is told its length."""

    widget = forms.Textarea
    default_error_messages = {
        "required": _("The text must not be empty."),
        "blank": _("The text would show as empty: write some words, not only formatting."),
        "too_long": _("The text is too long: at most %(max)s characters, this is %(length)s."),
        "too_complex": _("The formatting of this text is too complex to show. Please simplify it."),
        "unformattable": _("The text could not be formatted. Please shorten or simplify it."),
    }

    def __init__(self, *, max_length=MAX_SOURCE_CHARS, **kwargs):
        self.max_source_length = min(max_length, MAX_SOURCE_CHARS)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("maxlength", str(self.max_source_length + 1000))
        self.rendered_html = ""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return self.empty_value
        return clean_multiline(value)

    def clean(self, value):
        self.rendered_html = ""
        value = super().clean(value)
        if value in self.empty_values:
            return value
        if len(value) > self.max_source_length:
            raise ValidationError(
                self.error_messages["too_long"],
                code="too_long",
                params={
                    "max": f"{self.max_source_length:,}".replace(",", "."),
                    "length": len(value),
                },
            )
        try:
            rendered = render_markdown(value)
        except MarkupTooSlow as error:
            raise ValidationError(self.error_messages["too_complex"], code="too_complex") from error
        except MarkupError as error:
            raise ValidationError(
                self.error_messages["unformattable"], code="unformattable"
            ) from error
        if html_is_blank(rendered):
            if self.required:
                raise ValidationError(self.error_messages["blank"], code="blank")
            return self.empty_value
        self.rendered_html = rendered
        return value
