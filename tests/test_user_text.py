"""Text that looks empty or lies about its direction, in every form that takes text.

A table over every one-line, plain-text and Markdown field of every form, the
same inputs for each; then the pages that store them (run on SQLite and on
PostgreSQL: `DATABASE_URL=postgres://… pytest tests/test_user_text.py`), and
the pages that show names and titles isolated.
"""

import importlib
import importlib.util
import inspect
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.apps import apps as django_apps
from django.conf import settings
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from accounts.forms import GuidelinesForm, ProfileForm, SignupForm
from datepolls.forms import VenueOptionForm
from duties.forms import DutyForm, HandoverForm
from forum.forms import CategoryForm, EditPostForm, ReplyForm, SynonymForm, ThreadForm
from forum.models import Category, Draft, Thread
from handbook.forms import PageForm
from moderation.forms import (
    CategoryModeratorForm,
    FlagForm,
    NoteForm,
    ReasonForm,
    SplitForm,
    WarnForm,
)
from moeder.forms import CancelForm, MeetupForm, QuestionForm, RsvpForm
from moeder.models import Meetup, Question, QuestionKind
from needs.forms import CommentForm, FollowUpForm, NeedForm, NeedStatusForm
from needs.models import Need
from netvaerk.forms import MarkdownField, OneLineField, PlainTextField
from tests.duties.factories import DutySlotFactory
from tests.factories import CategoryFactory, PostFactory, ThreadFactory, UserFactory
from tests.moeder.factories import MeetupFactory
from tests.needs.factories import NeedFactory

pytestmark = pytest.mark.django_db

REFUSED = object()  # a required field refuses it; an optional one turns it into ""

ONE_LINE_INPUTS = [
    ("\u200b\u2060\u00ad\ufeff", REFUSED),  # zero-width space, word joiner, soft hyphen, BOM
    (" \u200b\u200c\u200d \u180e ", REFUSED),
    ("\u3164\u2800", REFUSED),  # Hangul filler, Braille blank
    ("\u202e\u2066\u2069", REFUSED),  # only bidi controls
    ("\x01\x1b\x7f\x85\x9b", REFUSED),  # only control characters
    ("\u200bA\u200b\u200b", "A"),  # one visible character is enough
    ("Faktura\u202efdp.exe", "Fakturafdp.exe"),
    ("\u2067سارة\u2069 Øst", "سارة Øst"),  # Arabic stays, the isolates go
    ("Ti\x01t\x1b[31mel\x7f\x85\x9b", "Tit[31mel"),
    ("to\u2028linjer\u2029her", "to linjer her"),
]
MARKDOWN_INPUTS = [
    ("&nbsp;", REFUSED),
    ("[]()", REFUSED),
    ("****", REFUSED),
    ("** **", REFUSED),
    ("---", REFUSED),
    ("> ", REFUSED),
    ("\u200b\u2060\u00ad", REFUSED),
    ("&#8203;&shy;", REFUSED),
    ("```\n \n```", REFUSED),
    ("![](https://example.com/kvittering.png)", REFUSED),  # no images (yet)
    ("x", "x"),
    ("> Et citat", "> Et citat"),
    ("---\nMen så", "---\nMen så"),
    ("[Skat](https://skat.dk)", "[Skat](https://skat.dk)"),
    ("a\x01\x1b\x7f\x85\x9bb\u2028c\u2029d", "ab\nc\nd"),
]
PLAIN_INPUTS = [
    ("\u200b\n\u00a0\n", REFUSED),
    ("\x01\x85", REFUSED),
    ("x", "x"),
    ("a\tb\r\nc\x01\x1b\x7f\x85\x9b\u2028d", "a\tb\nc\nd"),
]
INPUTS = {
    OneLineField: ONE_LINE_INPUTS,
    MarkdownField: MARKDOWN_INPUTS,
    PlainTextField: PLAIN_INPUTS,
}


def _future(days, hour):
    return (timezone.localtime() + timedelta(days=days)).strftime(f"%Y-%m-%dT{hour}:00")


