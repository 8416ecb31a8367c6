"""Response headers that keep pages private and make the browser refuse outside resources."""

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

# Everything a page needs comes from Samstem itself; inline SVG needs no source.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def set_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.endpoint != "static":
        # Answers and case data must not linger in shared or back-button caches.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.after_request(set_headers)
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        # Behind a load balancer the client's address is in X-Forwarded-For; the rate
        # limits need it, or every respondent would share the balancer's address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
