"""Every schema reachable from ``ClientInvoice`` and ``ClientInvoiceUpdateRequest``, as attrs classes.

Attribute names are snake_case; each field's metadata holds its wire name, verbatim (typos included:
``ClientData.verification_stratgy`` is ``verificationStratgy``). A field is required only where both
the 2023 and the 2024 spec define and require it; every other field is optional and ``None`` when
absent or null (the document's own choice between the two is kept for ``to_dict``).
Hash-named spec schemas have readable names; their docstrings give the spec's name.
"""

from collections.abc import Mapping
from typing import Any

from attrs import define, field

from ._base import UNSET, Unset, WireModel, wire
from ._validators import FeeShare, fee_share, nested_request, plain_number, request_status
from .enums import (
    AllOrNone,
    ClientWorkflowStatus,
    CompanyStructure,
    Currency,
    DeliveryMethod,
    DisputeStatus,
    DocumentStatus,
    ExclusionReason,
    Form1099Status,
    Form1099Type,
    FrequencyInterval,
    InvoiceStatus,
    MemberClientStatus,
    MemberWorkflowStatus,
    PaymentMeansType,
    PaymentMethod,
    PayoutPendingReason,
    PayoutPreference,
    PendingStatusReason,
    RequirementStatus,
    RequirementType,
    ShareTaxDocument,
    TaxStatus,
    UnknownEnumValue,
    UserAccountType,
    UserStatus,
    WorkflowSubStatus,
)

__all__ = [
    "InvoiceFeeCalculation",
    "Address",
    "BankAccount",
    "ClientOptions",
    "FeeHandlingConfig",
    "Fee",
    "Fees",
    "InvoiceAttachmentFile",
    "InvoiceAttachments",
    "InvoiceEvents",
    "InvoiceQuickbooksIntegration",
    "InvoiceIntegrations",
    "LineItemDiscount",
    "UserRoles",
    "InvoiceLineItem",
    "InvoiceMetadata",
    "Frequency",
    "LateFeeConfig",
    "ClientData",
    "ExternalIdsBulkImport",
    "ExternalIdsQuickbooksData",
    "ExternalIds",
    "Form1099Correction",
    "Form1099Dispute",
    "Form1099Events",
    "MemberClientForm1099Balances",
    "Form1099BalancesByYear",
    "MemberClientEvents",
    "MemberClientFormW9Info",
    "MemberClientQuickbooksIntegration",
    "MemberClientIntegration",
    "Form1099Filings",
    "MemberClientTrack",
    "MemberClientInternal",
    "DocumentEvents",
    "DocumentFiles",
    "DocumentResponse",
    "MemberClientRequirementResponse",
    "MemberClientWireAccount",
    "MemberData",
    "CompanyLinks",
    "CompanyPerson",
    "Company",
    "RedactedMemberProfile",
    "UserPhone",
    "UserProfile",
    "UserSettings",
    "RedactedUser",
    "RedactedMember",
    "MemberClient",
    "MemberOptions",
    "PaymentInfo",
    "ProcessingFees",
    "ClientInvoice",
    "ClientInvoiceUpdateRequest",
]


@define(kw_only=True, repr=False, eq=False)
class Address(WireModel):
    """A postal address."""

    address_line1: str = field(metadata=wire("addressLine1"))
    city: str = field(metadata=wire("city"))
    postal_code: str = field(metadata=wire("postalCode"))
    state: str = field(metadata=wire("state"))
    address_line2: str | None = field(default=None, metadata=wire("addressLine2"))


@define(kw_only=True, repr=False, eq=False)
class BankAccount(WireModel):
    """Bank details for a transfer."""

    account_number: str = field(metadata=wire("accountNumber"))
    bank_name: str = field(metadata=wire("bankName"))
    routing_number: str | None = field(default=None, metadata=wire("routingNumber"))
    swift_code: str | None = field(default=None, metadata=wire("swiftCode"))


@define(kw_only=True, repr=False, eq=False)
class ClientOptions(WireModel):
    """The client's side of the invoice workflow."""

    comment: str | None = field(default=None, metadata=wire("comment"))
    pay_date: str | None = field(default=None, metadata=wire("payDate"))
    workflow_status: ClientWorkflowStatus | UnknownEnumValue | None = field(
        default=None, metadata=wire("workflowStatus")
    )
    workflow_sub_status: WorkflowSubStatus | UnknownEnumValue | None = field(
        default=None, metadata=wire("workflowSubStatus")
    )


@define(kw_only=True, repr=False, eq=False)
class FeeHandlingConfig(WireModel):
    """How a fee is split between client and member (percentages). Used in replies and in ``PATCH`` bodies.

    As part of a ``PATCH`` body, a field left ``UNSET`` is not sent and ``None`` sends ``null``. Parsed
    from a reply, a property the server left out is ``UNSET`` too.
    """

    client_absolute_percentage: float | Unset | None = field(
        default=UNSET, converter=plain_number, validator=fee_share, metadata=wire("clientAbsolutePercentage")
    )
    client_pays: float | Unset | None = field(
        default=UNSET, converter=plain_number, validator=fee_share, metadata=wire("clientPays")
    )
    member_pays: float | Unset | None = field(
        default=UNSET, converter=plain_number, validator=fee_share, metadata=wire("memberPays")
    )


