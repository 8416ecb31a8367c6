"""Read rendered output back: QR codes the way a phone sees them, and a PDF's text as a reader copies it."""

import io

import pypdfium2
import zxingcpp
from weasyprint import HTML


def pdf_pages_as_images(pdf: bytes, scale: float = 2.0) -> list:
    """Render each PDF page to a PIL image."""
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    try:
        return [page.render(scale=scale).to_pil() for page in document]
    finally:
        document.close()


def decode_image(image) -> list[str]:
    """Return the text of every QR code found in the image."""
    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]


def decode_pdf(pdf: bytes) -> list[list[str]]:
    """Return the QR codes found on each page of a PDF."""
    return [decode_image(image) for image in pdf_pages_as_images(pdf)]


def decode_svg(svg: str) -> list[str]:
    """Render an inline SVG (as served in a page) through WeasyPrint, then read it."""
    html = f'<html><body style="margin:0"><div style="width:80mm">{svg}</div></body></html>'
    pdf = HTML(string=html).write_pdf()
    return decode_pdf(pdf)[0]


def pdf_pages_text(pdf: bytes) -> list[str]:
    """Return each PDF page's text as pdfium reads it, spaces squeezed."""
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    try:
        texts = []
        for page in document:
            text_page = page.get_textpage()
            texts.append(" ".join(text_page.get_text_bounded().split()))
            text_page.close()
        return texts
    finally:
        document.close()
