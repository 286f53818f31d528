from django.apps import AppConfig


class NetvaerkConfig(AppConfig):
    name = "netvaerk"
    verbose_name = "Netværk"
