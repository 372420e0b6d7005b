"""The benchmark's floor: a bare WSGI app serving the benchmarked URLs from the same rows.

    gunicorn bench_floor:application --chdir scripts --workers 3   (DATABASE_URL in the env)

What the hardware can do for these answers with no framework: psycopg2, one SQL query per
related table (the rows the project's selectors fetch, with the same visibility conditions:
published records, references to unpublished ones served as null, citations only with a
published source), plain dicts with the serializers' field names, references built by string
formatting, orjson. No middleware, no ETag, no cursor encoding (only first pages are served),
no input validation beyond what the benchmark sends. Every answer carries `X-Queries`, the
number of SQL statements it ran. Used only by scripts/bench.py; not part of the application.
"""

import os
from urllib.parse import parse_qs

import orjson
import psycopg2

from bills.procedure import BillStatus, procedure_for

_connection = None
_content_types: dict[str, int] = {}
LABELS = dict(BillStatus.choices)
EXPLANATIONS = {code: info.explanation for code, info in procedure_for("kz-2013").statuses.items()}
SOURCE = "s.id, s.url, s.title, s.publisher, s.published_on, s.published_precision, s.kind"
ORG = "{a}.id, {a}.slug, {a}.name, {a}.abbreviation, {a}.classification, {a}.is_published"
BILL_FIELDS = (
    "b.id, b.slug, b.title, b.title_status, b.title_ru, b.title_kk, b.short_title, b.summary, "
    "b.status, b.status_changed_on, b.procedure, pk.slug, pk.is_published, "
    + ORG.format(a="o")
    + ", b.initiator_kind, b.introduced_on, b.introduced_precision, b.law_number, b.signed_on, "
    "b.signed_precision, b.in_force_on, b.in_force_precision, b.in_force_rule, b.created_at, "
    "b.updated_at"
)
BILL_FROM = (
    "bills_bill b LEFT JOIN bills_billpackage pk ON pk.id = b.package_id "
    "LEFT JOIN bills_organization o ON o.id = b.originating_chamber_id WHERE b.is_published"
)


class Request:
    def __init__(self, environ):
        self.base = f"http://{environ.get('HTTP_HOST', '127.0.0.1')}"
        self.query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        self.queries = 0
        self.cursor = connection().cursor()

    def rows(self, sql: str, params=()) -> list[tuple]:
        self.queries += 1
        self.cursor.execute(sql, params)
        return self.cursor.fetchall()

    def page_size(self) -> int:
        return max(1, min(200, int(self.query.get("page_size", 50))))


def connection():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(os.environ["DATABASE_URL"])
        _connection.autocommit = True
        with _connection.cursor() as cursor:
            cursor.execute("SELECT model, id FROM django_content_type WHERE app_label = 'bills'")
            _content_types.update(cursor.fetchall())
    return _connection


def org_ref(base, row, offset):
    """(id, slug, name, abbreviation, classification, is_published) at `offset`, or None."""
    pk, slug, name, abbreviation, classification, published = row[offset : offset + 6]
    if pk is None or not published:
        return None
    url = f"{base}/api/v1/organizations/{slug}/"
    return {"id": pk, "slug": slug, "url": url, "name": name, "abbreviation": abbreviation,
            "classification": classification}  # fmt: skip


def person_ref(base, pk, slug, name, published):
    if pk is None or not published:
        return None
    return {"id": pk, "slug": slug, "url": f"{base}/api/v1/people/{slug}/", "name": name}


def citations(request: Request, model: str, ids: list[int]) -> dict[int, list]:
    """The citations (with their published source) of records of `model`, by record id."""
    found: dict[int, list] = {pk: [] for pk in ids}
    sql = (
        f"SELECT c.object_id, {SOURCE}, c.excerpt, c.excerpt_kind, c.locator, c.field_name, "
        "c.relation, c.claimed_value, c.resolution_note FROM sources_citation c "
        "JOIN sources_source s ON s.id = c.source_id WHERE s.is_published "
        "AND c.content_type_id = %s AND c.object_id = ANY(%s) ORDER BY c.id"
    )
    for row in request.rows(sql, (_content_types[model], ids)):
        source = dict(zip(("id", "url", "title", "publisher", "published_on",
                           "published_precision", "kind"), row[1:8], strict=True))  # fmt: skip
        found[row[0]].append({"source": source, "excerpt": row[8], "excerpt_kind": row[9],
                              "locator": row[10], "field": row[11], "relation": row[12],
                              "claimed_value": row[13], "resolution_note": row[14]})  # fmt: skip
    return found


