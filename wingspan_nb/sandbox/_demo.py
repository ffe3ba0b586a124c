"""Demo invoices for the sandbox: varied, realistic, and valid against both the 2023 and 2024 specs.

Deterministic (a fixed seed), so tests, notebooks and recorded cassettes see the same data.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from .. import _clock
from ..models import InvoiceStatus

__all__ = ["demo_invoices", "make_invoice", "wire_timestamp"]

_MEMBERS = [
    ("Zoe Patel", "Patel Studio", "zoe@patel.studio", ("729 Larimer St", "Austin", "TX", "78701")),
    ("Mateo García", "García Ingeniería", "mateo@garcia.example", ("18 Calle Luna", "Miami", "FL", "33101")),
    ("Aiko Tanaka", "Tanaka Translation", "aiko@tanaka.example", ("5 Pine Ave", "Seattle", "WA", "98101")),
    ("Olu Adeyemi", "Adeyemi Data", "olu@adeyemi.example", ("221 King St", "Brooklyn", "NY", "11201")),
    ("Ingrid Berg", "Berg Audio", "ingrid@bergaudio.example", ("9 Harbor Rd", "Portland", "OR", "97201")),
    ("Ravi Menon", "Menon Analytics", "ravi@menon.example", ("77 Elm St", "Chicago", "IL", "60601")),
]
_CLIENTS = [
    ("Acme Robotics", "ap@acme-robotics.example"),
    ("Globex Corp", "payables@globex.example"),
    ("Initech", "invoices@initech.example"),
    ("Umbrella Health", "ap@umbrella.example"),
    ("Stark Logistics", "billing@stark.example"),
]
_WORK = [
    ("Illustration set", "item", 120.0),
    ("UX research interviews", "hour", 95.0),
    ("Backend development", "hour", 140.0),
    ("Translation (EN→JA)", "word", 0.12),
    ("Data cleaning", "hour", 80.0),
    ("Travel: train tickets", "trip", 64.3),
]
# Every status, in a fixed order that is not InvoiceStatus's: it decides which ids the demo invoices
# get, and recorded cassettes name them.
_STATUSES = [
    s.value
    for s in (
        InvoiceStatus.DRAFT,
        InvoiceStatus.OPEN,
        InvoiceStatus.OVERDUE,
        InvoiceStatus.PENDING,
        InvoiceStatus.PAYMENT_IN_TRANSIT,
        InvoiceStatus.PAID,
        InvoiceStatus.CANCELLED,
    )
]
_SPAN = 420
"""Days of history before ``today``: the demo invoices are dated relative to it, so that a demo on any
day has overdue, due-soon and paid invoices."""


def _epoch(today: date | None) -> datetime:
    """09:00 UTC, ``_SPAN`` days before ``today`` (the UTC date of a datetime; the wall clock's
    when ``None``)."""
    if today is None:
        day = _clock.today_utc()
    elif isinstance(today, datetime):
        day = (today if today.tzinfo is None else today.astimezone(timezone.utc)).date()
    else:
        day = today
    return datetime.combine(day, time(9), tzinfo=timezone.utc) - timedelta(days=_SPAN)


def wire_timestamp(t: datetime) -> str:
    """A UTC datetime as the API writes timestamps: ``2025-11-18T16:09:00.000Z`` (milliseconds)."""
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


_ID_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"


def _id(rng: random.Random, n: int = 22) -> str:
    """``n`` characters drawn as ``rng.choice(_ID_CHARS)`` would draw them (the same stream, so the
    demo ids stay as they were), three times faster: 10,000 invoices draw a million of them."""
    bits = rng.getrandbits
    chars: list[str] = []
    while len(chars) < n:
        r = bits(6)  # rejection sampling below len(_ID_CHARS) == 57, as Random._randbelow does
        if r < 57:
            chars.append(_ID_CHARS[r])
    return "".join(chars)


def _line_item(rng: random.Random, created: datetime, k: int, texts: dict[str, str]) -> dict[str, Any]:
    title, unit, price = rng.choice(_WORK)
    quantity = float(rng.randint(1, 12)) if unit != "word" else float(rng.randint(500, 4000))
    cost = round(price * (1 + rng.randint(-10, 10) / 100), 2)
    reimbursable = title.startswith("Travel")
    return {
        "costPerUnit": cost,
        "createdAt": wire_timestamp(created),
        "labels": {"project": texts.get("label", "zephyr"), "costCenter": f"CC-{rng.randint(100, 999)}"},
        "labelsBak2": {},
        "quantity": quantity,
        "reimbursableExpense": reimbursable,
        "totalCost": round(cost * quantity, 2),
        "unit": unit,
        "updatedAt": wire_timestamp(created + timedelta(hours=2)),
        "userRoles": {"ownerIds": [], "viewerIds": []},
        "description": texts.get("item", f"{title} #{k + 1}"),
        "detail": texts.get(
            "detail", f"Work performed per SOW section {rng.randint(1, 9)}.{rng.randint(1, 20)}"
        ),
        "discount": None,
        "integration": None,
    }


def make_invoice(
    seed: int,
    *,
    status: str | None = None,
    line_items: int | None = None,
    texts: dict[str, str] | None = None,
    invoice_id: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """One demo invoice as a wire dict. ``texts`` overrides free-text fields (for hostile-input demos).

    Its dates are relative to ``today`` (a date, or a datetime's UTC date; by default the wall
    clock's): pass one to get the same invoice on any day. Its ids never depend on it."""
    rng = random.Random(seed)
    epoch = _epoch(today)
    texts = texts or {}
    status = status or rng.choice(_STATUSES)
    name, company, email, (street, city, state, postal) = rng.choice(_MEMBERS)
    client_name, client_email = rng.choice(_CLIENTS)
    created = epoch + timedelta(days=rng.randint(0, 400), minutes=rng.randint(0, 600))
    if status in ("Open", "Pending"):
        # Still awaiting payment: sent recently, so that some are due in the coming weeks and a few
        # are a little late; long-past-due invoices carry the Overdue status. Derived from the seed,
        # not drawn, so that it takes nothing from the random stream every id comes from.
        created = epoch + timedelta(days=_SPAN - 2 - (seed * 11) % 28, minutes=created.minute)
    due = created + timedelta(days=rng.choice([14, 30, 45]))
    # A paid invoice was paid the day before it was due, in transit that night, deposited on its due
    # date; one still in transit has been since the night before.
    in_transit = due - timedelta(hours=12)
    # What must be over by today: an Overdue invoice's due date; a Paid one's deposit; an in-transit
    # one's payment. One that would fall today or later is moved back in time, to a few days before
    # (derived from the seed, as above: the random stream is untouched).
    deadline = {"Overdue": due, "Paid": due, "PaymentInTransit": in_transit}.get(status)
    late = 0 if deadline is None else (deadline.date() - (epoch + timedelta(days=_SPAN)).date()).days + 1
    if late > 0:
        created -= timedelta(days=late + seed % 14)
        due -= timedelta(days=late + seed % 14)
        in_transit -= timedelta(days=late + seed % 14)
    n_items = line_items if line_items is not None else rng.randint(1, 6)
    items = [_line_item(rng, created, k, texts) for k in range(n_items)]
    amount = round(sum(i["totalCost"] for i in items), 2)
    member_id, client_id = _id(rng), _id(rng)
    events: dict[str, Any] = {"sentAt": None, "openedAt": None, "paidAt": None, "cancelledAt": None}
    if status != "Draft":
        events["sentAt"] = wire_timestamp(created + timedelta(hours=1))
        events["emailViewedAt"] = [wire_timestamp(created + timedelta(days=1))]
    if status in ("Paid", "PaymentInTransit"):
        events["paymentInTransitAt"] = wire_timestamp(in_transit)
    if status == "Paid":
        events["paidAt"] = wire_timestamp(due - timedelta(days=1))
        events["depositedAt"] = wire_timestamp(due)
    if status == "Cancelled":
        events["cancelledAt"] = wire_timestamp(created + timedelta(days=3))
    return {
        "additionalRecipientEmails": [] if rng.random() < 0.6 else [f"finance@{client_email.split('@')[1]}"],
        "amount": amount,
        "client": {
            "comment": texts.get("comment"),
            "payDate": wire_timestamp(due) if status == "Paid" else None,
            "workflowStatus": "Approved" if status in ("Paid", "PaymentInTransit") else None,
            "workflowSubStatus": None,
        },
        "createdAt": wire_timestamp(created),
        "currency": "USD" if rng.random() < 0.85 else "CAD",
        "dueDate": wire_timestamp(due),
        "events": events,
        "invoiceId": invoice_id or _id(rng),
        "invoiceNumber": f"INV-{created.year}-{seed:04d}",
        "lineItems": items,
        "member": {
            "comment": None,
            "payoutPreferences": "Standard",
            "workflowStatus": None,
            "workflowSubStatus": None,
        },
        "memberAcceptsPayments": True,
        "memberAddress": {
            "addressLine1": street,
            "city": city,
            "postalCode": postal,
            "state": state,
            "addressLine2": None,
        },
        "memberClient": _member_client(
            rng, name, company, email, client_name, client_email, member_id, client_id, created
        ),
        "memberCompany": texts.get("company", company),
        "memberEmail": email,
        "memberLogoUrl": f"https://cdn.example.com/logos/{member_id[:10]}.png",
        "memberName": texts.get("member", name),
        "memberPaymentsVersion": 2,
        "memberStripeAccountId": f"acct_{_id(rng, 16)}",
        "projectName": texts.get(
            "project", f"{client_name} — Q{(created.month - 1) // 3 + 1} {created.year}"
        ),
        "status": status,
        "updatedAt": wire_timestamp(created + timedelta(days=2)),
        "acceptedPaymentMethods": ["ACH", "Credit"],
        "attachments": {
            "customAttachmentIds": None,
            "customAttachmentInfo": None,
            "invoiceLink": f"https://my.wingspan.app/invoice/{member_id[:8]}",
            "invoicePdf": texts.get("pdf", f"https://files.example.com/invoices/{member_id[:8]}.pdf"),
            "receiptPdf": None,
        },
        "chargedFees": {
            "lateFee": None,
            "processingFee": {"amount": round(amount * 0.029, 2), "calculatedAt": wire_timestamp(due)},
        }
        if status == "Paid"
        else None,
        "creditFeeHandling": _fee_split(seed),
        "invoiceNotes": texts.get("notes", "Thank you for your business."),
        "lateFeeHandling": None,
        "memberFormattedAddressLines": [street, f"{city}, {state} {postal}"],
        "metadata": {
            "purchaseOrderNumber": f"PO-{rng.randint(10000, 99999)}",
            "invoiceDate": wire_timestamp(created),
        },
        "paymentInfo": {
            "meansType": "Account",
            "meansLast4": str(rng.randint(1000, 9999)),
            "meansDescription": "Checking",
        }
        if status == "Paid"
        else None,
        "processingFees": None,
    }


def _fee_split(seed: int) -> dict[str, Any] | None:
    # Its own random stream, so that the other demo values (and the ids) do not depend on it.
    client_pays = random.Random(f"fees-{seed}").choice([0, 0, 0, 100, 50, None])
    if client_pays is None:
        return None
    return {"clientAbsolutePercentage": None, "clientPays": client_pays, "memberPays": 100 - client_pays}


def _member_client(
    rng: random.Random,
    name: str,
    company: str,
    email: str,
    client_name: str,
    client_email: str,
    member_id: str,
    client_id: str,
    created: datetime,
) -> dict[str, Any]:
    first, _, last = name.partition(" ")
    wire = {
        "accountNumber": str(rng.randint(10**11, 10**12)),
        "bankName": "SVB",
        "routingNumber": "249198861",
        "swiftCode": None,
    }
    user = {
        "email": client_email,
        "status": "Active",
        "tag": None,
        "profile": {"firstName": "Accounts", "lastName": "Payable"},
    }
    return {
        "achCreditAccount": wire,
        "client": {"user": user, "profile": {"company": {"name": client_name}}},
        "clientData": {"autoPayStrategy": "None", "externalId": None, "verificationStratgy": None},
        "clientId": client_id,
        "clientUserAccountType": "enterprise",
        "createdAt": wire_timestamp(created - timedelta(days=90)),
        "emailTo": client_email,
        "eventActors": {"createdAt": client_id},
        "events": {"activeAt": wire_timestamp(created - timedelta(days=89)), "pendingAt": None},
        "externalIds": {"bulk": None, "quickbooks": None, "stripe": None},
        "form1099Balances": {"2021": None, "2022": None},
        "formW9Data": {
            "addressLine1": "1 Main St",
            "city": "Austin",
            "companyStructure": "LlcSingleMember",
            "country": "US",
            "postalCode": "78701",
            "state": "TX",
            "firstName": first,
            "lastName": last,
            "legalBusinessName": company,
        },
        "internal": {"track": None, "unit": None},
        "internationalWireAccount": wire,
        "labels": {},
        "member": {
            "user": {"email": email, "status": "Active", "profile": {"firstName": first, "lastName": last}}
        },
        "memberClientId": _id(rng),
        "memberData": {"autoPayRequirement": None, "externalId": None, "shareTaxDocument": "Allow"},
        "memberId": member_id,
        "parentMemberClientId": "",
        "payerPayeeId": _id(rng),
        "status": "Active",
        "taxStatus": "Complete",
        "updatedAt": wire_timestamp(created - timedelta(days=1)),
        "userRoles": {"ownerIds": [member_id], "viewerIds": []},
        "company": client_name,
        "name": client_name,
    }


HOSTILE_TEXTS: dict[str, str] = {
    "project": "<script>alert('x')</script> Café déjà vu — $2.13 and $5.24",
    "member": 'Zoë "Quote" O\'Brien <b>bold</b>',
    "company": "Ünïcødé & Co <img src=x onerror=alert(1)>",
    "item": "Design $10 per $ item <i>italic</i> 日本語",
    "detail": "javascript:alert(1) and $x^2$ math",
    "notes": "Pay by $DATE. <a href='javascript:alert(1)'>click</a>",
    "comment": "Looks good ✅ but check line 3 & 4",
    "pdf": "javascript:alert('pdf')",
    "label": "<svg onload=alert(1)>",
}


def demo_invoices(count: int = 48, *, today: date | None = None) -> list[dict[str, Any]]:
    """The sandbox's default 48 invoices: every status, six members, five clients, overdue and paid
    ones, one with 300 line items, one with hostile texts. A larger ``count`` adds more of the kind.
    Dated relative to ``today``, as :func:`make_invoice` says."""
    day = _epoch(today).date() + timedelta(days=_SPAN)  # one reading of the clock for all of them
    invoices = [make_invoice(i, status=s, today=day) for i, s in enumerate(_STATUSES, start=1)]
    invoices.append(make_invoice(8, status="Open", line_items=300, today=day))
    invoices.append(make_invoice(9, status="Open", texts=HOSTILE_TEXTS, today=day))
    invoices.extend(make_invoice(i, today=day) for i in range(10, max(count, 9) + 1))
    return invoices[:count]
