"""The benchmark data set behind `manage.py generate_data`, loaded with PostgreSQL's COPY.

The one documented exception to the write door (ARCHITECTURE.md): this is a benchmark fixture
generator, not a curation path, so it loads rows with COPY instead of calling the services
(which would take hours for 600,000 rows). It therefore writes no history rows and no
change-log events, and it only ever loads into empty tables (`curated.refuse_unless_empty`,
or `curated.truncate_curated_tables` first).

What the services would guarantee is kept by construction: every record is published, at
version 1, with `created_at`/`updated_at`; each bill has 2 sponsorships (person or organization)
and 5 actions along the transition table of its procedure, and its `status`/`status_changed_on`
are those of its last action; citations point at their record through the generic
`content_type`/`object_id` pair, a contradicting one always states its `claimed_value`; every
statement cites a source and concerns 1–3 bills. Search vectors are generated columns and fill
themselves. The same seed gives the same rows, ids and timestamps.

Modules: `run` (the order of generation), `generator` (seeded state and clock),
`reference_rows`, `bill_rows`, `statement_rows` (rows per entity), `vocabulary` (word lists),
`copy_writer` (COPY text format), `curated` (refuse, truncate, sequences, statistics).
"""

from bills.generation.curated import (
    analyze_curated_tables,
    curated_models,
    refuse_unless_empty,
    reset_sequences,
    truncate_curated_tables,
)
from bills.generation.run import generate

__all__ = [
    "analyze_curated_tables",
    "curated_models",
    "generate",
    "refuse_unless_empty",
    "reset_sequences",
    "truncate_curated_tables",
]
