"""Names and free text from users: refused with control characters, made safe to show.

Pure functions; any thread. A name (scenario, option, site, catalogue row) with a control
or format character (bidi control, zero-width, soft hyphen, tag) could rewrite a terminal
line or show one text while storing another, so :func:`check_name` refuses it at input; text already
stored (an old database, a bundle from elsewhere) goes through :func:`printable` before
it reaches a terminal, a widget or a PDF.
"""

from __future__ import annotations

import html
import unicodedata

from planner.core.errors import InputError

#: Unicode categories no name may hold and :func:`printable` escapes: controls (Cc),
#: format characters (Cf: bidi marks and overrides, zero-width, soft hyphen, tags),
#: private use (Co), lone surrogates (Cs) and unassigned code points (Cn). A category
#: rather than a list, so a format character no one thought of is covered too.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
#: Line and paragraph separators: not format characters, but they break a line.
_SEPARATORS = frozenset("\u2028\u2029")
MAX_NAME_CHARS = 200


def _invisible(char: str) -> bool:
    return char in _SEPARATORS or unicodedata.category(char) == "Cf"


def _unsafe(char: str) -> bool:
    return char in _SEPARATORS or unicodedata.category(char) in _UNSAFE_CATEGORIES


def _escaped(char: str) -> str:
    """``char`` as a Python escape: 4 hex digits, or 8 beyond the basic plane."""
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


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
    """The first format character (bidi, zero-width, ...) or line separator in ``text``, or None.

    For multi-line free text (notes, reasons), which may hold ``\\n`` and ``\\t`` but never
    a character that changes how the surrounding text is shown.
    """
    return next((c for c in text if _invisible(c)), None)


def printable(text: str) -> str:
    """``text`` with control, format (bidi, zero-width, ...) and unassigned characters
    shown as ``\\u....`` escapes."""
    if not any(_unsafe(c) for c in text):
        return text
    return "".join(_escaped(c) if _unsafe(c) else c for c in text)


def printable_lines(text: str) -> str:
    """Multi-line ``text`` (a table, a run's description) with each line :func:`printable`."""
    return "\n".join(printable(line) for line in text.split("\n"))


def html_text(text: str) -> str:
    """``text`` made safe for HTML (reports): line breaks and tabs become spaces, as HTML
    shows them anyway; other control, bidi and zero-width characters are escaped as by
    :func:`printable`; then markup characters are escaped."""
    return html.escape(printable(" ".join(text.split())))
