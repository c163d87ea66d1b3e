"""The server-side SVG charts: accessible, escaped, the same for the same data."""

import datetime
import xml.etree.ElementTree as ET

from django.utils.safestring import SafeString

from hrtrack.lib.charts import line_chart, number, shorten, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def text_of(root: ET.Element, tag: str) -> str:
    return root.find(f"{SVG}{tag}").text


POINTS = [(datetime.date(2024, 1, 1), 10), (datetime.date(2024, 7, 1), 14.5), (datetime.date(2025, 1, 1), 20)]


def test_a_line_chart_is_an_image_with_a_title_and_a_description_in_words():
    root = parse(line_chart(POINTS, baseline=8, target=30, unit="people", title="Journalists protected"))
    assert root.get("role") == "img"
    assert text_of(root, "title") == "Journalists protected"
    desc = text_of(root, "desc")
    assert "3 values from 2024-01-01 to 2025-01-01" in desc
    assert "the latest is 20 people on 2025-01-01" in desc
    assert "Baseline: 8 people." in desc and "Target: 30 people." in desc
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id and root.find(f"{SVG}desc").get("id") == desc_id


def test_a_line_chart_draws_each_value_with_its_date_and_the_baseline_and_target_lines():
    root = parse(line_chart(POINTS, baseline=8, target=30, unit="%"))
    circles = root.findall(f"{SVG}circle")
    assert [c.find(f"{SVG}title").text for c in circles] == [
        "2024-01-01: 10 %", "2024-07-01: 14.5 %", "2025-01-01: 20 %"]
    assert root.find(f"{SVG}polyline").get("class") == "values"
    assert {line.get("class") for line in root.findall(f"{SVG}line")} >= {"baseline", "target"}


def test_a_higher_value_is_drawn_higher():
    root = parse(line_chart(POINTS))
    heights = [float(c.get("cy")) for c in root.findall(f"{SVG}circle")]
    assert heights[0] > heights[1] > heights[2]  # SVG's y grows downwards


def test_a_line_chart_without_values_says_so_and_still_shows_the_target():
    root = parse(line_chart([], target=5))
    assert text_of(root, "desc") == "No values yet. Target: 5."
    assert any(t.text == "No values yet." for t in root.iter(f"{SVG}text"))


def test_a_single_value_is_drawn_in_the_middle():
    root = parse(line_chart([(datetime.date(2024, 3, 1), 4)]))
    assert text_of(root, "desc") == "One value: 4 on 2024-03-01."
    assert len(root.findall(f"{SVG}circle")) == 1


def test_values_and_units_are_escaped():
    svg = line_chart(POINTS, unit="<script>alert(1)</script>", title="A & B </title><script>")
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert text_of(parse(svg), "title") == "A & B </title><script>"


def test_charts_are_safe_strings_and_the_same_for_the_same_data():
    first, second = line_chart(POINTS, target=30), line_chart(list(reversed(POINTS)), target=30)
    assert isinstance(first, SafeString)
    assert first == second
    assert line_chart(POINTS, target=31) != first


def test_two_charts_on_a_page_get_different_ids():
    first, second = parse(line_chart(POINTS, title="One")), parse(line_chart(POINTS, title="Two"))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_numbers_are_written_as_people_write_them():
    assert [number(12), number(12.5), number(0.25), number(3.14159), number(None)] == ["12", "12.5", "0.25", "3.14", ""]


def test_a_stacked_bar_chart_says_each_rows_counts_in_words():
    svg = stacked_bar_chart([("Ministry of the Interior", [2, 1, 0, 3]), ("Foreign Affairs", [0, 0, 1, 0])],
                            ["Validated", "Reported", "Overdue", "Assigned"], "Items by agency")
    root = parse(svg)
    assert root.get("role") == "img"
    assert text_of(root, "title") == "Items by agency"
    assert text_of(root, "desc") == ("Ministry of the Interior: Validated 2, Reported 1, Assigned 3; "
                                     "Foreign Affairs: Overdue 1.")
    segments = [r for r in root.findall(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [s.find(f"{SVG}title").text for s in segments] == [
        "Ministry of the Interior: Validated 2", "Ministry of the Interior: Reported 1",
        "Ministry of the Interior: Assigned 3", "Foreign Affairs: Overdue 1"]


def test_bars_are_as_long_as_their_counts():
    root = parse(stacked_bar_chart([("A", [4]), ("B", [2])], ["Assigned"]))
    widths = [float(r.get("width")) for r in root.findall(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert widths[0] == 2 * widths[1]


def test_a_stacked_bar_chart_escapes_labels_and_shortens_long_ones():
    long_name = "Secretaría de Gobernación <y> Unidad para la Defensa de los Derechos Humanos"
    svg = stacked_bar_chart([(long_name, [1])], ["<b>Assigned</b>"])
    assert "<y>" not in svg and "<b>" not in svg
    root = parse(svg)
    label = next(t for t in root.iter(f"{SVG}text") if t.find(f"{SVG}title") is not None)
    assert label.find(f"{SVG}title").text == long_name  # the whole name, on hover
    assert label.find(f"{SVG}title").tail.endswith("…")


def test_a_shortened_label_keeps_its_acronym_in_brackets():
    svg = stacked_bar_chart([("National System for the Integral Development of the Family (SNDIF)", [1]),
                             ("Ministry of the Interior (SEGOB)", [1])], ["Assigned"])
    labels = [t.find(f"{SVG}title").tail for t in parse(svg).iter(f"{SVG}text") if t.find(f"{SVG}title") is not None
              and t.get("text-anchor") == "end"]
    assert labels[0].endswith("… (SNDIF)") and labels[0].startswith("National System")
    assert labels[1] == "Ministry of the Inter… (SEGOB)"
    assert shorten("National System for the Integral Development of the Family (SNDIF)", 30) == \
        "National System for t… (SNDIF)"
    assert all(len(shorten(name, 30)) <= 30 for name in [
        "National System for the Integral Development of the Family (SNDIF)", "x" * 60,
        "A very long name without any acronym at the end of it", "Long name (with a very long bracket at the end)"])
    # A bracket too long to keep is cut like any other text.
    assert shorten("Short name (with a bracket far too long to keep whole here)", 30).endswith("…")


def test_an_empty_stacked_bar_chart_says_there_is_nothing_to_show():
    root = parse(stacked_bar_chart([], ["Assigned"]))
    assert text_of(root, "desc") == "Nothing to show."


def test_categories_may_name_their_colours_and_the_legend_wraps_to_the_width():
    categories = ["Validated", "Reported, awaiting validation", "Overdue", "Assigned, not yet reported"]
    root = parse(stacked_bar_chart([("Interior", [1, 1, 1, 1])], categories,
                                   colours=["green", "blue", "red", "grey"], width=480))
    segments = [r for r in root.findall(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [s.get("fill") for s in segments] == ["#3d7d4a", "#1f5fa8", "#a3261b", "#b8bfc9"]
    legend_rows = {r.get("y") for r in root.findall(f"{SVG}rect") if r.find(f"{SVG}title") is None}
    assert len(legend_rows) > 1
    assert all(float(t.get("x")) < 480 for t in root.iter(f"{SVG}text"))


def test_lazy_translations_make_the_same_chart_as_plain_text():
    from django.utils.translation import gettext_lazy, override

    with override("en"):
        lazy = stacked_bar_chart([("A", [1])], [gettext_lazy("Validated")], gettext_lazy("Items by agency"))
        assert lazy == stacked_bar_chart([("A", [1])], ["Validated"], "Items by agency")
