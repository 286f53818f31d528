"""Every Danish entry is translated, none is fuzzy, and the .mo matches the .po."""

import ast
import gettext
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def _unquote(line: str) -> str:
    return ast.literal_eval(line)


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr[n] and flags."""
    entries, entry, key = [], {}, None

    def flush():
        if "msgid" in entry:
            entries.append(dict(entry))
        entry.clear()

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            key = None
        elif line.startswith("#,"):
            flush() if "msgid" in entry and key and key.startswith("msgstr") else None
            entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += _unquote(line)
        else:
            keyword, _, value = line.partition(" ")
            if keyword in ("msgctxt", "msgid") and key and key.startswith("msgstr"):
                flush()
            key = keyword
            entry[key] = _unquote(value)
    flush()
    return entries


@pytest.fixture(scope="module")
def danish_entries():
    return [e for e in parse_po(LOCALE / "da" / "LC_MESSAGES" / "django.po") if e["msgid"]]


def test_every_entry_is_translated_and_none_is_fuzzy(danish_entries):
    assert len(danish_entries) > 100
    fuzzy = [e["msgid"] for e in danish_entries if "fuzzy" in e.get("flags", set())]
    assert fuzzy == []
    untranslated = [
        e["msgid"]
        for e in danish_entries
        if not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert untranslated == []


def test_compiled_mo_matches_the_po(danish_entries):
    with (LOCALE / "da" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for entry in danish_entries:
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            for n, form in ((1, "msgstr[0]"), (2, "msgstr[1]")):
                got = catalog._catalog.get((msgid, 0 if n == 1 else 1))
                if got != entry[form]:
                    stale.append(msgid)
        elif catalog._catalog.get(msgid) != entry["msgstr"]:
            stale.append(msgid)
    assert stale == [], "run `make messages` to recompile the .mo"


def test_a_danish_string_comes_back_translated():
    with translation.override("da"):
        assert translation.gettext("Members") == "Medlemmer"
        assert translation.gettext("Network leader") == "Netværksansvarlig"
    with translation.override("en"):
        assert translation.gettext("Members") == "Members"
