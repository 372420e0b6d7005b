"""A lean list read in chunks: what bulk output iterates over."""

from collections.abc import Iterator

CHUNK_SIZE = 500


def lean_chunks(view, rows, *, chunk_size: int = CHUNK_SIZE) -> Iterator[list]:
    """`rows` (`view.lean_values(...)` of a filtered, ordered queryset) in lean pages of at
    most `chunk_size` items, read through one server-side cursor."""
    batch = []
    for row in rows.iterator(chunk_size=chunk_size):
        batch.append(row)
        if len(batch) == chunk_size:
            yield view.lean_page(batch)
            batch = []
    if batch:
        yield view.lean_page(batch)
