"""Full-text search structures, one per database vendor (see forum/search.py).

PostgreSQL: a GIN index on forum_post.search_vector.
SQLite: an FTS5 table forum_search(title, tags, body) whose rowid is the post
id, holding Danish-stemmed text (stemmed in Python with PyStemmer).
"""

from django.db import migrations


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS forum_post_search_gin "
            "ON forum_post USING GIN (search_vector)"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS forum_search USING fts5("
            "title, tags, body, tokenize = 'unicode61 remove_diacritics 0')"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS forum_post_search_gin")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS forum_search")


class Migration(migrations.Migration):
    dependencies = [("forum", "0009_post_search_vector")]

    operations = [migrations.RunPython(create, drop)]
