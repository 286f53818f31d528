"""PostgreSQL: a GIN index on forum_post.head_vector (title and tags of first
posts). Nothing on SQLite, whose FTS5 table has title and tags as columns."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS forum_post_head_gin ON forum_post USING GIN (head_vector)"
        )
        # Existing first posts (a rebuild_search_index gives the same result).
        schema_editor.execute(
            "UPDATE forum_post AS p SET head_vector = "
            "setweight(to_tsvector('danish'::regconfig, t.title), 'A') || "
            "setweight(to_tsvector('danish'::regconfig, coalesce(("
            "SELECT string_agg(tag.name, ' ') FROM forum_thread_tags AS tt "
            "JOIN forum_tag AS tag ON tag.id = tt.tag_id WHERE tt.thread_id = t.id), '')), 'B') "
            "FROM forum_thread AS t WHERE p.thread_id = t.id AND p.number = 1"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS forum_post_head_gin")


class Migration(migrations.Migration):
    dependencies = [("forum", "0015_post_head_vector")]

    operations = [migrations.RunPython(create, drop)]
