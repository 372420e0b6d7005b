"""Writes for organizations, people, their other names and their posts (memberships)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from bills.models import (
    Membership,
    Organization,
    Person,
    PersonName,
    PersonNameKind,
    Sponsorship,
    Statement,
)
from bills.services.bills import sponsorship_delete, sponsorship_update
from bills.services.statements import statement_update
from policytracker.aliases.services import slug_alias_add, slug_aliases_move
from policytracker.services import (
    check_version,
    lock,
    record_create,
    record_delete,
    record_set_published,
    record_touch,
    record_update,
)
from sources.models import Citation
from sources.services import citation_update, citations_add

# -- organizations ---------------------------------------------------------------------------------


@transaction.atomic
def organization_create(*, values: dict, citations: list[dict] = ()) -> Organization:
    """Create a draft organization."""
    organization = record_create(model=Organization, values=values)
    citations_add(record=organization, citations=list(citations), touch=False)
    return organization


def organization_update(
    *, organization: Organization, values: dict, expected_version: int | None = None
) -> Organization:
    return record_update(instance=organization, values=values, expected_version=expected_version)


def organization_delete(*, organization: Organization, expected_version: int | None = None) -> None:
    """Delete an organization; refused (ProtectedError) while history or quotes name it."""
    record_delete(instance=organization, expected_version=expected_version)


def organization_publish(
    *,
    organization: Organization,
    expected_version: int | None = None,
    with_dependents: bool = False,
) -> list:
    return record_set_published(
        record=organization,
        published=True,
        expected_version=expected_version,
        with_dependents=with_dependents,
    )


def organization_unpublish(
    *, organization: Organization, expected_version: int | None = None
) -> list:
    return record_set_published(
        record=organization, published=False, expected_version=expected_version
    )


# -- people --------------------------------------------------------------------------------------


@transaction.atomic
def person_create(*, values: dict, citations: list[dict] = ()) -> Person:
    """Create a draft person."""
    person = record_create(model=Person, values=values)
    citations_add(record=person, citations=list(citations), touch=False)
    return person


def person_update(*, person: Person, values: dict, expected_version: int | None = None) -> Person:
    return record_update(instance=person, values=values, expected_version=expected_version)


def person_delete(*, person: Person, expected_version: int | None = None) -> None:
    """Delete a person; refused (ProtectedError) while statements quote them."""
    record_delete(instance=person, expected_version=expected_version)


def person_publish(
    *, person: Person, expected_version: int | None = None, with_dependents: bool = False
) -> list:
    return record_set_published(
        record=person,
        published=True,
        expected_version=expected_version,
        with_dependents=with_dependents,
    )


def person_unpublish(*, person: Person, expected_version: int | None = None) -> list:
    """Hide a person: their memberships and sponsorships go with them, and statements show
    no speaker reference for them."""
    return record_set_published(record=person, published=False, expected_version=expected_version)


# -- other names (part of a person: a change is a change of the person) -----------------------


@transaction.atomic
def person_name_create(*, values: dict, citations: list[dict] = ()) -> PersonName:
    name = record_create(model=PersonName, values=values)
    citations_add(record=name, citations=list(citations), touch=False)
    record_touch(instance=name.person)
    return name


@transaction.atomic
def person_name_update(
    *, person_name: PersonName, values: dict, expected_version: int | None = None
) -> PersonName:
    name = record_update(instance=person_name, values=values, expected_version=expected_version)
    record_touch(instance=name.person)
    return name


@transaction.atomic
def person_name_delete(*, person_name: PersonName, expected_version: int | None = None) -> None:
    person = person_name.person
    record_delete(instance=person_name, expected_version=expected_version)
    record_touch(instance=person)


# -- memberships -------------------------------------------------------------------------------


@transaction.atomic
def membership_create(*, values: dict, citations: list[dict] = ()) -> Membership:
    """Record a draft post of a person in an organization."""
    membership = record_create(model=Membership, values=values)
    citations_add(record=membership, citations=list(citations), touch=False)
    return membership


def membership_update(
    *, membership: Membership, values: dict, expected_version: int | None = None
) -> Membership:
    return record_update(instance=membership, values=values, expected_version=expected_version)


def membership_delete(*, membership: Membership, expected_version: int | None = None) -> None:
    record_delete(instance=membership, expected_version=expected_version)


def membership_publish(
    *, membership: Membership, expected_version: int | None = None, with_dependents: bool = False
) -> list:
    return record_set_published(
        record=membership,
        published=True,
        expected_version=expected_version,
        with_dependents=with_dependents,
    )


def membership_unpublish(*, membership: Membership, expected_version: int | None = None) -> list:
    return record_set_published(
        record=membership, published=False, expected_version=expected_version
    )


# -- merging two records of one person -----------------------------------------------------------

# The model permissions a merge needs: it deletes the merged person and rewrites every record
# that names them (the API and the admin check these before calling person_merge).
MERGE_PERMISSIONS = (
    "bills.delete_person",
    "bills.change_person",
    "bills.change_statement",
    "bills.change_membership",
    "bills.delete_membership",
    "bills.change_sponsorship",
    "bills.delete_sponsorship",
    "bills.add_personname",
    "bills.change_personname",
    "bills.delete_personname",
    "sources.change_citation",
)
MERGE_INTO_ITSELF = "A person cannot be merged into themselves."
MERGE_PUBLIC_INTO_DRAFT = (
    "'{winner}' is a draft and '{loser}' is public: publish '{winner}' first, or the public "
    "address of '{loser}' would stop answering."
)
MERGED_NAME_NOTE = "Name of the merged record '{slug}'."


@transaction.atomic
def person_merge(*, loser: Person, winner: Person, expected_version: int | None = None) -> Person:
    """Fold `loser` (a duplicate record of the same person) into `winner`, in one transaction.

    The loser's statements, posts (memberships), sponsorships, other names and citations move
    to the winner (a post, sponsorship, name or citation the winner already has is folded into
    the winner's: its citations move, the duplicate goes); the loser's name becomes an
    alternate name of the winner; the loser is deleted and its slug (with its own aliases)
    becomes an alias of the winner, so its address redirects there. Every step goes through
    the services, so versions, history and the change log follow as for any edit.

    Refused: merging a person into themselves, and merging a public person into a draft (the
    public address would lead nowhere). `expected_version` is the loser's."""
    if loser.pk == winner.pk:
        raise ValidationError({"winner": MERGE_INTO_ITSELF})
    # Both rows locked, in id order so two crossing merges cannot deadlock.
    locked = {person.pk: lock(person) for person in sorted([loser, winner], key=lambda p: p.pk)}
    loser, winner = locked[loser.pk], locked[winner.pk]
    check_version(loser, expected_version)
    if loser.is_published and not winner.is_published:
        message = MERGE_PUBLIC_INTO_DRAFT.format(winner=winner.slug, loser=loser.slug)
        raise ValidationError({"winner": message})

    kept_posts = _merge_memberships(loser, winner)
    for statement in Statement._base_manager.filter(speaker_person=loser).order_by("pk"):
        values = {"speaker_person": winner}
        if statement.speaker_membership_id in kept_posts:
            values["speaker_membership"] = kept_posts[statement.speaker_membership_id]
        statement_update(statement=statement, values=values)
    for post_id, kept in kept_posts.items():
        # A post the winner already holds: the duplicate goes once nothing quotes it.
        for statement in Statement._base_manager.filter(speaker_membership_id=post_id):
            statement_update(statement=statement, values={"speaker_membership": kept})
        duplicate = Membership._base_manager.get(pk=post_id)
        _move_citations(duplicate, kept)
        membership_delete(membership=duplicate)
    _merge_sponsorships(loser, winner)
    _merge_names(loser, winner)
    _move_citations(loser, winner)

    old_slug = loser.slug
    slug_aliases_move(from_record=loser, to_record=winner)
    person_delete(person=loser)
    slug_alias_add(record=winner, old_slug=old_slug)
    record_touch(instance=winner)
    return Person._base_manager.get(pk=winner.pk)


def _merge_memberships(loser: Person, winner: Person) -> dict[int, Membership]:
    """Move the loser's posts to the winner; return {loser's post id: winner's same post} for
    the posts the winner already holds (same organization, role and start)."""
    duplicates = {}
    for post in Membership._base_manager.filter(person=loser).order_by("pk"):
        same = Membership._base_manager.filter(
            person=winner, organization_id=post.organization_id, role=post.role
        )
        twin = same.filter(start_on=post.start_on).first()
        if twin is None:
            membership_update(membership=post, values={"person": winner})
        else:
            duplicates[post.pk] = twin
    return duplicates


def _merge_sponsorships(loser: Person, winner: Person) -> None:
    for sponsorship in Sponsorship._base_manager.filter(person=loser).order_by("pk"):
        twin = Sponsorship._base_manager.filter(
            bill_id=sponsorship.bill_id,
            person=winner,
            role=sponsorship.role,
            chamber_id=sponsorship.chamber_id,
        ).first()
        if twin is None:
            sponsorship_update(sponsorship=sponsorship, values={"person": winner})
        else:
            _move_citations(sponsorship, twin)
            sponsorship_delete(sponsorship=sponsorship)


def _merge_names(loser: Person, winner: Person) -> None:
    for other in PersonName._base_manager.filter(person=loser).order_by("pk"):
        twin = PersonName._base_manager.filter(person=winner, name=other.name).first()
        if twin is None and other.name != winner.name:
            person_name_update(person_name=other, values={"person": winner})
            continue
        if twin is not None:
            _move_citations(other, twin)
        person_name_delete(person_name=other)
    known = PersonName._base_manager.filter(person=winner, name=loser.name).exists()
    if loser.name != winner.name and not known:
        person_name_create(
            values={
                "person": winner,
                "name": loser.name,
                "kind": PersonNameKind.ALTERNATE,
                "note": MERGED_NAME_NOTE.format(slug=loser.slug),
            }
        )


def _move_citations(duplicate, kept) -> None:
    """Re-point `duplicate`'s citations at `kept`; one `kept` already has goes with the
    duplicate."""
    for citation in Citation.objects.for_object(duplicate).order_by("pk"):
        same = Citation.objects.for_object(kept).filter(
            source_id=citation.source_id,
            field_name=citation.field_name,
            excerpt=citation.excerpt,
        )
        if not same.exists():
            citation_update(citation=citation, values={"object_id": kept.pk})
