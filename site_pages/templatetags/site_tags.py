"""Template helpers of the public site: dates to their precision, titles and statuses in the
page's language, the "source" disclosure of a fact, search headlines."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from site_pages import formatting, vocabulary
from site_pages.selectors import shown

register = template.Library()


@register.simple_tag
def precise_date(value, precision) -> str:
    """`{% precise_date action.occurred_on action.occurred_precision %}`."""
    return formatting.precise_date(value, precision)


@register.simple_tag
def bill_title(bill) -> formatting.Title:
    """`{% bill_title bill as title %}`: text, language (None when the page's) and official."""
    return formatting.bill_title(bill)


@register.simple_tag
def bill_text(bill, name) -> formatting.Text:
    """`{% bill_text bill "summary" as summary %}`: text and the language it is in."""
    return formatting.bill_text(bill, name)


@register.filter
def status_label(code) -> str:
    return formatting.status_label(code)


@register.filter
def status_explanation(bill) -> str:
    return formatting.status_explanation(bill)


@register.filter
def status_is_final(bill) -> bool:
    return formatting.status_is_final(bill)


@register.filter
def language_name(code) -> str:
    return formatting.language_name(code)


@register.filter
def in_language(code) -> str:
    return formatting.in_language(code)


@register.filter
def public(obj):
    """A reference as the reader may see it: the record when public, else None."""
    return shown(obj)


@register.filter
def label(code, kind: str) -> str:
    """`{{ link.stance|label:"stance" }}`: the reader's word for a coded value."""
    return vocabulary.label(code, kind)


@register.inclusion_tag("site_pages/_sources.html")
def sources(record, label: str = ""):
    """The "source" disclosure of a fact: its citations (publisher, date, link, archive, access
    date, excerpt) and the sources that contradict it."""
    return {"evidence": getattr(record, "evidence", None), "label": label}


@register.filter
def headline(text: str) -> str:
    """A search headline with PostgreSQL's <b> match markers as <mark>, everything else escaped
    (the text is the record's own and may contain markup)."""
    escaped = str(escape(text or ""))
    return mark_safe(escaped.replace("&lt;b&gt;", "<mark>").replace("&lt;/b&gt;", "</mark>"))
