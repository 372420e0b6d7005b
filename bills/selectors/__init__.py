"""Reads for the public API: visibility, prefetching and deterministic order live here.

Every queryset here, and every prefetch inside it, starts from the one gate
(`Model.objects.visible(see_drafts=...)`, policytracker.visibility): a list embedded in a record
omits the rows the caller may not see. Single references to hidden records are nulled by the
serializers, which check the rows selected here (so each selector selects what `is_public` walks).

Every list selector returns a queryset whose related data is fetched in a fixed number of
queries, whatever the page size (`include` adds a fixed number more).

Modules: `lists` (one selector per endpoint), `prefetches` (gated related lists, also used by
the lean read path), `search` (full-text filters and ranks, the cross-kind search). Callers
import from `bills.selectors` (`from bills import selectors`), not from the modules.
"""

from bills.selectors.lists import (
    bill_action_list,
    bill_list,
    event_list,
    event_statements,
    membership_list,
    organization_list,
    person_list,
    sponsorship_list,
    statement_list,
    topic_list,
    with_order_keys,
)
from bills.selectors.prefetches import (
    actions_prefetch,
    sponsorships_prefetch,
    statement_links_prefetch,
    topics_prefetch,
)
from bills.selectors.search import (
    EITHER_FORM,
    PLURAL_LEXEME,
    RANK_SCALE,
    PluralTolerantQuery,
    search_everything,
    search_query,
    with_person_search,
    with_search,
)

__all__ = [
    "EITHER_FORM",
    "PLURAL_LEXEME",
    "RANK_SCALE",
    "PluralTolerantQuery",
    "actions_prefetch",
    "bill_action_list",
    "bill_list",
    "event_list",
    "event_statements",
    "membership_list",
    "organization_list",
    "person_list",
    "search_everything",
    "search_query",
    "sponsorship_list",
    "sponsorships_prefetch",
    "statement_links_prefetch",
    "statement_list",
    "topic_list",
    "with_order_keys",
    "topics_prefetch",
    "with_person_search",
    "with_search",
]
