"""Charts of reports (matplotlib, the ``analysis`` extra): one horizontal bar chart per currency.

Bars start at zero on a linear axis and carry their values. When one bar is more than
:data:`CUT_RATIO` times the next, the axis stops at twice the next bar and the long bar is drawn
broken, its true value written on it: the other bars stay readable and no scale is distorted.
Each chart carries its own opaque background, light or dark, so it reads on either theme.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from .. import errors
from ._reports import group_heading, group_label, header

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .._reports import Report

__all__ = ["CHART_WIDTH", "CUT_RATIO", "bars", "theme_style"]

CHART_WIDTH: Final = 6.4
"""Inches at 100 dpi: fits a notebook 670 px wide (JupyterLab at 1024 px, file browser open)."""
CUT_RATIO: Final = 4
"""A bar more than this many times the next one is drawn broken."""
BAR_COLOR: Final = "#4c72b0"
_STYLES: Final = {"light": "default", "dark": "dark_background"}

_THEME_FILE: Final = Path("@jupyterlab", "apputils-extension", "themes.jupyterlab-settings")
_THEME: Final = re.compile(r'"theme"\s*:\s*("(?:[^"\\]|\\.)*")')


def _lab_settings_dir() -> Path | None:
    named = os.environ.get("JUPYTERLAB_SETTINGS_DIR")
    if named:
        return Path(named)
    try:
        from jupyter_core.paths import jupyter_config_dir
    except ImportError:
        return None
    return Path(jupyter_config_dir(), "lab", "user-settings")


def theme_style() -> str:
    """``"dark"`` when the theme JupyterLab saved in its user settings is a dark one, else
    ``"light"``. Front ends do not tell the kernel their theme; JupyterLab's saved setting is the
    one thing a kernel on the same machine can read (another front end, or a theme that follows the
    system, reads as light: pass ``style="dark"`` to ``plot``)."""
    folder = _lab_settings_dir()
    try:
        saved = (folder / _THEME_FILE).read_text(encoding="utf-8") if folder else ""
    except (OSError, UnicodeDecodeError):
        return "light"
    found = _THEME.search(saved)  # the file is JSON with comments: read the one value we need
    try:
        name = json.loads(found.group(1)) if found else ""
    except ValueError:
        return "light"
    return "dark" if "dark" in str(name).lower() else "light"


def _style(style: str | None) -> str:
    if style is None:
        return _STYLES[theme_style()]
    if style not in _STYLES:
        raise errors.InvalidRequestError(f"plot(style={style!r}): use 'light' or 'dark' (or leave it out)")
    return _STYLES[style]


def _bar_text(value: float, kind: str) -> str:
    return f"{value:,.0f}" if kind in ("money", "count") else f"{value:,.1f}"


@functools.cache
def _chart_class() -> type[Figure]:
    from matplotlib.figure import Figure

    class ReportChart(Figure):
        """A report's chart: a matplotlib ``Figure`` that a notebook shows as a picture by itself,
        with or without ``%matplotlib inline`` (without it IPython knows no way to draw a figure)."""

        def _repr_png_(self) -> bytes:
            out = io.BytesIO()
            self.savefig(out, format="png")
            return out.getvalue()

    return ReportChart


def _compact(value: float) -> str:
    """An axis tick that fits beside its neighbours: ``950``, ``12.5k``, ``1.5M``."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:,.0f}"


def bars(report: Report, *, style: str | None = None) -> Figure:
    """One horizontal bar chart per currency of ``report``'s main measure (see the module). Without
    matplotlib, a :class:`~wingspan_nb.errors.MissingDependencyError` saying what to install."""
    from .._analysis import require

    require("matplotlib", "Report.plot()")
    import matplotlib.style
    from matplotlib import rc_context

    chosen = _style(style)
    (measure,) = [m for m in report.measures if m.name == report.chart]
    at = [m.name for m in report.measures].index(measure.name) + (1 if report.group else 0)
    per = report.per_currency()
    with matplotlib.style.context(chosen), rc_context({"font.size": 11}):
        longest = max((len(rows) for rows in per.values()), default=1)
        height = max(1, len(per)) * (0.5 + 0.42 * longest) + 0.6
        fig = _chart_class()(figsize=(CHART_WIDTH, height), layout="constrained")
        if not per:
            fig.text(0.5, 0.5, "Nothing to chart.", ha="center", va="center")
        else:
            axes = fig.subplots(len(per), 1, squeeze=False)[:, 0]
            for ax, (currency, rows) in zip(axes, per.items(), strict=True):
                labels = [group_label(report, row[0]) for row in rows] if report.group else [measure.label]
                values = [float(row[at]) if row[at] is not None else 0.0 for row in rows]
                _draw(ax, labels, values, measure.kind, header(measure, currency))
                ax.set_ylabel(group_heading(report) if report.group else "")
                ax.set_title(currency, loc="left", fontweight="bold", pad=8)
        fig.suptitle(report.title, fontsize=13)
    return fig


def _draw(ax: Axes, labels: list[str], values: list[float], kind: str, axis_label: str) -> None:
    ranked = sorted(values, reverse=True)
    top = ranked[0] if ranked else 0.0
    second = ranked[1] if len(ranked) > 1 else 0.0
    cut = 2 * second if second > 0 and top > CUT_RATIO * second else None
    shown = [min(v, cut) if cut is not None else v for v in values]
    positions = list(range(len(values)))
    drawn = ax.barh(positions, shown, color=BAR_COLOR)
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()  # the first group on top, as the table lists it
    broken = [cut is not None and v > cut for v in values]
    ax.bar_label(
        drawn,
        labels=["" if b else _bar_text(v, kind) for v, b in zip(values, broken, strict=True)],
        padding=4,
    )
    background: Any = ax.get_facecolor()
    for n, (value, is_broken) in enumerate(zip(values, broken, strict=True)):
        if is_broken and cut is not None:  # a gap near the end, the true value written on the bar
            ax.barh(n, cut * 0.02, left=cut * 0.9, color=background, height=1.0)
            ax.text(
                cut * 0.88,
                n,
                _bar_text(value, kind),
                ha="right",
                va="center",
                color="white",
                fontweight="bold",
            )
    low = min(0.0, min(values, default=0.0) * 1.25)
    ax.set_xlim(low, cut if cut is not None else max(top * 1.25, 1.0))
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _compact(v)))
    ax.set_xlabel(axis_label + (", longest bar broken: not to scale" if cut is not None else ""))
