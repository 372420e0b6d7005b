"""CSV tables of source documents and citations."""

from policytracker.exports.columns import (
    ID,
    URL,
    Table,
    date,
    plain,
    precision,
    ref,
    timestamps,
)

SOURCES = Table(
    "sources",
    "one source document",
    (
        ID, URL,
        plain("document_url", "Address of the document itself."),
        plain("title", "Title (in brackets when descriptive, not the document's own)."),
        plain("publisher", "Publisher."),
        plain("author", "Author, if named."),
        date("published_on", "Publication date."),
        precision("published_precision", "publication date"),
        plain("language", "Language of the document."),
        plain("kind", "Kind of document."),
        plain("archived_url", "Address of an archived copy, if any."),
        plain("archived", "true when an archived copy is recorded; false: not archived."),
        plain("accessed_on", "When a curator last read the document (a day)."),
        plain("content_sha256", "SHA-256 of the document text as read, if kept."),
        plain("notes", "Curators' notes on reliability or caveats."),
        *timestamps(),
    ),
)  # fmt: skip

CITATIONS = Table(
    "citations",
    "one citation: a source backing (supports) or disputing (contradicts) a record or one "
    "of its fields",
    (
        ID, URL,
        plain("record_type", "Type of the cited record (bill, statement, person …)."),
        plain("record_id", "Its id (the id column of that type's CSV)."),
        ref("source_id", "Id of the source (sources.csv).", "id", "source"),
        ref("source_url", "Address of the source document.", "url", "source"),
        ref("source_title", "Title of the source.", "title", "source"),
        ref("source_publisher", "Publisher of the source.", "publisher", "source"),
        plain("excerpt", "The passage of the source, quoted or paraphrased."),
        plain("excerpt_kind", "quote or paraphrase."),
        plain("locator", "Where in the source (page, paragraph, file)."),
        plain("field", "The field the citation is about; empty for the whole record."),
        plain("relation", "supports or contradicts."),
        plain("claimed_value", "For contradicts: the value the source gives instead."),
        plain("resolution_note", "How a conflict was weighed, if it was."),
        *timestamps(),
    ),
)  # fmt: skip
