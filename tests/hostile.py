"""The shared corpus of hostile input, used by every hostile-input test."""

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE casestudies_casestudy; --"
RTL = "\u202eevil\u202c text \u200f"
EMOJI = "Moved in 🏠 and started work 💼 👩🏽‍🦱"

HOSTILE = {
    "script": SCRIPT,
    "event-handler": '" onmouseover="alert(1)" x="',
    "javascript-url": "javascript:alert(document.cookie)",
    "sql": SQL,
    "sql-union": "1 UNION SELECT username, password FROM auth_user --",
    "path-traversal": "../../../../etc/passwd",
    "huge": "x" * 100_000,
    "nul": "bad\x00value",
    "control": "tab\tbell\x07escape\x1b[31mdel\x7f",
    "rtl": RTL,
    "emoji": EMOJI,
    "unbalanced-quotes": '"care leavers OR -"',
}

# Invalid UTF-8, percent-encoded: sent as-is in query strings and form bodies.
MALFORMED_UTF8 = "%FF%FE%C3%28%ED%A0%80"

# What must never appear unescaped in a response.
DANGEROUS_MARKUP = ["<script>alert", "<img src=x onerror", '" onmouseover="alert']