def by_key(rows, key=0) -> dict:
    grouped: dict = {}
    for row in rows:
        grouped.setdefault(row[key], []).append(row)
    return grouped


def bills(request: Request, rows: list[tuple]) -> list[dict]:
    base, ids = request.base, [row[0] for row in rows]
    include = set(request.query.get("include", "").split(","))
    topics = by_key(request.rows(
        "SELECT bt.bill_id, t.slug FROM bills_bill_topics bt JOIN bills_topic t "
        "ON t.id = bt.topic_id WHERE bt.bill_id = ANY(%s) ORDER BY t.slug", (ids,)))  # fmt: skip
    identifiers = by_key(request.rows(
        "SELECT bill_id, scheme, identifier FROM bills_billidentifier WHERE bill_id = ANY(%s) "
        "ORDER BY scheme, id", (ids,)))  # fmt: skip
    sources = citations(request, "bill", ids)
    results = []
    for r in rows:
        bill = {
            "id": r[0], "slug": r[1], "url": f"{base}/api/v1/bills/{r[1]}/",
            "feed_url": f"{base}/api/v1/feeds/bills/{r[1]}.atom", "title": r[2],
            "title_status": r[3], "title_ru": r[4], "title_kk": r[5], "short_title": r[6],
            "summary": r[7], "status": r[8], "status_label": LABELS.get(r[8]),
            "status_explanation": EXPLANATIONS.get(r[8]), "status_changed_on": r[9],
            "procedure": r[10], "topics": [t[1] for t in topics.get(r[0], ())],
            "package": r[11] if r[12] else None, "originating_chamber": org_ref(base, r, 13),
            "initiator_kind": r[19], "introduced_on": r[20], "introduced_precision": r[21],
            "law_number": r[22], "signed_on": r[23], "signed_precision": r[24],
            "in_force_on": r[25], "in_force_precision": r[26], "in_force_rule": r[27],
            "identifiers": [{"scheme": i[1], "identifier": i[2]}
                            for i in identifiers.get(r[0], ())],
            "sources": sources[r[0]],
        }  # fmt: skip
        results.append(bill)
    slugs = {bill["id"]: bill["slug"] for bill in results}
    if "sponsors" in include:
        sponsors = sponsorships(request, ids, slugs)
        for bill in results:
            bill["sponsors"] = sponsors.get(bill["id"], [])
    if "actions" in include:
        history = actions(request, ids, slugs)
        for bill in results:
            bill["actions"] = history.get(bill["id"], [])
    for bill, r in zip(results, rows, strict=True):
        bill["created_at"], bill["updated_at"] = r[28], r[29]
    return results


