"""The enumerations of the invoice schemas, as ``str`` enums (members compare equal to their wire values).

In replies an enum field may also hold an :class:`UnknownEnumValue`: a value the server sent that this
version does not know (see :class:`wingspan_nb.errors.UnknownEnumValueWarning`).
"""

from enum import Enum
from typing import Literal

__all__ = [
    "AllOrNone",
    "WireEnum",
    "ClientWorkflowStatus",
    "CompanyStructure",
    "Currency",
    "DeliveryMethod",
    "DisputeStatus",
    "DocumentStatus",
    "ExclusionReason",
    "Form1099Status",
    "Form1099Type",
    "FrequencyInterval",
    "InvoiceStatus",
    "InvoiceStatusValue",
    "MemberClientStatus",
    "MemberWorkflowStatus",
    "PaymentMeansType",
    "PaymentMethod",
    "PayoutPendingReason",
    "PayoutPreference",
    "PendingStatusReason",
    "RequirementStatus",
    "RequirementType",
    "ShareTaxDocument",
    "TaxStatus",
    "UnknownEnumValue",
    "UserAccountType",
    "UserStatus",
    "WorkflowSubStatus",
]


class UnknownEnumValue(str):
    """A value of a reply's enum field that this version of the models does not know, kept as the
    string the server sent (``inv.status == "Refunded"`` works; it is written back out unchanged).

    Its own type, so that a type checker reads ``inv.status`` as ``InvoiceStatus | UnknownEnumValue``
    and ``isinstance(inv.status, InvoiceStatus)`` tells the two apart. Parsing one warns once per new
    value (:class:`wingspan_nb.errors.UnknownEnumValueWarning`)."""

    __slots__ = ()


class WireEnum(str, Enum):
    """The base of every enum: a ``str`` whose value is the wire value, which ``print`` and
    f-strings show (``Paid``, not ``InvoiceStatus.PAID``)."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(str.__str__(self), format_spec)


class AllOrNone(WireEnum):
    """A setting that applies to all or none."""

    ALL = "All"
    NONE = "None"


class ClientWorkflowStatus(WireEnum):
    """Where the invoice is in the client's approval workflow."""

    PENDING = "Pending"
    PRE_APPROVED = "PreApproved"
    APPROVED = "Approved"
    PAYMENT_INITIATED = "PaymentInitiated"
    FUNDED = "Funded"
    DECLINED = "Declined"


class CompanyStructure(WireEnum):
    """Legal structure of a company. ``"None"`` is a real value, distinct from ``null``."""

    NONE = "None"
    SOLE_PROPRIETORSHIP = "SoleProprietorship"
    LLC_SINGLE_MEMBER = "LlcSingleMember"
    LLC_MULTI_MEMBER = "LlcMultiMember"
    CORPORATION_S = "CorporationS"
    LLC_CORPORATION_S = "LLCCorporationS"
    LLC_CORPORATION_C = "LLCCorporationC"
    LLC_PARTNERSHIP = "LLCPartnership"
    CORPORATION_C = "CorporationC"
    PARTNERSHIP = "Partnership"


class Currency(WireEnum):
    """Invoice currency."""

    USD = "USD"
    CAD = "CAD"


class DeliveryMethod(WireEnum):
    """How a 1099 is delivered."""

    ELECTRONIC = "Electronic"
    MAIL = "Mail"


class DisputeStatus(WireEnum):
    """State of a 1099 dispute."""

    OPEN = "Open"
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"


class DocumentStatus(WireEnum):
    """State of a required document."""

    REQUIRED = "Required"
    APPROVED = "Approved"
    INVALID = "Invalid"
    RECEIVED_FRONT = "ReceivedFront"
    RECEIVED_BACK = "ReceivedBack"
    PENDING_REVIEW = "PendingReview"


class ExclusionReason(WireEnum):
    """Why a 1099 is excluded."""

    BELOW_THRESHOLD = "BelowThreshold"
    COMPANY_STRUCTURE = "CompanyStructure"
    NON_US_ENTITY = "NonUsEntity"


class Form1099Status(WireEnum):
    """State of a 1099."""

    READY = "Ready"
    NEEDS_ACTION_INFO = "NeedsActionInfo"
    NEEDS_ACTION_DISPUTE = "NeedsActionDispute"
    SUBMITTED = "Submitted"
    REJECTED = "Rejected"
    ACCEPTED = "Accepted"
    EXCLUDED = "Excluded"


class Form1099Type(WireEnum):
    """Kind of 1099."""

    NEC = "NEC"


class FrequencyInterval(WireEnum):
    """Interval of a recurring late fee."""

    WEEK = "Week"
    MONTH = "Month"