@pytest.fixture
def world(db):
    """What the forms need to exist: a category, a thread with a reply, a meetup
    with a text question, a need, a duty slot and its holder."""
    category = CategoryFactory(name="Spørgsmål", slug="sporgsmal")
    thread = ThreadFactory(category=category)
    reply = PostFactory(thread=thread, number=2)
    meetup = MeetupFactory()
    question = Question.objects.create(
        meetup=meetup, text="Kostbehov?", kind=QuestionKind.TEXT, position=1
    )
    holder = UserFactory()
    other = UserFactory(handle="overtager")
    return SimpleNamespace(
        category=category,
        thread=thread,
        reply=reply,
        meetup=meetup,
        question=question,
        need=NeedFactory(),
        slot=DutySlotFactory(member=holder),
        holder=holder,
        other=other,
        member=UserFactory(),
    )


def _meetup_data():
    return {
        "title": "Morgenkaffe",
        "kind": "network",
        "description": "Kaffe",
        "starts_at": _future(10, "08"),
        "ends_at": _future(10, "09"),
        "venue_name": "Café Bryggen",
        "address": "Havnegade 3, Vejle",
        "guests_allowed": "0",
    }


def _profile_data(w):
    data = model_to_dict(w.member, fields=ProfileForm._meta.fields)
    return {k: v for k, v in data.items() if v is not None} | {"skills_text": ""}


# (form, how to make it, valid data, the text fields checked). Every text
# field of every form is here, except fields that name something to look up
# or are parsed into a list (handles, tags, thread numbers, search filters):
# those are checked below the table.
FORMS = [
    (
        ThreadForm,
        lambda data, w: ThreadForm(data, categories=Category.objects.all()),
        lambda w: {
            "category": w.category.pk,
            "kind": "question",
            "title": "Moms på ydelser?",
            "body": "Hvordan?",
        },
        ["title", "body"],
    ),
    (ReplyForm, lambda data, w: ReplyForm(data), lambda w: {"body": "Tak"}, ["body"]),
    (
        EditPostForm,
        lambda data, w: EditPostForm(data, first_post=True),
        lambda w: {"title": "Titel", "body": "Tekst", "reason": "Stavefejl"},
        ["title", "body", "reason"],
    ),
    (
        CategoryForm,
        lambda data, w: CategoryForm(data),
        lambda w: {
            "name": "Eksport",
            "slug": "eksport",
            "description": "Om salg til udlandet",
            "position": "5",
            "read_access": "everyone",
            "start_access": "members",
        },
        ["name", "description"],
    ),
    (
        SignupForm,
        lambda data, w: SignupForm(data),
        lambda w: {
            "display_name": "Ny Medlem",
            "email": "ny@example.com",
            "password1": "korrekt-hest-batteri-9",
            "password2": "korrekt-hest-batteri-9",
            "accept_guidelines": "on",
        },
        ["display_name"],
    ),
    (
        ProfileForm,
        lambda data, w: ProfileForm(data, instance=w.member),
        _profile_data,
        ["display_name", "company", "industry", "looking_for", "bio"],
    ),
    (
        GuidelinesForm,
        lambda data, w: GuidelinesForm(data),
        lambda w: {"body": "Vær søde"},
        ["body"],
    ),
    (
        MeetupForm,
        lambda data, w: MeetupForm(data),
        lambda w: _meetup_data(),
        ["title", "description", "venue_name", "address"],
    ),
    (CancelForm, lambda data, w: CancelForm(data), lambda w: {"reason": "Sygdom"}, ["reason"]),
    (
        RsvpForm,
        lambda data, w: RsvpForm(data, meetup=w.meetup, questions=[w.question]),
        lambda w: {"answer": "no", f"q{w.question.pk}": "Vegetar"},
        ["q"],  # the text question's field, named after its id
    ),
    (
        QuestionForm,
        lambda data, w: QuestionForm(data),
        lambda w: {"text": "Kostbehov?", "kind": "text", "choices": ""},
        ["text"],
    ),
    (
        NeedForm,
        lambda data, w: NeedForm(data),
        lambda w: {"title": "Sparring om moms", "description": "Gerne", "region": ""},
        ["title", "description"],
    ),
    (
        NeedStatusForm,
        lambda data, w: NeedStatusForm(data, need=w.need, any_status=False),
        lambda w: {"status": "closed", "reason": "Løst i forummet"},
        ["reason"],
    ),
    (CommentForm, lambda data, w: CommentForm(data), lambda w: {"body": "Også mig"}, ["body"]),
    (
        FollowUpForm,
        lambda data, w: FollowUpForm(data),
        lambda w: {"answer": "yes", "comment": "Godt møde"},
        ["comment"],
    ),
    (
        VenueOptionForm,
        lambda data, w: VenueOptionForm(data),
        lambda w: {"venue_name": "Café Bryggen", "address": "Havnegade 3"},
        ["venue_name", "address"],
    ),
    (
        DutyForm,
        lambda data, w: DutyForm(data),
        lambda w: {"name": "Velkomstvært", "description": "Tag imod", "eligibility": "members"},
        ["name", "description"],
    ),
    (
        HandoverForm,
        lambda data, w: HandoverForm(data, slot=w.slot, user=w.holder),
        lambda w: {"member": "@overtager", "note": "Husk nøglen"},
        ["note"],
    ),
    (
        PageForm,
        lambda data, w: PageForm(data),
        lambda w: {"title": "Tonen", "body": "Vær venlig", "lesson_number": ""},
        ["title", "body"],
    ),
    (ReasonForm, lambda data, w: ReasonForm(data), lambda w: {"reason": "Spam"}, ["reason"]),
    (
        SplitForm,
        lambda data, w: SplitForm(
            data, replies=[w.reply], categories=Category.objects.filter(pk=w.category.pk)
        ),
        lambda w: {
            "posts": [w.reply.pk],
            "title": "Ny tråd",
            "category": w.category.pk,
            "reason": "Eget emne",
        },
        ["title", "reason"],
    ),
    (
        FlagForm,
        lambda data, w: FlagForm(data),
        lambda w: {"reason": "other", "text": "Reklame"},
        ["text"],
    ),
    (NoteForm, lambda data, w: NoteForm(data), lambda w: {"text": "Advaret før"}, ["text"]),
    (WarnForm, lambda data, w: WarnForm(data), lambda w: {"message": "Tonen!"}, ["message"]),
]

