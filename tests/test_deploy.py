"""The files in deploy/: systemd units pass `systemd-analyze verify` and the
nginx site passes `nginx -t` (each skipped when the tool is not installed)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def test_deploy_folder_has_units_for_web_workers_and_periodic_jobs():
    names = {p.name for p in DEPLOY.iterdir()}
    assert {
        "netvaerk-web.service",
        "netvaerk-worker@.service",
        "netvaerk-periodic@.service",
        "netvaerk-periodic-daily.timer",
        "netvaerk-periodic-cleanup.timer",
        "netvaerk-periodic-relay.timer",
        "netvaerk-periodic-counters.timer",
        "netvaerk-backup.service",
        "netvaerk-backup.timer",
        "nginx-netvaerk.conf",
    } <= names


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_units_verify(tmp_path):
    # The units point at /srv/netvaerk/venv and the netvaerk user, which this
    # machine has not: the check runs on copies that point at this Python.
    for unit in sorted(DEPLOY.glob("*.service")) + sorted(DEPLOY.glob("*.timer")):
        text = re.sub(
            r"^(Exec\w*=)/srv/netvaerk/venv/bin/\S+",
            rf"\1{sys.executable}",
            unit.read_text(),
            flags=re.MULTILINE,
        )
        text = re.sub(r"^(User|Group)=.*$", r"\1=root", text, flags=re.MULTILINE)
        # Templates are checked as an instance.
        name = unit.name.replace("@.", "@daily.") if "periodic@" in unit.name else unit.name
        (tmp_path / name.replace("@.", "@1.")).write_text(text)
    units = sorted(str(p) for p in tmp_path.iterdir())
    result = subprocess.run(
        ["systemd-analyze", "verify", *units], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("nginx") is None, reason="no nginx")
def test_nginx_site_passes_nginx_t(tmp_path):
    # A self-signed certificate stands in for certbot's; the site goes into a
    # minimal main configuration with paths of its own.
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=netvaerk.example.dk",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip("no openssl for a test certificate")
    site = (DEPLOY / "nginx-netvaerk.conf").read_text()
    site = site.replace("/etc/letsencrypt/live/netvaerk.example.dk/fullchain.pem", str(cert))
    site = site.replace("/etc/letsencrypt/live/netvaerk.example.dk/privkey.pem", str(key))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        "events {}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path};\n"
        f"  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_package_includes_every_project_app():
    """An app missing from pyproject's package list is absent when installed
    as a package (netvaerk-admin then fails with ModuleNotFoundError)."""
    import tomllib

    from django.conf import settings

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    local_apps = {
        entry.split(".")[0]
        for entry in settings.INSTALLED_APPS
        if (root / entry.split(".")[0] / "__init__.py").exists()
    }
    missing = sorted(app for app in local_apps if f"{app}*" not in patterns)
    assert missing == [], f"add these apps to pyproject.toml packages.find include: {missing}"
