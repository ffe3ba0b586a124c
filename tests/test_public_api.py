"""The curated public API: what users import is in ``wingspan_nb`` (and its public modules); helper
modules are private, and their 0.1 paths still answer, with a DeprecationWarning, until 0.3."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import warnings

import pytest

import wingspan_nb
from wingspan_nb import errors

from .helpers import ROOT

PUBLIC_MODULES = {"converter", "display", "errors", "models", "sandbox", "widgets"}

# What the issue and the docs promise users import from wingspan_nb itself.
PROMISED = {
    "Wingspan", "connect", "InvoiceList", "ListFailure", "Failure", "BatchResult", "BulkPlan",
    "BulkResult", "Changes", "Report", "DeadlineAdapter", "new_session", "compare", "load_invoices",
    "to_dataframe", "set_options", "get_options", "InvoiceEditor", "BulkEditor", "UNSET",
}  # fmt: skip


def test_dir_shows_what_a_user_needs_and_nothing_private() -> None:
    names = dir(wingspan_nb)
    assert names == sorted({*wingspan_nb.__all__, *PUBLIC_MODULES})
    assert PROMISED <= set(names)
    assert not [n for n in names if n.startswith("_") and n != "__version__"]
    assert not set(names) & set(wingspan_nb._MOVED)  # the deprecated paths are not advertised


@pytest.mark.parametrize("name", sorted(wingspan_nb.__all__))
def test_every_exported_name_is_defined_in_a_private_module_or_a_public_one(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no exported name goes through a deprecated path
        value = getattr(wingspan_nb, name)
    home = getattr(value, "__module__", None) if inspect.isclass(value) or inspect.isfunction(value) else None
    if home is not None:
        top = home.split(".")[1] if home.count(".") else ""
        assert top.startswith("_") or top in PUBLIC_MODULES, (name, home)


def test_import_wingspan_nb_loads_none_of_the_lazy_names_modules() -> None:
    code = (
        "import sys, wingspan_nb; "
        "print(sorted(m for m in sys.modules if m in ('wingspan_nb._bulk', 'wingspan_nb._comparison', "
        "'wingspan_nb._reports', 'wingspan_nb._snapshots', 'wingspan_nb.display', 'wingspan_nb.widgets', "
        "'wingspan_nb.transport', 'wingspan_nb.invoices', 'pandas')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("old", "name"),
    [
        ("wingspan_nb.transport", "new_session"),
        ("wingspan_nb.deadline", "DeadlineAdapter"),
        ("wingspan_nb.invoices", "InvoiceList"),
        ("wingspan_nb.batch", "BatchResult"),
        ("wingspan_nb.bulk", "BulkPlan"),
        ("wingspan_nb.facts", "words"),
        ("wingspan_nb.snapshots", "load_snapshot_info"),
    ],
)
def test_an_old_path_still_answers_and_says_where_the_name_lives_now(old: str, name: str) -> None:
    module = importlib.import_module(old)
    with pytest.warns(
        DeprecationWarning, match=rf"{old}\.{name} is deprecated since 0\.2\.0 .*use wingspan_nb\.{name}$"
    ):
        value = getattr(module, name)
    assert value is getattr(wingspan_nb, name)


def test_the_readmes_old_import_lines_still_run_with_a_warning() -> None:
    with pytest.warns(DeprecationWarning) as caught:
        from wingspan_nb.deadline import DeadlineAdapter
        from wingspan_nb.invoices import InvoiceList
        from wingspan_nb.transport import new_session
    assert (DeadlineAdapter, InvoiceList, new_session) == (
        wingspan_nb.DeadlineAdapter,
        wingspan_nb.InvoiceList,
        wingspan_nb.new_session,
    )
    assert len(caught) == 3 and all("deprecated since 0.2.0" in str(w.message) for w in caught)
    assert all(w.filename == __file__ for w in caught)  # the warning points at the user's line


def test_an_internal_name_through_an_old_path_says_it_is_internal() -> None:
    from wingspan_nb import _transport

    with pytest.warns(
        DeprecationWarning, match=r"use wingspan_nb\._transport\.should_retry, which is internal"
    ):
        should_retry = wingspan_nb.transport.should_retry
    assert should_retry is _transport.should_retry


@pytest.mark.parametrize("old", sorted(wingspan_nb._MOVED))
def test_every_moved_module_forwards_every_name_of_its_new_home(old: str) -> None:
    new = importlib.import_module(f"wingspan_nb._{old}")
    shim = importlib.import_module(f"wingspan_nb.{old}")
    assert new.__all__
    for name in new.__all__:
        with pytest.warns(DeprecationWarning):
            assert getattr(shim, name) is getattr(new, name)
    with pytest.raises(AttributeError, match=rf"module 'wingspan_nb\.{old}' has no attribute 'nope'"):
        shim.nope
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not hasattr(shim, "__path__")  # the import system's probes neither warn nor answer


def test_errors_exports_only_what_users_catch() -> None:
    for name in errors.__all__:
        value = getattr(errors, name)
        assert inspect.isclass(value) and issubclass(value, Warning | errors.WingspanError), name
    assert callable(errors.short_id)  # the message helpers are still there for the package's modules
