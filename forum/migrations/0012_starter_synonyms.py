"""A Danish starter list of search synonyms; network leaders edit it in the site."""

from django.db import migrations

STARTER = [
    "moms, VAT, merværdiafgift",
    "ApS, anpartsselskab",
    "A/S, aktieselskab",
    "CVR, CVR-nummer, virksomhedsnummer",
    "faktura, regning",
    "regnskab, bogføring",
    "revisor, bogholder",
    "ansættelse, rekruttering",
    "tilskud, støtte, pulje",
    "SKAT, Skattestyrelsen",
    "webshop, netbutik",
    "markedsføring, marketing",
]


def create(apps, schema_editor):
    SearchSynonym = apps.get_model("forum", "SearchSynonym")
    if not SearchSynonym.objects.exists():
        SearchSynonym.objects.bulk_create(SearchSynonym(terms=terms) for terms in STARTER)


class Migration(migrations.Migration):
    dependencies = [("forum", "0011_synonyms_failed_searches")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
