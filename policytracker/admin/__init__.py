"""Admin pieces every curated model shares: writes through the services (with the record's
version as the lost-update guard), audit history, read-only timestamps, the publish actions and
the drafts-awaiting-review page. One module each: `forms` (the version a form was opened on),
`refusals`, `rows` (form contents as service arguments, inlines), `curated` (the base admin),
`publishing` and `drafts`.

The admin writes nothing itself. `save_related` hands the form and its inline formsets to the
entity's services (each admin declares them in `writes`); a service's refusal comes back as a
form error, or, for deletes and actions, as a message.
"""

from policytracker.admin.curated import (  # noqa: F401
    CuratedAdmin,
)
from policytracker.admin.drafts import (  # noqa: F401
    DRAFTS_PER_MODEL,
    DraftsDashboardMixin,
)
from policytracker.admin.forms import (  # noqa: F401
    VERSION_FIELD,
    ConcurrencyGuardForm,
    RecordWrites,
    VersionField,
    expected_version,
)
from policytracker.admin.publishing import (  # noqa: F401
    PublishableAdmin,
)
from policytracker.admin.refusals import (  # noqa: F401
    refusal_shown_on,
)
from policytracker.admin.rows import (  # noqa: F401
    ChildInline,
    ServiceInline,
    model_values,
    row_changes,
)
