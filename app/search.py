"""Search-as-you-type over a list held in memory: accent-insensitive, word by word.

A table of 100,000 obligations is filtered on every keystroke. ``SearchIndex`` keeps one
accent-free key per row (computed once, with :func:`app.text.search_key`) and, when the new
query only extends the previous one (the usual case while typing), filters the previous
result instead of every row. The semantics are those of :func:`app.text.matches`: every word
of the query appears in the row's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from app.text import search_key

__all__ = ["SearchIndex"]


class SearchIndex:
    """Row numbers matching a query, over texts given once."""

    def __init__(self, texts: Iterable[str], *, keys_ready: bool = False) -> None:
        if keys_ready:
            self._keys: list[str] = list(texts)
        else:
            cache: dict[str, str] = {}
            self._keys = []
            for text in texts:
                key = cache.get(text)
                if key is None:
                    key = cache[text] = search_key(text)
                self._keys.append(key)
        self._last_query = ""
        self._last_rows: list[int] | None = None

    @classmethod
    def from_fields(cls, rows: Iterable[Sequence[str | None]]) -> SearchIndex:
        """One key per row from several text fields (each field's key is computed once)."""
        cache: dict[str, str] = {}

        def key(value: str | None) -> str:
            if not value:
                return ""
            found = cache.get(value)
            if found is None:
                found = cache[value] = search_key(value)
            return found

        return cls((" ".join(key(v) for v in row) for row in rows), keys_ready=True)

    def __len__(self) -> int:
        return len(self._keys)

    def filter(self, query: str) -> list[int]:
        """The row numbers (ascending) whose text holds every word of ``query``."""
        normalised = search_key(query)
        words = normalised.split()
        if not words:
            self._last_query, self._last_rows = "", None
            return list(range(len(self._keys)))
        keys = self._keys
        previous = self._last_rows
        # Longest word first: it usually narrows the most; then the others on what is left.
        ordered = sorted(words, key=len, reverse=True)
        first = ordered[0]
        if previous is not None and self._last_query and normalised.startswith(self._last_query):
            # Typing on: each word of the old query is inside a word of the new one, so the
            # new matches are among the old ones.
            result = [i for i in previous if first in keys[i]]
        else:
            result = [i for i, key in enumerate(keys) if first in key]
        for word in ordered[1:]:
            result = [i for i in result if word in keys[i]]
        self._last_query, self._last_rows = normalised, result
        return result

    def reset(self) -> None:
        """Forget the previous query (the next one scans every row)."""
        self._last_query, self._last_rows = "", None
