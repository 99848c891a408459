/*
 * German search for the handbook, inside Material's search worker.
 *
 * hooks/handbuch/search.py appends this file to lunr-languages' lunr.de.min.js (from
 * npm), which Material's worker loads when the site language is German, over http
 * and in the offline bundle alike. It runs right after German support is defined.
 *
 * One canonical form serves both sides: index tokens pass through `fold` and the
 * German stemmer in lunr's pipeline; query terms get the same treatment in a
 * wildcard normalizer, because Material appends "*" to every query term and lunr
 * skips the pipeline for wildcard terms (lunr-languages issue 80). So "Massnahme",
 * "Maßnahmen" and "massnahme" meet at "massnahm", "fruehe" and "frühe" at "fruh",
 * "Steuerungsgruppen" and "Steuerungsgruppe" at "steurungsgrupp".
 *
 * Compound parts and abbreviations come from the build (the hidden "extra" field of
 * the search index, see search.py); this file only normalises words.
 */
(function (lunr) {
  "use strict"

  var german = lunr.de
  var stem = german.stemmer // also stems plain strings (lunr-languages' lunr 1 path)

  /* Lowercase, drop punctuation around the word (the trimmer's job, but keeping a
   * wildcard "*"), drop accents (é -> e, ä -> a) and spell ß and the ASCII umlauts
   * one way: ß -> ss, ae -> a, oe -> o, ue -> u. Folding "ue" also hits words like
   * "neue"; both sides fold alike, so such words still find themselves. */
  function fold(word) {
    return word
      .toLowerCase()
      .replace(/^[^\p{L}\p{N}*]+|[^\p{L}\p{N}*]+$/gu, "")
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .replace(/\u00DF/g, "ss")
      .replace(/ae/g, "a")
      .replace(/oe/g, "o")
      .replace(/ue/g, "u")
  }

  /* After the stemmer: forms it leaves apart. Adjectives and nouns in -el lose
   * the e when inflected (sensibel/sensible, Regel/Regeln), Latin nouns change
   * their ending in the plural (Zentrum/Zentren, Gremium/Gremien). */
  function merge(word) {
    return word
      .replace(/([^aeiou])el([ns]?)$/, "$1l$2")
      .replace(/([ie])um$/, "$1")
      .replace(/trum$/, "tr")
  }

  function canonical(word) {
    return merge(stem(word))
  }

  function mergeToken(token) {
    return token.update(merge)
  }
  lunr.Pipeline.registerFunction(mergeToken, "handbuchMerge")

  function foldToken(token) {
    var word = fold(token.toString())
    return word ? token.update(function () { return word }) : undefined
  }
  lunr.Pipeline.registerFunction(foldToken, "handbuchFold")

  /* A wildcard term such as "Maßnahmen*" -> "massnahm*". Terms with an inner
   * wildcard are left alone: a stemmer cannot know where the word ends. */
  function normalizeWildcard(term) {
    var parts = /^(\*?)([^*]*)(\*?)$/.exec(term)
    if (!parts || !parts[2])
      return term
    var word = fold(parts[2])
    return word ? parts[1] + canonical(word) + parts[3] : term
  }
  normalizeWildcard.label = "handbuch-de"
  normalizeWildcard.pipelineFunctionLabel = "handbuchFold"
  lunr.stemmerSupport.addQueryParserWildcardNormalizer(lunr, normalizeWildcard)

  /* Material calls `this.use(lunr.de)` and then removes the functions its config
   * leaves out (the trimmer: `fold` trims). Folding goes first, before stop words. */
  lunr.de = function () {
    german.call(this)
    for (var pipeline of [this.pipeline, this.searchPipeline]) {
      pipeline.before(german.trimmer, foldToken)
      pipeline.after(german.stemmer, mergeToken)
    }
  }
  for (var key in german)
    lunr.de[key] = german[key]
})(self.lunr)