@define(kw_only=True, repr=False, eq=False)
class InvoiceFeeCalculation(WireModel):
    """What ``GET /payments/client/invoice/{id}/fees`` returns: the credit-card fee total of an invoice."""

    credit_fee_total: float = field(metadata=wire("creditFeeTotal"))


@define(kw_only=True, repr=False, eq=False)
class Fee(WireModel):
    """A single fee."""

    amount: float = field(metadata=wire("amount"))
    calculated_at: str | None = field(default=None, metadata=wire("calculatedAt"))


@define(kw_only=True, repr=False, eq=False)
class Fees(WireModel):
    """Fees charged on the invoice."""

    late_fee: Fee | None = field(default=None, metadata=wire("lateFee"))
    processing_fee: Fee | None = field(default=None, metadata=wire("processingFee"))


@define(kw_only=True, repr=False, eq=False)
class InvoiceAttachmentFile(WireModel):
    """A custom attachment of an invoice."""

    file_name: str = field(metadata=wire("fileName"))
    file_url: str = field(metadata=wire("fileUrl"))


@define(kw_only=True, repr=False, eq=False)
class InvoiceAttachments(WireModel):
    """Links to the invoice PDF, receipt and custom attachments."""

    custom_attachment_ids: list[str | None] | None = field(default=None, metadata=wire("customAttachmentIds"))
    custom_attachment_info: list[InvoiceAttachmentFile | None] | None = field(
        default=None, metadata=wire("customAttachmentInfo")
    )
    invoice_link: str | None = field(default=None, metadata=wire("invoiceLink"))
    invoice_pdf: str | None = field(default=None, metadata=wire("invoicePdf"))
    receipt_pdf: str | None = field(default=None, metadata=wire("receiptPdf"))


@define(kw_only=True, repr=False, eq=False)
class InvoiceEvents(WireModel):
    """Timestamps of what happened to the invoice (ISO 8601 strings)."""

    approved_at: str | None = field(default=None, metadata=wire("approvedAt"))
    cancelled_at: str | None = field(default=None, metadata=wire("cancelledAt"))
    client_declined_at: str | None = field(default=None, metadata=wire("clientDeclinedAt"))
    client_resolved_dispute_at: str | None = field(default=None, metadata=wire("clientResolvedDisputeAt"))
    deposited_at: str | None = field(default=None, metadata=wire("depositedAt"))
    deposited_to_payout_platform_at: str | None = field(
        default=None, metadata=wire("depositedToPayoutPlatformAt")
    )
    disputed_at: str | None = field(default=None, metadata=wire("disputedAt"))
    email_marked_as_spam_at: str | None = field(default=None, metadata=wire("emailMarkedAsSpamAt"))
    email_received_at: list[str | None] | None = field(default=None, metadata=wire("emailReceivedAt"))
    email_undeliverable_at: str | None = field(default=None, metadata=wire("emailUndeliverableAt"))
    email_viewed_at: list[str | None] | None = field(default=None, metadata=wire("emailViewedAt"))
    estimated_deposit_at: str | None = field(default=None, metadata=wire("estimatedDepositAt"))
    instant_payout_at: str | None = field(default=None, metadata=wire("instantPayoutAt"))
    instant_payout_eligible_at: str | None = field(default=None, metadata=wire("instantPayoutEligibleAt"))
    instant_payout_failed_at: str | None = field(default=None, metadata=wire("instantPayoutFailedAt"))
    marked_paid_at: str | None = field(default=None, metadata=wire("markedPaidAt"))
    member_accepted_at: str | None = field(default=None, metadata=wire("memberAcceptedAt"))
    member_disputed_at: str | None = field(default=None, metadata=wire("memberDisputedAt"))
    member_resubmitted_at: str | None = field(default=None, metadata=wire("memberResubmittedAt"))
    opened_at: str | None = field(default=None, metadata=wire("openedAt"))
    paid_at: str | None = field(default=None, metadata=wire("paidAt"))
    pay_after_account_verified: str | None = field(default=None, metadata=wire("payAfterAccountVerified"))
    payment_failed_at: list[str | None] | None = field(default=None, metadata=wire("paymentFailedAt"))
    payment_in_transit_at: str | None = field(default=None, metadata=wire("paymentInTransitAt"))
    payment_retried_at: list[str | None] | None = field(default=None, metadata=wire("paymentRetriedAt"))
    payout_failed_at: str | None = field(default=None, metadata=wire("payoutFailedAt"))
    pre_approved_at: str | None = field(default=None, metadata=wire("preApprovedAt"))
    refunded_at: str | None = field(default=None, metadata=wire("refundedAt"))
    sent_at: str | None = field(default=None, metadata=wire("sentAt"))
    sent_due3_days_ago_at: str | None = field(default=None, metadata=wire("sentDue3DaysAgoAt"))
    sent_due7_days_ago_at: str | None = field(default=None, metadata=wire("sentDue7DaysAgoAt"))
    sent_due_in3_days_at: str | None = field(default=None, metadata=wire("sentDueIn3DaysAt"))
    sent_due_today_at: str | None = field(default=None, metadata=wire("sentDueTodayAt"))
    sent_instant_payout_failed_to_member: str | None = field(
        default=None, metadata=wire("sentInstantPayoutFailedToMember")
    )
    sent_manually_at: list[str | None] | None = field(default=None, metadata=wire("sentManuallyAt"))
    sent_payment_confirmation_to_client: str | None = field(
        default=None, metadata=wire("sentPaymentConfirmationToClient")
    )
    sent_payment_confirmation_to_member: str | None = field(
        default=None, metadata=wire("sentPaymentConfirmationToMember")
    )
    sent_payment_in_transit_reminder_at: str | None = field(
        default=None, metadata=wire("sentPaymentInTransitReminderAt")
    )
    sent_payout_might_be_delayed_to_client: str | None = field(
        default=None, metadata=wire("sentPayoutMightBeDelayedToClient")
    )
    sent_recurring_payment_failed_at: str | None = field(
        default=None, metadata=wire("sentRecurringPaymentFailedAt")
    )


