"""List stored user text that the text rule (netvaerk.text) would now refuse or clean.

Reports, never rewrites: a moderator or the member decides what the text
should say. Run it once after deploying the rule, and again when in doubt:

    manage.py report_user_text              # every app of the project
    manage.py report_user_text forum.Thread # one model

Each finding is one line: model, id, field, what is wrong, and the start of
the text with the hidden characters written out (\\u202e, \\x1b …).
One-line fields (CharField) are checked for control characters,
bidirectional overrides and isolates, and for showing nothing; multi-line
fields (TextField) for control characters, and Markdown sources with a
rendered twin (`body` and `body_html`) for rendering to nothing.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from netvaerk.text import has_bidi_controls, has_control_chars, html_is_blank, is_blank

SKIPPED_FIELDS = {"password"}
PREVIEW_CHARS = 60


def _project_models():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and ".venv" not in path.parts:
            yield from config.get_models()


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, models.CharField | models.TextField)
            and field.editable
            and not field.choices
            and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
            and field.name not in SKIPPED_FIELDS
        ):
            yield field


def _problems(value: str, *, one_line: bool, html: str | None) -> list[str]:
    found = []
    if has_control_chars(value):
        found.append("control characters")
    if one_line and has_bidi_controls(value):
        found.append("bidi override or isolate")
    if value and one_line and is_blank(value):
        found.append("shows nothing")
    if value.strip() and html is not None and html_is_blank(html):
        found.append("renders to nothing")
    return found


def _preview(value: str) -> str:
    shown = value[:PREVIEW_CHARS].encode("unicode_escape").decode("ascii")
    return shown + ("…" if len(value) > PREVIEW_CHARS else "")


class Command(BaseCommand):
    help = (
        "Report (never change) stored titles, names and texts with control or bidi "
        "characters, or that show nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "labels", nargs="*", metavar="app_label.Model", help="models to check (default: all)"
        )

    def handle(self, *args, labels, **options):
        try:
            chosen = [apps.get_model(label) for label in labels] or list(_project_models())
        except (LookupError, ValueError) as error:
            raise CommandError(error) from error
        total = 0
        for model in chosen:
            total += self._report(model)
        if total:
            self.stdout.write(f"{total} finding(s). Nothing was changed.")
        else:
            self.stdout.write("No stored text needs attention.")

    def _report(self, model) -> int:
        fields = list(_text_fields(model))
        if not fields:
            return 0
        names = {f.name for f in model._meta.concrete_fields}
        twins = {f.name: f"{f.name}_html" for f in fields if f"{f.name}_html" in names}
        columns = ["pk", *(f.name for f in fields), *twins.values()]
        count = 0
        rows = model._default_manager.values_list(*columns, named=True).order_by("pk")
        for row in rows.iterator(chunk_size=2000):
            for field in fields:
                value = getattr(row, field.name) or ""
                html = getattr(row, twins[field.name]) if field.name in twins else None
                one_line = not isinstance(field, models.TextField)
                for problem in _problems(value, one_line=one_line, html=html):
                    count += 1
                    self.stdout.write(
                        f"{model._meta.label} #{row.pk} {field.name}: {problem}: {_preview(value)}"
                    )
        return count
