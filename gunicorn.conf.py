"""gunicorn settings for Netværk (`gunicorn -c gunicorn.conf.py netvaerk.wsgi`).

Every value can be overridden from the environment (GUNICORN_*), so the same
file serves `make prod-local`, the systemd unit in deploy/ and a second server.

Workers and threads follow the CPU count: (2 * cores) + 1 processes, each with
GUNICORN_THREADS threads (gthread). Every thread keeps one PostgreSQL
connection open (DJANGO_CONN_MAX_AGE), so one server holds up to
workers * threads connections plus one per task worker: see "How far one server
goes" in README for sizing max_connections.
"""

import multiprocessing
import os
import shutil
import tempfile

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A request that takes longer is killed and logged; nginx waits a little longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Workers are replaced now and then, so a slow leak never grows unbounded; the
# jitter keeps them from restarting all at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# The app writes one line per request itself (netvaerk.requestlog: request id,
# member id, path with secrets masked). gunicorn's own access log would repeat it
# with unmasked paths, so it is off unless asked for; its format then leaves out
# the query string and the client's user agent.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "netvaerk"

# Prometheus counters from every worker, added up by /metrics (netvaerk.metrics).
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if not _metrics_dir:
    _metrics_dir = tempfile.mkdtemp(prefix="netvaerk-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _metrics_dir


def on_starting(server):
    # Counts from a previous run must not be added to this one's.
    for name in os.listdir(_metrics_dir):
        path = os.path.join(_metrics_dir, name)
        if os.path.isfile(path):
            os.unlink(path)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _metrics_dir.startswith(tempfile.gettempdir() + os.sep + "netvaerk-metrics-"):
        shutil.rmtree(_metrics_dir, ignore_errors=True)
