/*
 * The offline bundle's search index (search/search_index.js), written compactly by
 * hooks/handbuch/search.py: documents grouped by page, each a list instead of an object,
 * so the keys and the page's address are not repeated for every section. This function
 * restores the index exactly as Material's offline plugin writes it.
 */
var __index = (function (compact) {
  "use strict"
  var docs = []
  compact.pages.forEach(function (page) {
    var path = page[0]
    for (var i = 1; i < page.length; i++) {
      var entry = page[i], doc = { location: path + entry[0] }
      compact.fields.forEach(function (field, n) {
        if (entry[n + 1] !== 0) doc[field] = entry[n + 1]
      })
      if (entry.length > compact.fields.length + 1) Object.assign(doc, entry[compact.fields.length + 1])
      docs.push(doc)
    }
  })
  var index = compact.index
  index.docs = docs
  return index
})(
