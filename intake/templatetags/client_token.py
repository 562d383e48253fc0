"""Every form that carries Django's CSRF token also carries a client token: a UUID made when
the page is drawn, by which intake/resends.py recognises a second post of the same form.

Registered as a template builtin (settings.TEMPLATES) under the name `csrf_token`, so every
POST form of every page, the admin site's included, gets it without a change to its
template; the CSRF field itself is rendered by Django's own tag, unchanged."""

import uuid

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html

register = template.Library()
FIELD = "client_token"


class CsrfAndClientTokenNode(template.Node):
    def __init__(self) -> None:
        self.csrf = CsrfTokenNode()

    def render(self, context: template.Context) -> str:
        csrf = self.csrf.render(context)
        if not csrf:
            return csrf
        return format_html(
            '{}<input type="hidden" name="{}" value="{}">', csrf, FIELD, uuid.uuid4()
        )


@register.tag("csrf_token")
def csrf_token(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    return CsrfAndClientTokenNode()