@define(kw_only=True, repr=False, eq=False)
class InvoiceQuickbooksIntegration(WireModel):
    """QuickBooks references of an invoice or line item (spec schema ``6d079122…``)."""

    bill_class_id: str | None = field(default=None, metadata=wire("billClassId"))
    bill_customer_id: str | None = field(default=None, metadata=wire("billCustomerId"))
    expense_account_id: str | None = field(default=None, metadata=wire("expenseAccountId"))
    invoice_class_id: str | None = field(default=None, metadata=wire("invoiceClassId"))
    item_id: str | None = field(default=None, metadata=wire("itemId"))


@define(kw_only=True, repr=False, eq=False)
class InvoiceIntegrations(WireModel):
    """Accounting-integration references of the invoice."""

    quickbooks: InvoiceQuickbooksIntegration | None = field(default=None, metadata=wire("quickbooks"))


@define(kw_only=True, repr=False, eq=False)
class LineItemDiscount(WireModel):
    """A discount on a line item (spec schema ``facb8048…``)."""

    amount: float | None = field(default=None, metadata=wire("amount"))
    description: str | None = field(default=None, metadata=wire("description"))
    percentage: float | None = field(default=None, metadata=wire("percentage"))


@define(kw_only=True, repr=False, eq=False)
class UserRoles(WireModel):
    """Who may own or view a record."""

    owner_ids: list[str] = field(metadata=wire("ownerIds"))
    viewer_ids: list[str] = field(metadata=wire("viewerIds"))


@define(kw_only=True, repr=False, eq=False)
class InvoiceLineItem(WireModel):
    """One billed line of an invoice."""

    cost_per_unit: float = field(metadata=wire("costPerUnit"))
    created_at: str = field(metadata=wire("createdAt"))
    labels: dict[str, str] = field(metadata=wire("labels"))
    quantity: float = field(metadata=wire("quantity"))
    reimbursable_expense: bool = field(metadata=wire("reimbursableExpense"))
    total_cost: float = field(metadata=wire("totalCost"))
    unit: str = field(metadata=wire("unit"))
    updated_at: str = field(metadata=wire("updatedAt"))
    description: str | None = field(default=None, metadata=wire("description"))
    detail: str | None = field(default=None, metadata=wire("detail"))
    discount: LineItemDiscount | None = field(default=None, metadata=wire("discount"))
    integration: InvoiceIntegrations | None = field(default=None, metadata=wire("integration"))
    labels_bak2: dict[str, str] | None = field(default=None, metadata=wire("labelsBak2"))
    user_roles: UserRoles | None = field(default=None, metadata=wire("userRoles"))


@define(kw_only=True, repr=False, eq=False)
class InvoiceMetadata(WireModel):
    """Free-form metadata and payout reasons."""

    deposit_note: str | None = field(default=None, metadata=wire("depositNote"))
    invoice_date: str | None = field(default=None, metadata=wire("invoiceDate"))
    payout_pending_reason: PayoutPendingReason | UnknownEnumValue | None = field(
        default=None, metadata=wire("payoutPendingReason")
    )
    pending_status_reason: PendingStatusReason | UnknownEnumValue | None = field(
        default=None, metadata=wire("pendingStatusReason")
    )
    purchase_order_number: str | None = field(default=None, metadata=wire("purchaseOrderNumber"))


@define(kw_only=True, repr=False, eq=False)
class Frequency(WireModel):
    """How often a late fee recurs."""

    start_date: str = field(metadata=wire("startDate"))
    daily: bool | None = field(default=None, metadata=wire("daily"))
    day_in_interval: float | None = field(default=None, metadata=wire("dayInInterval"))
    end_date: str | None = field(default=None, metadata=wire("endDate"))
    every: float | None = field(default=None, metadata=wire("every"))
    interval: FrequencyInterval | UnknownEnumValue | None = field(default=None, metadata=wire("interval"))
    twice_per_month: bool | None = field(default=None, metadata=wire("twicePerMonth"))


