"""Server-drawn SVG charts: valid, escaped, scaled."""

import xml.etree.ElementTree as ET

from reports.charts import _nice_max, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_is_valid_svg_with_a_bar_per_item_scaled_to_the_largest() -> None:
    svg = bar_chart([("Onsong", 712), ("Musan <b>", 117)], "Present & counted")
    root = ET.fromstring(str(svg))
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 2
    widths = [float(bar.get("width")) for bar in bars]
    assert widths[0] > widths[1] > 0
    assert abs(widths[0] / widths[1] - 712 / 117) < 0.01
    assert root.find(f"{SVG}title").text == "Present & counted"
    assert "<b>" not in str(svg) and "Musan &lt;b&gt;" in str(svg)


def test_line_chart_draws_a_line_per_series_with_a_legend() -> None:
    svg = line_chart(["01", "02", "03"], [("A", [0, 5, 10]), ("B", [1, 1, 1])], "Weekly")
    root = ET.fromstring(str(svg))
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2
    points = [tuple(map(float, p.split(","))) for p in lines[0].get("points").split()]
    assert points[0][1] > points[1][1] > points[2][1]  # rising line: y falls on screen
    labels = [text.text for text in root.findall(f"{SVG}text")]
    assert "A" in labels and "B" in labels and "01" in labels


def test_empty_charts_still_draw() -> None:
    ET.fromstring(str(bar_chart([], "Nothing")))
    ET.fromstring(str(line_chart([], [], "Nothing")))
    ET.fromstring(str(bar_chart([("zero", 0)], "Zero")))


def test_axis_maximum_is_round() -> None:
    assert [_nice_max(v) for v in (0, 7, 12, 712, 20_517)] == [1, 10, 20, 1000, 25_000]
