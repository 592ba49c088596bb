"""A `Drawing` (reporting.dashboard.charts) as SVG markup, for the page and the PDF alike.

Written in Python rather than in the template language: a national dashboard draws charts of
150 service areas with seven series each, and the template spent longer on their few
thousand shapes than the database spent on the figures. The include
`templates/reporting/charts/_chart.html` calls this. Series differ by pattern and label as
well as colour; the SVG has `role="img"`, a `title` and a `desc`.
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from .charts import Drawing

INK = "#0b0c0c"


def _legend(drawing: Drawing) -> list[str]:
    out = ["  <g>"]
    for s in drawing.series:
        lg = s.legend
        if drawing.kind == "line" and s.key != "band":
            dash = ' stroke-dasharray="5 3"' if s.dashed else ""
            out.append(
                f'<line x1="{lg["x"]}" y1="{lg["mid"]}" x2="{lg["end"]}" y2="{lg["mid"]}" '
                f'stroke="{s.colour}" stroke-width="3"{dash}/>'
            )
            if s.dashed:
                out.append(
                    f'<rect x="{lg["box"]}" y="{lg["box_y"]}" width="8" height="8" '
                    f'fill="{s.colour}"/>'
                )
            else:
                out.append(f'<circle cx="{lg["dot"]}" cy="{lg["mid"]}" r="4.5" fill="{s.colour}"/>')
        else:
            out.append(
                f'<rect x="{lg["x"]}" y="{lg["y"]}" width="16" height="16" fill="{s.colour}" '
                f'stroke="{INK}" stroke-width="0.5"/>'
            )
            if s.swatch_hatch:
                width = "2.5" if s.dotted else "1.4"
                dots = ' stroke-dasharray="1.5 3.5"' if s.dotted else ""
                out.append(
                    f'<path d="{s.swatch_hatch}" stroke="#ffffff" stroke-opacity="0.75" '
                    f'stroke-width="{width}"{dots} fill="none"/>'
                )
        out.append(
            f'<text x="{lg["text_x"]}" y="{lg["text_y"]}" fill="{INK}">{escape(s.label)}</text>'
        )
    out.append("  </g>")
    return out


def _line_chart(drawing: Drawing, f: dict) -> list[str]:
    out = ["  <g>"]
    for y, label in drawing.ticks:
        out.append(
            f'<line x1="{f["left"]}" y1="{y}" x2="{f["right"]}" y2="{y}" stroke="#b1b4b6" '
            f'stroke-width="0.6"/><text x="{f["tick_text_x"]}" y="{y}" dy="4" '
            f'text-anchor="end" fill="{INK}">{escape(str(label))}</text>'
        )
    for x, first, second in drawing.x_labels:
        out.append(
            f'<text x="{x}" y="{f["x_label_1"]}" text-anchor="middle" fill="{INK}">'
            f'{escape(str(first))}</text><text x="{x}" y="{f["x_label_2"]}" '
            f'text-anchor="middle" fill="{INK}">{escape(str(second))}</text>'
        )
    out.append("  </g>")
    for points in drawing.bands:
        out.append(
            f'<polygon points="{points}" fill="#b1b4b6" fill-opacity="0.6" stroke="#505a5f" '
            'stroke-width="0.8" stroke-dasharray="3 2"/>'
        )
    for s, polylines in drawing.lines:
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        for points in polylines:
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{s.colour}" '
                f'stroke-width="2.5"{dash}/>'
            )
    for s, points in drawing.points:
        for p in points:
            if s.dashed:
                out.append(
                    f'<rect x="{p.x}" y="{p.y}" transform="translate(-4 -4)" width="8" '
                    f'height="8" fill="{s.colour}"/>'
                )
            else:
                out.append(
                    f'<circle cx="{p.x}" cy="{p.y}" r="4.5" fill="{s.colour}"/>'
                    f'<text x="{p.x}" y="{p.text_y}" text-anchor="middle" fill="{INK}" '
                    f'font-size="11">{escape(str(p.text))}</text>'
                )
    return out


def _bar_chart(drawing: Drawing, f: dict) -> list[str]:
    out = ["  <g>"]
    for x, label in drawing.ticks:
        out.append(
            f'<line x1="{x}" y1="{f["top"]}" x2="{x}" y2="{f["bottom"]}" stroke="#b1b4b6" '
            f'stroke-width="0.6"/><text x="{x}" y="{f["tick_text_y"]}" text-anchor="middle" '
            f'fill="{INK}">{escape(str(label))}</text>'
        )
    out.append("  </g>")
    for row in drawing.rows:
        out.append("  <g>")
        out.append(
            f'<text x="{f["label_x"]}" y="{row.text_y}" text-anchor="end" fill="{INK}">'
            f"{escape(row.short_label)}</text>"
        )
        for seg in row.segments:
            colour = seg.series.colour
            out.append(
                f'<rect x="{seg.x}" y="{seg.y}" width="{seg.w}" height="{seg.h}" '
                f'fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
            )
            hatch = seg.hatch
            if hatch:
                dotted = seg.series.dotted
                width = "2.5" if dotted else "1.4"
                dots = ' stroke-dasharray="1.5 5.5"' if dotted else ""
                out.append(
                    f'<path d="{hatch}" stroke="#ffffff" stroke-opacity="0.6" '
                    f'stroke-width="{width}"{dots} fill="none"/>'
                )
            if seg.show_text:
                bx, by, bw, bh = seg.box
                out.append(
                    f'<rect x="{bx}" y="{by}" width="{bw}" height="{bh}" fill="{colour}"/>'
                    f'<text x="{seg.text_x}" y="{seg.text_y}" fill="#ffffff" '
                    f'font-weight="bold">{escape(str(seg.text))}</text>'
                )
        if row.whisker:
            out.append(
                f'<path d="{row.whisker_path}" stroke="{INK}" stroke-width="2" fill="none"/>'
            )
        out.append(
            f'<text x="{row.total_x}" y="{row.text_y}" fill="{INK}">{escape(str(row.total))}</text>'
        )
        out.append("  </g>")
    return out


def chart_svg(drawing: Drawing) -> SafeString:
    f = drawing.frame
    out = [
        f'<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{drawing.title_id} {drawing.desc_id}" '
        f'viewBox="0 0 {drawing.width} {drawing.height}" width="{drawing.width}" '
        f'height="{drawing.height}" preserveAspectRatio="xMinYMin meet" '
        f'font-family="Arial, Helvetica, sans-serif" font-size="12">',
        f'  <title id="{drawing.title_id}">{escape(drawing.title)}</title>',
        f'  <desc id="{drawing.desc_id}">{escape(drawing.description)}</desc>',
    ]
    if drawing.kind != "bar" or len(drawing.series) > 1:
        out += _legend(drawing)
    if drawing.empty:
        out.append(
            f'  <text x="{f["left"]}" y="{f["empty_y"]}" fill="{INK}">'
            "Nothing to show for this period.</text>"
        )
    elif drawing.kind == "line":
        out += _line_chart(drawing, f)
    else:
        out += _bar_chart(drawing, f)
    out.append("</svg>")
    return mark_safe("\n".join(out))  # noqa: S308 - every text above is escaped
