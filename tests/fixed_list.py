"""A small invoice list with fixed dates for the filter and report tests: two currencies, every
status, a due date on a leap day, an invoice due on TODAY. Numbers in the tests are worked out by
hand from the table below, never from the code under test."""

from __future__ import annotations

from datetime import date
from typing import Any

from wingspan_nb._invoices import InvoiceList
from wingspan_nb.models import ClientInvoice
from wingspan_nb.sandbox import make_invoice

TODAY = date(2028, 3, 1)  # the day after the leap day 2028-02-29

CLIENTS = {
    "acme": ("Acme Robotics", "billing@acme.example", "client-acme-0001"),
    "globex": ("Globex Corp", "ap@globex.example", "client-globex-02"),
}
MEMBERS = {
    "mateo": ("Mateo García", "García Ingeniería", "mateo@garcia.example", "member-mateo-01"),
    "ada": ("Ada Byrne", "Byrne Analytics", "ada@byrne.example", "member-ada-0002"),
}

# number, status, currency, amount, due, client, member, sent, paid, client share, processing, late
ROWS: list[tuple[Any, ...]] = [
    ("F-01", "Draft", "USD", 100.00, "2028-03-31", "acme", "mateo", None, None, 0, None, None),
    ("F-02", "Open", "USD", 1000.00, "2028-02-29", "acme", "mateo", "2028-01-30", None, 0, None, None),
    ("F-03", "Open", "USD", 250.50, "2028-03-01", "globex", "ada", "2028-02-01", None, 0, None, None),
    ("F-04", "Overdue", "USD", 2000.00, "2027-12-01", "globex", "mateo", "2027-11-01", None, 0, None, None),
    ("F-05", "Pending", "CAD", 300.00, "2028-01-31", "acme", "ada", "2028-01-01", None, 0, None, None),
    ("F-06", "Cancelled", "CAD", 400.00, "2028-01-01", "globex", "ada", "2027-12-01", None, 0, None, None),
    ("F-07", "PaymentInTransit", "CAD", 500.00, "2028-02-15", "acme", "mateo", "2028-01-15", None, 0, None, None),
    ("F-08", "Paid", "USD", 1200.00, "2028-02-10", "acme", "mateo", "2028-01-10", "2028-02-05", 0, 34.80, None),
    ("F-09", "Paid", "USD", 900.00, "2028-02-20", "acme", "ada", "2028-01-20", "2028-02-29", 50, 26.10, 16.00),
    ("F-10", "Paid", "CAD", 600.00, "2028-01-31", "globex", "mateo", "2028-01-01", "2028-01-21", None, 17.40, None),
    ("F-11", "Overdue", "CAD", 700.00, "2027-12-31", "globex", "ada", "2027-12-01", None, 0, None, None),
]  # fmt: skip


def _stamp(day: str | None) -> str | None:
    return None if day is None else f"{day}T15:30:00.000Z"


def invoice_dict(row: tuple[Any, ...], seed: int) -> dict[str, Any]:
    number, status, currency, amount, due, client, member, sent, paid, share, processing, late = row
    doc = make_invoice(seed, status=status, line_items=1)
    company, email, client_id = CLIENTS[client]
    name, member_company, member_email, member_id = MEMBERS[member]
    doc.update(
        invoiceNumber=number,
        currency=currency,
        amount=amount,
        dueDate=_stamp(due),
        projectName=f"Project {number}",
        invoiceNotes=f"Notes of {number}",
        memberName=name,
        memberCompany=member_company,
        memberEmail=member_email,
        creditFeeHandling=None
        if share is None
        else {"clientAbsolutePercentage": None, "clientPays": share, "memberPays": 100 - share},
        chargedFees={
            "processingFee": None
            if processing is None
            else {"amount": processing, "calculatedAt": _stamp(paid)},
            "lateFee": None if late is None else {"amount": late, "calculatedAt": _stamp(paid)},
        },
    )
    doc["events"].update(sentAt=_stamp(sent), paidAt=_stamp(paid))
    doc["memberClient"].update(
        company=company, name=company, emailTo=email, clientId=client_id, memberId=member_id
    )
    (item,) = doc["lineItems"]
    item.update(
        description=f"Work for {number}", detail=None, totalCost=amount, costPerUnit=amount, quantity=1.0
    )
    return doc


def fixed_list() -> InvoiceList:
    return InvoiceList(ClientInvoice.from_dict(invoice_dict(row, n)) for n, row in enumerate(ROWS))


def numbers(invoices: InvoiceList) -> list[str]:
    return [inv.invoice_number for inv in invoices]
