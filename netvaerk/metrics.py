"""Prometheus metrics at /metrics: requests, latency, database queries and the
task queue (depth, failed tasks, age of the oldest waiting task).

Request metrics are counted per view name (a fixed set, so the label stays
small). Under gunicorn each worker counts for itself; gunicorn.conf.py points
PROMETHEUS_MULTIPROC_DIR at a shared folder and the view adds them up. The queue
figures are read from the database when Prometheus scrapes, so every server
reports the same shared queue.

Access: only direct connections from NETVAERK_METRICS_ALLOWED_IPS (a request
that came through a proxy, i.e. carries X-Forwarded-For, never counts as local),
or any address with ``Authorization: Bearer <NETVAERK_METRICS_TOKEN>``. Anyone
else gets 404, as if there were nothing there.
"""

import hmac
import os
import time

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min
from django.http import Http404, HttpResponse
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

REQUESTS = Counter(
    "netvaerk_http_requests_total", "HTTP requests answered.", ["method", "view", "status"]
)
LATENCY = Histogram(
    "netvaerk_http_request_duration_seconds",
    "Time to answer a request, from the first middleware.",
    ["view"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
QUERIES = Counter(
    "netvaerk_db_queries_total", "Database queries run while answering requests.", ["view"]
)
QUERIES_PER_REQUEST = Histogram(
    "netvaerk_db_queries_per_request",
    "Database queries per request.",
    buckets=(1, 2, 5, 10, 15, 20, 30, 50, 100),
)


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return match.view_name or "<unnamed>"


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        queries = 0

        def count(execute, sql, params, many, context):
            nonlocal queries
            queries += 1
            return execute(sql, params, many, context)

        status = 500
        try:
            with connection.execute_wrapper(count):
                response = self.get_response(request)
            status = response.status_code
            return response
        finally:
            view = _view_name(request)
            REQUESTS.labels(request.method, view, str(status)).inc()
            LATENCY.labels(view).observe(time.perf_counter() - started)
            QUERIES.labels(view).inc(queries)
            QUERIES_PER_REQUEST.observe(queries)


class TaskQueueCollector:
    """The shared task queue, read from the database at scrape time."""

    def collect(self):
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
        now = timezone.now()
        oldest = DBTaskResult.objects.ready().aggregate(first=Min("enqueued_at"))["first"]
        waiting = GaugeMetricFamily("netvaerk_tasks_waiting", "Tasks due and waiting for a worker.")
        waiting.add_metric([], DBTaskResult.objects.ready().count())
        yield waiting
        by_status = GaugeMetricFamily(
            "netvaerk_tasks", "Task rows by status (scheduled ones included).", labels=["status"]
        )
        for status in TaskResultStatus:
            by_status.add_metric([status.value.lower()], counts.get(status.value, 0))
        yield by_status
        failed = GaugeMetricFamily("netvaerk_tasks_failed", "Task rows that failed.")
        failed.add_metric([], counts.get(TaskResultStatus.FAILED.value, 0))
        yield failed
        age = GaugeMetricFamily(
            "netvaerk_tasks_oldest_waiting_seconds",
            "Age of the oldest task that is due and not yet started (0: none).",
        )
        age.add_metric([], (now - oldest).total_seconds() if oldest else 0.0)
        yield age


def _allowed(request) -> bool:
    token = settings.NETVAERK_METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    return request.META.get("REMOTE_ADDR") in settings.NETVAERK_METRICS_ALLOWED_IPS


def metrics(request):
    if not _allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    queue = CollectorRegistry()
    queue.register(TaskQueueCollector())
    body += generate_latest(queue)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
