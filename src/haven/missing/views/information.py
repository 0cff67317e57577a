"""Management information about children who go missing, for a chosen period (a quarter by
default): the return home interview shares, episodes by ward and by school, the CSE risk
level of the children who went missing, and repeat-missing children. Every number opens the
list of its children, which is scoped to the user and recorded in the audit log."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from haven.audit.models import Event
from haven.audit.services import event_record
from haven.core import charts
from haven.core.http import AuthenticatedRequest
from haven.missing import information, permissions
from haven.missing.forms import InformationForm
from haven.missing.information import Figures, Period
from haven.people.models import Person

CHART_ROWS = 15
CHART_CACHE_SECONDS = 60 * 60 * 24
DRILL_PAGE_SIZE = 50


def _bar_chart(**spec: Any) -> charts.Chart:
    """A bar chart, kept in the cache by its content: drawing one takes a few hundred
    milliseconds, and the same numbers draw the same chart. (The exploitation app caches its
    charts the same way; the next change to ``core.charts`` should offer this to both.)"""
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
    key = f"missing:chart:{digest}"
    found = cache.get(key)
    if isinstance(found, tuple) and len(found) == 2:
        return charts.Chart(svg=found[0], alt=found[1])
    chart = charts.bar_chart(**spec)
    cache.set(key, (chart.svg, chart.alt), CHART_CACHE_SECONDS)
    return chart


def _charts(figures: Figures) -> dict[str, charts.Chart | None]:
    found: dict[str, charts.Chart | None] = {}
    shares = [
        {"measure": row.measure.label, "percent": round((row.of_returned or 0) * 100, 1)}
        for row in figures.shares
    ]
    found["shares"] = (
        _bar_chart(
            rows=shares,
            category="measure",
            value="percent",
            category_title="",
            value_title="% of children who went missing and came back",
            alt_text="Bar chart of the return home interview shares; the same numbers are in "
            "the table beside it.",
        )
        if figures.counts["returned"]
        else None
    )
    for key, rows, title, value, value_title in (
        ("wards", figures.wards, "Ward", "episodes", "Missing episodes"),
        ("schools", figures.schools, "School", "episodes", "Missing episodes"),
        ("risk", figures.risk, "CSE risk level", "children", "Children"),
        ("repeat", figures.repeat, "Episodes in the period", "children", "Children"),
    ):
        shown = rows[:CHART_ROWS]
        found[key] = (
            _bar_chart(
                rows=[{"group": r.label, value: getattr(r, value)} for r in shown],
                category="group",
                value=value,
                category_title=title,
                value_title=value_title,
                alt_text=f"Bar chart of {value_title.lower()} by {title.lower()}"
                + (f", the {CHART_ROWS} largest" if len(rows) > CHART_ROWS else "")
                + "; the same numbers are in the table beside it.",
            )
            if any(getattr(r, value) for r in shown)
            else None
        )
    return found


@login_required
@permission_required(permissions.VIEW_MI, raise_exception=True)
@require_GET
def index(request: AuthenticatedRequest) -> HttpResponse:
    """The figures for the chosen period; each number links to its children."""
    default = Period.last_complete_quarter()
    form = InformationForm(request.GET or None)
    period, repeat = form.chosen(default)
    if form.is_bound and not form.is_valid():
        period, repeat = default, information.REPEAT_THRESHOLD
    data = information.load(user=request.user, period=period)
    figures = information.figures(data=data, repeat_threshold=repeat)
    quarters = [
        (quarter, InformationForm.query(quarter, repeat))
        for quarter in Period.quarter_of(period.date_from).previous_quarters(8)
    ]
    if not form.is_bound:
        form = InformationForm(
            initial={"date_from": period.date_from, "date_to": period.date_to, "repeat": repeat}
        )
    return render(
        request,
        "missing/information.html",
        {
            "form": form,
            "period": period,
            "repeat": repeat,
            "query": InformationForm.query(period, repeat),
            "figures": figures,
            "charts": _charts(figures),
            "quarters": quarters,
        },
    )


@login_required
@permission_required(permissions.VIEW_MI, raise_exception=True)
@require_GET
def children(request: AuthenticatedRequest) -> HttpResponse:
    """The children behind one number, each with the episodes that count them, and the
    denominator the number is a share of. The children shown are recorded in the audit log."""
    form = InformationForm(request.GET or None)
    if not (form.is_bound and form.is_valid()):
        raise Http404("Choose a period")
    period, repeat = form.chosen(Period.last_complete_quarter())
    measure = request.GET.get("measure", "")
    key = request.GET.get("key", "")
    data = information.load(user=request.user, period=period)
    try:
        drill = information.children_for(
            data=data, measure=measure, key=key, repeat_threshold=repeat
        )
    except information.UnknownMeasureError:
        raise Http404("No such figure") from None
    page = Paginator(drill.child_ids, DRILL_PAGE_SIZE).get_page(request.GET.get("page"))
    people = Person.objects.select_related("school").in_bulk(list(page.object_list))
    rows: list[dict[str, Any]] = []
    for child_id in page.object_list:
        facts = data.children[child_id]
        rows.append(
            {
                "person": people[child_id],
                "facts": facts,
                "episodes": drill.episodes[child_id],
                "count": len(facts.episodes),
            }
        )
    event_record(
        actor=request.actor,
        action=Event.Action.SEARCH,
        object_type="missing.missingepisode",
        detail={
            "page": "missing-information-children",
            "measure": measure,
            "key": key,
            "period": [period.date_from.isoformat(), period.date_to.isoformat()],
            "children": [row["person"].pk for row in rows],
        },
    )
    query = InformationForm.query(period, repeat)
    return render(
        request,
        "missing/information_children.html",
        {
            "drill": drill,
            "period": period,
            "repeat": repeat,
            "page": page,
            "rows": rows,
            "query": query,
            "share": information.share(len(drill.child_ids), drill.denominator),
        },
    )