@define(kw_only=True, repr=False, eq=False)
class LateFeeConfig(WireModel):
    """Late-fee rule of the invoice."""

    frequency: Frequency = field(metadata=wire("frequency"))
    late_fee_amount: float | None = field(default=None, metadata=wire("lateFeeAmount"))
    late_fee_percentage: float | None = field(default=None, metadata=wire("lateFeePercentage"))


@define(kw_only=True, repr=False, eq=False)
class ClientData(WireModel):
    """Client-side settings of the member-client relationship."""

    auto_pay_strategy: AllOrNone | UnknownEnumValue | None = field(
        default=None, metadata=wire("autoPayStrategy")
    )
    external_id: str | None = field(default=None, metadata=wire("externalId"))
    verification_stratgy: AllOrNone | UnknownEnumValue | None = field(
        default=None, metadata=wire("verificationStratgy")
    )


@define(kw_only=True, repr=False, eq=False)
class ExternalIdsBulkImport(WireModel):
    """Bulk-import reference."""

    bulk_item_merge_key: str | None = field(default=None, metadata=wire("bulkItemMergeKey"))


@define(kw_only=True, repr=False, eq=False)
class ExternalIdsQuickbooksData(WireModel):
    """A QuickBooks record reference."""

    id: str = field(metadata=wire("id"))
    sync_token: str = field(metadata=wire("syncToken"))
    do_create: bool | None = field(default=None, metadata=wire("doCreate"))
    do_delete: bool | None = field(default=None, metadata=wire("doDelete"))
    do_update: bool | None = field(default=None, metadata=wire("doUpdate"))
    updated_at: str | None = field(default=None, metadata=wire("updatedAt"))


@define(kw_only=True, repr=False, eq=False)
class ExternalIds(WireModel):
    """Identifiers of the record in other systems."""

    bulk: ExternalIdsBulkImport | None = field(default=None, metadata=wire("bulk"))
    quickbooks: dict[str, ExternalIdsQuickbooksData] | None = field(default=None, metadata=wire("quickbooks"))
    stripe: str | None = field(default=None, metadata=wire("stripe"))


@define(kw_only=True, repr=False, eq=False)
class Form1099Correction(WireModel):
    """A correction requested on a 1099."""

    address: dict[str, Any] | None = field(default=None, metadata=wire("address"))
    company_structure: CompanyStructure | UnknownEnumValue | None = field(
        default=None, metadata=wire("companyStructure")
    )
    ein: str | None = field(default=None, metadata=wire("ein"))
    first_name: str | None = field(default=None, metadata=wire("firstName"))
    last_name: str | None = field(default=None, metadata=wire("lastName"))
    legal_business_name: str | None = field(default=None, metadata=wire("legalBusinessName"))
    ssn: str | None = field(default=None, metadata=wire("ssn"))
    total_amount: float | None = field(default=None, metadata=wire("totalAmount"))


@define(kw_only=True, repr=False, eq=False)
class Form1099Dispute(WireModel):
    """A dispute of a 1099 amount (spec schema ``8a9c6cb4…``)."""

    amount: float | None = field(default=None, metadata=wire("amount"))
    comment: str | None = field(default=None, metadata=wire("comment"))
    status: DisputeStatus | UnknownEnumValue | None = field(default=None, metadata=wire("status"))


@define(kw_only=True, repr=False, eq=False)
class Form1099Events(WireModel):
    """Timestamps of a 1099."""

    accepted_by_collaborator_at: str | None = field(default=None, metadata=wire("acceptedByCollaboratorAt"))
    created_at: str | None = field(default=None, metadata=wire("createdAt"))
    post_filing_suggestion_made_at: str | None = field(
        default=None, metadata=wire("postFilingSuggestionMadeAt")
    )
    post_filing_suggestion_resolved_at: str | None = field(
        default=None, metadata=wire("postFilingSuggestionResolvedAt")
    )
    submitted_for_collaborator_review_at: str | None = field(
        default=None, metadata=wire("submittedForCollaboratorReviewAt")
    )
    suggestion_made_at: str | None = field(default=None, metadata=wire("suggestionMadeAt"))
    suggestion_resolved_at: str | None = field(default=None, metadata=wire("suggestionResolvedAt"))
    updated_at: str | None = field(default=None, metadata=wire("updatedAt"))


