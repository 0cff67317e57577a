"""Template helpers every Haven page may use (registered as builtins)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms, template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from haven.core import forms as core_forms
from haven.core import timescales

register = template.Library()


@register.filter
def govuk_template(bound_field: forms.BoundField) -> str:
    """The component template for a form field."""
    return core_forms.widget_template(bound_field)


@register.filter
def error_anchor(bound_field: forms.BoundField) -> str:
    return core_forms.first_error_anchor(bound_field)


@register.simple_tag
def govuk_widget(bound_field: forms.BoundField, css_class: str, **attrs: Any) -> SafeString:
    """Render a field's widget with GOV.UK classes, its error class and aria links."""
    classes = [css_class, bound_field.field.widget.attrs.get("class", "")]
    if bound_field.errors:
        classes.append(f"{css_class}--error")
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}-error")
    merged: dict[str, str | bool] = {"class": " ".join(c for c in classes if c)}
    if described_by:
        merged["aria-describedby"] = " ".join(described_by)
    merged.update({k.replace("_", "-"): v for k, v in attrs.items()})
    return bound_field.as_widget(attrs=merged)


@register.simple_tag
def govuk_date_widget(bound_field: forms.BoundField) -> SafeString:
    """The date boxes, marked in error when the field is."""
    return bound_field.as_widget(attrs={"has_error": bool(bound_field.errors)})


@register.filter
def is_conditional(bound_field: forms.BoundField) -> bool:
    """Fields revealed by a radio choice render inside that choice, not on their own."""
    conditionals = getattr(bound_field.form, "conditional_fields", {})
    return any(
        bound_field.name in names
        for by_value in conditionals.values()
        for names in by_value.values()
    )


@register.filter
def conditional_for(bound_field: forms.BoundField, value: Any) -> list[forms.BoundField]:
    """The follow-up fields revealed when this radio field has ``value``."""
    conditionals = getattr(bound_field.form, "conditional_fields", {})
    names = conditionals.get(bound_field.name, {}).get(str(value), [])
    return [bound_field.form[name] for name in names]


@register.filter
def is_checked(bound_field: forms.BoundField, value: Any) -> bool:
    current = bound_field.value()
    if isinstance(current, (list, tuple, set)):
        return str(value) in {str(v) for v in current}
    return current is not None and str(current) == str(value)


@register.filter
def rag_of(due: datetime | None, start: datetime | None = None) -> str:
    result = timescales.rag(due, start=start)
    return result.value if result else ""


RAG_TAGS = {
    timescales.Rag.RED: ("govuk-tag--red", "Overdue"),
    timescales.Rag.AMBER: ("govuk-tag--yellow", "Due soon"),
    timescales.Rag.GREEN: ("govuk-tag--green", "In time"),
}


@register.simple_tag
def rag_tag(due: datetime | None, start: datetime | None = None, done: bool = False) -> str:
    """A red, amber or green tag with the time left, e.g. "Due soon: 3 hours left"."""
    result = timescales.rag(due, start=start, done=done)
    if result is None or due is None:
        return ""
    css, label = RAG_TAGS[result]
    return format_html(
        '<strong class="govuk-tag {} haven-rag" data-rag="{}">{}: {}</strong>',
        css,
        result.value,
        label,
        timescales.time_left(due),
    )


@register.filter
def local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment) if moment else None


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters changed (for filters and pagination)."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
