from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps
from django.core import checks
from django.db.models.signals import post_migrate


@checks.register(checks.Tags.security, deploy=True)
def _rate_limits_are_not_scaled(app_configs, **kwargs):
    """NETVAERK_RATE_LIMIT_SCALE is for load tests; production keeps the real limits."""
    if getattr(settings, "NETVAERK_RATE_LIMIT_SCALE", 1) > 1:
        return [
            checks.Warning(
                "NETVAERK_RATE_LIMIT_SCALE is above 1: rate limits are loosened for a load test.",
                id="netvaerk.W001",
            )
        ]
    return []


def _create_cache_table(sender, using, **kwargs):
    """The database cache needs its table; create it with every migrate."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class NetvaerkConfig(AppConfig):
    default = True
    name = "netvaerk"
    verbose_name = "Netværk"

    def ready(self):
        post_migrate.connect(_create_cache_table, sender=self)
        from django.db.models.signals import post_delete

        from netvaerk.models import Upload
        from netvaerk.uploads import delete_file

        post_delete.connect(delete_file, sender=Upload, dispatch_uid="netvaerk.upload_file")


class NetvaerkAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the site that asks for two factors (netvaerk.admin_site)."""

    default = False
    default_site = "netvaerk.admin_site.NetvaerkAdminSite"
