from haven.core import charts


def test_a_bar_chart_is_an_svg_image_with_words_for_it() -> None:
    chart = charts.bar_chart(
        [{"ward": "Northfield", "children": 12}, {"ward": "Harbourside", "children": 7}],
        category="ward",
        value="children",
        category_title="Ward",
        value_title="Children",
        alt_text="Children who went missing by ward: Northfield 12, Harbourside 7",
    )
    assert chart.svg.startswith("<svg")
    assert "Northfield" in chart.svg
    assert chart.data_uri.startswith("data:image/svg+xml;base64,")
    assert "Northfield 12" in chart.alt


def test_a_line_chart_orders_risk_levels() -> None:
    chart = charts.line_chart(
        [
            {"screened": "2026-01-05", "level": "At risk"},
            {"screened": "2026-03-05", "level": "Significant risk"},
        ],
        x="screened",
        y="level",
        x_title="Screening",
        y_title="Risk",
        y_sort=["No current risk", "At risk", "Significant risk", "Serious risk"],
        alt_text="Risk rose from at risk to significant risk",
    )
    assert "Significant risk" in chart.svg
