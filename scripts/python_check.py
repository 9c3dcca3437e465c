"""Does this Python interpreter have the flaws the portal must not run on?

Run by each candidate interpreter in ``scripts/setup`` (standard library
only) and by the dependency audit. It checks behaviour, not version
strings, because distributions patch security flaws without changing the
version number: Debian's 3.11.2 has the fix, a plain 3.11.7 does not.

Exit status 0 when the interpreter passes, 1 with the reason otherwise.
"""

from __future__ import annotations

import sys
import time
from http.cookies import SimpleCookie

MINIMUM = (3, 11)
# CVE-2024-7592: unquoting a cookie value took time quadratic in its number
# of backslashes. Sixteen times the backslashes take about sixteen times as
# long when fixed and hundreds of times as long when flawed: the wide margin
# keeps a busy machine's timing noise from deciding.
BACKSLASHES = 500
SCALE = 16
GROWTH_LIMIT = 64.0


def _unquoting_time(backslashes: int, *, repeats: int = 5, enough: float = 0.0) -> float:
    """The best of ``repeats`` timings, stopping early at one under ``enough``."""
    header = 'probe="' + "\\" * backslashes + '"'
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        SimpleCookie().load(header)
        best = min(best, time.perf_counter() - start)
        if best < enough:
            break
    return max(best, 1e-9)


def problems() -> list[str]:
    """What is wrong with the running interpreter; empty when nothing is."""
    found = []
    if sys.version_info < MINIMUM:
        found.append(f"Python {MINIMUM[0]}.{MINIMUM[1]} or newer is needed")
    cookie = SimpleCookie()
    cookie.load(r'probe="a\\b\"c\054d"')
    if cookie["probe"].value != 'a\\b"c,d':
        found.append("it unquotes cookie values wrongly")
    small = _unquoting_time(BACKSLASHES)
    growth = _unquoting_time(SCALE * BACKSLASHES, repeats=3, enough=small * GROWTH_LIMIT) / small
    if growth > GROWTH_LIMIT:
        found.append(
            "it has the slow cookie-unquoting flaw (CVE-2024-7592): "
            f"{SCALE} times the backslashes took {growth:.0f} times as long"
        )
    return found


def main() -> int:
    found = problems()
    version = sys.version.split()[0]
    if found:
        print(f"{sys.executable} (Python {version}): " + "; ".join(found), file=sys.stderr)
        return 1
    print(f"{sys.executable} (Python {version}) has none of the known flaws checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
