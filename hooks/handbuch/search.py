"""German search: what the build adds to Material's lunr search.

Material's German search finds neither "Maßnahme" in "Präventionsmaßnahmen" nor
"Steuerungsgruppe" for "Steuerungsgruppen", nor "Prävention" for "Praevention".
Two pieces fix that, and nothing of either is visible on a page:

- In the browser (static/lunr.handbuch.js, appended to lunr-languages' German
  support from npm): index and query words meet in one canonical form, folded
  spelling (ä/ae, ß/ss, case) plus the German stemmer, also for the wildcard terms
  Material searches with.
- At build time (this module): every search document gets a hidden field `extra`
  with the parts of its compound words ("präventionsmaßnahmen" -> "prävention",
  "maßnahmen") and the long forms or abbreviations of the glossary ("ASD" <->
  "Allgemeiner Sozialer Dienst"). Compounds are split against the handbook's own
  vocabulary, so no word list has to be kept up to date.

`HANDBUCH_SEARCH=stock` builds with Material's search as shipped; scripts/search_eval.py
compares both on the query set in tests/search_queries.yml.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from .synonyms import SynonymIndex

MODE_VARIABLE = "HANDBUCH_SEARCH"
EXTRA_FIELD = "extra"
# Material's trimmer, stop word filter and stemmer off: our one cached function in the
# worker does their work (static/lunr.handbuch.js), with the stemmer also for wildcards.
PIPELINE: list[str] = []
FIELDS = {EXTRA_FIELD: {"boost": 0.3}}
LUNR_MIN = "assets/javascripts/lunr/min/"
EXTENSION = Path(__file__).with_name("static") / "lunr.handbuch.js"

MIN_HEAD = 4  # "Rat" or "Amt" as the head of a compound would split far too much
MIN_MODIFIER = 4  # keeps particles out: "bei|spiel", "mit|wirken"
# A head the handbook never uses alone ("Gesundheits|lotsen") counts when it is this long
# and does not start like a suffix ("jugend|liche").
MIN_NEW_HEAD = 6
SUFFIXES = ("lich", "ung", "heit", "keit", "schaft", "isch", "chen", "lein", "bar", "sam", "los", "haft", "ig",
            "ier", "ion", "ität", "itä", "ell", "est")
# How a German word can begin: a vowel, one consonant before a vowel, or one of these clusters.
ONSET = re.compile(r"^(?:[aeiouäöüy]|(?:sch|str|spr|[bcdfgkpt][lr]|pf|ph|qu|s[pt]|kn|zw|wr|th|[b-df-hj-np-tv-z])[aeiouäöüy])")
LINKING = ("s", "es", "n", "en", "e", "er", "ens")  # Fugenelemente
INFLECTION = ("e", "n", "en", "s", "es", "er", "ern", "nen")
WORD = re.compile(r"[^\W\d_]+")
TAG = re.compile(r"<[^>]*>")


def enabled() -> bool:
    return os.environ.get(MODE_VARIABLE, "").strip().lower() != "stock"


def configure(plugin_config: dict) -> None:
    """Pipeline and hidden field for Material's search plugin (before its own on_config)."""
    plugin_config["pipeline"] = list(PIPELINE)
    plugin_config["fields"] = {**plugin_config.get("fields", {}), **FIELDS}


def stop_words(node_modules: Path) -> frozenset[str]:
    """lunr-languages' German stop words: never parts of a compound ("habe" in "Teilhabe")."""
    found = re.search(r"generateStopWordFilter\(\s*['\"]([^'\"]*)['\"]",
                      npm_files(node_modules)[1].read_text(encoding="utf-8"))
    return frozenset(found.group(1).split()) if found else frozenset()


def npm_files(node_modules: Path) -> list[Path]:
    source = node_modules / "lunr-languages" / "min"
    return [source / "lunr.stemmer.support.min.js", source / "lunr.de.min.js"]


