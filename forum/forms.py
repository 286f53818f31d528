import uuid

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.forms import MemberField
from forum.models import Access, Category, SearchSynonym, ThreadKind
from forum.services import MAX_TAGS, parse_tags
from netvaerk.forms import MarkdownField, OneLineField
from netvaerk.markup import MAX_SOURCE_CHARS
from netvaerk.text import clean_one_line
from netvaerk.uploads import AttachmentsForm

TITLE_REQUIRED = _("The title must not be empty.")


class BodyMixin:
    def enable_autosave(self, url: str) -> None:
        """With JavaScript, the text is saved as a draft a few seconds after typing."""
        self.fields["body"].widget.attrs.update(
            {
                "data-hx-post": url,
                "data-hx-trigger": "input changed delay:3s",
                "data-hx-vals": '{"save_draft": "1"}',
                "data-hx-include": "closest form",
                "data-hx-target": "#draft-status",
                "data-hx-swap": "innerHTML",
            }
        )

    def clean_body(self):
        self.preview_html = self.fields["body"].rendered_html
        return self.cleaned_data["body"]


class ReplyForm(BodyMixin, AttachmentsForm):
    body = MarkdownField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_SOURCE_CHARS,
        help_text=_(
            "Markdown: **bold**, _italic_, lists with “-”, links and ``` for code. "
            "Mention a member with @handle."
        ),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview_html = ""
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)


class OutcomeForm(forms.Form):
    """ "What did you end up doing?" under the accepted answer (optional)."""

    outcome = MarkdownField(
        label=_("What did you end up doing?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional. A few words on how it went help the next member with the same "
            "question; they are shown under the accepted answer and found by search."
        ),
    )


class ThreadForm(BodyMixin, AttachmentsForm):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(
        label=_("What kind of thread?"),
        choices=ThreadKind.choices,
        initial=ThreadKind.QUESTION,
        widget=forms.RadioSelect,
    )
    title = OneLineField(
        label=_("Title"),
        max_length=150,
        error_messages={"required": TITLE_REQUIRED},
        help_text=_("Say what it is about in one sentence, e.g. “Moms på ydelser til EU-kunder?”"),
        widget=forms.TextInput(
            attrs={
                "data-hx-get": reverse_lazy("forum:similar"),
                "data-hx-trigger": "input changed delay:400ms",
                "data-hx-target": "#similar-threads",
                "data-hx-swap": "outerHTML",
                "autocomplete": "off",
            }
        ),
    )
    body = MarkdownField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=MAX_SOURCE_CHARS,
        help_text=_("Tell what you have tried and what you need. Markdown works."),
    )
    tags_text = OneLineField(
        label=_("Tags"),
        required=False,
        max_length=300,
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)

    field_order = [
        "category", "kind", "title", "body", "attachments", "attachment_alt", "tags_text",
    ]  # fmt: skip

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["tags_text"].help_text = _(
            "Up to %(count)s, separated by commas, e.g. moms, ApS."
        ) % {"count": MAX_TAGS}
        self.preview_html = ""
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def clean_tags_text(self):
        tags = parse_tags(self.cleaned_data["tags_text"])
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(
                _("Please use at most %(count)s tags.") % {"count": MAX_TAGS}
            )
        return tags


class ThreadFilterForm(forms.Form):
    category = forms.SlugField(required=False, allow_unicode=True)
    tag = forms.SlugField(required=False, allow_unicode=True)


class EditPostForm(BodyMixin, forms.Form):
    title = OneLineField(
        label=_("Title"),
        max_length=150,
        required=False,
        error_messages={"required": TITLE_REQUIRED},
    )
    body = MarkdownField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=MAX_SOURCE_CHARS,
    )
    reason = OneLineField(
        label=_("Reason for the change"),
        max_length=200,
        required=False,
        help_text=_("Shown in the post's history, e.g. “corrected the VAT rate”."),
    )
    # The post's version when the form was opened (a stale save is refused).
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1
    )

    def __init__(self, *args, first_post: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview_html = ""
        self.first_post = first_post
        if first_post:
            self.fields["title"].required = True
        else:
            del self.fields["title"]


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "name",
            "slug",
            "description",
            "position",
            "read_access",
            "start_access",
            "always_mailed",
        ]
        field_classes = {"name": OneLineField, "description": OneLineField}
        help_texts = {
            "slug": _("Part of the address, e.g. “spoergsmaal-og-svar”. Letters, digits, hyphens."),
            "position": _("Lower numbers come first."),
        }

    def clean(self):
        cleaned = super().clean()
        order = [Access.EVERYONE, Access.MEMBERS, Access.STAFF]
        read, start = cleaned.get("read_access"), cleaned.get("start_access")
        if read and start and order.index(start) < order.index(read):
            self.add_error(
                "start_access", _("Those who may start threads must also be able to read them.")
            )
        return cleaned


NO_AUTHOR = "@"  # no handle holds an @: an author filter that finds no post


class SearchForm(forms.Form):
    q = OneLineField(label=_("Search the forum"), required=False)
    category = forms.SlugField(label=_("Category"), required=False, allow_unicode=True)
    tag = forms.SlugField(label=_("Tag"), required=False, allow_unicode=True)
    status = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All posts")),
            ("questions", _("Only questions")),
            ("solved", _("Only solved")),
            ("unsolved", _("Only unsolved")),
            ("unanswered", _("Only unanswered")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("relevance", _("Relevance")), ("newest", _("Newest"))],
    )
    author = MemberField(label=_("Author"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.ChoiceField(
        label=_("Results"),
        required=False,
        choices=[("posts", _("Individual posts")), ("threads", _("Threads"))],
    )

    def clean_author(self):
        member = self.cleaned_data["author"]
        return member.handle if member else ""

    def filters(self) -> dict:
        """The filters that are valid; a malformed one is ignored, not an error page."""
        data = getattr(self, "cleaned_data", {})
        if "author" in self.errors:  # nobody by that name: find nothing, and say why
            data = {**data, "author": NO_AUTHOR}
        return {
            "category": data.get("category") or "",
            "tag": data.get("tag") or "",
            "author": data.get("author") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "status": data.get("status") or "",
            "unit": data.get("unit") or "posts",
            "sort": data.get("sort") or "relevance",
        }


class SynonymForm(forms.ModelForm):
    class Meta:
        model = SearchSynonym
        fields = ["terms"]
        field_classes = {"terms": OneLineField}
        help_texts = {"terms": _("Separate with commas, e.g. moms, VAT, merværdiafgift.")}

    def clean_terms(self):
        terms = [clean_one_line(t) for t in self.cleaned_data["terms"].split(",")]
        terms = [t for t in terms if t]
        if len(terms) < 2:
            raise forms.ValidationError(_("Write at least two words that mean the same."))
        return ", ".join(dict.fromkeys(terms))


class MailingListForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Send me every new post in these categories"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only categories you may read. Untick all to stop."),
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(str(c.pk), c.name) for c in categories]
