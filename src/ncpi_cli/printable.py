"""Text that shows as it is: what may not stand in an id or a text, and how any text is
made safe for a one-line message or a terminal (hidden characters escaped as \\uXXXX)."""

from __future__ import annotations

#: Unicode categories refused in an id: controls, invisible format characters (zero-width,
#: bidi overrides), surrogates, private use, line and paragraph separators. Two ids that
#: print alike must be the same id, and no id may move or hide what a terminal shows.
HIDDEN_CATEGORIES = {"Cc": "the control character", "Cf": "the invisible character",
                     "Cs": "the lone surrogate", "Co": "the private-use character",
                     "Zl": "the line separator", "Zp": "the paragraph separator"}
#: Free text (a summary, a source) may hold tabs and line breaks, never the rest.
TEXT_ALLOWED = frozenset("\t\n\r")
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def hidden_character(value: str, strict: bool = True) -> str | None:
    """The first character of a text that cannot be shown as it is, described; or None.
    Strict (ids): any of HIDDEN_CATEGORIES; else (free text) controls but tab and line
    breaks, bidi controls, surrogates."""
    if value.isprintable():
        return None
    import unicodedata  # only for text that is not plainly printable

    for ch in value:
        category = unicodedata.category(ch)
        what = HIDDEN_CATEGORIES.get(category)
        if what is None or (not strict and (
                ch in TEXT_ALLOWED or (category not in ("Cc", "Cs")
                                       and ch not in BIDI_CONTROLS))):
            continue
        name = unicodedata.name(ch, "")
        return f"{what} U+{ord(ch):04X}" + (f" ({name})" if name else "")
    return None


def shown(text: str) -> str:
    """Text for a one-line message: characters that would not show are escaped (\\uXXXX)."""
    if hidden_character(text) is None:
        return text
    import unicodedata

    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) in HIDDEN_CATEGORIES
                   else ch for ch in text)