def worker_assets(node_modules: Path) -> dict[str, Path | str]:
    """Material's copies of lunr-languages (1.14.0) replaced by the pinned npm release with our extension."""
    support, german = npm_files(node_modules)
    return {
        LUNR_MIN + support.name: support,
        LUNR_MIN + german.name: german.read_text(encoding="utf-8") + "\n" + EXTENSION.read_text(encoding="utf-8"),
    }


def words(text: str) -> list[str]:
    """The words of an index text (HTML fragments in Material's search index)."""
    return WORD.findall(html.unescape(TAG.sub(" ", text)))


class Decompounder:
    """Splits German compounds into words that occur in the handbook itself."""

    def __init__(self, vocabulary: Iterable[str], stop: frozenset[str] = frozenset()):
        # Words as written in the text; abbreviations ("ISS") are no parts of words.
        self.vocabulary = {word.lower() for word in vocabulary
                           if len(word) >= MIN_MODIFIER and not word.isupper()} - stop
        self.stop = stop
        self._parts: dict[str, tuple[str, ...]] = {}

    def known(self, word: str) -> bool:
        """In the vocabulary, also as another inflected form (Maßnahme/Maßnahmen, Netzwerk/Netzwerke).

        Never a stop word, not even as a form of a word ("sich" beside "sicher").
        """
        if word in self.stop:
            return False
        if word in self.vocabulary:
            return True
        for ending in INFLECTION:
            if word + ending in self.vocabulary:
                return True
            if word.endswith(ending) and len(word) - len(ending) >= MIN_HEAD \
                    and word[:-len(ending)] in self.vocabulary:
                return True
        return False

    def _modifier(self, text: str, strict: bool = False) -> str | None:
        """The first part of a compound, without its linking element (Präventions- -> Prävention).

        Words as written come first; `strict` admits nothing else.
        """
        unlinked = [text[:-len(link)] for link in LINKING
                    if text.endswith(link) and len(text) - len(link) >= MIN_MODIFIER]
        for known in (self.vocabulary.__contains__,) if strict else (self.vocabulary.__contains__, self.known):
            for candidate in (text, *unlinked):
                if known(candidate):
                    return candidate
        return None

    def parts(self, word: str) -> tuple[str, ...]:
        """The parts of a lowercase compound, recursively; () if it is not one."""
        if word not in self._parts:
            self._parts[word] = ()  # guards the recursion
            self._parts[word] = self._split(word)
        return self._parts[word]

    def _split(self, word: str) -> tuple[str, ...]:
        # The longest known head whose remainder is a known word, too; failing that,
        # the longest known first part followed by a plausible new word.
        for cut in range(MIN_MODIFIER, len(word) - MIN_HEAD + 1):
            head = word[cut:]
            if not self.known(head):
                continue
            modifier = self._modifier(word[:cut])
            if modifier is not None:
                return (*self._whole_and_parts(modifier), *self._whole_and_parts(head))
        for cut in range(len(word) - MIN_NEW_HEAD, MIN_MODIFIER - 1, -1):
            head = word[cut:]
            if head.startswith(SUFFIXES) or word[cut - 1:].startswith(SUFFIXES) or not ONSET.match(head):
                continue  # "jugend|liche", "wissens|chaftlich", "unte|rstützung"
            modifier = self._modifier(word[:cut], strict=True)
            if modifier is not None:
                return (*self._whole_and_parts(modifier), *self._whole_and_parts(head))
        return ()

    def _whole_and_parts(self, part: str) -> tuple[str, ...]:
        """A part and, if it is a compound itself, its parts. A part used as a word of its own stays
        whole as well: "Netzwerken" must still find "Präventionsnetzwerken" once "Netz" and "Werken"
        are words of the handbook, too."""
        inner = self.parts(part)
        if not inner:
            return (part,)
        return (part, *inner) if self.known(part) else inner


def _glossary_terms(glossary: Mapping[str, str], stop: frozenset[str]) -> list[tuple[str, str, set[str]]]:
    """(abbreviation, long form as a phrase of words, the long form's words to add)."""
    terms = []
    for abbreviation, long_form in glossary.items():
        long_words = [w.lower() for w in words(long_form)]
        terms.append((abbreviation, " ".join(long_words), set(long_words) - stop))
    return terms


