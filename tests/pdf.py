"""The text of a PDF as a reader would copy it, for assertions on reports.

pypdf is pure Python, so the PDF tests need no system tool (poppler's
pdftotext is not on a fresh machine).
"""

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    """All pages' text, page after page, in reading order."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)
