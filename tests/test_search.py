"""Search at scale: people and organizations by name, plural acronyms, the GIN indexes the
planner picks, and search lists that cost what plain lists cost."""

import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bills import services
from bills.api import lean
from bills.models import Bill, Organization, Person, PersonName, Statement
from policytracker.prepared import deallocate_all
from tests.bills.factories import (
    BillFactory,
    OrganizationFactory,
    PersonFactory,
    StatementFactory,
)
from tests.sources.factories import CitationFactory

pytestmark = pytest.mark.django_db


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def hits(response) -> list[tuple[str, str]]:
    assert response.status_code == 200, response.content
    return [(hit["type"], hit["slug"]) for hit in response.json()["results"]]


@pytest.fixture
def people():
    nurgali = PersonFactory(
        slug="nurgali", name="Nurgali Ashim", given_name="Nurgali", family_name="Ashim"
    )
    nurgali.other_names.create(name="Нұрғали Әшім", kind="native", language="kk")
    # Found by another name only: ranked below the person named so.
    alias = PersonFactory(slug="alias", name="Erlan Karin", given_name="Erlan", family_name="Karin")
    alias.other_names.create(name="Nurgali Karin (misspelt)", kind="conflicting")
    russian = PersonFactory(slug="russian", name="Maulen Ashimbayev")
    russian.other_names.create(name="Маулен Ашимбаев", kind="native", language="ru")
    PersonFactory(slug="other", name="Dana Zhumabekova")
    draft = PersonFactory(slug="draft", name="Nurgali Secretov", is_published=False)
    draft.other_names.create(name="Zqxhidden Alias")


class TestPeopleByName:
    def test_name_given_and_family_names_match(self, client, people):
        assert slugs(client.get("/api/v1/people/?q=Nurgali")) == ["nurgali", "alias"]
        assert slugs(client.get("/api/v1/people/?q=Ashim")) == ["nurgali"]
        assert slugs(client.get("/api/v1/people/?q=Zhumabekova")) == ["other"]

    def test_other_names_match_in_either_script(self, client, people):
        assert slugs(client.get("/api/v1/people/?q=Нұрғали")) == ["nurgali"]
        assert slugs(client.get("/api/v1/people/?q=Ашимбаев")) == ["russian"]
        assert slugs(client.get("/api/v1/people/?q=маулен ашимбаев")) == ["russian"]

    def test_own_name_ranks_above_another_name(self, client, people):
        rows = client.get("/api/v1/people/?q=Nurgali").json()["results"]
        assert [row["slug"] for row in rows] == ["nurgali", "alias"]
        by_rank = client.get("/api/v1/people/?q=Nurgali&ordering=-search_rank").json()
        assert [row["slug"] for row in by_rank["results"]] == ["nurgali", "alias"]

    def test_ordering_overrides_rank_and_rank_needs_a_query(self, client, people):
        assert slugs(client.get("/api/v1/people/?q=Nurgali&ordering=slug")) == [
            "alias",
            "nurgali",
        ]
        assert client.get("/api/v1/people/?ordering=search_rank").status_code == 400

    def test_a_draft_is_never_found_by_the_public(self, client, people):
        assert "draft" not in slugs(client.get("/api/v1/people/?q=Nurgali"))
        assert slugs(client.get("/api/v1/people/?q=Secretov")) == []
        assert slugs(client.get("/api/v1/people/?q=Zqxhidden")) == []
        assert ("person", "draft") not in hits(client.get("/api/v1/search/?q=Nurgali"))
        assert hits(client.get("/api/v1/search/?q=Secretov OR Zqxhidden")) == []

    def test_curators_find_drafts(self, curator_client, people):
        assert "draft" in slugs(curator_client.get("/api/v1/people/?q=Nurgali"))
        assert slugs(curator_client.get("/api/v1/people/?q=Zqxhidden")) == ["draft"]
        assert hits(curator_client.get("/api/v1/search/?q=Zqxhidden")) == [("person", "draft")]

    def test_search_follows_writes_through_the_services(self, client, people):
        person = Person.objects.get(slug="other")
        services.person_update(person=person, values={"name": "Dana Nurgalieva"})
        assert "other" in slugs(client.get("/api/v1/people/?q=Nurgalieva"))
        services.person_name_create(values={"person": person, "name": "Zqxrenamed"})
        assert slugs(client.get("/api/v1/people/?q=Zqxrenamed")) == ["other"]
        services.person_name_delete(person_name=PersonName.objects.get(name="Zqxrenamed"))
        assert slugs(client.get("/api/v1/people/?q=Zqxrenamed")) == []


class TestOrganizationsByName:
    def test_name_and_abbreviation_match_drafts_hidden(self, client, curator_client):
        OrganizationFactory(slug="knb", name="National Security Committee", abbreviation="KNB")
        OrganizationFactory(slug="hidden", name="Secret Security Bureau", is_published=False)
        assert slugs(client.get("/api/v1/organizations/?q=KNB")) == ["knb"]
        assert slugs(client.get("/api/v1/organizations/?q=security")) == ["knb"]
        found = slugs(curator_client.get("/api/v1/organizations/?q=security"))
        assert sorted(found) == ["hidden", "knb"]


