"""SQLite: an FTS5 table forum_search_heads(title, tags) with a row for each
first post that has a title or tags (the same stemmed text as forum_search's
columns), so the best title matches are ranked among the threads only, not
among every post that holds the word. Filled from forum_search. PostgreSQL
has its own head_vector (nothing to do).
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS forum_search_heads USING fts5("
        "title, tags, tokenize = 'unicode61 remove_diacritics 0')"
    )
    schema_editor.execute(
        "INSERT INTO forum_search_heads (rowid, title, tags) "
        "SELECT rowid, title, tags FROM forum_search WHERE title != '' OR tags != ''"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS forum_search_heads")


class Migration(migrations.Migration):
    dependencies = [("forum", "0028_thread_latest_per_category_tie_break")]

    operations = [migrations.RunPython(create, drop)]