@define(kw_only=True, repr=False, eq=False)
class MemberClientForm1099Balances(WireModel):
    """A 1099 balance for one tax year."""

    adjustments: float = field(metadata=wire("adjustments"))
    delivery_method: DeliveryMethod | UnknownEnumValue = field(metadata=wire("deliveryMethod"))
    exclusion_reason: ExclusionReason | UnknownEnumValue = field(metadata=wire("exclusionReason"))
    form1099_generated: bool = field(metadata=wire("form1099Generated"))
    payment_processing_fees: float = field(metadata=wire("paymentProcessingFees"))
    platform_income: float = field(metadata=wire("platformIncome"))
    status: Form1099Status | UnknownEnumValue = field(metadata=wire("status"))
    type: Form1099Type | UnknownEnumValue = field(metadata=wire("type"))
    correction: Form1099Correction | None = field(default=None, metadata=wire("correction"))
    dispute: Form1099Dispute | None = field(default=None, metadata=wire("dispute"))
    events: Form1099Events | None = field(default=None, metadata=wire("events"))
    tax_form: dict[str, Any] | None = field(default=None, metadata=wire("taxForm"))
    tax_form_id: str | None = field(default=None, metadata=wire("taxFormId"))


@define(kw_only=True, repr=False, eq=False)
class Form1099BalancesByYear(WireModel):
    """1099 balances keyed by tax year (spec schema ``b9789f45…``)."""

    year_2021: MemberClientForm1099Balances | None = field(default=None, metadata=wire("2021"))
    year_2022: MemberClientForm1099Balances | None = field(default=None, metadata=wire("2022"))


@define(kw_only=True, repr=False, eq=False)
class MemberClientEvents(WireModel):
    """Timestamps of the member-client relationship."""

    active_at: str | None = field(default=None, metadata=wire("activeAt"))
    pending_at: str | None = field(default=None, metadata=wire("pendingAt"))


@define(kw_only=True, repr=False, eq=False)
class MemberClientFormW9Info(WireModel):
    """W-9 information the client holds for the member."""

    address_line1: str | None = field(default=None, metadata=wire("addressLine1"))
    address_line2: str | None = field(default=None, metadata=wire("addressLine2"))
    city: str | None = field(default=None, metadata=wire("city"))
    company_structure: CompanyStructure | UnknownEnumValue | None = field(
        default=None, metadata=wire("companyStructure")
    )
    country: str | None = field(default=None, metadata=wire("country"))
    dob: str | None = field(default=None, metadata=wire("dob"))
    ein: str | None = field(default=None, metadata=wire("ein"))
    first_name: str | None = field(default=None, metadata=wire("firstName"))
    last_name: str | None = field(default=None, metadata=wire("lastName"))
    legal_business_name: str | None = field(default=None, metadata=wire("legalBusinessName"))
    postal_code: str | None = field(default=None, metadata=wire("postalCode"))
    ssn: str | None = field(default=None, metadata=wire("ssn"))
    state: str | None = field(default=None, metadata=wire("state"))


@define(kw_only=True, repr=False, eq=False)
class MemberClientQuickbooksIntegration(WireModel):
    """QuickBooks references of the member-client (spec schema ``d86c1fba…``)."""

    customer_id: str | None = field(default=None, metadata=wire("customerId"))
    expense_account_id: str | None = field(default=None, metadata=wire("expenseAccountId"))
    item_id: str | None = field(default=None, metadata=wire("itemId"))
    vendor_id: str | None = field(default=None, metadata=wire("vendorId"))


@define(kw_only=True, repr=False, eq=False)
class MemberClientIntegration(WireModel):
    """Integration references of the member-client (spec schema ``3d33fba3…``)."""

    quickbooks: MemberClientQuickbooksIntegration | None = field(default=None, metadata=wire("quickbooks"))


@define(kw_only=True, repr=False, eq=False)
class Form1099Filings(WireModel):
    """Filed 1099 documents by year (2023 spec only)."""

    year_2021: str | None = field(default=None, metadata=wire("2021"))


@define(kw_only=True, repr=False, eq=False)
class MemberClientTrack(WireModel):
    """Internal tracking of tax documents (2023 spec only)."""

    form1099_filings: Form1099Filings | None = field(default=None, metadata=wire("form1099Filings"))
    form_w9_document: str | None = field(default=None, metadata=wire("formW9Document"))
    previous_temporary_track_user_ids: list[str | None] | None = field(
        default=None, metadata=wire("previousTemporaryTrackUserIds")
    )
    temporary_track_user_id: str | None = field(default=None, metadata=wire("temporaryTrackUserId"))


@define(kw_only=True, repr=False, eq=False)
class MemberClientInternal(WireModel):
    """Internal tracking data (2023 spec only; the 2024 spec names it without defining it)."""

    track: MemberClientTrack | None = field(default=None, metadata=wire("track"))
    unit: dict[str, str] | None = field(default=None, metadata=wire("unit"))


@define(kw_only=True, repr=False, eq=False)
class DocumentEvents(WireModel):
    """Signature timestamps of a document."""

    client_signed_at: str | None = field(default=None, metadata=wire("clientSignedAt"))
    member_signed_at: str | None = field(default=None, metadata=wire("memberSignedAt"))


@define(kw_only=True, repr=False, eq=False)
class DocumentFiles(WireModel):
    """File references of a document."""

    client: str | None = field(default=None, metadata=wire("client"))
    member: str | None = field(default=None, metadata=wire("member"))


