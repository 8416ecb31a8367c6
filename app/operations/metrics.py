"""Request counts, error counts and latencies for Prometheus, at /metrics (SAMSTEM_METRICS=1).

prometheus-flask-exporter measures every request: flask_http_request_duration_seconds, a
histogram whose _count is the number of requests, labelled by method, status and the
endpoint's name, never its path (a respondent's path holds a token); flask_http_request_total
(by method and status) and flask_http_request_exceptions_total.

Under gunicorn each worker is a process of its own. With PROMETHEUS_MULTIPROC_DIR set (the
shipped gunicorn.conf.py and deploy/samstem.service set it) the workers write their counts
there and /metrics, whichever worker answers, adds them all up; gunicorn.conf.py tells the
library when a worker has exited (child_exit).

/metrics answers only the addresses SAMSTEM_METRICS_ALLOW names (addresses or networks,
separated by commas or spaces; default this host only); anyone else gets the ordinary
"page not found". The address is the client's as the rate limits see it: with
SAMSTEM_PROXY_HOPS set, the one the load balancer forwarded.
"""

import ipaddress
import os
from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, request

from app.extensions import limiter

DEFAULT_ALLOW = "127.0.0.0/8, ::1"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def allowed_networks(setting: str) -> list[Network]:
    """Read SAMSTEM_METRICS_ALLOW; a wrong entry stops the app with a message saying which."""
    networks = []
    for entry in setting.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise RuntimeError(f"SAMSTEM_METRICS_ALLOW: {entry!r} is not an address or a network") from error
    return networks


def is_allowed(address: str | None, networks: list[Network]) -> bool:
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if isinstance(client, ipaddress.IPv6Address) and client.ipv4_mapped:
        client = client.ipv4_mapped  # a dual-stack socket's view of an IPv4 client
    return any(client in network for network in networks)


def only_from(networks: list[Network]) -> Callable:
    """Wrap the metrics view: 404 to anyone else, and never rate-limited."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not is_allowed(request.remote_addr, networks):
                abort(404)
            return view(*args, **kwargs)

        return limiter.exempt(guarded)

    return decorate


def init_app(app: Flask) -> None:
    app.config.setdefault("METRICS", os.environ.get("SAMSTEM_METRICS", "").strip().lower() in ("1", "true", "yes", "on"))
    app.config.setdefault("METRICS_ALLOW", os.environ.get("SAMSTEM_METRICS_ALLOW", DEFAULT_ALLOW))
    if not app.config["METRICS"]:
        return
    from prometheus_client import CollectorRegistry
    from prometheus_flask_exporter import PrometheusMetrics
    from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

    options = {"group_by": "endpoint", "metrics_decorator": only_from(allowed_networks(app.config["METRICS_ALLOW"]))}
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        GunicornInternalPrometheusMetrics(app, path="/metrics", **options)
    else:
        # A registry of this app's own: one process may build several apps (the tests do).
        PrometheusMetrics(app, path="/metrics", registry=CollectorRegistry(), **options)