class TestSearchEverywhere:
    def test_people_and_organizations_are_hits_with_a_headline_and_address(self, client, people):
        OrganizationFactory(slug="ashim-fund", name="Ashim Fund", abbreviation="AF")
        BillFactory(slug="ashim-bill", short_title="Ashim law", title="On Ashim", summary="")
        body = client.get("/api/v1/search/?q=Ashim").json()
        found = {(hit["type"], hit["slug"]): hit for hit in body["results"]}
        assert set(found) == {
            ("person", "nurgali"),
            ("organization", "ashim-fund"),
            ("bill", "ashim-bill"),
        }
        person = found[("person", "nurgali")]
        assert person["title"] == "Nurgali Ashim"
        assert person["headline"] == "Nurgali <b>Ashim</b> (Нұрғали Әшім)"
        assert person["url"] == "http://testserver/api/v1/people/nurgali/"
        organization = found[("organization", "ashim-fund")]
        assert organization["headline"] == "<b>Ashim</b> Fund (AF)"
        assert organization["url"] == "http://testserver/api/v1/organizations/ashim-fund/"
        ranks = [hit["rank"] for hit in body["results"]]
        assert ranks == sorted(ranks, reverse=True)

    def test_a_person_found_by_another_name_shows_it(self, client, people):
        (hit,) = client.get("/api/v1/search/?q=misspelt").json()["results"]
        assert hit["slug"] == "alias"
        assert hit["headline"] == "Erlan Karin (Nurgali Karin (<b>misspelt</b>))"


class TestPluralAcronyms:
    """The English stemmer keeps `ngos` apart from `ngo`; the query folds the two together."""

    @pytest.fixture
    def texts(self):
        StatementFactory(slug="singular", text="An NGO registered the complaint.")
        StatementFactory(slug="plural", text="Several NGOs criticised the draft.")
        StatementFactory(slug="neither", text="Nothing to see.")
        BillFactory(slug="ngo-bill", title="On non-commercial organizations (NGO)", summary="")
        BillFactory(slug="mps-bill", title="On the status of MPs", summary="")

    @pytest.mark.parametrize("query", ["NGO", "NGOs", "ngos", "NGO's"])
    def test_singular_and_plural_find_each_other(self, client, texts, query):
        assert sorted(slugs(client.get(f"/api/v1/statements/?q={query}"))) == [
            "plural",
            "singular",
        ]
        assert slugs(client.get(f"/api/v1/bills/?q={query}")) == ["ngo-bill"]

    def test_vowelless_acronyms_and_phrases(self, client, texts):
        assert slugs(client.get("/api/v1/bills/?q=MP")) == ["mps-bill"]
        assert slugs(client.get('/api/v1/statements/?q="several NGO"')) == ["plural"]
        assert slugs(client.get("/api/v1/statements/?q=NGO -complaint")) == ["plural"]

    def test_search_everywhere_folds_plurals_too(self, client, texts):
        found = hits(client.get("/api/v1/search/?q=NGOs"))
        assert sorted(found) == [
            ("bill", "ngo-bill"),
            ("statement", "plural"),
            ("statement", "singular"),
        ]

    def test_ordinary_english_stemming_is_unchanged(self, client, texts):
        assert slugs(client.get("/api/v1/statements/?q=registering")) == ["singular"]
        assert slugs(client.get("/api/v1/statements/?q=the")) == []  # stop words only


# -- the planner uses the GIN indexes -----------------------------------------------------------

ROWS = 4000
SEARCH_INDEXES = [
    "bill_search_idx",
    "statement_search_idx",
    "person_search_idx",
    "person_name_search_idx",
    "organization_search_idx",
]


def vocabulary(size: int = 1500) -> list[str]:
    """Made-up words, so the table statistics know many words of middling frequency, as a
    real corpus's do (with a handful of words the planner cannot tell a rare one apart)."""
    syllables = ["ka", "ro", "mi", "tes", "nu", "lar", "bek", "sa", "to", "zhan", "ul", "den"]
    words = []
    for first in syllables:
        for second in syllables:
            for third in syllables:
                words.append(f"{first}{second}{third}")
    return sorted(set(words))[:size]


