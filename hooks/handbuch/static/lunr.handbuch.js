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

  /* ---- Query side: whole compounds and one-letter typos ------------------------------
   *
   * Both look words up in the index's own vocabulary (its terms, in canonical form), the
   * same words the build splits compounds against (search.py), so no list is shipped.
   * Whatever goes wrong here, the plain search still answers (see `search` below). */
  var MIN_MODIFIER = 4, MIN_HEAD = 4  // as search.py: "bei|spiel" is no compound
  var MIN_TYPO = 6                    // shorter words have too many neighbours one edit away
  var MAX_WORD = 40, MAX_WORDS = 6    // a 500-letter "word" or a pasted paragraph stays cheap
  var LINKING = ["ens", "es", "en", "er", "s", "n", "e"]  // Fugenelemente, longest first
  var LETTERS = "abcdefghijklmnopqrstuvwxyzäöüß"
  var TERM = /^([+-]?)(\p{L}+)(\*?)$/u

  function known(index, word) {
    var form = analyse(word)
    return form[0] && !form[1] && Object.prototype.hasOwnProperty.call(index.invertedIndex, form[0])
  }

  /* Does any index term begin with the word's form (Material searches "word*")? */
  function found(index, word) {
    var form = analyse(word)[0]
    if (!form || Object.prototype.hasOwnProperty.call(index.invertedIndex, form))
      return true
    return index.tokenSet.intersect(lunr.TokenSet.fromString(form + "*")).toArray().length > 0
  }

  /* "Armutsprävention" -> ["armut", "prävention"]: the longest known head whose
   * remainder, without its linking element, is a known word as well; both split further
   * ("Kinderarmutsprävention" -> kinder, armut, prävention), so that a page about the parts
   * is found even when a few records contain the whole word. */
  function split(index, word, depth) {
    var lower = word.toLowerCase()
    for (var cut = MIN_MODIFIER; cut <= lower.length - MIN_HEAD; cut++) {
      var head = lower.slice(cut)
      if (!known(index, head))
        continue
      var modifier = lower.slice(0, cut)
      var candidates = [modifier].concat(LINKING.filter(function (link) {
        return modifier.length - link.length >= MIN_MODIFIER && modifier.slice(-link.length) === link
      }).map(function (link) { return modifier.slice(0, -link.length) }))
      for (var i = 0; i < candidates.length; i++)
        if (known(index, candidates[i])) {
          if ((depth || 0) >= 2) return [candidates[i], head]
          return [candidates[i], head].reduce(function (parts, part) {
            return parts.concat(split(index, part, (depth || 0) + 1) || [part])
          }, [])
        }
    }
    return null
  }

  /* The word one edit away (a letter left out, added, changed or two swapped) whose
   * form occurs in the most documents; the reader's spelling otherwise. */
  function corrected(index, word) {
    var lower = word.toLowerCase(), variants = [], i, c
    for (i = 0; i <= lower.length; i++) {
      if (i < lower.length) variants.push(lower.slice(0, i) + lower.slice(i + 1))
      if (i < lower.length - 1) variants.push(lower.slice(0, i) + lower[i + 1] + lower[i] + lower.slice(i + 2))
      for (c = 0; c < LETTERS.length; c++) {
        variants.push(lower.slice(0, i) + LETTERS[c] + lower.slice(i))
        if (i < lower.length) variants.push(lower.slice(0, i) + LETTERS[c] + lower.slice(i + 1))
      }
    }
    var best = null, bestCount = 0
    variants.forEach(function (variant) {
      if (variant === lower || !known(index, variant)) return
      var postings = index.invertedIndex[analyse(variant)[0]], count = 0
      for (var field in postings)
        if (field !== "_index") count += Object.keys(postings[field]).length
      if (count > bestCount) { best = variant; bestCount = count }
    })
    if (!best) return null
    return word[0] === word[0].toUpperCase() ? best[0].toUpperCase() + best.slice(1) : best
  }

  /* ---- Index side: building fast ------------------------------------------------------
   *
   * lunr's Builder.add stores the position of every word of every document (Material
   * highlights matches with them): an object per occurrence, most of the time it takes to
   * get ready. Here add() stores terms and frequencies only and keeps the document; the
   * positions of the documents a query finds are worked out when it is asked (`positions`
   * below), with the same tokenizer and pipeline, so highlighting is unchanged. */
  var TOP_PAGES = 20  // result entries whose matches are highlighted; Material shows ten at first

  /* The words of a field as Material's tokenizer splits them (text between HTML tags, cut
   * at its separator), in canonical form, stop words left out: what the tokenizer and our
   * one pipeline function give, without a token object and a position per word. */
  function indexTerms(value) {
    var terms = []
    if (Array.isArray(value)) {
      value.forEach(function (item) { terms.push.apply(terms, indexTerms(item)) })
      return terms
    }
    if (typeof value !== "string") return terms
    var separator = new RegExp(lunr.tokenizer.separator.source, "g")
    function words(start, end) {
      var section = value.slice(start, end), index = 0, match
      separator.lastIndex = 0
      do {
        match = separator.exec(section)
        var until = match ? match.index : section.length
        if (index < until) {
          var known = analyse(section.slice(index, until).toLowerCase())
          if (known[0] && !known[1]) terms.push(known[0])
        }
        if (match) {
          index = match.index + match[0].length
          if (match[0].length === 0) separator.lastIndex = match.index + 1
        }
      } while (match)
    }
    /* Material's extract(): text is what stands between ">" and the next "<". */
    var start = 0, end = 0
    for (; end < value.length; end++) {
      var c = value.charAt(end)
      if (c === "<" && end > start) {
        words(start, end)
        start = end
      } else if (c === ">") {
        start = end + 1
      }
    }
    if (end > start) words(start, end)
    return terms
  }

  /* One empty metadata object for every posting: lunr's MatchData copies it, never changes it. */
  var NO_METADATA = Object.freeze(Object.create(null))

  lunr.Builder.prototype.add = function (doc, attributes) {
    var docRef = doc[this._ref], fields = Object.keys(this._fields)
    this._documents[docRef] = attributes || {}
    this.documentCount += 1
    ;(this.handbuchDocs || (this.handbuchDocs = Object.create(null)))[docRef] = doc
    /* Only with exactly our pipeline; anything else takes lunr's way. */
    var fast = this.pipeline._stack.length === 1 && this.pipeline._stack[0] === indexToken &&
      lunr.tokenizer.separator instanceof RegExp && typeof lunr.segmenter === "undefined"
    for (var i = 0; i < fields.length; i++) {
      var fieldName = fields[i], extractor = this._fields[fieldName].extractor
      var value = extractor ? extractor(doc) : doc[fieldName]  // Material's extractor opens the field's position table
      var terms = fast ? indexTerms(value) : this.pipeline.run(this.tokenizer(value, { fields: [fieldName] }))
      var fieldRef = new lunr.FieldRef(docRef, fieldName), fieldTerms = Object.create(null)
      this.fieldTermFrequencies[fieldRef] = fieldTerms
      this.fieldLengths[fieldRef] = terms.length
      for (var j = 0; j < terms.length; j++) {
        var term = terms[j].toString(), posting = this.invertedIndex[term]
        fieldTerms[term] = (fieldTerms[term] || 0) + 1
        if (posting === undefined) {
          posting = Object.create(null)
          posting._index = this.termIndex++
          for (var k = 0; k < fields.length; k++) posting[fields[k]] = Object.create(null)
          this.invertedIndex[term] = posting
        }
        if (posting[fieldName][docRef] === undefined) posting[fieldName][docRef] = NO_METADATA
      }
    }
  }

  /* lunr's own inserts term by term into a sorted vector (a search and a splice each);
   * sorting once gives the same vector. */
  lunr.Builder.prototype.createFieldVectors = function () {
    var fieldVectors = {}, idfs = Object.create(null)
    for (var fieldRefText in this.fieldTermFrequencies) {
      var fieldRef = lunr.FieldRef.fromString(fieldRefText), fieldName = fieldRef.fieldName
      var frequencies = this.fieldTermFrequencies[fieldRefText], pairs = []
      var lengthNorm = this._k1 * (1 - this._b + this._b * (this.fieldLengths[fieldRefText] / this.averageFieldLength[fieldName]))
      var fieldBoost = this._fields[fieldName].boost || 1, docBoost = this._documents[fieldRef.docRef].boost || 1
      for (var term in frequencies) {
        var tf = frequencies[term], posting = this.invertedIndex[term]
        var idf = idfs[term] !== undefined ? idfs[term] : (idfs[term] = lunr.idf(posting, this.documentCount))
        var score = idf * ((this._k1 + 1) * tf) / (lengthNorm + tf)
        score *= fieldBoost  // in lunr's order: the same rounding
        score *= docBoost
        pairs.push([posting._index, Math.round(score * 1000) / 1000])
      }
      pairs.sort(function (a, b) { return a[0] - b[0] })
      var elements = new Array(pairs.length * 2)
      for (var i = 0; i < pairs.length; i++) { elements[2 * i] = pairs[i][0]; elements[2 * i + 1] = pairs[i][1] }
      fieldVectors[fieldRefText] = new lunr.Vector(elements)
    }
    this.fieldVectors = fieldVectors
  }

  var build = lunr.Builder.prototype.build
  lunr.Builder.prototype.build = function () {
    var index = build.call(this)
    index.handbuchBuilder = { docs: this.handbuchDocs || {}, fields: this._fields, tokenizer: this.tokenizer,
                              pipeline: this.pipeline }
    return index
  }

  /* Every match gets its positions (Material reads them); the results Material shows first
   * the real ones. Material multiplies a page's score by up to 5 and a section's by up to 2
   * and lists a page with all its sections: the pages with the best of those bounds are
   * highlighted with all their sections. */
  function positions(index, results) {
    var source = index.handbuchBuilder
    if (!source) return results
    var best = Object.create(null)
    results.forEach(function (result) {
      var page = result.ref.split("#")[0], bound = result.score * (result.ref.indexOf("#") === -1 ? 5 : 2)
      if (!(best[page] >= bound)) best[page] = bound
    })
    var shown = new Set(Object.keys(best).sort(function (a, b) { return best[b] - best[a] }).slice(0, TOP_PAGES))
    results.forEach(function (result) {
      var metadata = result.matchData.metadata, doc = source.docs[result.ref], wanted = Object.create(null)
      var highlight = doc && shown.has(result.ref.split("#")[0])
      for (var term in metadata)
        for (var field in metadata[term]) {
          metadata[term][field] = { position: [] }  // a new object: postings share theirs
          if (highlight) (wanted[field] || (wanted[field] = [])).push(term)
        }
      for (var name in wanted) {
        var spec = source.fields[name]
        var value = spec && spec.extractor ? spec.extractor(doc) : doc[name]  // also resets Material's table
        source.pipeline.run(source.tokenizer(value, { fields: [name] })).forEach(function (token) {
          var hit = metadata[token.toString()]
          if (hit && hit[name] && token.metadata.position) hit[name].position.push(token.metadata.position)
        })
      }
    })
    return results
  }

  /* The guide stays in view (issue 22): however many records contain a word, the best guide
   * chapter and the best glossary entry that match a query end among the first three pages, the
   * second-best chapter among the first five. Material multiplies a page's score by 1 to 5 (a
   * section's by 1 to 2) after this; so each is lifted, if needed, to the bound the n-th best
   * other page can reach, which no page below it can pass. */
  var GUIDE = [[/^leitfaden\/[^#]+/, [3, 5]], [/^glossar(?:\/|\.html)/, [3]]]
  function bound(result) { return result.score * (result.ref.indexOf("#") === -1 ? 5 : 2) }
  function page(result) { return result.ref.split("#")[0] }
  function keepGuide(results) {
    try {
      var lifted = new Set()
      GUIDE.forEach(function (rule) {
        var best = Object.create(null)
        results.forEach(function (result) {
          if (rule[0].test(result.ref) && !(best[page(result)] >= result.score)) best[page(result)] = result.score
        })
        var pages = Object.keys(best).sort(function (a, b) { return best[b] - best[a] })
        rule[1].forEach(function (place, i) {
          var mine = pages[i]
          if (!mine) return
          var others = Object.create(null)
          results.forEach(function (result) {
            var other = page(result)
            if (other !== mine && !lifted.has(other)) others[other] = Math.max(others[other] || 0, bound(result))
          })
          var ranked = Object.keys(others).map(function (key) { return others[key] }).sort(function (a, b) { return b - a })
          var needed = ranked.length >= place - lifted.size ? ranked[place - lifted.size - 1] * 1.001 : 0
          lifted.add(mine)
          if (best[mine] >= needed) return
          var factor = needed / best[mine]
          results.forEach(function (result) { if (page(result) === mine) result.score *= factor })
        })
      })
      return results.sort(function (a, b) { return b.score - a.score })
    } catch (error) {
      return results
    }
  }

  /* The correction of the last query, for the result message (see postMessage below). */
  var correction = null

  var search = lunr.Index.prototype.search
  lunr.Index.prototype.search = function (queryString) {
    correction = null
    var query = String(queryString), compounds = []
    try {
      var terms = query.split(/\s+/).slice(0, MAX_WORDS * 4)
      var rewritten = terms.map(function (term, position) {
        var parts = TERM.exec(term)
        if (!parts || parts[2].length > MAX_WORD || parts[1] === "-" || analyse(parts[2])[1])
          return term
        if (parts[2].length >= MIN_TYPO && !found(this, parts[2])) {
          var better = corrected(this, parts[2])
          if (better) {
            correction = { typed: parts[2], searched: better, form: analyse(better)[0] }
            return parts[1] + better + parts[3]
          }
        }
        if (compounds.length < MAX_WORDS && parts[2].length >= MIN_MODIFIER + MIN_HEAD) {
          var pieces = split(this, parts[2])
          if (pieces) compounds.push([position, pieces])
        }
        return term
      }, this)
      query = rewritten.join(" ")
    } catch (error) {
      correction = null
      compounds = []
    }
    var results = positions(this, search.call(this, query))
    if (!compounds.length)
      return keepGuide(results)
    /* Pages with the parts of a compound come after every page with the word itself:
     * Material multiplies a score by at most 5 (title and all terms matched). */
    try {
      var seen = new Set(results.map(function (result) { return result.ref }))
      var lowest = results.reduce(function (low, result) { return Math.min(low, result.score) }, Infinity)
      var more = []
      compounds.forEach(function (compound) {
        var words = query.split(/\s+/)
        words[compound[0]] = compound[1].map(function (piece) { return "+" + piece }).join(" ")
        positions(this, search.call(this, words.join(" "))).forEach(function (result) {
          if (!seen.has(result.ref)) { seen.add(result.ref); more.push(result) }
        })
      }, this)
      var highest = more.reduce(function (high, result) { return Math.max(high, result.score) }, 0)
      var scale = isFinite(lowest) && highest > 0 ? lowest / (6 * highest) : 1
      more.forEach(function (result) { result.score *= scale })
      return keepGuide(results.concat(more))
    } catch (error) {
      return keepGuide(results)
    }
  }

  /* Material builds each result's highlight words (?h=) from the terms it found. After a
   * correction, the word searched instead goes there, behind a mark that
   * docs/assets/javascripts/handbuch.js turns into "Ergebnisse für „…“". */
  var MARK = "\u2063"
  var post = self.postMessage
  if (typeof post === "function")
    self.postMessage = function (message) {
      try {
        if (correction && message && message.data && Array.isArray(message.data.items))
          message.data.items.forEach(function (group) {
            group.forEach(function (item) {
              var terms = {}
              for (var key in item.terms)
                if (item.terms[key]) terms[key] = true
              terms[correction.form] = true
              terms[MARK + correction.searched] = true
              item.terms = terms
            })
          })
      } catch (error) { /* the plain answer still goes out */ }
      return post.apply(this, arguments)
    }
})(self.lunr)