# Optional fields that the form requires with the base data (a closed need's reason).
REQUIRED_BY_FORM = {(NeedStatusForm, "reason"), (FlagForm, "text")}


def _field_class(form_class, name):
    if form_class is RsvpForm:
        return OneLineField  # a text question's field, added per question
    return type(form_class.base_fields[name])


CASES = [
    pytest.param(
        make,
        base,
        name,
        index,
        (form_class, name) in REQUIRED_BY_FORM,
        id=f"{form_class.__name__}.{name}-{index}",
    )
    for form_class, make, base, names in FORMS
    for name in names
    for index in range(len(INPUTS[_field_class(form_class, name)]))
]


@pytest.mark.parametrize(("make", "base", "name", "index", "required_by_form"), CASES)
def test_every_text_field_refuses_what_shows_nothing_and_strips_what_misleads(
    world, make, base, name, index, required_by_form
):
    data = base(world)
    if name == "q":
        name = f"q{world.question.pk}"
    assert make(data, world).is_valid(), make(data, world).errors  # the valid base
    field = make(data, world).fields[name]
    value, expected = INPUTS[type(field)][index]
    form = make({**data, name: value}, world)
    valid = form.is_valid()
    if expected is REFUSED and (field.required or required_by_form):
        assert not valid
        assert name in form.errors
        assert form[name].value() == value  # shown again as typed
    elif expected is REFUSED:
        assert valid, form.errors
        assert form.cleaned_data[name] == ""
    else:
        assert valid, form.errors
        assert form.cleaned_data[name] == expected


def _our_apps():
    """Every project app (from INSTALLED_APPS, those whose code lives in this
    repository, not in the virtualenv)."""
    base = Path(settings.BASE_DIR).resolve()
    for config in django_apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.relative_to(base).parts:
            yield config


def _our_forms():
    for config in _our_apps():
        name = f"{config.name}.forms"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_the_form_scan_covers_every_project_app():
    """A new app is scanned without anyone adding it to a list."""
    scanned = {config.label for config in _our_apps()}
    assert {"accounts", "forum", "kaffe", "imports", "viden", "letters", "notifications"} <= scanned
    assert "allauth" not in scanned and "auth" not in scanned
    assert VenueOptionForm in set(_our_forms())


