"""Charts drawn on the server as SVG, the same on screen and in the PDF (WeasyPrint runs no
JavaScript): horizontal bars, stacked bars and a line with an interval band.

This module works out the geometry from a `Chart` and its `Table`; one template include
(`templates/reporting/charts/_chart.html`) turns it into SVG for the page and the PDF. Each
chart says what it is in a `title` and `desc` (the SVG has `role="img"`), tells its series
apart by pattern and label as well as colour, and has the table of the same numbers beside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .tables import Chart, Table

WIDTH = 680
LABEL_WIDTH = 190
ROW = 24
GAP = 10
# GOV.UK colours dark enough for white text on them (contrast 4.5:1 or more).
COLOURS = ("#1d70b8", "#00703c", "#4c2c92", "#d4351c", "#003078", "#912b88", "#505a5f", "#0b0c0c")
# A pattern for each series, so that no series is told apart by colour alone.
PATTERNS = ("solid", "diagonal", "dots", "horizontal", "cross", "vertical", "back", "grid")


def hatch(pattern: str, x: float, y: float, w: float, h: float, step: float = 7) -> str:
    """The lines of a pattern inside a rectangle, as a path (drawn in white over the colour).
    Worked out here rather than with an SVG <pattern>, which WeasyPrint draws afresh for every
    shape that uses it."""
    parts: list[str] = []

    def line(u1: float, v1: float, u2: float, v2: float) -> None:
        parts.append(f"M{x + u1:.1f},{y + v1:.1f}L{x + u2:.1f},{y + v2:.1f}")

    if w <= 0 or h <= 0 or pattern == "solid":
        return ""
    if pattern in ("diagonal", "cross"):
        c = step
        while c < w + h:
            line(max(0.0, c - h), c - max(0.0, c - h), min(w, c), c - min(w, c))
            c += step
    if pattern in ("back", "cross"):
        c = -h + step
        while c < w:
            u1, u2 = max(0.0, c), min(w, c + h)
            line(u1, u1 - c, u2, u2 - c)
            c += step
    if pattern in ("horizontal", "grid", "dots"):
        v = step / 2
        while v < h:
            line(0, v, w, v)
            v += step
    if pattern in ("vertical", "grid"):
        u = step / 2
        while u < w:
            line(u, 0, u, h)
            u += step
    return "".join(parts)


@dataclass
class Series:
    key: str
    label: str
    colour: str
    pattern: str
    pattern_id: str
    legend_x: float = 0
    legend_y: float = 0
    dashed: bool = False

    @property
    def swatch_hatch(self) -> str:
        return hatch(self.pattern, self.legend_x, self.legend_y, 16, 16, 5)

    @property
    def dotted(self) -> bool:
        return self.pattern == "dots"

    @property
    def legend(self) -> dict[str, float]:
        x, y = self.legend_x, self.legend_y
        return {
            "x": x,
            "y": y,
            "mid": y + 8,
            "end": x + 16,
            "dot": x + 8,
            "box": x + 4,
            "box_y": y + 4,
            "text_x": x + 22,
            "text_y": y + 12,
        }


@dataclass
class Segment:
    x: float
    y: float
    w: float
    h: float
    series: Series
    value: float
    text: str
    show_text: bool

    @property
    def hatch(self) -> str:
        return hatch(self.series.pattern, self.x, self.y, self.w, self.h)

    @property
    def box(self) -> tuple[float, float, float, float]:
        """A solid patch behind the value, so the white text reads on any pattern."""
        return (self.x + 2, self.y + 5, 7 * len(self.text) + 4, self.h - 10)

    @property
    def text_x(self) -> float:
        return self.x + 4

    @property
    def text_y(self) -> float:
        return self.y + self.h / 2 + 4


@dataclass
class Row:
    label: str
    short_label: str
    y: float
    text_y: float
    segments: list[Segment] = field(default_factory=list)
    total: str = ""
    total_x: float = 0
    whisker: tuple[float, float, float] | None = None  # x1, x2, y

    @property
    def whisker_path(self) -> str:
        if not self.whisker:
            return ""
        x1, x2, y = self.whisker
        return f"M{x1:.1f},{y:.1f} H{x2:.1f} M{x1:.1f},{y - 7:.1f} v14 M{x2:.1f},{y - 7:.1f} v14"


@dataclass
class Point:
    x: float
    y: float
    text: str

    @property
    def text_y(self) -> float:
        return self.y - 9


@dataclass
class Drawing:
    id: str
    kind: str
    title: str
    description: str
    width: int
    height: int
    series: list[Series]
    rows: list[Row] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (position, label)
    plot: tuple[float, float, float, float] = (0, 0, 0, 0)  # left, top, right, bottom
    lines: list[tuple[Series, list[str]]] = field(default_factory=list)  # polyline points
    points: list[tuple[Series, list[Point]]] = field(default_factory=list)
    bands: list[str] = field(default_factory=list)  # polygon points
    x_labels: list[tuple[float, str, str]] = field(default_factory=list)  # x, line 1, line 2
    empty: bool = False

    @property
    def frame(self) -> dict[str, float]:
        left, top, right, bottom = self.plot
        return {
            "left": left,
            "top": top,
            "right": right,
            "bottom": bottom,
            "label_x": left - 8,
            "tick_text_x": left - 6,
            "tick_text_y": bottom + 16,
            "x_label_1": bottom + 16,
            "x_label_2": bottom + 30,
            "empty_y": top + 16,
        }

    @property
    def title_id(self) -> str:
        return f"{self.id}-title"

    @property
    def desc_id(self) -> str:
        return f"{self.id}-desc"


def nice_step(value: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 × 10^k, at least 1) that covers `value` in `ticks` steps."""
    rough = max(value / ticks, 1)
    power = 10 ** math.floor(math.log10(rough))
    for step in (1, 2, 5, 10):
        if rough <= step * power:
            return step * power
    return 10 * power


