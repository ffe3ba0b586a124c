"""Everything wingspan_nb raises, in one hierarchy.

::

    WingspanError
    ├── InvalidRequestError (also ValueError)      bad input caught before any I/O
    │   ├── InvalidIdError                          an id that can never be sent: empty, ".", "..", a lone surrogate
    │   └── InvalidTypeError (also TypeError)       an argument of the wrong type (to_dataframe given a dict)
    ├── MissingDependencyError (also ImportError)  an optional extra is not installed (pandas for DataFrames)
    ├── InvalidDocumentError (also ValueError)      a document does not fit the models (.path, .document)
    ├── SnapshotError (also ValueError, OSError)    a snapshot cannot be read as saved, or cannot be written
    ├── APIConnectionError                          no usable reply: refused, reset, cut off, DNS, TLS
    │   ├── APITimeoutError                         connect timeout, or the reply not complete in time
    │   └── ResponseTooLargeError                   the reply is larger than max_response_bytes
    └── SDKError                                    the server replied, and not with what was asked for
        ├── BadRequestError          400
        ├── AuthenticationError      401
        ├── PermissionDeniedError    403
        ├── NotFoundError            404
        ├── ConflictError            409
        ├── UnprocessableEntityError 422  (.validation: the server's list of problems)
        ├── RateLimitError           429  (.retry_after)
        ├── ServerError              5xx
        ├── UnexpectedResponseError  any other status, or a 2xx whose body is not JSON
        └── ResponseValidationError  a 2xx whose JSON does not fit the models
                                          (also InvalidDocumentError: .path, .document)

Every error has ``outcome_unknown``: ``True`` when the request may have reached the server but no
usable reply came back (a reply cut off, a read timeout, a 5xx, a 3xx or a 2xx that cannot be read after a
change), so a change it asked for may or may not have been applied; get the invoice again to find out. It is
``False`` when nothing was sent, the server's answer is known (a 4xx), or the request was a ``GET``
(a read changes nothing, whether or not its reply came back).

Messages never contain the API token, and the client's own token is scrubbed from reply bodies; ids
in messages are shortened (:func:`short_id`). Every error survives ``pickle`` with its type, message
and attributes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

from ._displayable import Displayable
from ._sensitive import masked_body, masked_document

if TYPE_CHECKING:
    import requests

# What users catch. The message helpers below (short_id, shorten, outcome_unknown_after,
# unknown_outcome_note) serve the package's own modules and stay out of __all__.
__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfirmationRequiredError",
    "ConflictError",
    "ExportError",
    "InvalidDocumentError",
    "InvalidIdError",
    "InvalidRequestError",
    "InvalidTypeError",
    "MissingDependencyError",
    "NoMatchError",
    "NotFoundError",
    "NotebookRequiredWarning",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "SDKError",
    "ServerError",
    "SnapshotError",
    "SnapshotWarning",
    "UnexpectedResponseError",
    "UnknownEnumValueWarning",
    "UnprocessableEntityError",
    "WingspanError",
]

_EXCERPT = 300
_ID_LIMIT = 60
_TEXT_LIMIT = 200


def short_id(value: str, limit: int = _ID_LIMIT) -> str:
    """An id, URL or other value the analyst may need to recognise, as it goes into a message: whole
    when short, else its start and end with its length, so a 100,000-character id does not make a
    100 KB message."""
    if len(value) <= limit:
        return value
    return f"{value[: limit - 20]}…{value[-12:]} ({len(value):,} characters)"


def shorten(text: str, limit: int = _TEXT_LIMIT) -> str:
    """Free text (another exception's message, a ``repr``, a reply's body) as it goes into a message:
    whole when short, else its first ``limit - 1`` characters and ``…``."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


SAFE_METHODS: Final = frozenset({"GET", "HEAD"})
"""Methods that change nothing on the server: a reply to one never leaves a change's fate unknown."""

RECHECK: Final = "get the invoice again to see its state before doing anything else."
"""What to do when a change may or may not have been applied: every such message ends with it."""


def outcome_unknown_after(method: str, status: int) -> bool:
    """Whether a ``method`` request answered with ``status`` (a reply that is an error, or that could
    not be read) may still have changed the invoice. Only a 4xx says the server refused: a 2xx did
    act, a 5xx may come after it acted (a gateway timing out on it, say), and a 3xx may too (a
    "303 See Other" after the change). Never for :data:`SAFE_METHODS`."""
    return method not in SAFE_METHODS and not 400 <= status < 500


