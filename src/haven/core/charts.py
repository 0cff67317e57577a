"""Charts drawn on the server: an Altair (Vega-Lite) spec rendered to SVG by vl-convert.

A chart is shown as an image beside the table of the same numbers (never instead of it), so it
works without JavaScript, prints, goes into PDFs, and passes the Content Security Policy
(an image's own styles are not the page's). Use ``components/chart.html`` to show one.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
import vl_convert

# GOV.UK Frontend's palette, so charts sit with the rest of the page.
BLUE = "#1d70b8"
DARK_BLUE = "#003078"
GREEN = "#00703c"
RED = "#d4351c"
ORANGE = "#f47738"
GREY = "#505a5f"
PALETTE = [BLUE, ORANGE, GREEN, RED, DARK_BLUE, GREY]

_CONFIG = {
    "font": "Arial, sans-serif",
    "axis": {
        "labelFontSize": 14,
        "titleFontSize": 14,
        "labelColor": "#0b0c0c",
        "titleColor": "#0b0c0c",
        "labelLimit": 220,
    },
    "legend": {"labelFontSize": 14, "titleFontSize": 14},
    "title": {"fontSize": 16, "anchor": "start"},
    "view": {"stroke": None},
    "range": {"category": PALETTE},
}


@dataclass(frozen=True)
class Chart:
    """What a template needs: the image and the words that stand in for it."""

    svg: str
    alt: str

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


def render(spec: alt.TopLevelMixin | dict[str, Any], *, alt_text: str) -> Chart:
    """Render an Altair chart (or a Vega-Lite dict) to SVG with the house style."""
    as_dict = spec if isinstance(spec, dict) else spec.to_dict()
    as_dict = {**as_dict, "config": {**_CONFIG, **as_dict.get("config", {})}}
    return Chart(svg=vl_convert.vegalite_to_svg(as_dict), alt=alt_text)


def bar_chart(
    rows: Sequence[dict[str, Any]],
    *,
    category: str,
    value: str,
    category_title: str,
    value_title: str,
    alt_text: str,
    colour_by: str | None = None,
    width: int = 480,
) -> Chart:
    """Horizontal bars, one per category (stacked by ``colour_by`` when given)."""
    encoding: dict[str, Any] = {
        "y": alt.Y(f"{category}:N", title=category_title, sort=None),
        "x": alt.X(f"{value}:Q", title=value_title),
    }
    if colour_by:
        encoding["color"] = alt.Color(
            f"{colour_by}:N", title=colour_by.replace("_", " ").capitalize()
        )
    chart = alt.Chart(alt.Data(values=list(rows))).mark_bar(color=BLUE).encode(**encoding)
    return render(chart.properties(width=width), alt_text=alt_text)


def line_chart(
    rows: Sequence[dict[str, Any]],
    *,
    x: str,
    y: str,
    x_title: str,
    y_title: str,
    alt_text: str,
    x_type: str = "T",
    y_sort: list[str] | None = None,
    colour_by: str | None = None,
    width: int = 480,
    height: int = 240,
) -> Chart:
    """A line over time (``x_type`` "T"), or over ordered steps ("O"). ``y_sort`` orders an
    ordinal y axis, e.g. risk levels from lowest to highest."""
    y_type = "O" if y_sort else "Q"
    encoding: dict[str, Any] = {
        "x": alt.X(f"{x}:{x_type}", title=x_title),
        "y": alt.Y(f"{y}:{y_type}", title=y_title, sort=list(reversed(y_sort or [])) or None),
    }
    if colour_by:
        encoding["color"] = alt.Color(
            f"{colour_by}:N", title=colour_by.replace("_", " ").capitalize()
        )
    chart = (
        alt.Chart(alt.Data(values=list(rows)))
        .mark_line(point=True, color=BLUE)
        .encode(**encoding)
        .properties(width=width, height=height)
    )
    return render(chart, alt_text=alt_text)