def test_every_text_field_of_every_form_is_one_of_the_text_fields():
    """A new form with a plain CharField fails here: use OneLineField,
    PlainTextField or MarkdownField from netvaerk.forms."""
    text_fields = (OneLineField, PlainTextField, MarkdownField)
    plain = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _our_forms()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, text_fields)
        and not isinstance(field, forms.EmailField | forms.URLField | forms.SlugField)
        and not field.widget.is_hidden
        and name not in ("username", "password1", "password2")  # allauth's
    ]
    assert plain == []


# --- Fields that are looked up or parsed ----------------------------------------


def test_tags_and_skills_drop_invisible_items_and_bidi_controls(world):
    form = ThreadForm(
        {
            "category": world.category.pk,
            "kind": "question",
            "title": "Titel",
            "body": "Tekst",
            "tags_text": "moms, \u200b, \u3164, ad\u202eb, \x01eu",
        },
        categories=Category.objects.all(),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tags_text"] == ["moms", "adb", "eu"]

    need = NeedForm({"title": "Behov", "tags": "#\u3164, moms\u2069, \u200b"})
    assert need.is_valid(), need.errors
    assert need.cleaned_data["tags"] == ["moms"]

    profile = ProfileForm(
        {**_profile_data(world), "skills_text": "SEO\u202e, \u00ad, bogføring"},
        instance=world.member,
    )
    assert profile.is_valid(), profile.errors
    assert profile.cleaned_data["skills_text"] == ["SEO", "bogføring"]


def test_synonyms_and_question_choices_drop_invisible_items():
    synonym = SynonymForm({"terms": "moms, \u200b, VAT\u202e"})
    assert synonym.is_valid(), synonym.errors
    assert synonym.cleaned_data["terms"] == "moms, VAT"
    question = QuestionForm({"text": "Mad?", "kind": "single", "choices": "Ja\n\u200b\nNej\u202e"})
    assert question.is_valid(), question.errors
    assert question.cleaned_data["choices"] == ["Ja", "Nej"]


def test_handles_are_found_through_bidi_and_control_characters(world):
    handover = HandoverForm(
        {"member": "\u202a@overtager\x01\u202c"}, slot=world.slot, user=world.holder
    )
    assert handover.is_valid(), handover.errors
    assert handover.cleaned_data["member"] == world.other
    category_moderator = CategoryModeratorForm({"handle": "\u2066@overtager\u2069"})
    assert category_moderator.is_valid(), category_moderator.errors
    profile = ProfileForm(
        {**_profile_data(world), "handle": "\u202eny-handle\x7f"}, instance=world.member
    )
    assert profile.is_valid(), profile.errors
    assert profile.cleaned_data["handle"] == "ny-handle"


def test_a_name_in_right_to_left_script_is_kept(world):
    form = ProfileForm(
        {**_profile_data(world), "display_name": "\u200fשרה כהן"}, instance=world.member
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["display_name"] == "\u200fשרה כהן"


# --- Pages that store text (SQLite and PostgreSQL) --------------------------------


def _thread_data(category, **changes):
    return {
        "category": category.pk,
        "kind": "question",
        "title": "Moms på ydelser til EU-kunder?",
        "body": "Jeg sælger **rådgivning**.",
        "tags_text": "moms",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "\u200b\u2060\u00ad"}, "title", "Titlen må ikke være tom."),
        ({"body": "&nbsp;"}, "body", "Teksten ville blive vist som tom"),
        ({"body": "****"}, "body", "Teksten ville blive vist som tom"),
        ({"body": "> "}, "body", "Teksten ville blive vist som tom"),
        ({"body": "\x01\x1b\x00"}, "body", "Teksten må ikke være tom."),
    ],
)
def test_a_thread_that_looks_empty_is_refused_and_the_text_kept(
    member_client, changes, field, message
):
    category = CategoryFactory()
    data = _thread_data(category, **changes)
    response = member_client.post(reverse("forum:thread_create"), data)
    assert response.status_code == 200
    assert message in response.text
    assert not Thread.objects.exists()
    kept = "title" if field == "body" else "body"
    assert data[kept].replace("**", "") in response.text.replace("**", "")


