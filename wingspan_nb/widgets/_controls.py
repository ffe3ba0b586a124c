"""ipywidgets controls for :class:`~._specs.FieldSpec`: core widgets only (JupyterLab, Notebook 7,
VS Code, Colab). Each control loads a value, reports the value the user set, and shows its own
validation or server message."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

import ipywidgets as w

from ..display._html import esc
from ..models import UNSET, Unset
from ._specs import FieldSpec

__all__ = ["Control", "Invalid", "build_control"]

_DESCRIPTION = {"description_width": "14em"}
_NULL = "— null —"


class Invalid(ValueError):
    """A control's value cannot be sent; the message says why."""


class Control:
    """Base: ``widget`` is what is shown; ``value()`` what the user set (or raises :class:`Invalid`)."""

    def __init__(self, spec: FieldSpec) -> None:
        self.spec = spec
        self.message = w.HTML(layout=w.Layout(margin="0 0 0 15em"))
        self.original: Any = UNSET
        self.widget: w.Widget

    def load(self, value: Any) -> None:
        """Show ``value`` (a value, ``None`` for null, or ``UNSET`` for absent) as unchanged."""
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def restore(self, value: Any) -> None:
        """Show a user's edit again (after the base invoice was reloaded under it)."""
        raise NotImplementedError

    def observe(self, callback: Callable[[], None]) -> None:
        raise NotImplementedError

    def set_enabled(self, enabled: bool) -> None:
        raise NotImplementedError

    def set_message(self, text: str | None) -> None:
        """A validation or server message next to the field (escaped: it may quote the server)."""
        self.message.value = (
            f'<span style="color:var(--jp-error-color1,#c4314b)">⚠ {esc(text)}</span>' if text else ""
        )

    def changed(self) -> bool:
        try:
            return bool(self.value() != self.original)
        except Invalid:
            return True

    def check_rules(self, value: Any) -> Any:
        if value is not None and not isinstance(value, Unset):
            for rule in self.spec.rules:
                if not rule.test(value):
                    raise Invalid(rule.message)
        return value

    def controls(self) -> list[Control]:
        """This control and, for groups, every control inside it."""
        return [self]


class DropdownControl(Control):
    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.input = w.Dropdown(description=spec.label, style=_DESCRIPTION, layout=w.Layout(width="32em"))
        self.widget = w.VBox([self.input, self.message])

    def _options(self, current: Any) -> list[tuple[str, Any]]:
        options = list(self.spec.choices)
        if self.spec.nullable:
            options.insert(0, (_NULL, None))
        if current is not None and current is not UNSET and all(v != current for _, v in options):
            options.append((f"{current} (not a known value)", current))  # a server value newer than us
        if current is UNSET:
            options.insert(0, ("— not set —", UNSET))
        return options

    def load(self, value: Any) -> None:
        self.original = value
        self.input.options = self._options(value)
        self.input.value = value

    def value(self) -> Any:
        return self.input.value

    def restore(self, value: Any) -> None:
        if all(v != value for _, v in self.input.options):
            self.input.options = [*self.input.options, (str(getattr(value, "value", value)), value)]
        self.input.value = value

    def observe(self, callback: Callable[[], None]) -> None:
        self.input.observe(lambda _: callback(), names="value")

    def set_enabled(self, enabled: bool) -> None:
        self.input.disabled = not enabled


class _NullableInput(Control):
    """A text input plus, for nullable fields, an explicit "null" checkbox."""

    placeholder = ""

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.input = w.Text(description=spec.label, style=_DESCRIPTION, layout=w.Layout(width="24em"))
        self.null = w.Checkbox(description="null", indent=False, layout=w.Layout(width="6em"))
        self.null.observe(lambda _: self._sync_null(), names="value")
        row = [self.input, self.null] if spec.nullable else [self.input]
        self.widget = w.VBox([w.HBox(row), self.message])

    def _sync_null(self) -> None:
        self.input.disabled = self.null.value
        self.input.placeholder = "null" if self.null.value else self.placeholder

    def load(self, value: Any) -> None:
        self.original = value
        self.null.value = value is None
        self.input.value = "" if value is None or value is UNSET else self.show(value)
        self.placeholder = "not set" if value is UNSET else ""
        self._sync_null()

    def show(self, value: Any) -> str:
        return str(value)

    def parse(self, text: str) -> Any:
        return text

    def restore(self, value: Any) -> None:
        self.null.value = value is None
        self.input.value = "" if value is None or isinstance(value, Unset) else self.show(value)

    def value(self) -> Any:
        if self.spec.nullable and self.null.value:
            return None
        text = self.input.value.strip()
        if not text:
            if self.original is UNSET:
                return UNSET
            raise Invalid("enter a value" + (", or tick null" if self.spec.nullable else ""))
        return self.check_rules(self.parse(text))

    def observe(self, callback: Callable[[], None]) -> None:
        self.input.observe(lambda _: callback(), names="value")
        self.null.observe(lambda _: callback(), names="value")

    def set_enabled(self, enabled: bool) -> None:
        self.null.disabled = not enabled
        self.input.disabled = not enabled or bool(self.null.value)


