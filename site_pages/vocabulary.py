"""Reader-facing words for the models' coded values, translated for the site. The models keep
their English labels for the API and the admin; the site words them here, by code, and falls
back to the model's own label for a code added later."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LABELS = {
    "stance": {
        "support": pgettext_lazy("stance", "supports"),
        "oppose": pgettext_lazy("stance", "opposes"),
        "neutral": pgettext_lazy("stance", "neutral"),
        "mixed": pgettext_lazy("stance", "mixed"),
        "unclear": pgettext_lazy("stance", "stance unclear"),
    },
    "form": {
        "direct_quote": _("Direct quote"),
        "paraphrase": _("Paraphrase by the source"),
        "reported_figure": _("Reported figure or fact"),
    },
    "role": {
        "initiator": _("Initiator"),
        "drafter": _("Drafter / lead agency"),
        "presenter": _("Presented the bill"),
        "cosponsor": _("Co-sponsor"),
    },
    "event_kind": {
        "roundtable": _("Roundtable"),
        "hearing": _("Hearing"),
        "plenary_sitting": _("Plenary sitting"),
        "committee_meeting": _("Committee meeting"),
        "press_conference": _("Press conference"),
        "address": _("Address or speech"),
        "interview": _("Interview"),
        "incident": _("Incident"),
        "other": _("Other event"),
    },
    "excerpt_kind": {
        "quote": _("quote from the source"),
        "paraphrase": _("paraphrase of the source"),
    },
    "search_kind": {
        "bill": _("Bill"),
        "statement": _("Statement"),
        "person": _("Person"),
        "organization": _("Organization"),
    },
    "name_kind": {
        "alternate": _("alternate name"),
        "transliteration": _("other transliteration"),
        "native": _("name in native script"),
        "conflicting": _("conflicting name reported by a source"),
    },
}


def label(code: str | None, kind: str) -> str:
    """The reader's word for `code` of `kind` (e.g. "support" of "stance")."""
    if not code:
        return ""
    word = LABELS.get(kind, {}).get(code)
    return str(word) if word is not None else code.replace("_", " ")