@define(kw_only=True, repr=False, eq=False)
class DocumentResponse(WireModel):
    """A document required from the member."""

    client_id: str = field(metadata=wire("clientId"))
    document_id: str = field(metadata=wire("documentId"))
    member_id: str = field(metadata=wire("memberId"))
    status: DocumentStatus | UnknownEnumValue = field(metadata=wire("status"))
    template_id: str = field(metadata=wire("templateId"))
    title: str = field(metadata=wire("title"))
    user_roles: UserRoles = field(metadata=wire("userRoles"))
    events: DocumentEvents | None = field(default=None, metadata=wire("events"))
    files: DocumentFiles | None = field(default=None, metadata=wire("files"))


@define(kw_only=True, repr=False, eq=False)
class MemberClientRequirementResponse(WireModel):
    """An eligibility requirement and its state."""

    client_id: str = field(metadata=wire("clientId"))
    collaborator_group_id: str = field(metadata=wire("collaboratorGroupId"))
    eligibility_requirement_id: str = field(metadata=wire("eligibilityRequirementId"))
    requirement_type: RequirementType | UnknownEnumValue = field(metadata=wire("requirementType"))
    document: DocumentResponse | None = field(default=None, metadata=wire("document"))
    document_id: str | None = field(default=None, metadata=wire("documentId"))
    status: RequirementStatus | UnknownEnumValue | None = field(default=None, metadata=wire("status"))
    template_id: str | None = field(default=None, metadata=wire("templateId"))
    valid_for: float | None = field(default=None, metadata=wire("validFor"))


@define(kw_only=True, repr=False, eq=False)
class MemberClientWireAccount(WireModel):
    """A wire or ACH account of the client."""

    account_number: str = field(metadata=wire("accountNumber"))
    bank_name: str = field(metadata=wire("bankName"))
    routing_number: str | None = field(default=None, metadata=wire("routingNumber"))
    swift_code: str | None = field(default=None, metadata=wire("swiftCode"))


@define(kw_only=True, repr=False, eq=False)
class MemberData(WireModel):
    """Member-side settings of the member-client relationship."""

    auto_pay_requirement: AllOrNone | UnknownEnumValue | None = field(
        default=None, metadata=wire("autoPayRequirement")
    )
    external_id: str | None = field(default=None, metadata=wire("externalId"))
    share_tax_document: ShareTaxDocument | UnknownEnumValue | None = field(
        default=None, metadata=wire("shareTaxDocument")
    )


@define(kw_only=True, repr=False, eq=False)
class CompanyLinks(WireModel):
    """Web links of a company."""

    instagram_url: str | None = field(default=None, metadata=wire("instagramUrl"))
    linked_in_url: str | None = field(default=None, metadata=wire("linkedInUrl"))
    other_url: str | None = field(default=None, metadata=wire("otherUrl"))
    twitter_url: str | None = field(default=None, metadata=wire("twitterUrl"))
    website_url: str | None = field(default=None, metadata=wire("websiteUrl"))


@define(kw_only=True, repr=False, eq=False)
class CompanyPerson(WireModel):
    """An owner of a company."""

    member_id: str = field(metadata=wire("memberId"))
    ownership_percentage: float | None = field(default=None, metadata=wire("ownershipPercentage"))


@define(kw_only=True, repr=False, eq=False)
class Company(WireModel):
    """A company profile."""

    banking: bool | None = field(default=None, metadata=wire("banking"))
    company_owners: list[CompanyPerson | None] | None = field(default=None, metadata=wire("companyOwners"))
    description: str | None = field(default=None, metadata=wire("description"))
    disregarded_entity_name: str | None = field(default=None, metadata=wire("disregardedEntityName"))
    legal_business_name: str | None = field(default=None, metadata=wire("legalBusinessName"))
    links: CompanyLinks | None = field(default=None, metadata=wire("links"))
    name: str | None = field(default=None, metadata=wire("name"))
    state_of_incorporation: str | None = field(default=None, metadata=wire("stateOfIncorporation"))
    structure: CompanyStructure | UnknownEnumValue | None = field(default=None, metadata=wire("structure"))
    support_email: str | None = field(default=None, metadata=wire("supportEmail"))
    tax_id: str | None = field(default=None, metadata=wire("taxId"))
    website: str | None = field(default=None, metadata=wire("website"))
    year_of_incorporation: str | None = field(default=None, metadata=wire("yearOfIncorporation"))


@define(kw_only=True, repr=False, eq=False)
class RedactedMemberProfile(WireModel):
    """Profile of a redacted member (spec schema ``23d776fc…``)."""

    address: Address | None = field(default=None, metadata=wire("address"))
    company: Company | None = field(default=None, metadata=wire("company"))
    logo_url: str | None = field(default=None, metadata=wire("logoUrl"))
    ssn_last_four: str | None = field(default=None, metadata=wire("ssnLastFour"))


@define(kw_only=True, repr=False, eq=False)
class UserPhone(WireModel):
    """Phone of a user (spec schema ``7996a681…``)."""

    number: str | None = field(default=None, metadata=wire("number"))


