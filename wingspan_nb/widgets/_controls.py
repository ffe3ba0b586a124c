"""ipywidgets controls for :class:`~._specs.FieldSpec`: core widgets (JupyterLab, Notebook 7, VS
Code, Colab), each top-level field with one invisible anywidget script for screen readers
(:class:`~._access.FormAccess`). Each control loads a value, reports the value the user set, and shows its own
validation or server message, and only its own: a group shows what is wrong with the group as a
whole, never a copy of its fields' messages."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

import ipywidgets as w

from .. import errors
from .._numbers import plain_decimal
from ..display import FORM_CSS, escape
from ..models import UNSET, Unset, wire_value
from ._access import FormAccess
from ._edit_state import EditState, Entry, NotValid
from ._specs import FieldSpec

__all__ = [
    "Control",
    "Invalid",
    "build_control",
    "field_class",
    "fit_width",
    "guarded",
    "read_state",
    "say",
    "status_line",
]

log = logging.getLogger("wingspan_nb")

_DESCRIPTION = {"description_width": "14em"}
_MESSAGE_INDENT = "0 0 0 15em"


def read_state(top: Sequence[Control]) -> EditState:
    """What the top-level controls hold now against what they were loaded with (a field that
    cannot be read holds a :class:`~._edit_state.NotValid`): the request they describe is
    :meth:`~._edit_state.EditState.request`."""
    entries = []
    for c in top:
        try:
            value = c.value()
        except Invalid as e:
            value = NotValid(str(e))
        entries.append(Entry(c.spec, c.original, value))
    return EditState(tuple(entries))


def fit_width() -> w.Layout:
    """A button's layout as wide as its label: ipywidgets' fixed width cuts "Reload from server" short."""
    return w.Layout(width="auto", flex="0 0 auto")


def status_line() -> w.HTML:
    """A widget's status line (what the last action did, or why not): ``.wsnb-status``, which the
    :class:`~._access.FormAccess` of the form around it makes a polite live region."""
    line = w.HTML()
    line.add_class("wsnb-status")
    return line


def say(line: w.HTML, text: str, kind: Literal["note", "ok", "error"] = "note") -> None:
    """Show ``text`` (plain, escaped here) on a status line, in the forms' message style; "" clears it."""
    line.value = f'<div class="wsnb-msg wsnb-msg-{kind}">{escape(text)}</div>' if text else ""


def guarded(
    action: Callable[[], object],
    line: w.HTML,
    *,
    what: str,
    kept: str = "",
    then: Callable[[], None] | None = None,
) -> Callable[..., None]:
    """A widget callback (a click, a change) running ``action()``, whatever the callback is passed.
    ipywidgets would only log an exception, out of the analyst's sight: it goes to the status
    ``line`` instead (followed by ``kept``, say "Your edits are kept."), and a bug (anything but a
    :class:`~wingspan_nb.errors.WingspanError`) is logged with its traceback. ``then`` puts the
    widget back in a usable state after a failure; ``what`` names the widget in the log."""

    def handler(*_: object) -> None:
        try:
            action()
        except Exception as e:
            said = f"{type(e).__name__}: {e}".rstrip(".") + "."
            if not isinstance(e, errors.WingspanError):
                log.exception("the %s failed", what)
                said = f"Something went wrong: {said}"
            say(line, f"{said} {kept}".strip(), "error")
            if then is not None:
                then()

    return handler


class Invalid(ValueError):
    """A control's value cannot be sent; the message says why."""


def _absent(value: Any) -> bool:
    return value is None or isinstance(value, Unset)


def _help(spec: FieldSpec) -> list[w.Widget]:
    """The field's one-line explanation under its input, if it has one."""
    if not spec.help:
        return []
    text = f'<div style="opacity:.75;font-size:12px;line-height:1.35">{escape(spec.help)}</div>'
    return [w.HTML(text, layout=w.Layout(margin=_MESSAGE_INDENT))]


