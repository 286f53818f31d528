from django.apps import AppConfig


class MoederConfig(AppConfig):
    name = "moeder"