def unknown_outcome_note(status: int | None = None) -> str:
    """The sentence that says a change may or may not have been applied, and what to do: after a
    reply with ``status``, or after no usable reply at all (``None``: cut off, timed out)."""
    if status is not None and 200 <= status < 300:
        lead = "The server reported success, but its reply cannot be used"
    elif status is not None and 300 <= status < 400:
        lead = "The change was redirected, not answered, and may or may not have been applied"
    elif status is not None and status >= 500:
        lead = "The Wingspan server failed while handling the change, which may or may not have been applied"
    else:
        lead = "The change may or may not have been applied"
    return f"{lead}: {RECHECK}"


def _restore(cls: type[WingspanError], args: tuple[Any, ...]) -> WingspanError:
    error = cls.__new__(cls, *args)
    error.args = args  # OSError's __new__ leaves them to __init__, which unpickling does not call
    return error


class WingspanError(Exception, Displayable):
    """Base of every error wingspan_nb raises."""

    outcome_unknown: bool = False
    """``True`` when the request may have reached the server and its fate is not known (a change may
    or may not have been applied); see the module's docstring."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's own pickling calls cls(*args), which keyword-only constructors refuse:
        # rebuild without __init__ and restore the attributes instead.
        return (_restore, (type(self), self.args), self.__dict__)


class UnknownEnumValueWarning(UserWarning):
    """The server sent an enum value this version does not know; it was kept as an
    :class:`~wingspan_nb.models.UnknownEnumValue` (a ``str``)."""


class InvalidRequestError(WingspanError, ValueError):
    """A request argument is invalid; nothing was sent."""


class NoMatchError(WingspanError, LookupError):
    """A lookup on a local list (``InvoiceList.find``) did not match exactly one invoice; ``count`` is
    how many matched (0, or more than one). Nothing was sent."""

    def __init__(self, message: str, *, count: int) -> None:
        self.count = count
        super().__init__(message)


class ConfirmationRequiredError(InvalidRequestError):
    """A bulk plan would move settled invoices (Paid, Cancelled) to another status and was applied
    without ``confirm_settled=True``; nothing was sent. ``count`` says how many invoices."""

    def __init__(self, message: str, *, count: int = 0) -> None:
        super().__init__(message)
        self.count = count


class InvalidIdError(InvalidRequestError):
    """An invoice id that can never be valid (empty, ``.``, ``..``, stray white space, or characters a URL
    cannot carry such as a lone surrogate); nothing was sent."""


class InvalidTypeError(InvalidRequestError, TypeError):
    """An argument of the wrong type (``to_dataframe`` given something that is not an invoice);
    nothing was done. Also a ``TypeError``, which is what Python code catches for one."""


class MissingDependencyError(WingspanError, ImportError):
    """An optional library a call needs is not installed (pandas for DataFrames, openpyxl, pyarrow,
    polars); the message names the ``pip install`` that adds it. Also an ``ImportError``."""


class InvalidDocumentError(WingspanError, ValueError):
    """A JSON document does not fit the models.

    ``path`` is the wire path of the first offending value (``$.lineItems[3].totalCost``),
    ``reason`` what is wrong with it, and ``document`` the parsed JSON, so the data is not lost.
    """

    def __init__(self, path: str, reason: str, *, document: Any, model: type | None = None) -> None:
        self.path = path
        self.reason = reason
        self.document = document
        self.model = model
        what = f" as {model.__name__}" if model is not None else ""
        super().__init__(
            f"{path} {reason}. The document could not be read{what}; "
            "the parsed JSON is kept on this error as .document."
        )


class SnapshotError(WingspanError, OSError, ValueError):
    """A snapshot cannot be read back exactly as it was saved (missing, cut off, damaged, changed since,
    not UTF-8), or cannot be written (a full disk, a symlink loop). ``file`` is the file, ``line`` the
    line (1-based) where reading stopped (0 for a save), and ``partial`` the
    :class:`~wingspan_nb.InvoiceList` of the lines before it that are verified to be as
    saved (empty when nothing could be verified, ``None`` for a save). Also an ``OSError``, so that
    ``except OSError`` around file work still catches a full disk.
    """

    def __init__(self, message: str, *, file: str, line: int = 0, partial: Any = None) -> None:
        self.file = file
        self.line = line
        self.partial = partial
        super().__init__(message)


class NotebookRequiredWarning(WingspanError, UserWarning):
    """A form was opened outside a notebook's kernel (a script, a terminal): it has nowhere to be
    drawn there. The message says what to call instead."""


class SnapshotWarning(WingspanError, UserWarning):
    """A snapshot was used without the check that it holds what was saved (it has no provenance
    file: an older snapshot, or a file from elsewhere), or could not be used or written by
    ``list(snapshot=...)``, which then downloaded instead."""


class ExportError(WingspanError, OSError):
    """An export (Excel, Parquet) could not be written: the disk or the folder refused it. Nothing was
    written; a file already at the path is as it was."""


class APIConnectionError(WingspanError):
    """No usable reply from the server (connection refused or reset, a reply cut off, DNS, TLS).

    ``outcome_unknown`` is ``True`` when a change (not a ``GET``) may have reached the server
    (anything but a refused connection or a connect timeout)."""

    def __init__(self, message: str, *, method: str, url: str, outcome_unknown: bool = False) -> None:
        self.method = method
        self.url = url
        self.outcome_unknown = outcome_unknown
        super().__init__(message)


class APITimeoutError(APIConnectionError):
    """The server did not answer in time: the connection was not made within the connect timeout, or
    the whole reply did not arrive within the read timeout."""


class ResponseTooLargeError(APIConnectionError):
    """The reply is larger (once decompressed) than the client's ``max_response_bytes`` (``.limit``);
    reading stopped there."""

    def __init__(
        self, message: str, *, method: str, url: str, limit: int, outcome_unknown: bool = False
    ) -> None:
        self.limit = limit
        super().__init__(message, method=method, url=url, outcome_unknown=outcome_unknown)


class SDKError(WingspanError):
    """The server answered with something other than the requested invoice.

    Attributes: ``status_code``, ``body`` (the reply text), ``raw_response`` (the
    :class:`requests.Response`, with the ``Authorization`` header of its request redacted),
    ``method`` and ``url``. After a change (not a ``GET``), a 2xx that cannot be read and a 5xx have
    ``outcome_unknown`` set: the change may have been applied.
    """

    hint = "See the body for details."

    def __init__(self, message: str | None = None, *, raw_response: requests.Response) -> None:
        self.raw_response = raw_response
        self.status_code: int = raw_response.status_code
        self.body: str = raw_response.text
        self.method: str = raw_response.request.method or "?"
        self.url: str = raw_response.request.url or raw_response.url
        self.content_type: str = raw_response.headers.get("Content-Type", "")
        self.outcome_unknown: bool = outcome_unknown_after(self.method, self.status_code)
        if not message:
            try:
                message = self._message()
            except RecursionError:  # what the server sent nests too deeply to be shown
                message = f"{self.method} {_path_of(self.url)} → {self.status_code}. {self.hint} (The body nests too deeply to be shown; it is on .body.)"
        if self.outcome_unknown and self.status_code < 400:  # a 5xx says it in its hint
            message += " " + unknown_outcome_note(self.status_code)
        # Not super(): ResponseValidationError also derives from InvalidDocumentError.
        WingspanError.__init__(self, message)

    def _message(self) -> str:
        excerpt = shorten(" ".join(masked_body(self.body).split()), _EXCERPT)
        reason = self.raw_response.reason or ""
        head = f"{self.method} {_path_of(self.url)} → {self.status_code} {reason}".rstrip()
        body = f" Body: {excerpt}" if excerpt else ""
        return f"{head}. {self.hint}{body}"


def _path_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = "/".join(short_id(segment) for segment in parts.path.split("/"))
    return path + (f"?{short_id(parts.query)}" if parts.query else "")


class BadRequestError(SDKError):
    """400: the server could not read the request."""

    hint = "The request body was not accepted as JSON; check the values you passed."

    def __init__(self, message: str | None = None, *, raw_response: requests.Response) -> None:
        if (raw_response.request.method or "").upper() in ("GET", "HEAD"):  # sent no body to blame
            self.hint = "The server could not read the request; check the id and the arguments you passed."
        super().__init__(message, raw_response=raw_response)


class AuthenticationError(SDKError):
    """401: the token is missing, expired or wrong."""

    hint = (
        "Check the API token: pass Wingspan(token=...) or set WINGSPAN_API_TOKEN "
        "(or use Wingspan.sandbox() to try things without an account)."
    )


class PermissionDeniedError(SDKError):
    """403: the token may not read or change this invoice."""

    hint = "The token is valid but may not access this invoice; ask for access or use another account."


class NotFoundError(SDKError):
    """404: no invoice with this id (or it belongs to another account)."""

    hint = "No invoice has this id for this account; check the id (copy it from invoiceId)."


class ConflictError(SDKError):
    """409: the invoice cannot be changed in its current state."""

    hint = "The invoice changed or is in a state that forbids this change; reload it and try again."


class UnprocessableEntityError(SDKError):
    """422: the server rejected a value. ``validation`` lists its problems (as the server sent them,
    sensitive values included; the message shows them masked)."""

    hint = "The server rejected a value; see .validation for which field and why."

    def __init__(self, message: str | None = None, *, raw_response: requests.Response) -> None:
        self.validation: list[dict[str, Any]] = _validation_list(raw_response)
        super().__init__(message, raw_response=raw_response)

    def _message(self) -> str:
        if not self.validation:
            return super()._message()
        # .validation keeps the server's values; the message, like any view, shows them masked.
        shown = self.validation[:MESSAGE_PROBLEMS]
        items = "; ".join(shorten(_problem(masked_document(v)), _EXCERPT) for v in shown)
        return f"{self.method} {_path_of(self.url)} → 422. The server rejected: {items}{more_problems(self)}"


MESSAGE_PROBLEMS: Final = 20
"""How many of a 422's problems its message lists; all of them are on ``.validation``."""