class Control:
    """Base: ``widget`` is what is shown; ``value()`` what the user set (or raises :class:`Invalid`)."""

    def __init__(self, spec: FieldSpec) -> None:
        self.spec = spec
        self.message = w.HTML(layout=w.Layout(margin=_MESSAGE_INDENT))
        self.message.add_class("wsnb-field-message")
        self.original: Any = UNSET
        self.widget: w.Widget

    def load(self, value: Any) -> None:
        """Show ``value`` (a value, ``None`` for null, or ``UNSET`` for absent) as unchanged."""
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def entered(self) -> Any:
        """What the user put into this control's own input, as is (text still unparsed)."""
        raise NotImplementedError

    def reenter(self, entered: Any) -> None:
        """Put back what :meth:`entered` returned (after the base invoice was reloaded under it)."""
        raise NotImplementedError

    def edited(self) -> bool:
        """The user's own input here differs from what :meth:`load` showed (an invalid entry counts)."""
        return self.changed()

    def observe(self, callback: Callable[[], None]) -> None:
        raise NotImplementedError

    def set_enabled(self, enabled: bool) -> None:
        raise NotImplementedError

    def problem(self) -> str | None:
        """What is wrong with this field itself (``None`` when nothing is); a group does not repeat
        what its fields already say."""
        try:
            self.value()
        except Invalid as e:
            return str(e)
        return None

    def problems(self) -> dict[str, str]:
        """Every problem in this control (a group: and inside it) by the key of the field it is shown
        next to."""
        problem = self.problem()
        return {self.spec.key: problem} if problem else {}

    def set_message(self, text: str | None, *, warning: bool = False) -> None:
        """A validation or server message next to the field (escaped: it may quote the server); a
        ``warning`` (it does not block the save) in the theme's warning colour."""
        if warning:
            self.set_messages(None, [text] if text else [])
        else:
            self.set_messages(text)

    def set_messages(self, problem: str | None, warnings: Sequence[str] = ()) -> None:
        """Everything to say next to the field, one line each: the ``problem`` that blocks the save
        (error colour) first, then each warning (warning colour)."""
        lines = [(problem, "error")] if problem else []
        lines += [(text, "warn") for text in warnings]
        # The kind is a class (coloured by the form's stylesheet) that :class:`FormAccess` also reads:
        # an error marks the input aria-invalid, a warning only describes it.
        self.message.value = "".join(
            f'<div class="wsnb-msg wsnb-msg-{kind}">⚠ {escape(text)}</div>' for text, kind in lines
        )

    def caution(self) -> str | None:
        """A warning about the change made here that does not block it (the spec's ``caution``)."""
        if self.spec.caution is None:
            return None
        try:
            value = self.value()
        except Invalid:
            return None
        if value == self.original:
            return None
        return self.spec.caution(self.original, value)

    def changed(self) -> bool:
        try:
            return bool(self.value() != self.original)
        except Invalid:
            return True

    def check_rules(self, value: Any) -> Any:
        if not _absent(value):
            for rule in self.spec.rules:
                problem = rule.problem(value)
                if problem:
                    raise Invalid(f"{self.spec.label} {problem}")
        return value

    def controls(self) -> list[Control]:
        """This control and, for groups, every control inside it."""
        return [self]

    def focus_target(self) -> w.Widget | None:
        """The widget that takes the keyboard focus for this field (``None``: nothing to focus)."""
        return getattr(self, "input", None)


class DropdownControl(Control):
    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.input = w.Dropdown(
            description=spec.label, style=_DESCRIPTION, layout=w.Layout(width="32em", max_width="100%")
        )
        self.widget = w.VBox([self.input, *_help(spec), self.message])

    def _options(self, current: Any) -> list[tuple[str, Any]]:
        options = list(self.spec.choices)
        if self.spec.null_label is not None:
            options.insert(0, (self.spec.null_label, None))
        elif current is None:
            options.insert(0, ("(no value)", None))  # the server sent none: show it, offer no way back
        if not _absent(current) and all(v != current for _, v in options):
            options.append((f"{current} (not a known value)", current))  # a server value newer than us
        if current is UNSET:
            options.insert(0, ("(not set)", UNSET))
        return options

    def load(self, value: Any) -> None:
        self.original = value
        self.input.options = self._options(value)
        self.input.value = value

    def value(self) -> Any:
        return self.input.value

    def entered(self) -> Any:
        return self.input.value

    def reenter(self, value: Any) -> None:
        if all(v != value for _, v in self.input.options):
            self.input.options = [*self.input.options, (str(wire_value(value)), value)]
        self.input.value = value

    def observe(self, callback: Callable[[], None]) -> None:
        self.input.observe(lambda _: callback(), names="value")

    def set_enabled(self, enabled: bool) -> None:
        self.input.disabled = not enabled


