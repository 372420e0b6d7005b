"""`README.md` of a snapshot: what each file is and every CSV column, from the same tables that
write the CSVs (policytracker/exports/tables/), so it cannot drift from them."""

from policytracker.exports.columns import LIST_SEPARATOR, PRECISION_NOTE
from policytracker.exports.tables import TABLES

INTRO = """# policytracker bulk data snapshot {id}

Public records of policytracker, as an anonymous reader of the API saw them at
{generated_at} (no drafts, users, tokens or curator identities). API: {base_url}/api/v1/

## Files

- `<entity>.jsonl`: JSON Lines, one record per line, ordered by `id`. Each line is the record
  exactly as its detail endpoint serves it (`url` gives that address).
- `<entity>.csv`: the same records flattened for spreadsheets (columns below). UTF-8{bom};
  RFC 4180 quoting (CRLF line ends); empty cell = null or unknown; several values in one cell
  are separated by `{separator}`. Dates: {precision}
- `popolo.json`: people, organizations, memberships, posts, events and speeches (our
  statements) in Popolo 1.0.1 JSON (http://www.popoloproject.com/), each with our citations as
  Popolo `sources`. Ids are `person/<id>`, `organization/<id>` … from the `id` columns. A
  speech's `date` is null (Popolo wants a time of day, which no source gives); its day, to its
  known precision, is in `said_on`. No votes are recorded, so no motions or vote events.
- `manifest.json`: generation time, counts per entity, size and SHA-256 of every file, schema
  version ({schema_version}) and `change_cursor`.
- `SHA256SUMS`: checksums of every file and of the zip (`sha256sum -c SHA256SUMS`).

## Keeping a mirror up to date

This snapshot holds exactly the changes up to change `{cursor}` (read in one consistent
transaction). Load it, then follow the change feed from there:

    GET {base_url}/api/v1/changes/?after={cursor}

and apply each event by `record_type` and `record_id` (the `id` of the JSONL records);
`/api/v1/changes/` explains how.

## Counts

{counts}

## CSV columns
"""


def readme_text(manifest: dict) -> str:
    counts = "\n".join(
        f"- {entity['name']}: {entity['count']} records" for entity in manifest["entities"]
    )
    text = INTRO.format(
        id=manifest.get("id", ""),
        generated_at=manifest["generated_at"],
        base_url=manifest["base_url"],
        bom=" with a byte order mark (for Excel)" if manifest.get("csv_bom") else " (no BOM)",
        separator=LIST_SEPARATOR,
        precision=PRECISION_NOTE,
        schema_version=manifest["schema_version"],
        cursor=manifest["change_cursor"],
        counts=counts,
    )
    sections = [text]
    for entity in manifest["entities"]:
        table = TABLES[entity["name"]]
        lines = [f"\n### {entity['csv']}\n", f"One row per {table.row}.\n"]
        lines += [f"- `{column.name}`: {column.description}" for column in table.columns]
        sections.append("\n".join(lines) + "\n")
    return "".join(sections)
