"""The package's surface: what importing it loads, the typing marker, the version."""

from __future__ import annotations

import subprocess
import sys

import wingspan_nb

from .helpers import ROOT


def test_import_loads_no_notebook_machinery() -> None:
    code = (
        "import sys, wingspan_nb; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ipywidgets', 'IPython', 'pandas', 'matplotlib') "
        "or m.startswith('wingspan_nb.display') or m.startswith('wingspan_nb.sandbox')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"


def test_display_options_load_on_first_use() -> None:
    assert wingspan_nb.get_options().max_line_items >= 10


def test_typed_package() -> None:
    assert (ROOT / "wingspan_nb" / "py.typed").exists()
    assert wingspan_nb.__version__.count(".") == 2