def scale(value: float, percent: bool) -> tuple[float, list[float]]:
    """The top of the axis and its ticks: 0-100 for percentages, else round steps."""
    if percent:
        return 100, [0, 25, 50, 75, 100]
    step = nice_step(value)
    top = step * max(1, math.ceil(value / step))
    return top, [step * i for i in range(int(round(top / step)) + 1)]


def _number(value: float | None, percent: bool) -> str:
    if value is None:
        return "–"
    if percent:
        return f"{value:.0f}%"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _series(chart: Chart, table: Table, uid: str) -> list[Series]:
    labels = {c.key: c.label for c in table.columns}
    out = []
    for i, key in enumerate(chart.series):
        out.append(
            Series(
                key=key,
                label=labels.get(key, key),
                colour=COLOURS[i % len(COLOURS)],
                pattern=PATTERNS[i % len(PATTERNS)],
                pattern_id=f"{uid}-p{i}",
                dashed=chart.kind == "line" and i > 0,
            )
        )
    return out


def _legend(series: list[Series], top: float, left: float = 10) -> float:
    """Place the legend's swatches in rows from `top`; returns the height used."""
    x, y = left, top
    for s in series:
        width = 22 + 6.2 * len(s.label)
        if x + width > WIDTH - 10 and x > left:
            x, y = left, y + 20
        s.legend_x, s.legend_y = x, y
        x += width + 14
    return (y - top) + 24 if series else 0


def draw(chart: Chart, table: Table, uid: str) -> Drawing:
    """The geometry of `chart` drawn from `table` (see the module's docstring)."""
    if chart.kind == "line":
        return _line(chart, table, uid)
    return _bars(chart, table, uid)


