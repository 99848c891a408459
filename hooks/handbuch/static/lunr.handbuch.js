/*
 * German search for the handbook, inside Material's search worker.
 *
 * hooks/handbuch/search.py appends this file to lunr-languages' lunr.de.min.js (from
 * npm), which Material's worker loads when the site language is German, over http
 * and in the offline bundle alike. It runs right after German support is defined.
 *
 * One canonical form serves both sides: index tokens pass through `indexToken` in
 * lunr's pipeline; query terms get the same treatment in a wildcard normalizer,
 * because Material appends "*" to every query term and lunr skips the pipeline for
 * wildcard terms (lunr-languages issue 80). So "Massnahme", "Maßnahmen" and
 * "massnahme" meet at "massnahm", "fruehe" and "frühe" at "fruh",
 * "Steuerungsgruppen" and "Steuerungsgruppe" at "steurungsgrupp".
 *
 * Compound parts and abbreviations come from the build (the hidden "extra" field of
 * the search index, see search.py); this file only normalises words.
 */
(function (lunr) {
  "use strict"

  var german = lunr.de
  var stem = german.stemmer // also stems plain strings (lunr-languages' lunr 1 path)
  var isStopWord = function (word) { return !german.stopWordFilter(word) }

  /* Lowercase, drop accents (é -> e, ä -> a) and spell ß and the ASCII umlauts one
   * way: ß -> ss, ae -> a, oe -> o, ue -> u. Not after a vowel: "neuen", "Frauen",
   * "aufbauen" keep their e, so the stemmer still finds "neu", "frau", "aufbau". */
  function fold(word) {
    return word
      .toLowerCase()
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .replace(/\u00DF/g, "ss")
      .replace(/(^|[^aeiouy])([aou])e/g, "$1$2")
  }

  /* After the stemmer: forms it leaves apart. Words in -el lose the e when
   * inflected (sensibel/sensible): the e goes back in, so the form stays a prefix
   * of compounds (Regel, regelmäßig). Latin nouns change their ending in the
   * plural (Zentrum/Zentren, Gremium/Gremien): the ending goes. */
  function merge(word) {
    return word
      .replace(/([^aeioul])l([ns]?)$/, "$1el$2")
      .replace(/([ie])um$/, "$1")
      .replace(/trum$/, "tr")
  }

  /* A word's canonical form and whether it is a stop word; punctuation around the
   * word goes (the trimmer's job). The same words recur thousands of times in the
   * index, so each is worked out once. */
  var cache = new Map()
  function analyse(word) {
    var known = cache.get(word)
    if (known === undefined) {
      var trimmed = word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")
      known = trimmed ? [merge(stem(fold(trimmed))), isStopWord(trimmed)] : ["", false]
      cache.set(word, known)
    }
    return known
  }

  /* Index: stop words are left out. */
  function indexToken(token) {
    var known = analyse(token.toString())
    return known[0] && !known[1] ? token.update(function () { return known[0] }) : undefined
  }
  lunr.Pipeline.registerFunction(indexToken, "handbuchIndex")

  /* Query: every term stays, also a stop word or a lone "§" or "–": lunr fails on a
   * required clause left without terms (quoted phrases and Material's suggestions
   * are required). A wildcard term reaching the pipeline keeps its "*". */
  function queryToken(token) {
    var term = token.toString()
    var word = term.indexOf("*") === -1 ? analyse(term)[0] : normalizeWildcard(term)
    return word ? token.update(function () { return word }) : token
  }
  lunr.Pipeline.registerFunction(queryToken, "handbuchQuery")

  /* A wildcard term such as "Maßnahmen*" -> "massnahm*". Terms with an inner
   * wildcard are left alone: a stemmer cannot know where the word ends. A stop
   * word loses its wildcard: "die" must not find "Dienst". */
  function normalizeWildcard(term) {
    var parts = /^(\*?)([^*]*)(\*?)$/.exec(term)
    if (!parts || !parts[2])
      return term
    var known = analyse(parts[2])
    if (known[1])
      return known[0]
    return known[0] ? parts[1] + known[0] + parts[3] : term
  }
  normalizeWildcard.label = "handbuch-de"
  normalizeWildcard.pipelineFunctionLabel = "handbuchQuery"
  lunr.stemmerSupport.addQueryParserWildcardNormalizer(lunr, normalizeWildcard)

  /* Material calls `this.use(lunr.de)` and then removes the trimmer, stop word
   * filter and stemmer that its (empty) pipeline setting leaves out: our one
   * function does all three, in this order. */
  lunr.de = function () {
    german.call(this)
    this.pipeline.add(indexToken)
    this.searchPipeline.add(queryToken)
  }
  for (var key in german)
    lunr.de[key] = german[key]

  /* Material leaves words out of "Es fehlt" that lunr.stopWordFilter drops: German ones. */
  lunr.stopWordFilter = german.stopWordFilter
})(self.lunr)
