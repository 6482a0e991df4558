import pytest
import time_machine

from .helpers import NOW


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def pdf_layout_skipped(monkeypatch):
    """WeasyPrint's layout (seconds per report) replaced by fixed bytes; the
    report's HTML is still rendered from its template. For tests of issuing,
    storing, mailing and serving the PDF, not of what it shows: the tests
    that read a PDF's text (test_issuing.py) lay it out for real."""
    from weasyprint import HTML

    monkeypatch.setattr(
        HTML, "write_pdf", lambda self, *a, **k: b"%PDF-1.7\n% layout skipped\n"
    )
