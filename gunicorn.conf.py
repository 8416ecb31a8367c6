"""gunicorn's settings for Samstem: `gunicorn wsgi:app` reads this file from the working directory.

Each setting can be changed from the environment (deploy/samstem.env shows them all):
  SAMSTEM_BIND               where to listen (default 127.0.0.1:8000; 0.0.0.0:8000 behind a load
                             balancer on another machine)
  SAMSTEM_WORKERS            worker processes (default 2 × cores + 1, at most 8)
  SAMSTEM_TIMEOUT            seconds a worker may spend on one request before it is replaced (60)
  SAMSTEM_GRACEFUL_TIMEOUT   seconds a stopping or reloading gunicorn lets requests in flight finish (30)
  SAMSTEM_MAX_REQUESTS       requests a worker serves before a fresh one takes over (1000, ± 10 %)
  SAMSTEM_LOG_FORMAT=json    gunicorn's own lines as JSON too; the app then writes the request
                             line (app/operations/request_log.py) and gunicorn's access log is off
  SAMSTEM_METRICS=1          the workers share their Prometheus counts through
                             PROMETHEUS_MULTIPROC_DIR (a temporary one is made if it is unset)

Its access log masks respondents' tokens (app/logmask.py): a request line, a path or a
referrer that holds /r/<token> or /o/<token> is written with the token replaced by "…".
On SIGTERM (systemctl stop) gunicorn stops accepting, lets requests in flight finish for up
to SAMSTEM_GRACEFUL_TIMEOUT seconds, then stops; SIGHUP (systemctl reload) replaces the
workers the same way without dropping a request.
"""

import os
import shutil
import tempfile
from pathlib import Path

from gunicorn.glogging import Logger

from app.logmask import MaskTokens, mask

MAX_WORKERS = 8  # each worker holds its own database connections


def _number(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _on(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def default_workers(cores: int | None = None) -> int:
    """gunicorn's rule of thumb, 2 × cores + 1, capped at MAX_WORKERS."""
    return min(2 * (cores or os.cpu_count() or 1) + 1, MAX_WORKERS)


JSON_LINES = os.environ.get("SAMSTEM_LOG_FORMAT", "").strip().lower() == "json"

bind = os.environ.get("SAMSTEM_BIND", "127.0.0.1:8000")
workers = _number("SAMSTEM_WORKERS", default_workers())
timeout = _number("SAMSTEM_TIMEOUT", 60)  # a case report PDF takes a few seconds, never a minute
graceful_timeout = _number("SAMSTEM_GRACEFUL_TIMEOUT", 30)
keepalive = 5
max_requests = _number("SAMSTEM_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10  # so the workers are not all replaced at once
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"  # the workers' heartbeat files, in memory: a slow disk never kills a worker
errorlog = "-"
accesslog = None if JSON_LINES else "-"
# systemctl stop and reload are the controls; gunicorn's own control socket would sit at one
# path in $HOME shared by every gunicorn the user runs.
control_socket_disable = True


class TokenMaskingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        return {key: mask(value) if isinstance(value, str) else value
                for key, value in super().atoms(resp, req, environ, request_time).items()}

    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(MaskTokens())
        if JSON_LINES:
            from app.operations.request_log import json_formatter

            for handler in self.error_log.handlers:
                handler.setFormatter(json_formatter())


logger_class = TokenMaskingLogger


# --- Prometheus counts shared by the workers (app/operations/metrics.py) ------------------
# Set before any worker imports prometheus_client, which reads it once, at import.
_MADE_METRICS_DIR = _on("SAMSTEM_METRICS") and not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _MADE_METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="samstem-metrics-")


def on_starting(server):
    """Start the counts afresh: the files of an earlier run must not be added to this one's."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for stale in Path(directory).glob("*.db"):
            stale.unlink()


def child_exit(server, worker):
    """A worker has exited: its counts stay in the sum, its live gauges go."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

        GunicornInternalPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)


def on_exit(server):
    if _MADE_METRICS_DIR:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