class _TextInput(Control):
    """A text input; for an optional field, leaving it empty means "none"."""

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.input = w.Text(
            description=spec.label, style=_DESCRIPTION, layout=w.Layout(width="24em", max_width="100%")
        )
        row: list[w.Widget] = [self.input]
        if spec.unit:
            row.append(w.HTML(f"<span>{escape(spec.unit)}</span>", layout=w.Layout(margin="0 0 0 4px")))
        self.widget = w.VBox([w.HBox(row), *_help(spec), self.message])

    def load(self, value: Any) -> None:
        self.original = value
        self.input.value = "" if _absent(value) else self.show(value)
        # One word for "no value" in an optional field, whether the server sent null or nothing.
        self.input.placeholder = "none" if self.spec.nullable else "not set" if value is UNSET else ""

    def show(self, value: Any) -> str:
        return str(value)

    def parse(self, text: str) -> Any:
        return text

    def entered(self) -> str:
        return str(self.input.value)

    def reenter(self, entered: Any) -> None:
        self.input.value = entered

    def value(self) -> Any:
        text = self.input.value.strip()
        if not text:
            if self.original is UNSET:
                return UNSET
            if self.spec.nullable:
                return None
            raise Invalid(f"{self.spec.label}: enter a value")
        return self.check_rules(self.parse(text))

    def observe(self, callback: Callable[[], None]) -> None:
        self.input.observe(lambda _: callback(), names="value")

    def set_enabled(self, enabled: bool) -> None:
        self.input.disabled = not enabled


_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


class NumberControl(_TextInput):
    def show(self, value: Any) -> str:
        return plain_decimal(value) if isinstance(value, float) else str(value)

    def parse(self, text: str) -> float | int:
        cleaned = text.strip()
        if self.spec.unit:
            cleaned = cleaned.removesuffix(self.spec.unit).strip()
        if "," in cleaned:
            # "3,5" may mean 3.5 or 35: refuse rather than guess.
            raise Invalid(f"{self.spec.label}: {text!r}{self._comma_hint(cleaned)}")
        try:
            d = Decimal(cleaned)
        except InvalidOperation:
            raise Invalid(f"{self.spec.label}: {text!r} is not a number") from None
        if not d.is_finite():
            raise Invalid(f"{self.spec.label}: {text!r} is not a finite number")
        if not _PLAIN_NUMBER.fullmatch(cleaned):  # Decimal also reads "1_000" and "1e2"
            raise Invalid(f"{self.spec.label}: {text!r}: write a plain number, such as 12.5")
        integral = "." not in cleaned
        number = int(d) if integral else float(d)
        if isinstance(number, float) and not math.isfinite(number):
            raise Invalid(f"{self.spec.label}: {text!r} is out of range")
        return number

    def _comma_hint(self, cleaned: str) -> str:
        """What follows the entry in the message for a number with a comma: the number with a dot
        ("30.5"), and where the comma may be a thousands separator that breaks the field's rules, that
        first ("'1,000': a percentage is at most 100; for a decimal use a dot (1.0)")."""
        dotted = cleaned.replace(",", ".")
        if cleaned.count(",") != 1 or not _PLAIN_NUMBER.fullmatch(dotted):
            return " has a comma; use a dot for decimals and no thousands separators"
        decimal = format(Decimal(dotted).normalize(), "f")
        if _THOUSANDS.fullmatch(cleaned):
            many = int(cleaned.replace(",", ""))
            problem = next((p for rule in self.spec.rules if (p := rule.problem(many))), None)
            if problem:
                # Read as thousands it breaks the field's rule: say that first, then the decimal.
                limit = (
                    "a percentage is at most 100"
                    if self.spec.unit == "%"
                    else f"read as {many}, {self.spec.label} {problem}"
                )
                shown = decimal if "." in decimal else f"{decimal}.0"
                return f": {limit}; for a decimal use a dot ({shown})"
        return f" has a comma; use a dot for decimals: {decimal}"


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+")


class TextControl(_TextInput):
    pass


class CheckboxControl(Control):
    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.input = w.Checkbox(description=spec.label, style=_DESCRIPTION)
        self.widget = w.VBox([self.input, *_help(spec), self.message])

    def load(self, value: Any) -> None:
        self.original = value
        self.input.value = bool(value)

    def value(self) -> Any:
        return self.input.value

    def entered(self) -> bool:
        return bool(self.input.value)

    def reenter(self, entered: Any) -> None:
        self.input.value = bool(entered)

    def observe(self, callback: Callable[[], None]) -> None:
        self.input.observe(lambda _: callback(), names="value")

    def set_enabled(self, enabled: bool) -> None:
        self.input.disabled = not enabled


