"""Admin for sources and citations, plus the citation inline every cited model reuses. Every
write goes through sources.services, which keep a citation on a real field of an existing
citable record, and a source on every record that must cite one."""

# Importing the modules registers their model admins (Django autodiscovers `sources.admin`).
from sources.admin import citations, sources  # noqa: F401
from sources.admin.inline import CitationInline  # noqa: F401