def _bars(chart: Chart, table: Table, uid: str) -> Drawing:
    series = _series(chart, table, uid)
    rows = table.row_dicts()
    rows = [r for r in rows if r.get(chart.category) != "All months"]
    legend_height = _legend(series, 8) if chart.kind == "stacked" else 0
    top = 8 + legend_height + 6
    totals = []
    for r in rows:
        values = [r.get(s.key) or 0 for s in series]
        upper = r.get(chart.band[1]) if chart.band else None
        totals.append(max(sum(values), upper or 0))
    scale_max, tick_values = scale(max(totals, default=0), chart.percent)
    left, right = LABEL_WIDTH, WIDTH - 130
    span = right - left
    drawing = Drawing(
        id=uid,
        kind=chart.kind,
        title=chart.title,
        description=chart.description,
        width=WIDTH,
        height=int(top + len(rows) * (ROW + GAP) + 30),
        series=series,
        plot=(left, top, right, top + len(rows) * (ROW + GAP)),
        empty=not rows or not any(totals),
    )
    for value in tick_values:
        drawing.ticks.append((left + span * value / scale_max, _number(value, chart.percent)))
    for index, r in enumerate(rows):
        y = top + index * (ROW + GAP) + GAP / 2
        label = str(r.get(chart.category, ""))
        row = Row(label=label, short_label=_short(label), y=y, text_y=y + ROW / 2 + 4)
        x = left
        total = 0.0
        for s in series:
            value = r.get(s.key) or 0
            width = span * value / scale_max if scale_max else 0
            if value:
                row.segments.append(
                    Segment(
                        x=x,
                        y=y,
                        w=width,
                        h=ROW,
                        series=s,
                        value=value,
                        text=_number(value, chart.percent),
                        show_text=width >= 8 * len(_number(value, chart.percent)) + 6,
                    )
                )
            x += width
            total += value
        if chart.band and r.get(chart.band[0]) is not None:
            low, high = r[chart.band[0]], r[chart.band[1]]
            row.whisker = (
                left + span * low / scale_max,
                left + span * high / scale_max,
                y + ROW / 2,
            )
            row.total = (
                f"{_number(total, True)} ({_number(low, True)} to {_number(high, True)})"
                if series and r.get(series[0].key) is not None
                else "no estimate"
            )
            if r.get("precision") == "Low precision":
                row.total += ", low precision"
            row.total_x = max(x, row.whisker[1]) + 6
        else:
            no_value = chart.band and r.get(series[0].key) is None
            row.total = "no estimate" if no_value else _number(total, chart.percent)
            row.total_x = x + 6
        drawing.rows.append(row)
    return drawing


def _line(chart: Chart, table: Table, uid: str) -> Drawing:
    series = _series(chart, table, uid)
    rows = table.row_dicts()
    legend_series = list(series)
    band_label = None
    if chart.band:
        band_label = Series(
            key="band",
            label="95% interval",
            colour="#b1b4b6",
            pattern="solid",
            pattern_id=f"{uid}-band",
        )
        legend_series.append(band_label)
    legend_height = _legend(legend_series, 8)
    top = 8 + legend_height + 10
    left, right, bottom = 56, WIDTH - 20, top + 220
    drawing = Drawing(
        id=uid,
        kind="line",
        title=chart.title,
        description=chart.description,
        width=WIDTH,
        height=int(bottom + 44),
        series=legend_series,
        plot=(left, top, right, bottom),
    )
    scale_max, tick_values = scale(
        max((r.get(s.key) or 0 for r in rows for s in series), default=0), chart.percent
    )
    for value in tick_values:
        drawing.ticks.append(
            (bottom - (bottom - top) * value / scale_max, _number(value, chart.percent))
        )
    step = (right - left) / max(1, len(rows))

    def x_of(i: int) -> float:
        return left + step * (i + 0.5)

    def y_of(value: float) -> float:
        return bottom - (bottom - top) * value / scale_max

    for i, r in enumerate(rows):
        parts = str(r.get(chart.category, "")).split(" ")
        drawing.x_labels.append((x_of(i), parts[0], " ".join(parts[1:])))
    for s in series:
        runs: list[list[str]] = [[]]
        points = []
        for i, r in enumerate(rows):
            value = r.get(s.key)
            if value is None:
                runs.append([])
                continue
            runs[-1].append(f"{x_of(i):.1f},{y_of(value):.1f}")
            points.append(Point(x_of(i), y_of(value), _number(value, chart.percent)))
        drawing.lines.append((s, [" ".join(run) for run in runs if run]))
        drawing.points.append((s, points))
    if chart.band:
        low_key, high_key = chart.band
        run: list[tuple[float, float, float]] = []
        runs_band = []
        for i, r in enumerate(rows):
            if r.get(low_key) is None:
                if run:
                    runs_band.append(run)
                run = []
                continue
            run.append((x_of(i), y_of(r[high_key]), y_of(r[low_key])))
        if run:
            runs_band.append(run)
        for run in runs_band:
            if len(run) == 1:
                x, high, low = run[0]
                run = [(x - 6, high, low), (x + 6, high, low)]
            upper = [f"{x:.1f},{high:.1f}" for x, high, _ in run]
            lower = [f"{x:.1f},{low:.1f}" for x, _, low in reversed(run)]
            drawing.bands.append(" ".join(upper + lower))
    drawing.empty = not any(points for _, points in drawing.points)
    return drawing
