"""Read serializers. They only read prefetched data: the selectors own every query."""

from bills.api.serializers.bills import (  # noqa: F401
    BillActionSerializer,
    BillIdentifierSerializer,
    BillSerializer,
    BillStatusSerializer,
    SponsorshipSerializer,
    StatementOnBillSerializer,
)
from bills.api.serializers.people import (  # noqa: F401
    MembershipSerializer,
    OrganizationSerializer,
    PersonNameSerializer,
    PersonSerializer,
)
from bills.api.serializers.refs import (  # noqa: F401
    BillRefSerializer,
    EventRefSerializer,
    IncludeAwareSerializer,
    OrganizationRefSerializer,
    PersonRefSerializer,
    TopicSerializer,
)
from bills.api.serializers.statements import (  # noqa: F401
    EventSerializer,
    StanceSerializer,
    StatementSerializer,
)