def extra_words(found: list[str], decompounder: Decompounder,
                glossary: list[tuple[str, str, set[str]]], synonyms: SynonymIndex | None = None) -> list[str]:
    """Hidden index words for one search document (its words given): compound parts, glossary terms
    and the everyday words of content/synonyme.yml."""
    present = set(map(str.lower, found))
    extra: set[str] = set()
    for word in present:
        parts = decompounder.parts(word)
        if parts:
            extra.update(parts)
    if synonyms is not None:
        extra |= synonyms.words_for(found, extra)
    phrase = f" {' '.join(found).lower()} "
    for abbreviation, long_form, long_words in glossary:
        if abbreviation in found:
            extra.update(long_words)
        elif long_form and f" {long_form} " in phrase:  # whole words: "Jugendamt" is not in "Landesjugendamt"
            extra.add(abbreviation.lower())
    return sorted(extra - present)


def enrich_index(index: dict, glossary: Mapping[str, str], stop: frozenset[str] = frozenset(),
                 synonyms: Mapping[str, Iterable[str]] | None = None) -> dict:
    """Adds the hidden field to every document of a Material search index (in place)."""
    docs = index.get("docs", [])
    found = [words(f"{doc.get('title', '')} {doc.get('text', '')}") for doc in docs]
    decompounder = Decompounder(set().union(*found), stop)
    terms = _glossary_terms(glossary, stop)
    everyday = SynonymIndex(synonyms or {}, words, stop)
    for doc, doc_words in zip(docs, found):
        extra = extra_words(doc_words, decompounder, terms, everyday)
        if extra:
            doc[EXTRA_FIELD] = " ".join(extra)
    return index


def enrich_index_file(path: Path, glossary: Mapping[str, str], node_modules: Path,
                      synonyms: Mapping[str, Iterable[str]] | None = None) -> None:
    if not path.is_file():
        return
    path.write_text(enrich_index_text(path.read_text(encoding="utf-8"), glossary, node_modules, synonyms),
                    encoding="utf-8")


def enrich_index_text(text: str, glossary: Mapping[str, str], node_modules: Path,
                      synonyms: Mapping[str, Iterable[str]] | None = None) -> str:
    """Material's search_index.json as written, enriched (what enrich_index_file writes back)."""
    index = enrich_index(json.loads(text), glossary, stop_words(node_modules), synonyms)
    return json.dumps(index, ensure_ascii=False, separators=(",", ":"))


COMPACT_FIELDS = ("title", "text", EXTRA_FIELD, "boost")
EXPANDER = Path(__file__).with_name("static") / "search_index.js"


def compact_index(index: dict) -> dict:
    """Material's search index grouped by page, each document a list: [anchor, title, text, extra, boost, {rest}].

    0 stands for a missing field (no field holds 0: texts are strings, boosts are never 0).
    """
    pages: list[list] = []
    for doc in index.get("docs", []):
        path, mark, anchor = doc["location"].partition("#")
        if not pages or pages[-1][0] != path:
            pages.append([path])
        entry = [mark + anchor, *(doc.get(field, 0) for field in COMPACT_FIELDS)]
        rest = {key: value for key, value in doc.items() if key != "location" and key not in COMPACT_FIELDS}
        if rest:
            entry.append(rest)
        pages[-1].append(entry)
    return {"fields": list(COMPACT_FIELDS), "pages": pages,
            "index": {key: value for key, value in index.items() if key != "docs"}}


def compact_offline_index(search_dir: Path) -> None:
    """Rewrites the offline bundle's search_index.js (Material's offline plugin wrote it from the JSON)."""
    script = search_dir / "search_index.js"
    source = search_dir / "search_index.json"
    if not script.is_file() or not source.is_file():
        return
    index = json.loads(source.read_text(encoding="utf-8"))
    data = json.dumps(compact_index(index), ensure_ascii=False, separators=(",", ":"))
    script.write_text(EXPANDER.read_text(encoding="utf-8") + data + ")\n", encoding="utf-8")
