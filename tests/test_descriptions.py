"""Field descriptions: every field of every model has one; the API reference's words are the specs'
own (compared with the extract in tests/spec/); the library's own notes are marked as such; the docs'
generator (docs/_ext/model_fields.py) lists every field."""

from __future__ import annotations

import copy
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from wingspan_nb import AWAITING_PAYMENT
from wingspan_nb._changes import SETTLED_STATUSES
from wingspan_nb.models import (
    LIBRARY_MARK,
    NOT_DESCRIBED,
    ClientInvoice,
    InvoiceStatus,
    Kind,
    WireModel,
    field_plan,
    invoice,
    library_note,
)
from wingspan_nb.models._descriptions import API_DESCRIPTIONS, LIBRARY_NOTES

from .helpers import load_spec
from .test_conformance import ROOTS, YEARS, spec_type

EXT = Path(__file__).resolve().parent.parent / "docs" / "_ext" / "model_fields.py"


def _models() -> list[type[WireModel]]:
    """Every model class, found independently of the docs' generator (the browser suite's check of
    the built page asks here too)."""
    return [
        c
        for c in vars(invoice).values()
        if isinstance(c, type) and issubclass(c, WireModel) and c.__module__ == invoice.__name__
    ]


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    pytest.importorskip("sphinx")
    spec = importlib.util.spec_from_file_location("model_fields", EXT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("model_fields", module)
    spec.loader.exec_module(module)
    return module


def test_every_field_of_every_model_has_a_description() -> None:
    models = _models()
    assert len(models) >= 54
    for cls in models:
        for f in field_plan(cls):
            api = API_DESCRIPTIONS.get((cls.__name__, f.name))
            assert f.description.strip(), f"{cls.__name__}.{f.name}"
            assert f.description.startswith(api or NOT_DESCRIBED), f"{cls.__name__}.{f.name}"


def _spec_descriptions(spec: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(model, attribute) → the spec's words on that property: its own description or title, else
    the one of the schema it refers to (never the null branch's)."""
    found: dict[tuple[str, str], str] = {}
    seen: set[tuple[type[WireModel], int]] = set()

    def model(schema: dict[str, Any], cls: type[WireModel]) -> None:
        s, _ = spec_type(spec, schema)
        if (cls, id(s)) in seen:
            return
        seen.add((cls, id(s)))
        props = s.get("properties", {})
        for f in field_plan(cls):
            prop = props.get(f.wire)
            if prop is None:
                continue  # a field of the other year's spec
            target, _ = spec_type(spec, prop)
            text = next(
                (t for x in (prop, target) for k in ("description", "title") if (t := x.get(k))), None
            )
            if text:
                found[(cls.__name__, f.name)] = text
            value(prop, f.kind)

    def value(schema: dict[str, Any], kind: Kind) -> None:
        s, _ = spec_type(spec, schema)
        if kind.tag == "model":
            model(s, kind.arg)
        elif kind.tag == "list":
            value(s["items"], kind.arg)
        elif kind.tag == "map":
            value(s["additionalProperties"], kind.arg)

    for root, cls in ROOTS.items():
        model(spec["components"]["schemas"][root], cls)
    return found


def test_the_api_descriptions_are_the_specs_own_words() -> None:
    from_specs: dict[tuple[str, str], str] = {}
    for year in YEARS:
        for key, text in _spec_descriptions(load_spec(year)).items():
            from_specs.setdefault(key, text)
    assert API_DESCRIPTIONS == from_specs


def test_the_walk_above_finds_a_description_where_a_spec_has_one() -> None:
    """Guards the test above: neither spec describes a field today, so its walk must be shown to see one."""
    spec = copy.deepcopy(load_spec("2024"))  # load_spec's extract is shared between tests
    schemas = spec["components"]["schemas"]
    fee = schemas["ClientInvoice"]["properties"]["creditFeeHandling"]
    fee["description"] = "Who pays the card fee."
    ref = next(s for s in (fee.get("oneOf") or fee.get("anyOf") or [fee]) if "$ref" in s)["$ref"]
    schemas[ref.split("/")[-1]]["properties"]["clientPays"]["title"] = "Client share"
    found = _spec_descriptions(spec)
    assert found[("ClientInvoice", "credit_fee_handling")] == "Who pays the card fee."
    assert found[("FeeHandlingConfig", "client_pays")] == "Client share"


def test_the_librarys_own_words_are_marked_as_such() -> None:
    for cls in _models():
        for f in field_plan(cls):
            note = LIBRARY_NOTES.get((cls.__name__, f.name))
            api = API_DESCRIPTIONS.get((cls.__name__, f.name), NOT_DESCRIBED)
            if note is None:
                assert f.description == api and LIBRARY_MARK not in f.description
            else:
                assert f.description == f"{api} {LIBRARY_MARK} {note}"
                assert LIBRARY_MARK not in note and NOT_DESCRIBED not in note
    by_name = {cls.__name__: cls for cls in _models()}
    assert len(by_name) == len(_models()), "the tables key models by name: names must be unique"
    for model, name in [*LIBRARY_NOTES, *API_DESCRIPTIONS]:
        assert name in {f.name for f in field_plan(by_name[model])}, f"{model}.{name} is not a field"
    assert LIBRARY_NOTES, "the library has notes (status, the fee split)"


def test_the_status_note_says_what_the_views_do() -> None:
    """The note on ClientInvoice.status names the statuses the views treat as awaiting payment and
    as settled: the same sets facts.AWAITING_PAYMENT and changes.SETTLED_STATUSES hold."""
    note = library_note(ClientInvoice, "status")
    awaiting, settled = (
        re.search(r"^(.*?) invoices await", note),
        re.search(r"\. (\S.*?) are settled", note),
    )
    assert awaiting and settled

    def named(text: str) -> set[str]:
        return {s.value for s in InvoiceStatus if re.search(rf"\b{s.value}\b", text)}

    assert named(awaiting.group(1)) == {s.value for s in AWAITING_PAYMENT}
    assert named(settled.group(1)) == {s.value for s in SETTLED_STATUSES}


def test_the_docs_list_every_field_of_every_model(generator: ModuleType) -> None:
    listed = generator.documented_models()
    assert set(listed) == set(_models())
    for cls in listed:
        rows = generator.rows(cls)
        plan = field_plan(cls)
        assert [r[:2] for r in rows] == [(f.name, f.wire) for f in plan]
        assert [r[3] for r in rows] == ["required" if f.required else "optional" for f in plan]
        assert [r[4] for r in rows] == [f.description for f in plan]
    fee = dict((r[0], r) for r in generator.rows(ClientInvoice))["credit_fee_handling"]
    assert fee[2] == "FeeHandlingConfig or null"
    assert LIBRARY_MARK in fee[4]
