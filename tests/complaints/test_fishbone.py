"""The fishbone diagram: valid, deterministic SVG that shows every cause."""

import xml.etree.ElementTree as ET

from complaints.rca.fishbone import fishbone_svg

SVG = "{http://www.w3.org/2000/svg}"

BONES = {
    "People": [("Crew not trained", "confirmed", [("No induction", "hypothesis")])],
    "Methods": [("No flushing procedure", "confirmed", [])],
    "Systems/equipment": [("Old mains", "rejected", [])],
    "Materials/information": [],
    "Measurement": [("Weekly samples only", "hypothesis", [])],
    "Environment": [("Road works", "confirmed", [("Valve closed", "confirmed")])],
}


def test_fishbone_is_valid_svg_with_title_and_role():
    svg = fishbone_svg("Brown water", BONES, "Fishbone of brown water")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Fishbone of brown water"
    assert "viewBox" in root.attrib


def test_fishbone_shows_effect_categories_causes_and_sub_causes():
    svg = fishbone_svg("Brown water", BONES, "t")
    for text in ["Brown water", "Crew not trained", "No induction", "Old mains",
                 "Valve closed", "Materials/information", "Environment"]:  # fmt: skip
        assert text in svg


def test_fishbone_marks_status_by_line_not_only_colour():
    svg = fishbone_svg("Brown water", BONES, "t")
    assert "cause-1-confirmed" in svg
    assert "rejected" in svg
    # Hypotheses are dashed, rejected causes dotted.
    assert "stroke-dasharray" in svg


def test_fishbone_is_deterministic():
    assert fishbone_svg("E", BONES, "t") == fishbone_svg("E", BONES, "t")


def test_fishbone_without_causes_still_draws_bones():
    svg = fishbone_svg("E", {"People": [], "Methods": []}, "Empty")
    ET.fromstring(svg)
    assert "People" in svg and "Methods" in svg


def test_markup_in_user_text_is_escaped_in_the_svg():
    # Cause texts and category names are typed by staff and the SVG is
    # inlined with |safe, so the renderer must escape them.
    payload = '<script>alert(1)</script>&"'
    svg = fishbone_svg(
        payload, {payload: [(payload, "confirmed", [(payload, "rejected")])]}, payload
    )
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
