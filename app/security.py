"""Response headers that keep pages private and make the browser refuse outside resources."""

import secrets

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

# Everything a page needs comes from Samstem itself; inline SVG needs no source.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def csp_nonce() -> str:
    """Return this request's nonce, made on first use, for an inline <style> (a chart's).

    Only a response whose page asked for a nonce gets one in its policy; the others keep
    the policy above unchanged.
    """
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def content_security_policy() -> str:
    """The policy for this response: style-src also allows this request's nonce, if any."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("style-src 'self'", f"style-src 'self' 'nonce-{nonce}'")


def set_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.endpoint != "static":
        # Answers and case data must not linger in shared or back-button caches.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.after_request(set_headers)
    app.add_template_global(csp_nonce)
    hops = app.config.get("PROXY_HOPS", 0)
    if hops:
        # Behind a load balancer the client's address is in X-Forwarded-For; the rate
        # limits need it, or every respondent would share the balancer's address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
