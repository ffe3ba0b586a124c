"""The HTML view of errors: a short card that says what went wrong and what to do next."""

from __future__ import annotations

from collections.abc import Sequence

from .. import errors
from ._html import esc, table, text
from ._options import DisplayOptions
from ._registry import renders

_TITLES: Sequence[tuple[type[BaseException], str]] = (
    (errors.AuthenticationError, "Not authenticated"),
    (errors.PermissionDeniedError, "Not allowed"),
    (errors.NotFoundError, "Invoice not found"),
    (errors.UnprocessableEntityError, "The server rejected a value"),
    (errors.RateLimitError, "Too many requests"),
    (errors.ServerError, "The Wingspan server failed"),
    (errors.ResponseValidationError, "The reply does not fit the models"),
    (errors.SDKError, "The server said no"),
    (errors.APITimeoutError, "The server did not answer in time"),
    (errors.APIConnectionError, "Could not reach the server"),
    (errors.InvalidIdError, "Not a valid invoice id"),
    (errors.InvalidRequestError, "Invalid value"),
    (errors.InvalidDocumentError, "The document does not fit the models"),
)


@renders(errors.WingspanError)
def error_card(e: errors.WingspanError, opts: DisplayOptions) -> str:
    title = next((t for cls, t in _TITLES if isinstance(e, cls)), "Error")
    status = f" ({e.status_code})" if isinstance(e, errors.SDKError) else ""
    parts = [f'<p class="wsnb-title">{esc(title)}{status}</p>', f"<p>{text(str(e), 2000)}</p>"]
    if isinstance(e, errors.UnprocessableEntityError) and e.validation:
        rows = [
            [
                f"<code>{text('.'.join(map(str, v.get('location', []))) or '?', 120)}</code>",
                text(v.get("message", ""), opts.max_string_length),
            ]
            for v in e.validation
        ]
        parts.append(table(["Field", "Problem"], rows))
    if isinstance(e, errors.InvalidDocumentError) and not isinstance(e, errors.SDKError):
        parts.append(
            f"<p>Path: <code>{esc(e.path)}</code>. The parsed JSON is on <code>.document</code>.</p>"
        )
    parts.append(f'<p class="wsnb-muted">{esc(type(e).__name__)}</p>')
    return f'<div class="wsnb-card wsnb-error" role="alert">{"".join(parts)}</div>'
