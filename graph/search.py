"""Turning what people type into a safe full-text (Lucene) query."""

from __future__ import annotations

import re

# Every character Lucene's classic query parser gives a meaning to.
_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
MAX_TERMS = 10


def lucene_query(text: str) -> str | None:
    """Each word escaped, made typo-tolerant (~), all required; None when nothing is left.

    Escaping makes Lucene's syntax inert, so no input can change what the query means.
    """
    words = [_SPECIAL.sub(r"\\\1", word) for word in text.lower().split()][:MAX_TERMS]
    words = [w for w in words if w.strip("\\")]
    if not words:
        return None
    return " AND ".join(f"{word}~" if len(word) > 3 else f"{word}*" for word in words)