def test_a_thread_title_with_overrides_and_controls_is_stored_clean(member_client):
    category = CategoryFactory()
    response = member_client.post(
        reverse("forum:thread_create"),
        _thread_data(
            category,
            title="\u200bFaktura\u202efdp.exe\x9b\x00",
            body="Se\x1b[31m her\x85\u2028nu",
        ),
    )
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert thread.title == "Fakturafdp.exe"
    post = thread.posts.get()
    assert post.body == "Se[31m her\nnu"
    assert "\x1b" not in post.body_html


def test_a_reply_that_renders_to_nothing_is_refused(member_client):
    thread = ThreadFactory()
    url = reverse("forum:reply_create", args=[thread.pk])
    for body in ("[]()", "---", "\u200b"):
        response = member_client.post(url, {"body": body})
        assert response.status_code == 200
        assert "Teksten ville blive vist som tom" in response.text
    response = member_client.post(url, {"body": "\u200bJ"})
    assert response.status_code == 302
    assert thread.posts.filter(body="\u200bJ").exists()


def test_a_draft_keeps_what_was_typed_without_control_characters(member_client):
    category = CategoryFactory()
    response = member_client.post(
        reverse("forum:thread_create"),
        {
            **_thread_data(category, title="Kl\x00ad\u202e", body="Tekst\x00\x1b\r\nmere"),
            "tags_text": "x" * 400,
            "save_draft": "1",
        },
    )
    assert response.status_code == 200
    draft = Draft.objects.get()
    assert draft.title == "Klad\u202e"  # a draft keeps the override until it is posted
    assert draft.body == "Tekst\nmere"
    assert len(draft.tags_text) == 300


def test_a_profile_keeps_no_control_or_override_characters(member_client, member):
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {
            "display_name": "\u202eAnne\x1b[31m Holm\x9b",
            "company": "\x01Holm\x00 ApS\x85",
            "industry": "Råd\x7fgivning",
            "region": member.region,
            "bio": "Første\x00 linje\u2028anden\x9b\ttab",
            "looking_for": "\x0bSparring\x0c",
            "skills_text": "moms",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.display_name == "Anne[31m Holm"
    assert member.company == "Holm ApS"
    assert member.industry == "Rådgivning"
    assert member.bio == "Første linje\nanden\ttab"
    assert member.looking_for == "Sparring"


def test_a_profile_name_of_zero_width_spaces_is_refused(member_client, member):
    name = member.display_name
    response = member_client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "\u200b\u200b", "company": "Beholdt ApS", "region": member.region},
    )
    assert response.status_code == 200
    assert "Navnet må ikke være tomt." in response.text
    assert "Beholdt ApS" in response.text
    member.refresh_from_db()
    assert member.display_name == name


def test_sign_up_refuses_an_invisible_name(client):
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "\u2060\u00ad",
            "email": "ny@example.com",
            "password1": "korrekt-hest-batteri-9",
            "password2": "korrekt-hest-batteri-9",
            "accept_guidelines": "on",
        },
    )
    assert response.status_code == 200
    assert "Navnet må ikke være tomt." in response.text


def test_a_meetup_is_stored_clean_and_refused_when_its_title_shows_nothing(organiser_client):
    data = _meetup_data()
    response = organiser_client.post(
        reverse("moeder:meetup_create"), {**data, "title": "\u200b\ufeff"}
    )
    assert response.status_code == 200
    assert "Titlen må ikke være tom." in response.text
    assert not Meetup.objects.exists()
    response = organiser_client.post(
        reverse("moeder:meetup_create"),
        {
            **data,
            "title": "Jule\u202efrokost\x9b",
            "venue_name": "Kro\x1b\x00en",
            "address": "Vej 1\x85",
            "description": "> ",
        },
    )
    assert response.status_code == 302
    meetup = Meetup.objects.get()
    assert (meetup.title, meetup.venue_name, meetup.address) == ("Julefrokost", "Kroen", "Vej 1")
    assert (meetup.description, meetup.description_html) == ("", "")


