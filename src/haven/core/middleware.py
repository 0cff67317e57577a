from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from haven.core.actor import Actor


class ActorMiddleware:
    """Puts ``request.actor`` on every request, for views to hand to services."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = Actor.from_request(request)  # type: ignore[attr-defined]
        return self.get_response(request)