class InvoiceStatus(WireEnum):
    """Status of an invoice (the ``status`` of replies and of ``PATCH`` bodies)."""

    DRAFT = "Draft"
    OPEN = "Open"
    OVERDUE = "Overdue"
    CANCELLED = "Cancelled"
    PENDING = "Pending"
    PAYMENT_IN_TRANSIT = "PaymentInTransit"
    PAID = "Paid"


InvoiceStatusValue = Literal["Draft", "Open", "Overdue", "Cancelled", "Pending", "PaymentInTransit", "Paid"]
"""The wire values of :class:`InvoiceStatus`, as a type: a request's ``status`` takes a member or one of
these strings (``ClientInvoiceUpdateRequest(status="Paid")``), and a type checker refuses any other."""


class MemberClientStatus(WireEnum):
    """State of the member-client relationship."""

    ACTIVE = "Active"
    INACTIVE = "Inactive"
    PENDING = "Pending"


class MemberWorkflowStatus(WireEnum):
    """Where the invoice is in the member's workflow."""

    DISPUTED = "Disputed"
    ACCEPTED = "Accepted"
    RESUBMITTED = "Resubmitted"


class PaymentMeansType(WireEnum):
    """Kind of payment means."""

    CARD = "Card"
    ACCOUNT = "Account"
    INTERNAL_ACCOUNT = "InternalAccount"


class PaymentMethod(WireEnum):
    """A payment method the client may use."""

    CREDIT = "Credit"
    ACH = "ACH"
    MANUAL = "Manual"


class PayoutPendingReason(WireEnum):
    """Why a payout is pending."""

    ADMIN = "Admin"
    PAYMENT_NOT_CLEARED_CARD = "PaymentNotClearedCard"
    PAYMENT_NOT_CLEARED = "PaymentNotCleared"
    PAYMENT_NOT_CLEARED_COLLABORATOR = "PaymentNotClearedCollaborator"
    PAYMENT_NOT_CLEARED_FUTURE = "PaymentNotClearedFuture"
    PLATFORM_ERROR_CARD = "PlatformErrorCard"
    PLATFORM_ERROR_GENERIC = "PlatformErrorGeneric"
    PAYOUT_NOT_ELIGIBLE_YET = "PayoutNotEligibleYet"
    PAYOUT_METHOD_NOT_SELECTED = "PayoutMethodNotSelected"
    PAYOUT_METHOD_ERROR = "PayoutMethodError"
    PLATFORM_ERROR_GIFT_CARD = "PlatformErrorGiftCard"
    PAYOUT_GIFT_CARD_LINK_PENDING = "PayoutGiftCardLinkPending"
    INSTANT_PAYOUT_METHOD_NOT_SELECTED = "InstantPayoutMethodNotSelected"
    PLATFORM_ERROR_INSTANT_PAYOUT = "PlatformErrorInstantPayout"
    INSTANT_PAYOUT_NOT_ELIGIBLE_YET = "InstantPayoutNotEligibleYet"
    PLATFORM_ERROR_CURRENCY_CLOUD = "PlatformErrorCurrencyCloud"


class PayoutPreference(WireEnum):
    """The member's payout speed."""

    STANDARD = "Standard"
    INSTANT = "Instant"
    EXPEDITED = "Expedited"
    CHECK = "Check"
    E_CHECK = "ECheck"


class PendingStatusReason(WireEnum):
    """Why an invoice is pending."""

    COLLABORATOR_MISSING_CUSTOM_ELIGIBILITY_REQUIREMENT = "CollaboratorMissingCustomEligibilityRequirement"
    COLLABORATOR_MISSING_ELIGIBILITY_REQUIREMENT = "CollaboratorMissingEligibilityRequirement"
    MEMBER_PAYOUT_METHOD_NOT_SELECTED = "MemberPayoutMethodNotSelected"
    MEMBER_TAX_DOCUMENTATION_NOT_VERIFIED = "MemberTaxDocumentationNotVerified"


class RequirementStatus(WireEnum):
    """State of an eligibility requirement."""

    NEW = "New"
    SENT = "Sent"
    PENDING = "Pending"
    COMPLETE = "Complete"


class RequirementType(WireEnum):
    """Kind of eligibility requirement."""

    SIGNATURE = "Signature"


class ShareTaxDocument(WireEnum):
    """Whether tax documents may be shared."""

    ALLOW = "Allow"
    DECLINE = "Decline"


class TaxStatus(WireEnum):
    """Tax-information state of the member."""

    COMPLETE = "Complete"
    FAILED = "Failed"
    PENDING = "Pending"
    INCOMPLETE = "Incomplete"


class UserAccountType(WireEnum):
    """Kind of user account."""

    MEMBER = "member"
    ENTERPRISE = "enterprise"


class UserStatus(WireEnum):
    """State of a user account."""

    PENDING = "Pending"
    ACTIVE = "Active"
    DISABLED = "Disabled"


class WorkflowSubStatus(WireEnum):
    """Sub-state of a workflow."""

    SUBMITTED = "Submitted"
