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

# Search queries of every awkward shape: operators, nesting, repeats. None
# may be an error on any search (a run of "-" once was: "tsquery stack too small").
HOSTILE_QUERIES = {
    "hyphens": "-" * 40,
    "spaced-hyphens": "- " * 60,
    "hyphens-then-word": "-" * 60 + "housing",
    "word-then-hyphens": "housing" + "-" * 60,
    "bangs": "!" * 200,
    "parentheses": "(" * 200,
    "closing-parentheses": ")" * 200,
    "quotes": '"' * 201,
    "or-or-or": "or " * 80,
    "negations": " ".join(f"-{c}" for c in "abcdefghij" * 20),
    "tsquery-operators": "&|!<->" * 40,
    "prefix-operators": "housing:* " * 40,
    "nested-not": "!(!(!(" * 40 + "care",
    "quoted-negations": '"-"-"-' * 40,
    "hyphenated": "a-" * 150,
    "long-word": "accommodation" * 40,
    "many-words": "care " * 400,
    "markers": "\ue000housing\ue001 \u27eahl\u27eb",
    "control": "hous\x00ing\x07\x1b",
    "sql": "' OR 1=1 --",
    "only-stop-words": "the and of or",
}

# Clear identifiers of a person being supported, as someone might type them
# into a request to connect: each must be refused before anything is relayed.
IDENTIFYING = {
    "nhs-number": "Her NHS number is 943 476 5919 if you need it.",
    "ni-number": "His National Insurance number is AB 12 34 56 C.",
    "date-of-birth": "He was born on 12/03/1990 and left care last year.",
    "worded-date-of-birth": "DOB 3 March 1991, leaving care next month.",
    "postcode": "She has just moved to NG1 5FS and needs support.",
    "street-address": "He is staying at 14 Acacia Avenue with his aunt.",
    "phone": "Her mobile is 07700 900123, ring after six.",
    "everything": "Jo Bloggs, born 1 April 1988, NHS 943 476 5919, lives at 2 Mill Road, DE1 2AB.",
}
