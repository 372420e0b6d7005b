"""Bills and statements as JSON written by PostgreSQL (policytracker/json_sql.py), field for
field what BillSerializer and StatementSerializer give (tests/test_lean.py compares them).

Every nested list and reference is a subquery over the gated queryset of its model, so a
record the caller may not see is absent (a reference to it is null), as in the serializers.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    TextField,
    Value,
    When,
)
from django.utils import translation
from django.utils.translation import gettext

from bills import selectors
from bills.api.name_disputes import dispute_fields
from bills.fate import fate_sql
from bills.models import (
    Bill,
    BillAction,
    BillIdentifier,
    BillPackage,
    BillStatus,
    Event,
    Membership,
    Organization,
    Person,
    Sponsorship,
    Statement,
    StatementBill,
    Topic,
)
from bills.procedure import PROCEDURES
from bills.texts import languages_sql, text_sql
from policytracker.json_sql import (
    JSONRow,
    address,
    choice_text,
    json_list,
    json_ref,
    timestamp,
)
from policytracker.lean import Addresses
from sources.selectors import citations_prefetch


class Documents:
    """The JSON expressions of one request: its addresses and the caller's gate."""

    def __init__(
        self,
        addresses: Addresses,
        *,
        see_drafts: bool,
        compact: bool = False,
        language: str = settings.CONTENT_DEFAULT_LANGUAGE,
    ):
        self.addresses = addresses
        self.see_drafts = see_drafts
        self.gate = {"see_drafts": see_drafts}
        self.compact = compact  # citations=compact: a source is named by id, URL and title
        self.language = language  # of the bills' texts and the status vocabulary

    def url(self, view_name: str, value: str = "slug", lookup: str = "slug"):
        return address(self.addresses.template(view_name, lookup), value)

    # -- references and citations --------------------------------------------------------------

    def organization(self, key: str):
        document = JSONRow(
            id="id",
            slug="slug",
            url=self.url("organization-detail"),
            name="name",
            abbreviation="abbreviation",
            classification="classification",
        )
        return json_ref(Organization.objects.visible(**self.gate), key, document)

    def person(self, key: str):
        document = JSONRow(
            id="id",
            slug="slug",
            url=self.url("person-detail"),
            name="name",
            **dispute_fields("pk", **self.gate),
        )
        return json_ref(Person.objects.visible(**self.gate), key, document)

    def event(self, key: str):
        document = JSONRow(
            id="id", slug="slug", url=self.url("event-detail"), name="name", starts_on="starts_on"
        )
        return json_ref(Event.objects.visible(**self.gate), key, document)

    def citations(self, model, key: str = "pk"):
        """The citations of the outer record (of `model`), as CitationSerializer writes them."""
        content_type = ContentType.objects.get_for_model(model)
        citations = citations_prefetch(**self.gate).queryset.filter(
            content_type_id=content_type.pk, object_id=OuterRef(key)
        )
        source = self._source_ref() if self.compact else self._source()
        document = JSONRow(
            source=source,
            excerpt="excerpt",
            excerpt_kind="excerpt_kind",
            locator="locator",
            field="field_name",
            relation="relation",
            claimed_value="claimed_value",
            resolution_note="resolution_note",
        )
        return json_list(citations, document)

    @staticmethod
    def _source_ref():
        """A compact citation's source: what identifies it and what a reader sees first (the
        documented SourceSummary's required fields); the rest is in the page's map."""
        return JSONRow(id="source_id", url="source__url", title="source__title")

    @staticmethod
    def _source():
        return JSONRow(
            id="source_id",
            url="source__url",
            title="source__title",
            publisher="source__publisher",
            published_on="source__published_on",
            published_precision="source__published_precision",
            kind="source__kind",
            accessed_on="source__accessed_on",
            archived_url="source__archived_url",
            archived=ExpressionWrapper(~Q(source__archived_url=""), output_field=BooleanField()),
        )

    def topics(self, model):
        """Slugs of the outer record's visible topics, by slug."""
        through = model.topics.through
        owner = f"{model._meta.model_name}_id"
        visible = Topic.objects.visible(**self.gate).values("pk")
        links = through.objects.filter(**{owner: OuterRef("pk")}, topic_id__in=visible)
        return json_list(links.order_by("topic__slug"), F("topic__slug"))

    # -- bills ---------------------------------------------------------------------------------

    def bill(self, include: frozenset):
        package = BillPackage.objects.visible(**self.gate)
        identifiers = BillIdentifier.objects.visible(**self.gate).filter(bill_id=OuterRef("pk"))
        fields = {
            "id": "id",
            "slug": "slug",
            "url": self.url("bill-detail"),
            "feed_url": self.url("feed-bill"),
            "title": text_sql("title", self.language),
            "title_status": "title_status",
            "title_ru": "title_ru",
            "title_kk": "title_kk",
            "short_title": text_sql("short_title", self.language),
            "summary": text_sql("summary", self.language),
            "languages": JSONRow(**languages_sql(self.language)),
            "status": "status",
            "status_label": _status_label(self.language),
            "status_explanation": _status_explanation(self.language),
            "status_changed_on": "status_changed_on",
            "status_changed_precision": "status_changed_precision",
            "fate": fate_sql(),
            "last_verified_on": "last_verified_on",
            "procedure": "procedure",
            "topics": self.topics(Bill),
            "package": json_ref(package, "package_id", F("slug")),
            "originating_chamber": self.organization("originating_chamber_id"),
            "initiator_kind": "initiator_kind",
            "introduced_on": "introduced_on",
            "introduced_precision": "introduced_precision",
            "law_number": "law_number",
            "signed_on": "signed_on",
            "signed_precision": "signed_precision",
            "in_force_on": "in_force_on",
            "in_force_precision": "in_force_precision",
            "in_force_rule": "in_force_rule",
            "identifiers": json_list(
                identifiers, JSONRow(scheme="scheme", identifier="identifier")
            ),
            "sources": self.citations(Bill),
        }
        if "sponsors" in include:
            fields["sponsors"] = self.sponsorships()
        if "actions" in include:
            fields["actions"] = self.actions()
        if "statements" in include:
            fields["statements"] = self.statement_links()
        fields["created_at"] = timestamp("created_at")
        fields["updated_at"] = timestamp("updated_at")
        return JSONRow(**fields)

    def sponsorships(self):
        rows = selectors.sponsorships_prefetch(**self.gate).queryset.filter(bill_id=OuterRef("pk"))
        document = JSONRow(
            id="id",
            url=self.url("sponsorship-detail", "id", "pk"),
            bill="bill__slug",
            role="role",
            person=self.person("person_id"),
            organization=self.organization("organization_id"),
            chamber=self.organization("chamber_id"),
            capacity="capacity",
            started_on="started_on",
            started_precision="started_precision",
            ended_on="ended_on",
            ended_precision="ended_precision",
            sources=self.citations(Sponsorship),
            created_at=timestamp("created_at"),
            updated_at=timestamp("updated_at"),
        )
        return json_list(rows.select_related(None), document)

    def actions(self):
        rows = selectors.actions_prefetch(**self.gate).queryset.filter(bill_id=OuterRef("pk"))
        document = JSONRow(
            id="id",
            url=self.url("bill-action-detail", "id", "pk"),
            bill="bill__slug",
            order="order",
            occurred_on="occurred_on",
            occurred_precision="occurred_precision",
            actor=self.organization("actor_id"),
            classification="classification",
            resulting_status="resulting_status",
            description="description",
            skips_unrecorded_steps="skips_unrecorded_steps",
            sources=self.citations(BillAction),
            created_at=timestamp("created_at"),
            updated_at=timestamp("updated_at"),
        )
        return json_list(rows.select_related(None), document)

    def statement_links(self):
        queryset = selectors.statement_links_prefetch(**self.gate).queryset
        rows = queryset.filter(bill_id=OuterRef("pk")).select_related(None)
        document = JSONRow(
            id="statement_id",
            slug="statement__slug",
            url=self.url("statement-detail", "statement__slug"),
            attribution="statement__attribution",
            speaker_person=self.person("statement__speaker_person_id"),
            said_on="statement__said_on",
            said_precision="statement__said_precision",
            form="statement__form",
            text="statement__text",
            stance="stance",
            stance_sources=self.citations(StatementBill),
            sources=self.citations(Statement, "statement_id"),
        )
        return json_list(rows, document)

    # -- statements ----------------------------------------------------------------------------

    def statement(self):
        posts = Membership.objects.visible(**self.gate)
        stances = StatementBill.objects.visible(**self.gate).filter(statement_id=OuterRef("pk"))
        stance = JSONRow(
            bill=JSONRow(
                id="bill_id",
                slug="bill__slug",
                url=self.url("bill-detail", "bill__slug"),
                short_title=text_sql("short_title", self.language, "bill__"),
                status="bill__status",
            ),
            stance="stance",
            sources=self.citations(StatementBill),
        )
        return JSONRow(
            id="id",
            slug="slug",
            url=self.url("statement-detail"),
            speaker_person=self.person("speaker_person_id"),
            speaker_organization=self.organization("speaker_organization_id"),
            attribution="attribution",
            speaker_role="speaker_role",
            speaker_organization_at_time=json_ref(
                posts, "speaker_membership_id", self.organization("organization_id")
            ),
            on_behalf_of=self.organization("on_behalf_of_id"),
            said_on="said_on",
            said_precision="said_precision",
            event=self.event("event_id"),
            sequence="sequence",
            text="text",
            form="form",
            language="language",
            topics=self.topics(Statement),
            bills=json_list(stances.order_by("bill__slug"), stance),
            sources=self.citations(Statement),
            created_at=timestamp("created_at"),
            updated_at=timestamp("updated_at"),
        )


def _status_label(language: str) -> Case:
    """The status's label in `language` (an unknown code stands for itself, as in the
    serializer)."""
    with translation.override(language):
        labels = {code: gettext(label) for code, label in BillStatus.choices}
    return choice_text("status", labels, default=F("status"))


def _status_explanation(language: str) -> Case:
    """What the status means under the bill's procedure, in `language`."""
    with translation.override(language):
        whens = [
            When(Q(procedure=code, status=status), then=Value(gettext(info.explanation)))
            for code, procedure in PROCEDURES.items()
            for status, info in procedure.statuses.items()
        ]
    return Case(*whens, default=None, output_field=TextField())