def more_problems(error: UnprocessableEntityError, shown: int = MESSAGE_PROBLEMS) -> str:
    """`` … and 49,980 more (all on .validation)`` when a 422 lists more problems than ``shown``."""
    more = len(error.validation) - shown
    return f" … and {more:,} more (all on .validation and .raw_response)" if more > 0 else ""


def _validation_list(response: requests.Response) -> list[dict[str, Any]]:
    from . import _wire_json

    try:
        data = _wire_json.loads(response.content)  # refuses nesting deeper than 1,024
    except ValueError:
        return []
    items = data.get("validation") if isinstance(data, dict) else None
    return [v for v in items if isinstance(v, dict)] if isinstance(items, list) else []


def validation_path(item: dict[str, Any]) -> tuple[str, ...] | None:
    """Where one of a 422's problems lies, as wire path parts (``("body", "lineItems", "0")``): its
    ``location``, ``loc`` or ``path``, a list of strings and numbers or one dotted string; ``()``
    when it says none, ``None`` when it is something else (a mapping, a nested list)."""
    where = next((item[key] for key in ("location", "loc", "path") if key in item), None)
    if where is None or where == "":
        return ()
    if isinstance(where, str):
        return tuple(where.split("."))
    if isinstance(where, list | tuple) and all(
        isinstance(p, str) or (isinstance(p, int) and not isinstance(p, bool)) for p in where
    ):
        return tuple(str(p) for p in where)
    return None