@pytest.fixture
def many_rows():
    """A few thousand rows of each searched kind (direct inserts: a test fixture, not a write
    the API makes), one of each carrying a rare word, then fresh planner statistics."""
    words = vocabulary()
    pick = random.Random("search-plans")

    def sentence(count: int, n: int) -> str:
        rare = ["zqxrare"] if n == ROWS // 2 else []
        return " ".join(pick.choices(words, k=count) + rare)

    bills, statements, persons, organizations = [], [], [], []
    for n in range(ROWS):
        bills.append(
            Bill(
                slug=f"gen-bill-{n}",
                title=f"On {sentence(8, n)}",
                short_title=sentence(3, -1),
                summary=sentence(30, -1),
                is_published=True,
            )
        )
        statements.append(
            Statement(
                slug=f"gen-statement-{n}",
                attribution=sentence(2, -1).title(),
                text=sentence(40, n),
                form="paraphrase",
                is_published=True,
            )
        )
        persons.append(
            Person(slug=f"gen-person-{n}", name=sentence(2, n).title(), is_published=True)
        )
        organizations.append(
            Organization(
                slug=f"gen-organization-{n}",
                name=sentence(3, n).title(),
                classification="agency",
                is_published=True,
            )
        )
    Bill.objects.bulk_create(bills)
    Statement.objects.bulk_create(statements)
    persons = Person.objects.bulk_create(persons)
    Organization.objects.bulk_create(organizations)
    PersonName.objects.bulk_create(
        PersonName(person=person, name=sentence(2, n).title()) for n, person in enumerate(persons)
    )
    with connection.cursor() as cursor:
        for model in (Bill, Statement, Person, PersonName, Organization):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
        # New rows wait in a GIN index's pending list until (auto)vacuum merges them; merge
        # now, as a table that has been live for a while would be.
        for index in SEARCH_INDEXES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])


def search_sql(client, url: str) -> list[str]:
    """The SQL statements a request runs that apply a full-text match. A page read through a
    prepared statement (policytracker/prepared.py) is given as its EXECUTE, after enough runs
    that PostgreSQL may have switched to its generic plan: that plan must use the index too."""
    deallocate_all(connection)  # prepared anew, so the SQL text is seen
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.json()["results"], url
    statements = [query["sql"] for query in context.captured_queries if "@@" in query["sql"]]
    if any(sql.startswith("PREPARE ") for sql in statements):
        for _ in range(6):
            client.get(url)
    return [sql.split("; ", 1)[1] if sql.startswith("PREPARE ") else sql for sql in statements]


def plan(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def test_selective_searches_are_bitmap_scans_of_the_gin_indexes(client, many_rows):
    """One data set for every endpoint (building it is the slow part)."""
    cases = [
        ("/api/v1/bills/?q=zqxrare", ["bill_search_idx"]),
        ("/api/v1/statements/?q=zqxrare", ["statement_search_idx"]),
        ("/api/v1/people/?q=zqxrare", ["person_search_idx", "person_name_search_idx"]),
        ("/api/v1/organizations/?q=zqxrare", ["organization_search_idx"]),
    ]
    for url, indexes in cases:
        sql = search_sql(client, url)[0]  # the ranking (bills and statements then read by id)
        explained = plan(sql)
        for index in indexes:
            assert f"Bitmap Index Scan on {index}" in explained, f"{url}\n{explained}"
    explained = "\n".join(plan(sql) for sql in search_sql(client, "/api/v1/search/?q=zqxrare"))
    for index in SEARCH_INDEXES:
        assert f"Bitmap Index Scan on {index}" in explained, explained


# -- a search list costs what the plain list costs ---------------------------------------------


def captured(client, url: str) -> tuple[list[str], int]:
    ContentType.objects.clear_cache()
    lean.clear_compiled_documents()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return [query["sql"] for query in context.captured_queries], len(response.json()["results"])


@pytest.fixture
def searchable_records():
    for n in range(12):
        person = PersonFactory(name=f"Nurgali Security {n}")
        person.other_names.create(name=f"Нургали {n}")
        CitationFactory(record=person)
        statement = StatementFactory(
            speaker_person=person, text="Security services must be accountable."
        )
        CitationFactory(record=statement)
        BillFactory(title=f"On national security {n}")


# (search, plain, queries a search adds): bills and statements rank the page first, then read
# the page's documents by id (policytracker/viewsets.py, LeanListMixin._ranked_list).
@pytest.mark.parametrize(
    ("search", "plain", "added"),
    [
        ("/api/v1/statements/?q=security", "/api/v1/statements/", 1),
        ("/api/v1/bills/?q=security", "/api/v1/bills/", 1),
        ("/api/v1/people/?q=Nurgali", "/api/v1/people/", 0),
        ("/api/v1/organizations/?q=security", "/api/v1/organizations/", 0),
    ],
)
def test_search_lists_rank_from_the_stored_vector_in_flat_queries(
    client, searchable_records, search, plain, added
):
    OrganizationFactory.create_batch(12, name="Security Council")
    few, few_rows = captured(client, f"{search}&page_size=2")
    many, many_rows = captured(client, f"{search}&page_size=100")
    assert (few_rows, many_rows) == (2, 12)
    plain_queries = len(captured(client, f"{plain}?page_size=100")[0])
    assert len(few) == len(many) == plain_queries + added
    # Matching and ranking read the stored vectors: nothing is parsed per row at query time.
    assert not [sql for sql in many if "to_tsvector" in sql]
    assert [sql for sql in many if "@@" in sql]
