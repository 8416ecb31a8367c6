"""PDFs from HTML with WeasyPrint, which may load nothing from outside the document.

Every PDF is PDF/UA-1 (WeasyPrint's pdf_variant "pdf/ua-1", WeasyPrint 59 and later): tagged,
with its language and title, so a screen reader reads it in order (issue 18 item 1). Its text
is drawn in DejaVu Sans (fonts-dejavu-core), which has the Latin, Cyrillic and Arabic letters.
"""

from weasyprint import HTML
from weasyprint.urls import URLFetcher

PDF_VARIANT = "pdf/ua-1"

# data: URLs are part of the document itself; file: paths and every network address are not.
ALLOWED_PROTOCOLS = frozenset({"data"})


def local_only_fetcher() -> URLFetcher:
    """Return a fetcher that refuses file: and outside URLs; a refused resource is left out."""
    return URLFetcher(allowed_protocols=ALLOWED_PROTOCOLS)


def render_pdf(html: str) -> bytes:
    """Render a self-contained HTML page to PDF bytes."""
    return HTML(string=html, url_fetcher=local_only_fetcher()).write_pdf(pdf_variant=PDF_VARIANT)