def validation_field(item: dict[str, Any]) -> str:
    """Where one of a 422's problems lies, dotted (``lineItems.0.quantity``, see
    :func:`validation_path`); ``?`` when it says none, a location of another shape as JSON text."""
    path = validation_path(item)
    if path is None:
        where = next(item[key] for key in ("location", "loc", "path") if key in item)
        return json.dumps(where, ensure_ascii=False, default=str)
    return ".".join(path) or "?"


def validation_message(item: dict[str, Any]) -> Any:
    """What is wrong, per one of a 422's problems: its ``message`` or ``msg``; ``None`` when it says
    neither."""
    return next((item[key] for key in ("message", "msg") if key in item), None)


def _problem(item: dict[str, Any]) -> str:
    message = validation_message(item)
    return f"{validation_field(item)}: {item if message is None else message}"


class RateLimitError(SDKError):
    """429: too many requests. ``retry_after`` is the server's wait in seconds, if it said."""

    def __init__(self, message: str | None = None, *, raw_response: requests.Response) -> None:
        self.retry_after: float | None = parse_retry_after(raw_response.headers.get("Retry-After"))
        wait = f"{self.retry_after:g} s" if self.retry_after is not None else "a moment"
        self.hint = f"Too many requests; wait {wait} and try again, or fetch fewer at once."
        super().__init__(message, raw_response=raw_response)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date), or ``None``."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from datetime import timezone
    from email.utils import parsedate_to_datetime

    from . import _clock

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - _clock.utc_now()).total_seconds())


class ServerError(SDKError):
    """5xx: the server failed. GETs were already retried; after a change, ``outcome_unknown`` is set."""

    hint = "The Wingspan server failed; try again in a minute. Nothing you sent is wrong."

    def __init__(self, message: str | None = None, *, raw_response: requests.Response) -> None:
        if outcome_unknown_after(raw_response.request.method or "?", raw_response.status_code):
            self.hint = unknown_outcome_note(raw_response.status_code)
        super().__init__(message, raw_response=raw_response)


class UnexpectedResponseError(SDKError):
    """A status the API does not use for this call, or a 2xx whose body is not JSON."""

    hint = "The server replied in a way this client does not expect; the raw reply is on .raw_response."


class ResponseValidationError(SDKError, InvalidDocumentError):
    """A 2xx whose JSON does not fit the models. ``document`` keeps the parsed JSON, ``path`` and
    ``reason`` say what did not fit."""

    def __init__(self, cause: InvalidDocumentError, *, raw_response: requests.Response) -> None:
        self.path = cause.path
        self.reason = cause.reason
        self.document = cause.document
        self.model = cause.model
        SDKError.__init__(self, None, raw_response=raw_response)

    def _message(self) -> str:
        return (
            f"{self.method} {_path_of(self.url)} → {self.status_code}, but the reply does not fit the "
            f"{self.model.__name__ if self.model else 'model'}: {self.path} {self.reason}. "
            "The parsed JSON is kept on this error as .document."
        )
