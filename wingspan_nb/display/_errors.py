"""The HTML view of errors: a short card, in the theme's error colour, that says what went wrong and
what to do next; the reply body waits in a collapsed section."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from .. import errors
from .._sensitive import masked_body, masked_document, masked_text
from ._html import details, esc, table, text
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
    (errors.ResponseTooLargeError, "The reply is larger than the client accepts"),
    (errors.APITimeoutError, "The server did not answer in time"),
    (errors.APIConnectionError, "Could not reach the server"),
    (errors.InvalidIdError, "Not a valid invoice id"),
    (errors.InvalidRequestError, "Invalid value"),
    (errors.InvalidDocumentError, "The document does not fit the models"),
)

_BODY_LIMIT = 20_000
_TABLE_PROBLEMS = 50  # a 422's problems in its table; all of them are on .validation
# A word with a digit, slash, underscore or dot inside (an id, a path, a URL) is kept on one line.
_IDENTIFIER = re.compile(r"\S*[\d/_.]\S*")


def _message(message: str) -> str:
    """The message as text, with each identifier-like word unbreakable."""
    out = []
    for word in message.split(" "):
        shown = text(word, 2000) if word else ""
        if len(word) >= 8 and _IDENTIFIER.fullmatch(word):
            shown = f'<span class="wsnb-nowrap">{shown}</span>'
        out.append(shown)
    return " ".join(out)


def _body(e: errors.SDKError, opts: DisplayOptions) -> str:
    """The reply body, whatever its kind (JSON pretty-printed), with sensitive numbers masked as in
    every view unless ``show_sensitive`` is set."""
    if opts.show_sensitive:
        try:
            shown = json.dumps(json.loads(e.body), indent=2, ensure_ascii=False)
        except (ValueError, RecursionError):
            shown = e.body
    else:
        shown = masked_body(e.body, indent=2)
    if len(shown) > _BODY_LIMIT:
        shown = shown[:_BODY_LIMIT] + "\n…"
    return f"<pre>{esc(shown)}</pre>"


@renders(errors.WingspanError)
def error_card(e: errors.WingspanError, opts: DisplayOptions) -> str:
    title = next((t for cls, t in _TITLES if isinstance(e, cls)), "Error")
    if e.outcome_unknown:
        title = "Unknown outcome: the change may or may not have been applied"
    status = f" ({e.status_code})" if isinstance(e, errors.SDKError) else ""
    message = str(e)
    has_body = isinstance(e, errors.SDKError) and bool(e.body.strip())
    if has_body:
        message = message.split(" Body: ", 1)[0]  # the body has its own section below
    if not opts.show_sensitive:
        message = masked_text(message)
    parts = [
        f'<p class="wsnb-title">{esc(title)}{status}</p>',
        f'<p class="wsnb-message">{_message(message)}</p>',
    ]
    if isinstance(e, errors.UnprocessableEntityError) and e.validation:
        shown = e.validation[:_TABLE_PROBLEMS]
        rows = [
            [
                f'<code class="wsnb-id">{text(errors.validation_field(v), 120)}</code>',
                text(_or_empty(errors.validation_message(v)), opts.max_string_length),
            ]
            for v in (shown if opts.show_sensitive else map(masked_document, shown))
        ]
        parts.append(table(["Field", "Problem"], rows))
        if len(e.validation) > _TABLE_PROBLEMS:
            parts.append(f'<p class="wsnb-muted">{esc(errors.more_problems(e, _TABLE_PROBLEMS).strip())}</p>')
    if isinstance(e, errors.InvalidDocumentError) and not isinstance(e, errors.SDKError):
        parts.append(
            f'<p>Path: <code class="wsnb-id">{esc(e.path)}</code>. The parsed JSON is on <code>.document</code>.</p>'
        )
    if isinstance(e, errors.SDKError) and has_body:
        parts.append(details("Reply body", _body(e, opts), open_=False, name="body"))
    parts.append(f'<p class="wsnb-muted"><code class="wsnb-id">{esc(type(e).__name__)}</code></p>')
    return f'<div class="wsnb-card wsnb-error" role="alert">{"".join(parts)}</div>'


def _or_empty(message: Any) -> Any:
    return "" if message is None else message