class NumberControl(_NullableInput):
    def show(self, value: Any) -> str:
        return format(value, ".12g") if isinstance(value, float) else str(value)

    def parse(self, text: str) -> float | int:
        try:
            d = Decimal(text.replace(",", ""))
        except InvalidOperation:
            raise Invalid(f"{text!r} is not a number") from None
        if not d.is_finite():
            raise Invalid(f"{text!r} is not a finite number")
        number = (
            int(d) if d == d.to_integral_value() and "." not in text and "e" not in text.lower() else float(d)
        )
        if isinstance(number, float) and not math.isfinite(number):
            raise Invalid(f"{text!r} is out of range")
        return number


class TextControl(_NullableInput):
    pass


class CheckboxControl(Control):
    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.input = w.Checkbox(description=spec.label, style=_DESCRIPTION)
        self.widget = w.VBox([self.input, self.message])

    def load(self, value: Any) -> None:
        self.original = value
        self.input.value = bool(value)

    def value(self) -> Any:
        return self.input.value

    def restore(self, value: Any) -> None:
        self.input.value = bool(value)

    def observe(self, callback: Callable[[], None]) -> None:
        self.input.observe(lambda _: callback(), names="value")

    def set_enabled(self, enabled: bool) -> None:
        self.input.disabled = not enabled


class GroupControl(Control):
    """A nested model as a boxed sub-form; nullable groups have a "null" checkbox for the whole."""

    def __init__(self, spec: FieldSpec) -> None:
        super().__init__(spec)
        self.children = [build_control(c) for c in spec.children]
        self.null = w.Checkbox(description=f"{spec.label}: null", indent=False)
        self.null.observe(lambda _: self._sync_null(), names="value")
        title = w.HTML(f"<b>{esc(spec.label)}</b>")
        parts = [
            title,
            *([self.null] if spec.nullable else []),
            *(c.widget for c in self.children),
            self.message,
        ]
        self.widget = w.VBox(
            parts,
            layout=w.Layout(
                border="1px solid var(--jp-border-color2, #ccc)", padding="4px 8px", margin="4px 0"
            ),
        )

    def _sync_null(self) -> None:
        for c in self.children:
            c.set_enabled(not self.null.value)

    def load(self, value: Any) -> None:
        self.original = value
        self.null.value = value is None
        for c in self.children:
            c.load(UNSET if value is None or value is UNSET else getattr(value, c.spec.path[-1]))
        self._sync_null()

    def value(self) -> Any:
        if self.spec.nullable and self.null.value:
            return None
        assert self.spec.model is not None
        values = {c.spec.path[-1]: c.value() for c in self.children}
        if self.original is UNSET and all(v is UNSET for v in values.values()):
            return UNSET
        try:
            return self.spec.model(**values)
        except ValueError as e:
            raise Invalid(str(e)) from None

    def restore(self, value: Any) -> None:
        self.null.value = value is None
        for c in self.children:
            c.restore(UNSET if value is None or isinstance(value, Unset) else getattr(value, c.spec.path[-1]))

    def observe(self, callback: Callable[[], None]) -> None:
        self.null.observe(lambda _: callback(), names="value")
        for c in self.children:
            c.observe(callback)

    def set_enabled(self, enabled: bool) -> None:
        self.null.disabled = not enabled
        for c in self.children:
            c.set_enabled(enabled and not self.null.value)

    def controls(self) -> list[Control]:
        return [self, *(d for c in self.children for d in c.controls())]


_CONTROLS: dict[str, type[Control]] = {
    "dropdown": DropdownControl,
    "number": NumberControl,
    "text": TextControl,
    "checkbox": CheckboxControl,
    "group": GroupControl,
}


def build_control(spec: FieldSpec) -> Control:
    return _CONTROLS[spec.control](spec)
