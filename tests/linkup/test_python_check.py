"""The interpreter check: setup picks the first Python without the known
flaws and refuses when there is none; the dependency audit reports a
flawed one. The interpreters here are stand-ins whose cookie unquoting is
the flawed (quadratic) or the fixed (linear) code, so the outcome does not
depend on which Python the machine has."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
CHECK = SCRIPTS / "python_check.py"
CHOOSE = SCRIPTS / "choose-python"

# CPython 3.11.7's cookie unquoting: every escape searches the rest of the value.
FLAWED = r"""
import re, http.cookies
_octal = re.compile(r"\\[0-3][0-7][0-7]")
_quote = re.compile(r"[\\].")
def _unquote(value):
    if value is None or len(value) < 2 or value[0] != '"' or value[-1] != '"':
        return value
    value = value[1:-1]
    i, n, res = 0, len(value), []
    while 0 <= i < n:
        o_match = _octal.search(value, i)
        q_match = _quote.search(value, i)
        if not o_match and not q_match:
            res.append(value[i:])
            break
        j = o_match.start(0) if o_match else -1
        k = q_match.start(0) if q_match else -1
        if q_match and (not o_match or k < j):
            res.append(value[i:k])
            res.append(value[k + 1])
            i = k + 2
        else:
            res.append(value[i:j])
            res.append(chr(int(value[j + 1 : j + 4], 8)))
            i = j + 4
    return "".join(res)
http.cookies._unquote = _unquote
"""
# The fix: one pass of one regular expression.
FIXED = r"""
import re, http.cookies
_escape = re.compile(r"\\(?:([0-3][0-7][0-7])|(.))")
def _unquote(value):
    if value is None or len(value) < 2 or value[0] != '"' or value[-1] != '"':
        return value
    return _escape.sub(lambda m: chr(int(m[1], 8)) if m[1] else m[2], value[1:-1])
http.cookies._unquote = _unquote
"""
WRONG = "import http.cookies\nhttp.cookies._unquote = lambda value: value.strip('\"')\n"


@pytest.fixture
def interpreter(tmp_path):
    """make(name, behaviour): a stand-in Python called ``name`` in its own
    folder, running this interpreter with the given cookie unquoting."""

    def make(name, behaviour, folder="bin"):
        site = tmp_path / f"site-{name}-{folder}"
        site.mkdir()
        (site / "sitecustomize.py").write_text(behaviour)
        binary = tmp_path / folder / name
        binary.parent.mkdir(exist_ok=True)
        binary.write_text(f'#!/bin/sh\nPYTHONPATH="{site}" exec "{sys.executable}" "$@"\n')
        binary.chmod(0o755)
        return binary

    return make


def run_check(python):
    return subprocess.run([str(python), str(CHECK)], capture_output=True, text=True, timeout=120)


def choose(path, **env):
    return subprocess.run(
        [shutil.which("bash"), str(CHOOSE)],
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": str(path), **env},
    )


def test_the_check_fails_the_flawed_cookie_unquoting(interpreter):
    result = run_check(interpreter("python3", FLAWED))
    assert result.returncode == 1
    assert "slow cookie-unquoting flaw (CVE-2024-7592)" in result.stderr


def test_the_check_passes_the_fixed_cookie_unquoting(interpreter):
    result = run_check(interpreter("python3", FIXED))
    assert result.returncode == 0, result.stderr
    assert "none of the known flaws" in result.stdout


def test_the_check_fails_unquoting_that_gives_the_wrong_value(interpreter):
    result = run_check(interpreter("python3", WRONG))
    assert result.returncode == 1
    assert "unquotes cookie values wrongly" in result.stderr


def test_setup_skips_a_flawed_python_for_the_first_fixed_one(interpreter, tmp_path):
    interpreter("python3", FLAWED)
    interpreter("python3", FIXED, folder="later")
    fixed = interpreter("python3.12", FIXED)
    result = choose(f"{tmp_path / 'bin'}:{tmp_path / 'later'}")
    assert result.returncode == 0, result.stderr
    # Every python3 on PATH is tried before the versioned names.
    assert result.stdout.strip() == str(tmp_path / "later" / "python3")
    result = choose(tmp_path / "bin")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(fixed)


def test_setup_refuses_when_no_python_is_fixed(interpreter, tmp_path):
    interpreter("python3", FLAWED)
    interpreter("python3.11", FLAWED)
    result = choose(tmp_path / "bin")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "No Python interpreter here is safe to run the portal on." in result.stderr
    assert result.stderr.count("CVE-2024-7592") == 2


def test_setup_refuses_a_flawed_python_it_is_pointed_at(interpreter, tmp_path):
    interpreter("python3.12", FIXED)
    flawed = interpreter("python3", FLAWED, folder="elsewhere")
    result = choose(tmp_path / "bin", PYTHON=str(flawed))
    assert result.returncode == 1
    assert "CVE-2024-7592" in result.stderr
