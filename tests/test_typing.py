"""What a type checker sees: tests/typing/check_public_api.py under mypy --strict and pyright (strict),
and pyright's type completeness of the package (printed, and at least 95 %)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import attrs
import pytest

from wingspan_nb.models import InvoiceStatus, InvoiceStatusValue

from .helpers import ROOT

TYPING = ROOT / "tests" / "typing"
CHECKED = TYPING / "check_public_api.py"
BIN = Path(sys.executable).parent
COMPLETENESS_FLOOR = 95.0
_IGNORES = re.compile(r"  # type: ignore\[[\w-]+\]  # pyright: ignore\[\w+\]")


REFUSED = "refused_public_api.py"
"""The checked file without its ignore comments, checked beside it: each line meant to fail fails."""


def _mypy(*paths: Path) -> subprocess.Popen[str]:
    # The project's [tool.mypy] (strict) applies; --warn-unused-ignores makes a refusal that stopped
    # being one fail, since its ignore comment is then unused.
    return subprocess.Popen(
        [sys.executable, "-m", "mypy", "--strict", "--warn-unused-ignores", *map(str, paths)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def _pyright(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(BIN / "pyright"), "--pythonpath", sys.executable, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=env,
    )


@attrs.frozen
class Run:
    returncode: int
    stdout: str
    stderr: str


def _finish(process: subprocess.Popen[str]) -> Run:
    out, err = process.communicate()
    return Run(process.returncode, out, err)


@attrs.frozen
class Checked:
    """One run of each checker over the public API and its refused copy, and pyright's type
    completeness: every assertion below reads these, so each checker starts once per session."""

    refused_lines: list[int]
    mypy: Run
    pyright: Run
    completeness: Run

    def mypy_lines(self, name: str) -> list[str]:
        """mypy's errors and notes on the file called ``name``."""
        return [line for line in self.mypy.stdout.splitlines() if Path(line.split(":", 1)[0]).name == name]

    def pyright_diagnostics(self, name: str) -> list[dict[str, Any]]:
        found = json.loads(self.pyright.stdout)["generalDiagnostics"]
        return [d for d in found if Path(d["file"]).name == name]


@pytest.fixture(scope="session")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Checked:
    source = CHECKED.read_text()
    refused = [i for i, line in enumerate(source.splitlines(), 1) if _IGNORES.search(line)]
    stripped = tmp_path_factory.mktemp("typing") / REFUSED
    stripped.write_text(_IGNORES.sub("", source))
    # --verifytypes reads the package as an installed library; an editable install is not found
    # that way, the package on PYTHONPATH is (run from elsewhere, so the checkout is not the project).
    elsewhere = tmp_path_factory.mktemp("verifytypes")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # The three run side by side; pyright's project (-p) makes the copy as strict as the original.
    runs = [
        _mypy(CHECKED, stripped),
        _pyright("--outputjson", "-p", str(TYPING), str(CHECKED), str(stripped)),
        _pyright("--verifytypes", "wingspan_nb", "--ignoreexternal", cwd=elsewhere, env=env),
    ]
    mypy, pyright, completeness = map(_finish, runs)
    return Checked(refused, mypy, pyright, completeness)


def test_the_public_api_passes_mypy_strict(checked: Checked) -> None:
    run = checked.mypy
    summary = re.search(
        r"^(Success: no issues found|Found \d+ errors? in 1 file) .*\b2 source files", run.stdout, re.M
    )
    assert summary, run.stdout + run.stderr  # both files checked; errors, if any, in one of them
    assert checked.mypy_lines(CHECKED.name) == [], run.stdout
    assert len(checked.mypy_lines(REFUSED)) == len(run.stdout.splitlines()) - 1, run.stdout


def test_the_public_api_passes_pyright_strict(checked: Checked) -> None:
    run = checked.pyright
    summary = json.loads(run.stdout)["summary"]
    assert summary["filesAnalyzed"] == 2, run.stdout + run.stderr
    assert checked.pyright_diagnostics(CHECKED.name) == [], run.stdout
    assert summary["errorCount"] + summary["warningCount"] == len(checked.pyright_diagnostics(REFUSED))


def test_each_refused_line_is_refused_by_both_checkers(checked: Checked) -> None:
    """Without their ignore comments, the lines meant to fail fail in both checkers (so the check
    above is not passing on comments alone)."""
    assert len(checked.refused_lines) >= 5
    assert checked.mypy.returncode != 0 and checked.pyright.returncode != 0
    mypy_lines = {int(line.split(":")[1]) for line in checked.mypy_lines(REFUSED) if ": error:" in line}
    pyright_lines = {d["range"]["start"]["line"] + 1 for d in checked.pyright_diagnostics(REFUSED)}
    assert set(checked.refused_lines) <= mypy_lines, (checked.refused_lines, checked.mypy.stdout)
    assert set(checked.refused_lines) <= pyright_lines, (checked.refused_lines, checked.pyright.stdout)
    assert "paid" in checked.mypy.stdout and "paid" in checked.pyright.stdout


def test_the_status_literal_lists_the_enums_values() -> None:
    assert list(typing.get_args(InvoiceStatusValue)) == [m.value for m in InvoiceStatus]


def test_type_completeness_of_the_package(checked: Checked, capsys: pytest.CaptureFixture[str]) -> None:
    run = checked.completeness
    assert f'Package directory: "{ROOT / "wingspan_nb"}"' in run.stdout, run.stdout
    found = re.search(r"Type completeness score: ([\d.]+)%", run.stdout)
    assert found, run.stdout + run.stderr
    score = float(found.group(1))
    with capsys.disabled():
        print(f"\npyright --verifytypes wingspan_nb --ignoreexternal: type completeness {score} %")
    assert score >= COMPLETENESS_FLOOR, run.stdout
