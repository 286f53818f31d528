"""`python -m netvaerk COMMAND` (or the `netvaerk-admin` script): manage.py for an
installed Netværk, which has no checkout and so no manage.py."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netvaerk.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0], *sys.argv[1:]])


if __name__ == "__main__":
    main()
