"""content/synonyme.yml: words readers type that the handbook does not use.

Editors own the file: each entry names a term as the handbook writes it and the everyday
words and job titles that should find it ("Koordinationsfachkraft" <- "Koordinatorin").
The build adds those words to the hidden search field `extra` of every search document
that contains the term (search.py), so they find the page without ever being shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from .messages import problems_at
from .problems import Problem, display_path
from .yamlsafe import read_document

FILE = "synonyme.yml"
# A term's inflected forms in the text: "Koordinationsfachkräfte", "Quartiere", "Kitas".
ENDINGS = ("", "e", "n", "en", "s", "es", "er", "ern", "nen")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def fold(word: str) -> str:
    """Lowercase without umlauts, so that a term also meets its umlaut plural (Fachkraft/Fachkräfte)."""
    return word.lower().translate(_FOLD)


def load_synonyms(root: Path, problems: list[Problem]) -> dict[str, tuple[str, ...]]:
    """Term -> everyday words, in file order; every mistake becomes a problem with file and line."""
    path = root / FILE
    if not path.exists():
        return {}
    file = display_path(path)
    document = read_document(path, problems)
    if document is None:
        return {}
    if document.data is None:
        return {}
    if not isinstance(document.data, dict):
        problems.append(Problem(file, 1, 1, None, f"{FILE} muss eine Zuordnung „Begriff: [Wort, Wort]“ enthalten."))
        return {}
    found: dict[str, tuple[str, ...]] = {}
    located: list[tuple[tuple, str]] = []
    seen: dict[str, str] = {}  # folded word or term -> where it stands first, for the message
    for term, words in document.data.items():
        if not isinstance(term, str) or not term.strip():
            located.append(((term,), "leerer Begriff: links steht das Wort, wie es im Handbuch vorkommt."))
            continue
        term = term.strip()
        if fold(term) in seen:
            located.append(((term,), f"„{term}“ steht doppelt ({seen[fold(term)]})."))
            continue
        seen[fold(term)] = f"als Begriff „{term}“"
        if isinstance(words, str):
            words = [words]
        if not isinstance(words, list) or not words:
            located.append(((term,), "leerer Eintrag: unter dem Begriff fehlen die Wörter, die ihn finden sollen "
                                     "(eine Liste „- Wort“)."))
            continue
        kept = []
        for index, word in enumerate(words):
            if not isinstance(word, str) or not word.strip():
                located.append(((term, index), "leerer Eintrag: hier fehlt ein Wort."))
                continue
            word = word.strip()
            if fold(word) == fold(term):
                located.append(((term, index), f"„{word}“ ist der Begriff selbst; ein Suchwort muss ein anderes "
                                               "Wort sein."))
            elif fold(word) in seen:
                located.append(((term, index), f"„{word}“ steht doppelt ({seen[fold(word)]})."))
            else:
                seen[fold(word)] = f"schon unter „{term}“"
                kept.append(word)
        if kept:
            found[term] = tuple(kept)
    problems.extend(problems_at(document, file, located))
    return found


class SynonymIndex:
    """Finds the terms of synonyme.yml among the words of a search document."""

    def __init__(self, synonyms: Mapping[str, Iterable[str]], split, stop: frozenset[str] = frozenset()):
        """`split` turns a text into its words (search.words); `stop` words are never added."""
        self._first: dict[str, list[tuple[tuple[str, ...], set[str]]]] = {}
        for term, words in synonyms.items():
            term_words = tuple(fold(w) for w in split(term))
            added = {w.lower() for phrase in words for w in split(phrase)} - stop
            if not term_words or not added:
                continue
            for ending in ENDINGS:
                self._first.setdefault(term_words[0] + ending, []).append((term_words, added))

    def words_for(self, found: list[str], parts: Iterable[str] = ()) -> set[str]:
        """The everyday words of every term in the document's words (`found`, in order) or compound parts."""
        added: set[str] = set()
        if not self._first:
            return added
        folded = [fold(w) for w in found]
        for position, word in enumerate(folded):
            for term_words, words in self._first.get(word, ()):
                if len(term_words) == 1 or _follows(folded, position, term_words):
                    added |= words
        for part in parts:
            for term_words, words in self._first.get(fold(part), ()):
                if len(term_words) == 1:
                    added |= words
        return added


def _follows(folded: list[str], position: int, term_words: tuple[str, ...]) -> bool:
    """The rest of a phrase follows at `position`, each word possibly inflected."""
    rest = folded[position + 1:position + len(term_words)]
    return len(rest) == len(term_words) - 1 and all(
        any(word == expected + ending for ending in ENDINGS) for word, expected in zip(rest, term_words[1:]))
