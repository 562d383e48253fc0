"""Hypothesis strategies for hostile text: what a fuzzer, a careless paste or an attacker sends.

Shared by the property tests of the registration and document services.
"""

from hypothesis import strategies as st

HTML_PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "{{ request.user }}{% debug %}",
    "<style>body{display:none}</style>",
)
SQL_PAYLOADS = (
    "'; DROP TABLE people_person; --",
    "' OR '1'='1",
    "1; SELECT pg_sleep(10)",
    "%s %(x)s ? :name",
    "\\'; --",
)
ODD_CHARACTERS = (
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\u0085",
    "\u200b",
    "\u200e",
    "\u202e",
    "\u2028",
    "\ufeff",
    "\ufffd",
    "\U0001f600",
    "\ud800",
    "\udfff",
    "e\u0301",
    "\uff21",
)
MIXED_SCRIPTS = "김리박안재수金李朴安在秀ÄéßЖжאבعربي" + "ไทย" + "한글漢字Latin"


def hostile_text(max_pieces: int = 4) -> st.SearchStrategy[str]:
    piece = st.one_of(
        st.text(max_size=30),
        st.sampled_from(HTML_PAYLOADS + SQL_PAYLOADS),
        st.sampled_from(ODD_CHARACTERS),
        st.text(alphabet=MIXED_SCRIPTS, min_size=1, max_size=20),
        st.integers(min_value=1_000, max_value=200_000).map(lambda n: "가" * n),
        st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Co"]),
    )
    return st.lists(piece, max_size=max_pieces).map("".join)


def escaped_everywhere(html: str) -> list[str]:
    """The markup payloads found raw (unescaped) in a rendered page: each would run there."""
    return [payload for payload in HTML_PAYLOADS if "<" in payload and payload in html]
