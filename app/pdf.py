"""PDFs from HTML with WeasyPrint, which may load nothing from outside the document."""

from weasyprint import HTML
from weasyprint.urls import URLFetcher

# data: URLs are part of the document itself; file: paths and every network address are not.
ALLOWED_PROTOCOLS = frozenset({"data"})


def local_only_fetcher() -> URLFetcher:
    """Return a fetcher that refuses file: and outside URLs; a refused resource is left out."""
    return URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS)


def render_pdf(html: str) -> bytes:
    """Render a self-contained HTML page to PDF bytes."""
    return HTML(string=html, url_fetcher=local_only_fetcher()).write_pdf()