class GroupControl(Control):
    """A nested model as a boxed sub-form. Where null means something (``spec.null_label``), a
    checkbox in those words sets the whole group to null."""

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.children = [build_control(c) for c in spec.children]
        self.null = w.Checkbox(description=spec.null_label or "", indent=False, layout=w.Layout(width="auto"))
        self.null.observe(lambda _: self._sync_null(), names="value")
        self.message.layout.margin = "0"
        self.title = w.HTML(f"<b>{escape(spec.label)}</b>")
        parts = [
            self.title,
            *([self.null] if spec.null_label is not None else []),
            *(c.widget for c in self.children),
            self.message,
        ]
        self.widget = w.VBox(
            parts,
            layout=w.Layout(
                border="1px solid var(--jp-border-color2, #ccc)", padding="4px 8px", margin="4px 0"
            ),
        )

    @property
    def is_null(self) -> bool:
        return self.spec.null_label is not None and bool(self.null.value)

    def _sync_null(self) -> None:
        for c in self.children:
            c.set_enabled(not self.is_null)

    def load(self, value: Any) -> None:
        self.original = value
        self.null.value = value is None
        for c in self.children:
            c.load(UNSET if _absent(value) else getattr(value, c.spec.path[-1]))
        self._sync_null()

    def value(self) -> Any:
        if self.is_null:
            return None
        assert self.spec.model is not None
        values = {c.spec.path[-1]: c.value() for c in self.children}
        if _absent(self.original) and all(v is UNSET for v in values.values()):
            return self.original
        try:
            model = self.spec.model(**values)
        except ValueError as e:
            raise Invalid(str(e)) from None
        return self.check_rules(model)

    def problem(self) -> str | None:
        if self.is_null or any(c.problem() for c in self.children):
            return None  # each field says what is wrong with it
        return super().problem()

    def problems(self) -> dict[str, str]:
        if self.is_null:
            return {}  # the fields inside are neither sent nor checked
        inside = {k: v for c in self.children for k, v in c.problems().items()}
        return {**super().problems(), **inside}

    def entered(self) -> bool:
        """Only the "null" checkbox: each field inside keeps its own entry."""
        return bool(self.null.value)

    def reenter(self, entered: Any) -> None:
        self.null.value = bool(entered)

    def edited(self) -> bool:
        return self.spec.null_label is not None and bool(self.null.value) != (self.original is None)

    def observe(self, callback: Callable[[], None]) -> None:
        self.null.observe(lambda _: callback(), names="value")
        for c in self.children:
            c.observe(callback)

    def set_enabled(self, enabled: bool) -> None:
        self.null.disabled = not enabled
        for c in self.children:
            c.set_enabled(enabled and not self.is_null)

    def controls(self) -> list[Control]:
        return [self, *(d for c in self.children for d in c.controls())]


_CONTROLS: dict[str, type[Control]] = {
    "dropdown": DropdownControl,
    "number": NumberControl,
    "text": TextControl,
    "checkbox": CheckboxControl,
    "group": GroupControl,
}


def _hovered(control: Control) -> Any:
    """The widget that shows a field's tooltip: a field's own input, a group's title (a control of
    another kind: all of it)."""
    if isinstance(control, GroupControl):
        return control.title
    if isinstance(control, (DropdownControl, _TextInput, CheckboxControl)):
        return control.input
    return control.widget


def field_class(spec: FieldSpec) -> str:
    """The CSS class of a field's box (``wsnb-f-credit_fee_handling-client_pays``)."""
    return "wsnb-f-" + "-".join(spec.path)


def build_control(spec: FieldSpec) -> Control:
    """The control for ``spec``. Its box carries the classes the form's stylesheet and
    :class:`FormAccess` look for; a top-level field also brings the stylesheet along, so any form
    made of these controls (the edit form, the bulk editor) is styled alike."""
    control = _CONTROLS[spec.control](spec)
    # Hovering the field shows what it means and its wire name (FieldSpec.tooltip).
    _hovered(control).tooltip = spec.tooltip
    control.widget.add_class("wsnb-field")
    control.widget.add_class(field_class(spec))
    if len(spec.path) == 1:
        # Hidden: a <style> applies while hidden, and FormAccess draws nothing.
        support = w.VBox(
            [w.HTML(f"<style>{FORM_CSS}</style>"), FormAccess()], layout=w.Layout(display="none")
        )
        control.widget.children = (support, *control.widget.children)
    return control
