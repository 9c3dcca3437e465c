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


def _to_length(pattern: str, length: int) -> str:
    return (pattern * (length // len(pattern) + 1))[:length]


# Operator-heavy queries at the search length limit and one past it
# (linkup/search.py MAX_QUERY, 200 characters).
QUERY_LIMIT = 200
OPERATOR_RUNS = {
    "hyphens": "-",
    "bangs": "!",
    "parentheses": "(",
    "quotes": '"',
    "or": "OR ",
    "or-not": "OR -",
    "not-quoted": '-"',
    "bang-paren-quote": '!("',
    "quote-paren-hyphen": '")-',
    "word-or-not": 'care OR -"housing" ',
}
for _name, _pattern in OPERATOR_RUNS.items():
    HOSTILE_QUERIES[f"{_name}-at-the-limit"] = _to_length(_pattern, QUERY_LIMIT)
    HOSTILE_QUERIES[f"{_name}-past-the-limit"] = _to_length(_pattern, QUERY_LIMIT + 1)

# Every character that must never be part of a one-line answer: the C0 and
# C1 controls (U+0085, NEXT LINE, among them) and the Unicode line and
# paragraph separators. Keyed by code point, so a failure names it.
CONTROL_CHARACTERS = {
    f"U+{code:04X}": chr(code) for code in [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]
}

# Cookie headers that are too long, too many, or full of backslashes (slow
# to unquote on unpatched Pythons, CVE-2024-7592).
HOSTILE_COOKIES = {
    "a-run-of-backslashes": 'sessionid="' + "\\" * 5_000 + '"',
    "backslashes-in-several-cookies": "; ".join(f'c{n}="' + "\\" * 30 + '"' for n in range(4)),
    "backslashes-spread-out": 'sessionid="' + "\\a" * 200 + '"',
    "an-oversized-header": "sessionid=" + "x" * 9_000,
    "too-many-cookies": "; ".join(f"c{n}=1" for n in range(60)),
    "one-cookie-repeated": "; ".join(["csrftoken=abc"] * 60),
}

# Markdown an author might type, or paste from somewhere hostile: tags,
# quotes and event handlers inside attribute values, raw HTML, odd links.
HOSTILE_MARKDOWN = {
    "title-with-heading-tag": '[x](https://example.org "<h2 id=x onfocus=alert(1) autofocus ")',
    "title-with-paragraph-tag": '[x](/toolkit/ "<p class=x onclick=alert(1)>")',
    "title-closing-the-attribute": '[x](/ "a\\" onmouseover=\\"alert(1)")',
    "title-in-single-quotes": "[x](/ 'a\" onfocus=\"alert(1)')",
    "reference-link-title": '[x][r]\n\n[r]: https://example.org "<table onmouseover=alert(1)>"',
    "image-alt-with-tags": '![<a href=javascript:alert(1)>](/x.png "<td onclick=alert(1)>")',
    "raw-html-attributes": '<p class="govuk-panel" id="main" onclick="alert(1)">hi</p>',
    "raw-link-handlers": '<a href="/" onclick="alert(1)" title="<h3 onfocus=alert(1)>">x</a>',
    "raw-heading": "<h1 onclick=alert(1)>Second title</h1>",
    "href-with-quotes": '[x](https://example.org/"onmouseover="alert(1))',
    "javascript-entity-url": "[x](&#106;avascript:alert(1))",
    "data-url": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "code-with-tags": "`<h2 onfocus=alert(1)>` and\n\n    <script>alert(1)</script>",
    "table-cell-with-tags": '| <td onclick=alert(1)> | b |\n|---|---|\n| "<th onfocus=x>" | 2 |',
    "nested-quotes": '[a "<p>" b](/ "c \'<h4 onclick=x>\' d")',
    "comment-hiding-tags": "<!-- <p onclick=alert(1)> -->text",
    "svg": "<svg><script>alert(1)</script></svg>",
}
