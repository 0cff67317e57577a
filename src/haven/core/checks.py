from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, register
from django.core.checks import Warning as CheckWarning


@register()
def demo_mode_outside_debug(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Demo mode turns two-factor sign-in off: never let it reach a real installation."""
    if getattr(settings, "HAVEN_DEMO_MODE", False) and not settings.DEBUG:
        return [
            CheckWarning(
                "HAVEN_DEMO_MODE is on while DEBUG is off.",
                hint="Demo mode skips two-factor sign-in; use it only with synthetic data.",
                id="haven.W001",
            )
        ]
    return []
