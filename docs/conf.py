"""Sphinx configuration of the wingspan_nb documentation (``make docs``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from sphinx.util.nodes import make_refnode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs" / "_ext"))  # model_fields: the models' field tables

import wingspan_nb  # noqa: E402

project = "wingspan_nb"
author = "wingspan_nb contributors"
copyright = "2026, wingspan_nb contributors"
release = wingspan_nb.__version__
version = release

extensions = ["myst_nb", "sphinx.ext.autodoc", "model_fields"]
exclude_patterns = ["_build", "**/.ipynb_checkpoints", "*.png"]
html_theme = "furo"
html_title = f"wingspan_nb {release}"
html_static_path: list[str] = []

# Markdown everywhere (MyST); README-style anchors for headings down to ###.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# The tutorial notebooks run at every build, against a fresh local sandbox (the token is unset by
# `make docs`), in a temporary folder so that their snapshots and exports stay out of the tree.
# A cell that raises fails the build.
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 600
nb_execution_in_temp = True
nb_merge_streams = True

# Every cross-reference must resolve. Names outside this package (requests, attrs, pandas, the
# standard library's typing helpers) have no inventory here: the build machine has no network, so
# intersphinx cannot fetch one; they are exempt, everything of wingspan_nb is checked.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(?!wingspan_nb\b).*"),
    # Private names (a module's TypeVar such as ``_M``, a mixin of a private module) are not part of
    # the documented API; a private module's name that has a public home resolves there (below).
    (r"py:.*", r"wingspan_nb(\.\w+)*\._\w+(\.\w+)*"),
]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_preserve_defaults = True

# The sandbox and the notebooks read these: the docs never touch a real account.
os.environ.pop("WINGSPAN_API_TOKEN", None)
os.environ.pop("WINGSPAN_SERVER_URL", None)


def _public_home(app: Any, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve a reference to a name by its defining module (``wingspan_nb.models._base.WireModel``,
    what type hints carry) to where the reference documents it (``wingspan_nb.models.WireModel``).
    Anything that has no documented public home still fails the build."""
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or not target.startswith("wingspan_nb."):
        return None
    objects = env.get_domain("py").objects
    parts = target.split(".")
    public = [p for p in parts[:-1] if not p.startswith("_")]
    candidates = [".".join([*public[:n], parts[-1]]) for n in range(len(public), 0, -1)]
    for name in candidates:
        if name in objects:
            entry = objects[name]
            return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode, name)
    return None


def setup(app: Any) -> None:
    app.connect("missing-reference", _public_home)