def sponsorships(request: Request, ids: list[int], slugs: dict) -> dict[int, list]:
    base = request.base
    rows = request.rows(
        "SELECT sp.id, sp.bill_id, sp.role, p.id, p.slug, p.name, p.is_published, "
        + ORG.format(a="o") + ", " + ORG.format(a="c") + ", sp.capacity, sp.started_on, "
        "sp.started_precision, sp.ended_on, sp.ended_precision, sp.created_at, sp.updated_at "
        "FROM bills_sponsorship sp LEFT JOIN bills_person p ON p.id = sp.person_id "
        "LEFT JOIN bills_organization o ON o.id = sp.organization_id "
        "LEFT JOIN bills_organization c ON c.id = sp.chamber_id "
        "WHERE sp.bill_id = ANY(%s) AND sp.is_published AND (p.id IS NULL OR p.is_published) "
        "AND (o.id IS NULL OR o.is_published) ORDER BY sp.bill_id, sp.role, sp.id", (ids,)
    )  # fmt: skip
    sources = citations(request, "sponsorship", [row[0] for row in rows])
    found: dict[int, list] = {}
    for r in rows:
        found.setdefault(r[1], []).append({
            "id": r[0], "url": f"{base}/api/v1/sponsorships/{r[0]}/", "bill": slugs[r[1]],
            "role": r[2], "person": person_ref(base, *r[3:7]), "organization": org_ref(base, r, 7),
            "chamber": org_ref(base, r, 13), "capacity": r[19], "started_on": r[20],
            "started_precision": r[21], "ended_on": r[22], "ended_precision": r[23],
            "sources": sources[r[0]], "created_at": r[24], "updated_at": r[25],
        })  # fmt: skip
    return found


def actions(request: Request, ids: list[int], slugs: dict) -> dict[int, list]:
    base = request.base
    rows = request.rows(
        'SELECT a.id, a.bill_id, a."order", a.occurred_on, a.occurred_precision, '
        + ORG.format(a="o") + ", a.classification, a.resulting_status, a.description, "
        "a.skips_unrecorded_steps, a.created_at, a.updated_at FROM bills_billaction a "
        "LEFT JOIN bills_organization o ON o.id = a.actor_id WHERE a.bill_id = ANY(%s) "
        'ORDER BY a.bill_id, a."order"', (ids,)
    )  # fmt: skip
    sources = citations(request, "billaction", [row[0] for row in rows])
    found: dict[int, list] = {}
    for r in rows:
        found.setdefault(r[1], []).append({
            "id": r[0], "url": f"{base}/api/v1/bill-actions/{r[0]}/", "bill": slugs[r[1]],
            "order": r[2], "occurred_on": r[3], "occurred_precision": r[4],
            "actor": org_ref(base, r, 5), "classification": r[11], "resulting_status": r[12],
            "description": r[13], "skips_unrecorded_steps": r[14], "sources": sources[r[0]],
            "created_at": r[15], "updated_at": r[16],
        })  # fmt: skip
    return found


STATEMENT_FIELDS = (
    "st.id, st.slug, p.id, p.slug, p.name, p.is_published, " + ORG.format(a="so")
    + ", st.attribution, st.speaker_role, m.is_published AND mp.is_published, "
    + ORG.format(a="mo") + ", " + ORG.format(a="bo") + ", st.said_on, st.said_precision, "
    "e.id, e.slug, e.name, e.starts_on, e.is_published, st.text, st.form, st.language, "
    "st.created_at, st.updated_at"
)  # fmt: skip
STATEMENT_JOINS = (
    "LEFT JOIN bills_person p ON p.id = st.speaker_person_id "
    "LEFT JOIN bills_organization so ON so.id = st.speaker_organization_id "
    "LEFT JOIN bills_membership m ON m.id = st.speaker_membership_id "
    "LEFT JOIN bills_person mp ON mp.id = m.person_id "
    "LEFT JOIN bills_organization mo ON mo.id = m.organization_id "
    "LEFT JOIN bills_organization bo ON bo.id = st.on_behalf_of_id "
    "LEFT JOIN bills_event e ON e.id = st.event_id"
)
SEARCH = (
    "(websearch_to_tsquery('english'::regconfig, %s) || "
    "websearch_to_tsquery('russian'::regconfig, %s))"
)


