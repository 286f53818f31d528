"""WSGI entry point (gunicorn netvaerk.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netvaerk.settings")

application = get_wsgi_application()
