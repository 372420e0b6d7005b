"""Popolo 1.0.1 objects (http://www.popoloproject.com/) from the API's detail representations.

Pure functions: each takes the JSON dict the API gives for one record (what an anonymous
caller sees, so hidden references are already `null`) and returns a Popolo object. No database,
no request.

- **Ids** are strings built from database ids, so they survive renames: `person/4`,
  `organization/2`, `membership/1`, `event/3`, `speech/21`. A post has no row of its own: it is
  derived from a membership's (organization, role), `post/2/chairman-of-the-mazhilis`, and
  several memberships may hold the same post (`posts()` collects them once). A reference the
  record gives as `null` (hidden or unknown) stays `null`. Our slug is kept as an identifier of
  scheme `policytracker`, the API address as a link.
- **Dates** are written to the precision the sources give, never as a false exact day:
  `2016-11-22`, `2016-11` (month), `2016` (year), `null` (unknown).
- **Speeches**: Popolo's `date` is a `date-time`, and we never know the time of day, so `date`
  is always `null` and the day (to its precision) is in the extension property `said_on`.
  `type` maps our `form`: direct_quote → `speech`, paraphrase → `narrative` (a third-person
  account), reported_figure → `summary`; `form` itself is kept too. Popolo lets only a person
  create a speech: an organization's statement has `creator_id: null` and
  `speaker_organization_id`.
- **Citations** become Popolo `sources` (Links): the source's URL and a one-line note
  (publisher, date, relation; a contradicting citation says what it claims), plus extension
  properties with the structured facts (`title`, `publisher`, `published_on`, `source_kind`,
  `excerpt`, `excerpt_kind`, `locator`, `field`, `relation`, `claimed_value`,
  `resolution_note`). Popolo's schemas do not forbid extra properties; every extension name
  is listed in the function that writes it.
- Blank text (`""` in the API) is written as `null`.
- **Motions, vote events, votes and counts** do not apply: we record no votes.
"""

from collections.abc import Iterable
from urllib.parse import quote

from django.utils.text import slugify

POPOLO_KINDS = ("persons", "organizations", "memberships", "posts", "events", "speeches")

ID_SCHEME = "policytracker"
API_LINK_NOTE = "policytracker API"

# PersonNameKind labels (bills.models), copied so this module imports without Django set up;
# tests/test_popolo.py checks that every kind has one.
NAME_KIND_NOTES = {
    "alternate": "Alternate name",
    "transliteration": "Other transliteration",
    "native": "Name in native script",
    "conflicting": "Conflicting name reported by a source",
}

SPEECH_TYPES = {"direct_quote": "speech", "paraphrase": "narrative", "reported_figure": "summary"}

# Characters a URI may hold as they are (RFC 3986 reserved and unreserved, and "%").
_URI_SAFE = "!#$&'()*+,/:;=?@[]~%"


def person(record: dict) -> dict:
    """A Popolo Person from a `/people/<slug>/` record."""
    links = _links(record)
    if record.get("feed_url"):
        links.append({"url": _uri(record["feed_url"]), "note": "Atom feed of statements"})
    return {
        "id": _ref("person", record),
        "name": record["name"],
        "given_name": _text(record.get("given_name")),
        "family_name": _text(record.get("family_name")),
        "summary": _text(record.get("summary")),
        "other_names": [_person_other_name(name) for name in record.get("other_names", [])],
        "identifiers": _identifiers(record),
        "links": links,
        "sources": _sources(record),
        **_timestamps(record),
    }


def organization(record: dict) -> dict:
    """A Popolo Organization from an `/organizations/<slug>/` record; the abbreviation is an
    other name with the note `abbreviation`."""
    other_names = [{"name": name} for name in record.get("other_names", [])]
    if record.get("abbreviation"):
        other_names.insert(0, {"name": record["abbreviation"], "note": "abbreviation"})
    return {
        "id": _ref("organization", record),
        "name": record["name"],
        "classification": _text(record.get("classification")),
        "parent_id": _ref("organization", record.get("parent")),
        "other_names": other_names,
        "description": _text(record.get("description")),
        "identifiers": _identifiers(record),
        "links": _links(record),
        "sources": _sources(record),
        **_timestamps(record),
    }


def membership(record: dict) -> dict:
    """A Popolo Membership from a `/memberships/<id>/` record."""
    return {
        "id": _ref("membership", record),
        "label": _post_label(record),
        "role": _text(record.get("role")),
        "person_id": _ref("person", record.get("person")),
        "organization_id": _ref("organization", record.get("organization")),
        "post_id": post_id(record),
        "start_date": partial_date(record, "start"),
        "end_date": partial_date(record, "end"),
        "links": _links(record),
        "sources": _sources(record),
        **_timestamps(record),
    }


def post_id(membership_record: dict) -> str | None:
    """The id of the post a membership holds: `post/<organization id>/<slugified role>`."""
    organization_ref = membership_record.get("organization")
    role_slug = slugify(membership_record.get("role") or "", allow_unicode=True)
    if not organization_ref or not role_slug:
        return None
    return f"post/{organization_ref['id']}/{role_slug}"


def post_for(membership_record: dict) -> dict | None:
    """The Popolo Post a membership holds, or None without an organization or a role."""
    identifier = post_id(membership_record)
    if identifier is None:
        return None
    return {
        "id": identifier,
        "label": _post_label(membership_record),
        "role": membership_record["role"],
        "organization_id": _ref("organization", membership_record["organization"]),
    }


