"""Builds the wheel with the site-wide files inside the netvaerk package.

Everything else is in pyproject.toml. The checkout keeps templates/, static/ and
locale/ at the top (where Django finds them through BASE_DIR); an installed
Netværk has no checkout, so the build copies them to netvaerk/templates,
netvaerk/static and netvaerk/locale, and netvaerk/settings.py picks whichever is
there. Editable installs (`pip install -e .`) read them from the checkout.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SITE_DIRS = ("templates", "static", "locale")


class BuildWithSiteFiles(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        root = Path(__file__).resolve().parent
        for name in SITE_DIRS:
            target = Path(self.build_lib) / "netvaerk" / name
            shutil.copytree(root / name, target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithSiteFiles})
