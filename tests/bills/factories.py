import factory

from bills.models import (
    Bill,
    Event,
    EventKind,
    Membership,
    Organization,
    OrganizationClassification,
    Person,
    Sponsorship,
    SponsorshipRole,
    Statement,
    StatementForm,
    TitleStatus,
    Topic,
)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Faker("word")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Faker("company")
    classification = OrganizationClassification.AGENCY
    is_published = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    slug = factory.Sequence(lambda n: f"person-{n}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    name = factory.LazyAttribute(lambda o: f"{o.given_name} {o.family_name}")
    is_published = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "Deputy Chairman"
    is_published = True


class BillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bill

    slug = factory.Sequence(lambda n: f"bill-{n}")
    title = factory.Faker("sentence", nb_words=8)
    title_status = TitleStatus.VERIFIED
    short_title = factory.Faker("sentence", nb_words=3)
    is_published = True


class SponsorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsorship

    bill = factory.SubFactory(BillFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = SponsorshipRole.INITIATOR
    is_published = True


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    name = factory.Faker("sentence", nb_words=5)
    kind = EventKind.ROUNDTABLE
    is_published = True


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    slug = factory.Sequence(lambda n: f"statement-{n}")
    speaker_person = factory.SubFactory(PersonFactory)
    attribution = factory.LazyAttribute(lambda o: o.speaker_person.name)
    text = factory.Faker("paragraph")
    form = StatementForm.DIRECT_QUOTE
    is_published = True