def test_a_need_and_a_comment_that_show_nothing_are_refused(member_client):
    response = member_client.post(reverse("needs:need_create"), {"title": "\u00ad\u200b"})
    assert response.status_code == 200
    assert not Need.objects.exists()
    response = member_client.post(
        reverse("needs:need_create"),
        {"title": "Moms\u2067 hjælp\x01", "description": "\x7fMere\u2028tekst"},
    )
    need = Need.objects.get()
    assert response.url == need.get_absolute_url()
    assert need.title == "Moms hjælp"
    assert need.description == "Mere\ntekst"
    response = member_client.post(reverse("needs:need_comment", args=[need.pk]), {"body": "[]()"})
    assert not need.comments.exists()


# --- Names and titles are shown isolated ------------------------------------------


def _isolated(html: str, text: str) -> bool:
    """`text` is the whole content of a <bdi> or of an element with dir="auto"
    (HTML isolates both from the text around them)."""
    pattern = rf'(<bdi[^>]*>|<[a-z0-9]+ [^>]*dir="auto"[^>]*>){re.escape(text)}</'
    return re.search(pattern, html) is not None


def test_the_thread_list_isolates_titles_and_names(member_client):
    author = UserFactory(display_name="سارة أحمد")
    ThreadFactory(title="فاتورة 2024", author=author, last_poster=author)
    response = member_client.get(reverse("forum:latest"))
    assert response.status_code == 200
    assert _isolated(response.text, "فاتورة 2024")
    assert _isolated(response.text, "سارة أحمد")


def test_a_profile_isolates_the_name(member_client):
    other = UserFactory(display_name="שרה כהן")
    response = member_client.get(reverse("accounts:member_detail", args=[other.pk]))
    assert response.status_code == 200
    assert re.search(r'<h1 class="mb-1"[^>]* dir="auto">שרה כהן</h1>', response.text)
    listing = member_client.get(reverse("accounts:member_list"))
    assert _isolated(listing.text, "שרה כהן")


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("forum:search", {"q": "\x00moms\u202e", "author": "@a\x00"}),
        ("forum:similar", {"title": "\x00moms\x1b"}),
        ("accounts:member_list", {"q": "\x00\u200b"}),
        ("needs:board", {"tag": "\x00moms\u2066"}),
    ],
)
def test_filters_with_control_characters_never_fail(member_client, url, query):
    assert member_client.get(reverse(url), query).status_code == 200


# --- Every template isolates names and titles ---------------------------------------

_TEMPLATES = Path(settings.BASE_DIR) / "templates"
# A variable whose last part is one of these is written by a member.
_USER_FIELD = re.compile(r"^[a-z_][\w.]*\.(display_name|title|subject)$")
# ...except these, whose titles come from our code, not from a member.
_CODE_TITLES = {"section.title", "item.section.title", "entry.figure.title", "step.title"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
_TEXT_ONLY = {"title", "option", "textarea", "script", "style"}  # no <bdi> allowed inside
_CLOSES = {"li": {"li"}, "p": {"p"}, "td": {"td", "th"}, "th": {"td", "th"}, "tr": {"tr"}}
_VARIABLE = re.compile(r"\{\{\s*(.*?)\s*\}\}")
_BLOCK_WITH = re.compile(
    r"(?P<open>\{%\s*(?P<tag>blocktranslate|blocktrans|with)\b(?P<args>[^%]*)%\})"
    r"(?P<body>.*?)(?=\{%\s*(?:plural|end(?P=tag))\b)",
    re.S,
)
_ASSIGNMENT = re.compile(r"(\w+)=([^\s%]+)")
_BLANKED = re.compile(
    r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}"  # comments
    r"|\{%\s*block\s+(?:title|head_title)\s*%\}.*?\{%\s*endblock[^%]*%\}",  # the <title>
    re.S,
)


def _bare_user_field(expression):
    name, *filters = (part.strip() for part in expression.split("|"))
    return (
        _USER_FIELD.match(name)
        and name not in _CODE_TITLES
        and not name.startswith(("form.", "field."))
        and not any(f.split(":")[0] == "isolate" for f in filters)
    )


