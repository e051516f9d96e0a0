"""Names and free text from users: refused with control characters, made safe to show.

Pure functions; any thread. A name (scenario, option, site, catalogue row) with a control,
bidirectional-override or zero-width character could rewrite a terminal line or show one
text while storing another, so :func:`check_name` refuses it at input; text already
stored (an old database, a bundle from elsewhere) goes through :func:`printable` before
it reaches a terminal, a widget or a PDF.
"""

from __future__ import annotations

import html
import unicodedata

from planner.core.errors import InputError

#: Characters that change how surrounding text is displayed without being visible.
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
MAX_NAME_CHARS = 200


def _unsafe(char: str) -> bool:
    return char in _INVISIBLE or unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn")


def check_name(value: object, field: str, max_chars: int = MAX_NAME_CHARS) -> str:
    """``value`` stripped of surrounding spaces if it is a usable one-line name."""
    if not isinstance(value, str):
        raise InputError(f"{field} must be text, got {value!r}")
    name = value.strip()
    if not name:
        raise InputError(f"{field} is empty; give a name")
    if len(name) > max_chars:
        raise InputError(f"{field} is {len(name)} characters long; keep it to {max_chars}")
    bad = next((c for c in name if _unsafe(c)), None)
    if bad is not None:
        raise InputError(
            f"{field} contains the invisible or control character U+{ord(bad):04X}; "
            "retype the name without it"
        )
    return name


def invisible_char(text: str) -> str | None:
    """The first bidi or zero-width character in ``text`` (line breaks and tabs pass), or None.

    For multi-line free text (notes, reasons), which may hold ``\\n`` and ``\\t`` but never
    a character that changes how the surrounding text is shown.
    """
    return next((c for c in text if c in _INVISIBLE), None)


def printable(text: str) -> str:
    """``text`` with control, bidi and zero-width characters shown as ``\\u....`` escapes."""
    if not any(_unsafe(c) for c in text):
        return text
    return "".join(f"\\u{ord(c):04x}" if _unsafe(c) else c for c in text)


def printable_lines(text: str) -> str:
    """Multi-line ``text`` (a table, a run's description) with each line :func:`printable`."""
    return "\n".join(printable(line) for line in text.split("\n"))


def html_text(text: str) -> str:
    """``text`` made safe for HTML (reports): line breaks and tabs become spaces, as HTML
    shows them anyway; other control, bidi and zero-width characters are escaped as by
    :func:`printable`; then markup characters are escaped."""
    return html.escape(printable(" ".join(text.split())))
