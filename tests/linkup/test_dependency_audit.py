"""scripts/audit_dependencies.py: a known vulnerability, in a package or in
the Python interpreter, fails the test command; packages the advisory
service could not look up are reported."""

import importlib.util
import json
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"


@pytest.fixture
def audit(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def run(report, strict=False, interpreter_flaws=()):
        monkeypatch.setattr(module, "interpreter_problems", lambda: list(interpreter_flaws))
        completed = subprocess.CompletedProcess([], 0, stdout=json.dumps(report), stderr="")
        monkeypatch.setattr(module.subprocess, "run", lambda *args, **kwargs: completed)
        monkeypatch.setenv("AUDIT_STRICT", "1" if strict else "0")
        return module.main()

    return run


CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "example",
    "version": "1.0",
    "vulns": [{"id": "PYSEC-0000-1", "fix_versions": ["1.1"], "aliases": [], "description": ""}],
}
UNKNOWN = {"name": "other", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def test_a_known_vulnerability_fails_and_is_named(audit, capsys):
    assert audit({"dependencies": [CLEAN, VULNERABLE], "fixes": []}) == 1
    output = capsys.readouterr().out
    assert "VULNERABLE example 1.0: PYSEC-0000-1 (fixed in 1.1)" in output
    assert "2 of 2 installed packages checked; 1 with known vulnerabilities." in output


def test_clean_packages_pass(audit):
    assert audit({"dependencies": [CLEAN], "fixes": []}) == 0


def test_packages_not_looked_up_are_a_warning_or_with_strict_an_error(audit, capsys):
    report = {"dependencies": [CLEAN, UNKNOWN], "fixes": []}
    assert audit(report) == 0
    assert "could not look up 1 packages: other" in capsys.readouterr().out
    assert audit(report, strict=True) == 1


def test_a_flawed_interpreter_fails_and_is_named(audit, capsys):
    flaw = "it has the slow cookie-unquoting flaw (CVE-2024-7592)"
    assert audit({"dependencies": [CLEAN], "fixes": []}, interpreter_flaws=[flaw]) == 1
    output = capsys.readouterr().out
    assert "VULNERABLE Python" in output and flaw in output


def test_the_audit_runs_the_interpreter_check(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import python_check

    assert module.interpreter_problems is python_check.problems
