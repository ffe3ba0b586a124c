"""Write the compact extract of both specs that the tests read, so that a clone without ../shared/
runs every test: the schemas reachable from ClientInvoice, ClientInvoiceUpdateRequest and
InvoiceFeeCalculation (types, required, nullability, enums, refs, and the descriptions and titles
the models' field descriptions are checked against), and the
responses of the list and fees endpoints. Also copies the parse fixtures and the seed document.

    python tests/spec/extract.py            # read ../shared/, write tests/spec/*.json, tests/fixtures/
    python tests/spec/extract.py --check    # exit 1 if what is written differs from ../shared/
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIXTURES = HERE.parent / "fixtures"
YEARS = ("2023", "2024")
ROOTS = ("ClientInvoice", "ClientInvoiceUpdateRequest", "InvoiceFeeCalculation")
RESPONSES = {
    "list": ("/payments/client/invoice", "get"),
    "get": ("/payments/client/invoice/{id}", "get"),
    "fees": ("/payments/client/invoice/{invoice_id}/fees", "get"),
}
FIXTURE_NAMES = ("small", "typical", "large")
SEED = "client_invoice_sdk_doc.md"  # the generated SDK's snippets, which must run against this package
# What a document must satisfy, and the API's own words on a schema or property (the field
# descriptions are compared with them); everything else (examples, formats) is left out.
KEEP = {
    "description", "title", "type", "properties", "required", "items", "additionalProperties", "enum", "$ref", "oneOf",
    "anyOf", "allOf", "nullable", "const", "minimum", "maximum", "minItems", "maxItems",
}  # fmt: skip


def _strip(node: Any, refs: set[str]) -> Any:
    if isinstance(node, list):
        return [_strip(x, refs) for x in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref":
            refs.add(value.split("/")[-1])
            out[key] = value
        elif key == "properties":
            out[key] = {name: _strip(prop, refs) for name, prop in value.items()}
        elif key in KEEP:
            out[key] = _strip(value, refs)
    return out


def extract(spec: dict[str, Any]) -> dict[str, Any]:
    schemas = spec["components"]["schemas"]
    kept: dict[str, Any] = {}
    todo = list(ROOTS)
    responses: dict[str, Any] = {}
    for name, (path, method) in RESPONSES.items():
        refs: set[str] = set()
        content = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]
        responses[name] = _strip(content["schema"], refs)
        todo += sorted(refs)
    while todo:
        name = todo.pop()
        if name in kept:
            continue
        refs = set()
        kept[name] = _strip(schemas[name], refs)
        todo += sorted(refs - set(kept))
    return {"responses": responses, "components": {"schemas": dict(sorted(kept.items()))}}


def outputs(shared: Path) -> dict[Path, str]:
    """Every file this script writes, with its content."""
    out: dict[Path, str] = {}
    for year in YEARS:
        text = (shared / "spec" / f"wingspan-payments-openapi-{year}.yaml").read_text()
        spec = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        out[HERE / f"extract-{year}.json"] = json.dumps(extract(spec), indent=1, sort_keys=True) + "\n"
    for name in FIXTURE_NAMES:
        out[FIXTURES / f"{name}.json"] = (shared / "bench" / "fixtures" / f"{name}.json").read_text()
    out[FIXTURES / SEED] = (shared / "seed" / SEED).read_text()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="default: ../shared")
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 when out of date")
    args = parser.parse_args(argv)
    if not (args.shared / "spec").is_dir():
        parser.error(
            f"{args.shared / 'spec'} does not exist: give the folder holding spec/, bench/ and seed/ with --shared"
        )
    stale = []
    for path, text in outputs(args.shared).items():
        if not path.exists() or path.read_text() != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    for path in stale:
        print(f"{'out of date' if args.check else 'wrote'}: {path.relative_to(ROOT)}", file=sys.stderr)
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
