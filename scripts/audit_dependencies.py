"""Audit the project's environment for known vulnerabilities: its Python
interpreter, by behaviour (scripts/python_check.py), and every installed
package with pip-audit (PyPI's advisory data).

Exit status 1 when the interpreter has a known flaw or any installed
package has a known vulnerability; the
report names each one, its advisory and the first fixed version. Packages
the advisory service could not look up are listed as not checked: that is
a warning (the service may be out of reach), or an error with
AUDIT_STRICT=1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from python_check import problems as interpreter_problems

AUDIT = Path(sys.executable).with_name("pip-audit")
OPTIONS = ["--local", "--skip-editable", "--format", "json", "--progress-spinner", "off", "--timeout", "20"]


def main() -> int:
    flaws = interpreter_problems()
    for flaw in flaws:
        print(f"VULNERABLE Python {sys.version.split()[0]} ({sys.executable}): {flaw}")
    if not flaws:
        print(f"Python {sys.version.split()[0]}: none of the known interpreter flaws checked")
    completed = subprocess.run(
        [str(AUDIT), *OPTIONS],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        print(completed.stderr.strip() or "pip-audit gave no report", file=sys.stderr)
        return 1
    packages = report["dependencies"]
    vulnerable = [package for package in packages if package.get("vulns")]
    unchecked = [package for package in packages if package.get("skip_reason")]
    for package in vulnerable:
        for vuln in package["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            print(f"VULNERABLE {package['name']} {package['version']}: {vuln['id']} (fixed in {fixed})")
    checked = len(packages) - len(unchecked)
    print(
        f"{checked} of {len(packages)} installed packages checked; "
        f"{len(vulnerable)} with known vulnerabilities."
    )
    if unchecked:
        names = ", ".join(sorted(package["name"] for package in unchecked))
        print(f"WARNING: the advisory service could not look up {len(unchecked)} packages: {names}")
    if vulnerable or flaws:
        return 1
    return 1 if unchecked and os.environ.get("AUDIT_STRICT") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
