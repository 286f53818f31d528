"""The text rule (netvaerk.text) and the form fields that apply it (netvaerk.forms)."""

import pytest
from django import forms

from netvaerk import markup
from netvaerk.forms import MarkdownField, OneLineField, PlainTextField
from netvaerk.text import (
    clean_multiline,
    clean_one_line,
    has_bidi_controls,
    has_control_chars,
    html_is_blank,
    html_text,
    is_blank,
    strip_control_chars,
    visible_length,
)

INVISIBLE_ONLY = [
    "\u200b",  # zero-width space
    "\u200b\u200b\u200b",
    "\u2060",  # word joiner
    "\u00ad",  # soft hyphen
    "\ufeff",  # byte order mark
    "\u200c\u200d",  # zero-width (non-)joiner
    "\u180e",  # Mongolian vowel separator
    "\u3164",  # Hangul filler
    "\u2800",  # Braille blank
    "\u034f",  # combining grapheme joiner
    "\ufe0f",  # variation selector
    "\U000e0020",  # tag space
    "\u00a0\u2003\u3000",  # no-break, em and ideographic spaces
    "\u202e\u2066\u2069",  # bidi controls
    "\u0301",  # a lone combining accent
    "\x01\x1b\x7f\x85\x9b",  # control characters
    " \t\n ",
]


@pytest.mark.parametrize("text", INVISIBLE_ONLY)
def test_text_of_invisible_characters_is_blank(text):
    assert is_blank(text)
    assert clean_one_line(text) == ""


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("A\u200b\u200b", 1),
        ("Moms", 4),
        ("e\u0301", 1),  # e + combining acute: one character
        ("❤️", 1),
        ("👨\u200d👩\u200d👧", 3),
        ("سارة", 4),
        ("日本", 2),
        ("a b", 2),
    ],
)
def test_visible_length_counts_only_what_shows(text, length):
    assert visible_length(text) == length


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Moms   på\tydelser \n", "Moms på ydelser"),
        ("\u200bA\u200b\u200b", "A"),
        ("Faktura\u202efdp.exe", "Fakturafdp.exe"),
        ("\u2067سارة\u2069 Jensen", "سارة Jensen"),
        ("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069x", "x"),
        ("Rød\x1b[31m tekst\x7f", "Rød[31m tekst"),
        ("a\x85b\x9bc\x01d", "abcd"),
        ("linje\u2028to\u2029tre", "linje to tre"),
        ("❤️", "❤️"),  # the variation selector at the end stays
        ("Hej \u200fשלום", "Hej \u200fשלום"),  # RLM is a mark, not an override
    ],
)
def test_one_line_text_is_cleaned(raw, clean):
    assert clean_one_line(raw) == clean


def test_multiline_text_keeps_tabs_and_newlines_but_no_controls():
    raw = "\n\nFørste\tlinje\r\nanden\x00\x1b linje\u2028tredje\u2029fjerde\x85\x9b  \n\n"
    assert clean_multiline(raw) == "Første\tlinje\nanden linje\ntredje\nfjerde"
    assert strip_control_chars("a\tb\nc", multiline=False) == "a b c"


def test_detectors():
    assert has_bidi_controls("Faktura\u202efdp.exe")
    assert not has_bidi_controls("Hej \u200fשלום")
    assert has_control_chars("a\x9bb")
    assert has_control_chars("a\x00")
    assert not has_control_chars("a\tb\r\nc")


@pytest.mark.parametrize(
    "fragment",
    [
        "",
        "<p>&nbsp;</p>",
        '<p><a href="" rel="nofollow ugc noopener"></a></p>',
        "<hr>",
        "<blockquote></blockquote>",
        "<pre><code>\n</code></pre>",
        "<p>&#8203;&shy;&zwnj;</p>",
        "<table><tr><td></td></tr></table>",
    ],
)
def test_html_that_shows_nothing_is_blank(fragment):
    assert html_is_blank(fragment)


@pytest.mark.parametrize(
    "fragment",
    [
        "<p>x</p>",
        "<p>&lt;</p>",
        "<p>&#0;</p>",  # shows as a replacement character
        '<p><img src="https://example.com/a.png" alt=""></p>',
        '<p><img src="https://example.com/a.png"/></p>',
    ],
)
def test_html_with_text_or_an_image_is_not_blank(fragment):
    assert not html_is_blank(fragment)


def test_html_text_decodes_entities():
    assert html_text("<p>R&amp;D <em>nu</em></p>") == "R&D nu"


def test_markdown_module_uses_the_same_control_character_rule():
    assert markup.clean_source("a\r\nb\x85c\x9b\u2028d") == "a\nbc\nd"


class _Form(forms.Form):
    title = OneLineField(max_length=20, error_messages={"required": "tom"})
    code = OneLineField(max_length=20, min_length=3, required=False)
    note = PlainTextField(required=False)
    body = MarkdownField(max_length=100)
    extra = MarkdownField(required=False)


def _form(**data):
    return _Form({"title": "T", "body": "b", **data})


def test_one_line_field_refuses_invisible_text_with_its_message():
    form = _form(title="\u200b\u2060\u00ad")
    assert not form.is_valid()
    assert form.errors["title"] == ["tom"]


def test_one_line_field_accepts_one_visible_character_among_invisible_ones():
    form = _form(title="\u200bA\u200b\u200b")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "A"


def test_min_length_counts_visible_characters():
    assert not _form(code="ab\u200b\u200b\u200b").is_valid()
    form = _form(code="a\u0301bc")
    assert form.is_valid(), form.errors
    assert "minlength" not in str(form["code"])


def test_optional_fields_with_nothing_visible_become_empty():
    form = _form(code="\u200b", note="\u200b\n\u00a0", extra="&nbsp;")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["code"] == ""
    assert form.cleaned_data["note"] == ""
    assert form.cleaned_data["extra"] == ""


def test_markdown_field_keeps_its_rendering():
    form = _form(body="**fed**")
    assert form.is_valid()
    assert form.fields["body"].rendered_html == "<p><strong>fed</strong></p>"


@pytest.mark.parametrize("body", ["&nbsp;", "[]()", "****", "---", "> ", "\u200b", "![](x.png)"])
def test_markdown_field_refuses_text_that_renders_to_nothing(body):
    form = _form(body=body)
    assert not form.is_valid()
    assert form.has_error("body", "blank")


def test_markdown_field_names_the_limit():
    form = _form(body="x" * 101)
    assert not form.is_valid()
    assert form.has_error("body", "too_long")
    assert 'maxlength="1100"' in str(form["body"])


def test_markdown_field_reports_markup_errors(monkeypatch):
    def fail(source):
        raise markup.MarkupTooSlow

    monkeypatch.setattr("netvaerk.forms.render_markdown", fail)
    form = _form(body="x")
    assert not form.is_valid()
    assert form.has_error("body", "too_complex")


def test_a_body_with_only_one_of_our_pictures_is_accepted():
    form = _form(body="![](/filer/abcdefghijklmnop1234/800x600/kvittering.png)")
    assert form.is_valid(), form.errors
    assert "<img" in form.fields["body"].rendered_html


def test_a_body_with_only_a_picture_from_elsewhere_is_empty():
    # Pictures from other sites become their alt text, here none: nothing shows.
    form = _form(body="![](https://example.com/kvittering.png)")
    assert not form.is_valid()
    assert "body" in form.errors
