from django import forms
from django.utils.translation import gettext_lazy as _

from handbook.models import MAX_BODY_CHARS, Page
from netvaerk.forms import MarkdownField, OneLineField
from netvaerk.markup import MarkupError, MarkupTooSlow

MAX_LESSON_NUMBER = 999


def markup_error_message(error: MarkupError) -> str:
    if isinstance(error, MarkupTooSlow):
        return _("The formatting of this text is too complex to show. Please simplify it.")
    return _("The text could not be formatted. Please shorten or simplify it.")


def lesson_taken_message(number: int, title: str) -> str:
    return _(
        "Lesson %(number)s is already “%(title)s”. Choose another number, "
        "or take the number off that page first."
    ) % {"number": number, "title": title}


class PageForm(forms.Form):
    title = OneLineField(
        label=_("Title"),
        max_length=150,
        error_messages={"required": _("The title must not be empty.")},
    )
    body = MarkdownField(
        label=_("Text"),
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text=_(
            "Markdown: **bold**, _italic_, lists with “-”, headings with “##” and links. "
            "The title is shown above the text, so start with a paragraph or a “##” heading."
        ),
    )
    lesson_number = forms.IntegerField(
        label=_("Lesson number in the course"),
        required=False,
        min_value=1,
        max_value=MAX_LESSON_NUMBER,
        help_text=_(
            "Pages with a number make up the course for new moderators and organisers, "
            "in that order. Leave empty for an ordinary page."
        ),
    )
    based_on_revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, page: Page | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        if page is not None:
            self.fields["based_on_revision"].required = True
            if not self.is_bound:
                self.initial.update(
                    {
                        "title": page.title,
                        "body": page.body,
                        "lesson_number": page.lesson_number,
                        "based_on_revision": page.revision_number,
                    }
                )

    def clean(self):
        cleaned = super().clean()
        if "based_on_revision" in self.errors:
            # A hidden field shows no error of its own: say it where it is seen.
            del self.errors["based_on_revision"]
            self.add_error(
                None, _("The form was out of date. Please open the page again and redo your edit.")
            )
        return cleaned

    def clean_lesson_number(self):
        number = self.cleaned_data["lesson_number"]
        if number is None:
            return None
        other = Page.objects.filter(lesson_number=number).only("title")
        if self.page is not None:
            other = other.exclude(pk=self.page.pk)
        other = other.first()
        if other is not None:
            raise forms.ValidationError(lesson_taken_message(number, other.title))
        return number