@define(kw_only=True, repr=False, eq=False)
class UserProfile(WireModel):
    """Name of a user (spec schema ``f6f2bd1a…``)."""

    first_name: str | None = field(default=None, metadata=wire("firstName"))
    last_name: str | None = field(default=None, metadata=wire("lastName"))


@define(kw_only=True, repr=False, eq=False)
class UserSettings(WireModel):
    """Account settings of a user (spec schema ``9e97e63e…``)."""

    user_account_type: UserAccountType | UnknownEnumValue | None = field(
        default=None, metadata=wire("userAccountType")
    )


@define(kw_only=True, repr=False, eq=False)
class RedactedUser(WireModel):
    """The user behind a redacted member."""

    email: str | None = field(default=None, metadata=wire("email"))
    phone: UserPhone | None = field(default=None, metadata=wire("phone"))
    profile: UserProfile | None = field(default=None, metadata=wire("profile"))
    settings: UserSettings | None = field(default=None, metadata=wire("settings"))
    status: UserStatus | UnknownEnumValue | None = field(default=None, metadata=wire("status"))
    tag: str | None = field(default=None, metadata=wire("tag"))


@define(kw_only=True, repr=False, eq=False)
class RedactedMember(WireModel):
    """A user as the other party may see them."""

    user: RedactedUser = field(metadata=wire("user"))
    profile: RedactedMemberProfile | None = field(default=None, metadata=wire("profile"))


@define(kw_only=True, repr=False, eq=False)
class MemberClient(WireModel):
    """The relationship record between the member and the client."""

    ach_credit_account: MemberClientWireAccount = field(metadata=wire("achCreditAccount"))
    client: RedactedMember = field(metadata=wire("client"))
    client_data: ClientData = field(metadata=wire("clientData"))
    client_id: str = field(metadata=wire("clientId"))
    created_at: str = field(metadata=wire("createdAt"))
    email_to: str = field(metadata=wire("emailTo"))
    external_ids: ExternalIds = field(metadata=wire("externalIds"))
    form1099_balances: Form1099BalancesByYear = field(metadata=wire("form1099Balances"))
    form_w9_data: MemberClientFormW9Info = field(metadata=wire("formW9Data"))
    international_wire_account: MemberClientWireAccount = field(metadata=wire("internationalWireAccount"))
    labels: dict[str, str] = field(metadata=wire("labels"))
    member: RedactedMember = field(metadata=wire("member"))
    member_client_id: str = field(metadata=wire("memberClientId"))
    member_data: MemberData = field(metadata=wire("memberData"))
    member_id: str = field(metadata=wire("memberId"))
    status: MemberClientStatus | UnknownEnumValue = field(metadata=wire("status"))
    tax_status: TaxStatus | UnknownEnumValue = field(metadata=wire("taxStatus"))
    updated_at: str = field(metadata=wire("updatedAt"))
    user_roles: UserRoles = field(metadata=wire("userRoles"))
    client_user_account_type: UserAccountType | UnknownEnumValue | None = field(
        default=None, metadata=wire("clientUserAccountType")
    )
    collaborator_group_id: str | None = field(default=None, metadata=wire("collaboratorGroupId"))
    collaborator_group_ids: list[str | None] | None = field(
        default=None, metadata=wire("collaboratorGroupIds")
    )
    company: str | None = field(default=None, metadata=wire("company"))
    eligibility_requirements: list[MemberClientRequirementResponse | None] | None = field(
        default=None, metadata=wire("eligibilityRequirements")
    )
    email_cc: list[str | None] | None = field(default=None, metadata=wire("emailCC"))
    event_actors: dict[str, str] | None = field(default=None, metadata=wire("eventActors"))
    events: MemberClientEvents | None = field(default=None, metadata=wire("events"))
    integration: MemberClientIntegration | None = field(default=None, metadata=wire("integration"))
    internal: MemberClientInternal | None = field(default=None, metadata=wire("internal"))
    name: str | None = field(default=None, metadata=wire("name"))
    parent_member_client_id: str | None = field(default=None, metadata=wire("parentMemberClientId"))
    payer_payee_id: str | None = field(default=None, metadata=wire("payerPayeeId"))


@define(kw_only=True, repr=False, eq=False)
class MemberOptions(WireModel):
    """The member's side of the invoice workflow."""

    comment: str | None = field(default=None, metadata=wire("comment"))
    payout_preferences: PayoutPreference | UnknownEnumValue | None = field(
        default=None, metadata=wire("payoutPreferences")
    )
    workflow_status: MemberWorkflowStatus | UnknownEnumValue | None = field(
        default=None, metadata=wire("workflowStatus")
    )
    workflow_sub_status: WorkflowSubStatus | UnknownEnumValue | None = field(
        default=None, metadata=wire("workflowSubStatus")
    )


