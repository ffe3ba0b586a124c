"""What a type checker sees: tests/typing/check_public_api.py under mypy --strict and pyright (strict),
and pyright's type completeness of the package (printed, and at least 95 %)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from wingspan_nb.models import InvoiceStatus, InvoiceStatusValue

from .helpers import ROOT

TYPING = ROOT / "tests" / "typing"
CHECKED = TYPING / "check_public_api.py"
BIN = Path(sys.executable).parent
COMPLETENESS_FLOOR = 95.0
_IGNORES = re.compile(r"  # type: ignore\[[\w-]+\]  # pyright: ignore\[\w+\]")


def _mypy(path: Path) -> subprocess.CompletedProcess[str]:
    # The project's [tool.mypy] (strict) applies; --warn-unused-ignores makes a refusal that stopped
    # being one fail, since its ignore comment is then unused.
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--warn-unused-ignores", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def _pyright(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "pyright"), "--pythonpath", sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )


def test_the_public_api_passes_mypy_strict() -> None:
    run = _mypy(CHECKED)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_public_api_passes_pyright_strict() -> None:
    run = _pyright("-p", str(TYPING), str(CHECKED))
    assert run.returncode == 0, run.stdout + run.stderr


def test_each_refused_line_is_refused_by_both_checkers(tmp_path: Path) -> None:
    """Without their ignore comments, the lines meant to fail fail in both checkers (so the check
    above is not passing on comments alone)."""
    source = CHECKED.read_text()
    refused = [i for i, line in enumerate(source.splitlines(), 1) if _IGNORES.search(line)]
    assert len(refused) >= 5
    stripped = tmp_path / "check_public_api.py"
    stripped.write_text(_IGNORES.sub("", source))
    (tmp_path / "pyrightconfig.json").write_text((TYPING / "pyrightconfig.json").read_text())
    mypy_run = _mypy(stripped)
    pyright_run = _pyright("-p", str(tmp_path), str(stripped))
    assert mypy_run.returncode != 0 and pyright_run.returncode != 0
    for line in refused:
        assert f"check_public_api.py:{line}: error" in mypy_run.stdout, (line, mypy_run.stdout)
        assert f"check_public_api.py:{line}:" in pyright_run.stdout, (line, pyright_run.stdout)
    assert "paid" in mypy_run.stdout and "paid" in pyright_run.stdout


def test_the_status_literal_lists_the_enums_values() -> None:
    assert list(typing.get_args(InvoiceStatusValue)) == [m.value for m in InvoiceStatus]


def test_type_completeness_of_the_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # --verifytypes reads the package as an installed library; an editable install is not found
    # that way, the package on PYTHONPATH is (run from elsewhere, so the checkout is not the project).
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = _pyright("--verifytypes", "wingspan_nb", "--ignoreexternal", cwd=tmp_path, env=env)
    assert f'Package directory: "{ROOT / "wingspan_nb"}"' in run.stdout, run.stdout
    found = re.search(r"Type completeness score: ([\d.]+)%", run.stdout)
    assert found, run.stdout + run.stderr
    score = float(found.group(1))
    with capsys.disabled():
        print(f"\npyright --verifytypes wingspan_nb --ignoreexternal: type completeness {score} %")
    assert score >= COMPLETENESS_FLOOR, run.stdout