def statements(request: Request) -> list[dict]:
    base, size, text = request.base, request.page_size(), request.query.get("q")
    # The page is chosen on the statements alone, then joined to its references.
    if text:
        page_sql = (
            f"SELECT id, (ts_rank(search_vector, {SEARCH}) * 1000000)::int AS rank "
            f"FROM bills_statement WHERE is_published AND search_vector @@ {SEARCH} "
            "ORDER BY rank DESC, id DESC LIMIT %s"
        )
        params, order = (text, text, text, text, size), "page.rank DESC, page.id DESC"
    else:
        page_sql = (
            "SELECT id, slug FROM bills_statement WHERE is_published ORDER BY slug, id LIMIT %s"
        )
        params, order = (size,), "page.slug, page.id"
    sql = (
        f"WITH page AS ({page_sql}) SELECT {STATEMENT_FIELDS} FROM page "
        f"JOIN bills_statement st ON st.id = page.id {STATEMENT_JOINS} ORDER BY {order}"
    )
    rows = request.rows(sql, params)
    ids = [row[0] for row in rows]
    topics = by_key(request.rows(
        "SELECT st.statement_id, t.slug FROM bills_statement_topics st JOIN bills_topic t "
        "ON t.id = st.topic_id WHERE st.statement_id = ANY(%s) ORDER BY t.slug", (ids,),
    ))  # fmt: skip
    stances = by_key(request.rows(
        "SELECT sb.statement_id, b.id, b.slug, b.short_title, b.status, sb.stance "
        "FROM bills_statementbill sb JOIN bills_bill b ON b.id = sb.bill_id "
        "WHERE sb.statement_id = ANY(%s) AND b.is_published ORDER BY b.slug", (ids,)))  # fmt: skip
    sources = citations(request, "statement", ids)
    results = []
    for r in rows:
        event = None
        if r[29] is not None and r[33]:
            event = {"id": r[29], "slug": r[30], "url": f"{base}/api/v1/events/{r[30]}/",
                     "name": r[31], "starts_on": r[32]}  # fmt: skip
        results.append({
            "id": r[0], "slug": r[1], "url": f"{base}/api/v1/statements/{r[1]}/",
            "speaker_person": person_ref(base, *r[2:6]),
            "speaker_organization": org_ref(base, r, 6), "attribution": r[12],
            "speaker_role": r[13],
            "speaker_organization_at_time": org_ref(base, r, 15) if r[14] else None,
            "on_behalf_of": org_ref(base, r, 21), "said_on": r[27], "said_precision": r[28],
            "event": event, "text": r[34], "form": r[35], "language": r[36],
            "topics": [t[1] for t in topics.get(r[0], ())],
            "bills": [{"bill": {"id": s[1], "slug": s[2], "url": f"{base}/api/v1/bills/{s[2]}/",
                                "short_title": s[3], "status": s[4]}, "stance": s[5]}
                      for s in stances.get(r[0], ())],
            "sources": sources[r[0]], "created_at": r[37], "updated_at": r[38],
        })  # fmt: skip
    return results


def page(request: Request, path: str, results: list[dict]) -> dict:
    # A cursor is not encoded: the benchmark reads first pages only.
    return {"next": f"{request.base}{path}?cursor=floor", "previous": None, "results": results}


def respond(request: Request, path: str):
    """(status, body) for the benchmarked paths."""
    if path == "/healthz":
        return "200 OK", {"status": "ok"}
    if path == "/api/v1/bills/":
        size = request.page_size()
        sql = f"SELECT {BILL_FIELDS} FROM {BILL_FROM} ORDER BY b.slug, b.id LIMIT %s"
        rows = request.rows(sql, (size + 1,))[:size]
        return "200 OK", page(request, path, bills(request, rows))
    if path == "/api/v1/statements/":
        return "200 OK", page(request, path, statements(request))
    parts = path.strip("/").split("/")
    if len(parts) == 4 and parts[:3] == ["api", "v1", "bills"]:
        rows = request.rows(f"SELECT {BILL_FIELDS} FROM {BILL_FROM} AND b.slug = %s", (parts[3],))
        if rows:
            return "200 OK", bills(request, rows)[0]
    return "404 Not Found", {"detail": "Not found."}


def application(environ, start_response):
    request = Request(environ)
    try:
        status, body = respond(request, environ.get("PATH_INFO", "/"))
    finally:
        request.cursor.close()
    data = orjson.dumps(body, option=orjson.OPT_UTC_Z)
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(data))),
        ("X-Queries", str(request.queries)),
    ]
    start_response(status, headers)
    return [data]
