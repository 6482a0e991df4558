"""Error pages a person may meet: 403, 404, 500."""

from django.template.loader import render_to_string


def test_unknown_address_shows_friendly_404(client_for, service_staff):
    response = client_for(service_staff).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/"' in html or "Back to the start page" in html


def test_500_page_renders_without_request_context():
    # The 500 handler renders with no context processors and no user.
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert "<main" in html


def test_p_values_and_methods_read_as_words():
    from qms.templatetags.qms_tags import measure_label, method_label, p_value

    assert p_value(0.0000001) == "< 0.0001"
    assert p_value(0.03125) == "0.0312"
    assert p_value(None) == "—"
    assert method_label("welch_t") == "Welch's t-test"
    assert measure_label("no.such.measure") == "no.such.measure"