class _IsolationScan(HTMLParser):
    """Follows the open elements; text printed inside <bdi>, an element with
    dir="auto", a visually hidden one or a text-only one (<title>, <option>) is
    fine. Attribute values (title="", alt="", aria-label="") are not text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.bare = [], []

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            return
        if self.open and self.open[-1][0] in _CLOSES.get(tag, ()):
            self.open.pop()
        attrs = dict(attrs)
        fine = (
            tag == "bdi"
            or tag in _TEXT_ONLY
            or attrs.get("dir") == "auto"
            or "visually-hidden" in (attrs.get("class") or "").split()
        )
        self.open.append((tag, fine))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return

    def handle_data(self, data):
        if any(fine for _, fine in self.open):
            return
        for match in _VARIABLE.finditer(data):
            if _bare_user_field(match.group(1)):
                self.bare.append(f"{self.getpos()[0]}: {match.group(0)}")


def _with_values_in_place(text):
    """{% blocktranslate with name=x.display_name %}By {{ name }}{% endblocktranslate %}
    becomes "By {{ x.display_name }}", so what `name` holds is judged where it is printed."""

    def put_in_place(block):
        values = dict(_ASSIGNMENT.findall(block.group("args")))
        body = re.sub(
            r"\{\{\s*(\w+)\s*\}\}",
            lambda v: "{{ " + values.get(v.group(1), v.group(1)) + " }}",
            block.group("body"),
        )
        return block.group("open") + body

    return _BLOCK_WITH.sub(put_in_place, text)


def _bare_names_and_titles(text):
    text = _BLANKED.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    scan = _IsolationScan()
    scan.feed(_with_values_in_place(text))
    scan.close()
    return scan.bare


def test_every_template_isolates_names_and_titles():
    """A member's name or a title printed as page text must be isolated (the
    `isolate` filter, <bdi> or dir="auto"), or an Arabic name turns the sentence
    around it. E-mail and plain-text templates are not pages and are left out."""
    bare = [
        f"{template.relative_to(_TEMPLATES)}:{line}"
        for template in sorted(_TEMPLATES.rglob("*.html"))
        if "email" not in template.parts
        for line in _bare_names_and_titles(template.read_text(encoding="utf-8"))
    ]
    assert bare == []


_END = "{% endblocktranslate %}</p>"


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("<p>{{ thread.title }}</p>", True),
        ("<p>{{ thread.title|truncatechars:40 }}</p>", True),
        ("<p>{{ thread.title|isolate }}</p>", False),
        ("<p>{{ user.display_name|default:user.email|isolate:user }}</p>", False),
        ('<a href="#" dir="auto"><b>{{ thread.title }}</b></a>', False),
        ("<li><bdi>{{ member.display_name }}</bdi></li><li>{{ member.display_name }}</li>", True),
        ('<span class="visually-hidden">{{ post.author.display_name }}</span>', False),
        ('<a title="{{ thread.title }}" href="#">x</a>', False),
        ("{% block title %}{{ thread.title }}{% endblock %}<p>x</p>", False),
        ("{% blocktranslate with name=u.display_name %}By {{ name }}" + _END, True),
        ("{% blocktranslate with name=u.display_name|isolate %}By {{ name }}" + _END, False),
        ("{% blocktranslate with name=u.display_name %}By <bdi>{{ name }}</bdi>" + _END, False),
        ("<p>{{ form.title }} {{ section.title }}</p>", False),
        (
            "<p>{% blocktranslate with name=d.name %}{{ name }}{% endblocktranslate %}"
            "{% blocktranslate with name=u.display_name|isolate %}{{ name }}" + _END,
            False,
        ),
        (
            "<p>{% blocktranslate count n=c with title=m.title %}{{ n }} {{ title }}"
            "{% plural %}{{ n }} {{ title }}{% endblocktranslate %}</p>",
            True,
        ),
    ],
)
def test_the_template_scan_sees_bare_names(text, bare):
    assert bool(_bare_names_and_titles(text)) is bare


def test_the_isolate_filter_marks_the_language_when_it_is_known():
    from netvaerk.templatetags.netvaerk_tags import isolate

    assert isolate("سارة <b>") == "<bdi>سارة &lt;b&gt;</bdi>"
    assert isolate("Søren", "da") == '<bdi lang="da">Søren</bdi>'
    assert isolate("Søren", SimpleNamespace(language="da")) == '<bdi lang="da">Søren</bdi>'
    assert isolate("–", None) == "<bdi>–</bdi>"  # a former member: no language
