"""Walk every URL pattern of the project, django-ninja's API routes included."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern itself when the route has no name
    pattern: str
    converters: tuple[str, ...]  # the names of the URL's arguments


def _walk(patterns: list, prefix: str, namespace: str | None) -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            pattern = prefix + str(entry.pattern)
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                name = pattern
            yield Route(name, pattern, tuple(entry.pattern.converters) or _regex_groups(entry))


def _regex_groups(entry: URLPattern) -> tuple[str, ...]:
    return tuple(entry.pattern.regex.groupindex)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "/", None))