def posts(membership_records: Iterable[dict]) -> list[dict]:
    """Every post the memberships hold, once each, in id order."""
    found = {}
    for record in membership_records:
        post = post_for(record)
        if post is not None:
            found.setdefault(post["id"], post)
    return [found[key] for key in sorted(found)]


def event(record: dict) -> dict:
    """A Popolo Event from an `/events/<slug>/` record (`kind` is its classification, the
    organizer its `organization_id`)."""
    return {
        "id": _ref("event", record),
        "name": record["name"],
        "description": _text(record.get("description")),
        "classification": _text(record.get("kind")),
        "start_date": partial_date(record, "starts"),
        "location": _text(record.get("place")),
        "organization_id": _ref("organization", record.get("organizer")),
        "identifiers": _identifiers(record),
        "links": _links(record),
        "sources": _sources(record),
        **_timestamps(record),
    }


def speech(record: dict) -> dict:
    """A Popolo Speech from a `/statements/<slug>/` record.

    Extension properties: `said_on` (the date to its precision; `date` stays null),
    `form`, `language`, `topics` (slugs), `bills` (`[{"bill": API url, "stance": ...,
    "sources": the excerpts showing the stance}]`); `position` is the order spoken at its event,
    `speaker_organization_id`, `speaker_organization_at_time_id` (the organization of the
    speaker's post), `on_behalf_of_id`."""
    return {
        "id": _ref("speech", record),
        "creator_id": _ref("person", record.get("speaker_person")),
        "role": _text(record.get("speaker_role")),
        "attribution_text": _text(record.get("attribution")),
        "text": record["text"],
        "date": None,
        "said_on": partial_date(record, "said"),
        "type": SPEECH_TYPES.get(record.get("form"), "other"),
        "form": record.get("form"),
        "event_id": _ref("event", record.get("event")),
        "language": _text(record.get("language")),
        "topics": list(record.get("topics", [])),
        "position": record.get("sequence"),
        "bills": [
            {"bill": _uri(link["bill"]["url"]), "stance": link["stance"], "sources": _sources(link)}
            for link in record.get("bills", [])
        ],
        "speaker_organization_id": _ref("organization", record.get("speaker_organization")),
        "speaker_organization_at_time_id": _ref(
            "organization", record.get("speaker_organization_at_time")
        ),
        "on_behalf_of_id": _ref("organization", record.get("on_behalf_of")),
        "identifiers": _identifiers(record),
        "links": _links(record),
        "sources": _sources(record),
        **_timestamps(record),
    }


def partial_date(record: dict, stem: str) -> str | None:
    """`<stem>_on` written to its `<stem>_precision`: `2016-11-01` with `month` → `2016-11`."""
    value, precision = record.get(f"{stem}_on"), record.get(f"{stem}_precision")
    if not value:
        return None
    return {"day": value[:10], "month": value[:7], "year": value[:4]}.get(precision)


def source_link(citation: dict) -> dict:
    """A Popolo Link for one citation, with its facts as extension properties."""
    source = citation["source"]
    published_on = partial_date(source, "published")
    return {
        "url": _uri(source["url"]),
        "note": _citation_note(citation, published_on),
        "title": _text(source.get("title")),
        "publisher": _text(source.get("publisher")),
        "published_on": published_on,
        "source_kind": _text(source.get("kind")),
        "excerpt": _text(citation.get("excerpt")),
        "excerpt_kind": _text(citation.get("excerpt_kind")),
        "locator": _text(citation.get("locator")),
        "field": _text(citation.get("field")),
        "relation": citation.get("relation"),
        "claimed_value": _text(citation.get("claimed_value")),
        "resolution_note": _text(citation.get("resolution_note")),
    }


def _citation_note(citation: dict, published_on: str | None) -> str:
    source = citation["source"]
    origin = f"{source.get('publisher') or source.get('title') or 'source'}, "
    origin += published_on or "date unknown"
    claim = citation.get("field") or "the record"
    if citation.get("relation") == "contradicts":
        return f'{origin}: contradicts {claim}, claiming "{citation.get("claimed_value") or ""}"'
    return f"{origin}: supports {claim}"


def _person_other_name(name: dict) -> dict:
    note = NAME_KIND_NOTES.get(name.get("kind"), name.get("kind"))
    if name.get("note"):
        note = f"{note}: {name['note']}" if note else name["note"]
    return {
        "name": name["name"],
        "note": note,
        "kind": name.get("kind"),
        "language": _text(name.get("language")),
        "sources": _sources(name),
    }


def _post_label(record: dict) -> str | None:
    role, organization_ref = _text(record.get("role")), record.get("organization")
    if not role or not organization_ref or organization_ref["name"] in role:
        return role
    return f"{role}, {organization_ref['name']}"


def _ref(kind: str, record: dict | None) -> str | None:
    return None if record is None else f"{kind}/{record['id']}"


def _identifiers(record: dict) -> list[dict]:
    if not record.get("slug"):
        return []
    return [{"scheme": ID_SCHEME, "identifier": record["slug"]}]


def _links(record: dict) -> list[dict]:
    return [{"url": _uri(record["url"]), "note": API_LINK_NOTE}] if record.get("url") else []


def _sources(record: dict) -> list[dict]:
    return [source_link(citation) for citation in record.get("sources", [])]


def _timestamps(record: dict) -> dict:
    return {"created_at": record.get("created_at"), "updated_at": record.get("updated_at")}


def _text(value: str | None) -> str | None:
    return value or None


def _uri(url: str) -> str:
    # Percent-encodes what a URI may not hold as is (an IRI's non-ASCII letters, spaces);
    # an address that is already a URI comes back unchanged.
    return quote(url, safe=_URI_SAFE)
