import factory
from django.contrib.contenttypes.models import ContentType

from sources.models import Citation, Source, SourceKind


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://news.example.org/articles/{n}")
    title = factory.Faker("sentence", nb_words=6)
    publisher = "Example News"
    kind = SourceKind.NEWS_ARTICLE
    language = "en"
    is_published = True


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation
        exclude = ["record"]

    source = factory.SubFactory(SourceFactory)
    excerpt = factory.Faker("sentence", nb_words=10)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.record))
    object_id = factory.LazyAttribute(lambda o: o.record.pk)
