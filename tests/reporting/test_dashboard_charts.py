"""Charts drawn on the server as SVG from one include, for the page and the PDF (issue 13):
role="img" with a title and a description, series told apart by hatching and labels as well
as colour, a line with an interval band that breaks where there is no estimate."""

from __future__ import annotations

import re

from django.template.loader import render_to_string

from reporting.dashboard.charts import PATTERNS, draw, hatch, scale
from reporting.dashboard.tables import Chart, Column, Table


def stacked() -> tuple[Chart, Table]:
    table = Table(
        key="t",
        caption="Audits by area",
        columns=[Column("area", "Area", "text"), Column("a", "Done"), Column("b", "Overdue")],
        rows=[["North", 30, 10], ["South", 5, 0]],
    )
    chart = Chart("stacked", "t", "Audits by area", "Each bar is an area.", "area", ["a", "b"])
    return chart, table


def test_each_series_has_its_own_pattern_colour_and_legend_label():
    drawing = draw(*stacked(), "c1")
    assert [s.label for s in drawing.series] == ["Done", "Overdue"]
    assert len({s.pattern for s in drawing.series}) == 2
    assert len({s.colour for s in drawing.series}) == 2
    assert len(set(PATTERNS)) == len(PATTERNS)


def test_bars_are_proportional_and_labelled_with_their_values():
    drawing = draw(*stacked(), "c1")
    north, south = drawing.rows
    done, overdue = north.segments
    assert abs(done.w / overdue.w - 3) < 1e-9
    assert south.segments[0].w == done.w / 6
    assert (north.total, south.total) == ("40", "5")
    assert done.text == "30" and done.show_text


def test_the_axis_uses_round_steps():
    assert scale(40, False) == (40, [0, 10, 20, 30, 40])
    assert scale(3, False) == (3, [0, 1, 2, 3])
    assert scale(5, True) == (100, [0, 25, 50, 75, 100])


def test_hatching_stays_inside_its_rectangle():
    for pattern in PATTERNS:
        path = hatch(pattern, 10, 20, 30, 16)
        numbers = [float(n) for n in re.findall(r"-?\d+\.?\d*", path)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert all(10 - 0.05 <= x <= 40.05 for x in xs), pattern
        assert all(20 - 0.05 <= y <= 36.05 for y in ys), pattern
    assert hatch("solid", 0, 0, 10, 10) == ""


def test_the_line_breaks_where_there_is_no_estimate_and_has_its_band():
    table = Table(
        key="trend",
        caption="Good or better by month",
        columns=[
            Column("month", "Month", "text"),
            Column("estimate", "Estimate", "percent"),
            Column("raw", "Raw", "percent"),
            Column("lower", "From", "percent"),
            Column("upper", "To", "percent"),
        ],
        rows=[
            ["Sep 2026", 50.0, 48.0, 40.0, 60.0],
            ["Oct 2026", None, 30.0, None, None],
            ["Nov 2026", 60.0, 58.0, 50.0, 70.0],
        ],
    )
    chart = Chart(
        "line", "trend", "Trend", "A line.", "month", ["estimate", "raw"], ("lower", "upper"), True
    )
    drawing = draw(chart, table, "c2")
    (estimate, runs), (raw, raw_runs) = drawing.lines
    assert len(runs) == 2  # broken at October
    assert len(raw_runs) == 1
    assert len(drawing.bands) == 2
    assert raw.dashed and not estimate.dashed
    assert [s.label for s in drawing.series][-1] == "95% interval"


def test_the_include_renders_an_svg_image_with_its_title_and_description():
    drawing = draw(*stacked(), "c1")
    svg = render_to_string("reporting/charts/_chart.html", {"drawing": drawing})
    assert 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Audits by area</title>' in svg
    assert '<desc id="c1-desc">Each bar is an area.</desc>' in svg
    assert "<pattern" not in svg and "<script" not in svg
    assert ">Overdue</text>" in svg and ">30</text>" in svg