@define(kw_only=True, repr=False, eq=False)
class PaymentInfo(WireModel):
    """The payment means used for the invoice."""

    means_type: PaymentMeansType | UnknownEnumValue = field(metadata=wire("meansType"))
    brand_image_url: str | None = field(default=None, metadata=wire("brandImageUrl"))
    card_brand: str | None = field(default=None, metadata=wire("cardBrand"))
    means_description: str | None = field(default=None, metadata=wire("meansDescription"))
    means_last4: str | None = field(default=None, metadata=wire("meansLast4"))


@define(kw_only=True, repr=False, eq=False)
class ProcessingFees(WireModel):
    """Processing fees by kind."""

    credit_card_fee: Fee | None = field(default=None, metadata=wire("creditCardFee"))
    instant_payout_fee: Fee | None = field(default=None, metadata=wire("instantPayoutFee"))


@define(kw_only=True, repr=False, eq=False)
class ClientInvoice(WireModel):
    """An invoice a client received from a member: the ``GET``/``PATCH`` reply."""

    additional_recipient_emails: list[str] = field(metadata=wire("additionalRecipientEmails"))
    amount: float = field(metadata=wire("amount"))
    client: ClientOptions = field(metadata=wire("client"))
    created_at: str = field(metadata=wire("createdAt"))
    currency: Currency | UnknownEnumValue = field(metadata=wire("currency"))
    due_date: str = field(metadata=wire("dueDate"))
    events: InvoiceEvents = field(metadata=wire("events"))
    invoice_id: str = field(metadata=wire("invoiceId"))
    invoice_number: str = field(metadata=wire("invoiceNumber"))
    line_items: list[InvoiceLineItem] = field(metadata=wire("lineItems"))
    member: MemberOptions = field(metadata=wire("member"))
    member_accepts_payments: bool = field(metadata=wire("memberAcceptsPayments"))
    member_address: Address = field(metadata=wire("memberAddress"))
    member_client: MemberClient = field(metadata=wire("memberClient"))
    member_company: str = field(metadata=wire("memberCompany"))
    member_email: str = field(metadata=wire("memberEmail"))
    member_logo_url: str = field(metadata=wire("memberLogoUrl"))
    member_name: str = field(metadata=wire("memberName"))
    member_payments_version: float = field(metadata=wire("memberPaymentsVersion"))
    member_stripe_account_id: str = field(metadata=wire("memberStripeAccountId"))
    project_name: str = field(metadata=wire("projectName"))
    status: InvoiceStatus | UnknownEnumValue = field(metadata=wire("status"))
    updated_at: str = field(metadata=wire("updatedAt"))
    accepted_payment_methods: list[PaymentMethod | UnknownEnumValue | None] | None = field(
        default=None, metadata=wire("acceptedPaymentMethods")
    )
    account_id: str | None = field(default=None, metadata=wire("accountId"))
    attachments: InvoiceAttachments | None = field(default=None, metadata=wire("attachments"))
    bank_transfer_info: BankAccount | None = field(default=None, metadata=wire("bankTransferInfo"))
    charged_fees: Fees | None = field(default=None, metadata=wire("chargedFees"))
    credit_fee_handling: FeeHandlingConfig | None = field(default=None, metadata=wire("creditFeeHandling"))
    integration: InvoiceIntegrations | None = field(default=None, metadata=wire("integration"))
    international_bank_transfer_info: BankAccount | None = field(
        default=None, metadata=wire("internationalBankTransferInfo")
    )
    invoice_notes: str | None = field(default=None, metadata=wire("invoiceNotes"))
    invoice_template_id: str | None = field(default=None, metadata=wire("invoiceTemplateId"))
    late_fee_handling: LateFeeConfig | None = field(default=None, metadata=wire("lateFeeHandling"))
    member_formatted_address_lines: list[str | None] | None = field(
        default=None, metadata=wire("memberFormattedAddressLines")
    )
    metadata: InvoiceMetadata | None = field(default=None, metadata=wire("metadata"))
    payment_info: PaymentInfo | None = field(default=None, metadata=wire("paymentInfo"))
    payment_method_id: str | None = field(default=None, metadata=wire("paymentMethodId"))
    processing_fees: ProcessingFees | None = field(default=None, metadata=wire("processingFees"))
    source_id: str | None = field(default=None, metadata=wire("sourceId"))


_fee_handling = nested_request(FeeHandlingConfig, "ClientInvoiceUpdateRequest.credit_fee_handling")


def _credit_fee_handling(
    value: FeeHandlingConfig | Mapping[str, FeeShare] | Unset | None,
) -> FeeHandlingConfig | Unset | None:
    """The converter of ``ClientInvoiceUpdateRequest.credit_fee_handling`` (a dict becomes a config)."""
    return _fee_handling(value)


@define(kw_only=True, repr=False, eq=False)
class ClientInvoiceUpdateRequest(WireModel):
    """The ``PATCH`` body. Fields left ``UNSET`` are not sent; ``None`` sends ``null``."""

    status: InvoiceStatus | Unset | None = field(
        default=UNSET, converter=request_status, metadata=wire("status")
    )
    credit_fee_handling: FeeHandlingConfig | Unset | None = field(
        default=UNSET,
        converter=_credit_fee_handling,
        metadata=wire("creditFeeHandling"),
    )
