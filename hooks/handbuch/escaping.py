"""Content is text: filters that make editors' values safe in Markdown, YAML and HTML.

The Jinja environment autoescapes (HTML) everything by default, so a value that slips
through without a filter still cannot become markup. ``md`` (plain text -> Markdown-safe
inline text) and ``md_block`` (the Markdown fields) return already-safe strings;
``unsafe_markup`` is the last check over every rendered page.
"""

from __future__ import annotations

import json
import re
import urllib.parse

from markupsafe import Markup, escape

_MD_INLINE = re.compile(r"([\\`*_{}\[\]()#+!|])")  # what Python-Markdown (and tables) unescape


# What would start a list, or underline a heading, at the beginning of a line.
_MD_LINE_START = re.compile(r"^(\d+)\.(?=\s|$)|^([-+*])(?=\s|$)|^([-=])(?=[-=]*$)")


# Anything md() would change; most values (labels, names, years) contain none of it.
_MD_UNSAFE = re.compile(r"[\\`*_{}\[\]()#+!|<>&\"'\n\r\t\f\v]|\s\s|^\s|\s$|^[-=]|^\d+\.")


def md(value: object) -> Markup:
    """Plain text as inline Markdown: no emphasis, links, HTML, lists or table breaks."""
    if isinstance(value, Markup):  # already escaped (e.g. a label from the template globals)
        return value
    text = str(value)
    if not _MD_UNSAFE.search(text):  # fast path, called for every value on every page
        return Markup(text)
    text = " ".join(text.split())
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\." if m.group(1) else f"\\{m.group(2) or m.group(3)}", text)
    return Markup(str(escape(text)))


def md_gfm(value: object) -> Markup:
    """``md`` for a comment on the code host (GitHub Flavored Markdown): "@name" would notify a
    person and is broken by an invisible space; the rest of md's escaping holds there too."""
    return Markup(str(md(value)).replace("@", "@\u200b"))


# Characters Markdown acts on inside a table row before it sees inline HTML (cell breaks, code spans,
# links, emphasis, backslash escapes), and the ones HTML needs escaped in an attribute.
_ATTR_ACTIVE = re.compile(r"[\\`*_{}\[\]()#+!|<>&\"']")


def md_attr(value: object) -> Markup:
    """An HTML attribute value inside a Markdown table row: every character Markdown or HTML would act
    on becomes a numeric reference, so the text arrives in the attribute exactly as written."""
    return Markup(_ATTR_ACTIVE.sub(lambda m: f"&#{ord(m[0])};", str(value)))


def md_url(value: object) -> Markup:
    """A URL as a Markdown link target: characters that could end the target are encoded."""
    return Markup(urllib.parse.quote(str(value), safe=":/?#=&%@!$*+,;~-._"))


# A code span on one line: Markdown shows its content literally, so it needs no escaping
# (escaped, `a<b` would read "a&lt;b").
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)[^`\n]+?\1(?!`)")


def md_block(value: object) -> Markup:
    """A Markdown field: Markdown stays, raw HTML is shown as text, attribute lists are off."""
    def escaped(part: str) -> str:  # HTML shown as text, attribute lists off
        return part.replace("<", "&lt;").replace("{", "\\{")

    text = str(value).replace("\r\n", "\n")
    out, last = [], 0
    for span in _CODE_SPAN.finditer(text):
        out += [escaped(text[last:span.start()]), span.group(0)]
        last = span.end()
    return Markup("".join(out) + escaped(text[last:]))


def yaml_scalar(value: object) -> str:
    """A value as a YAML scalar: JSON strings are valid double-quoted YAML."""
    return json.dumps(value, ensure_ascii=False)


_UNSAFE = re.compile(
    r"<(?:script|iframe|object|embed|style|form)\b"  # active or third-party content
    r"|<[a-z][^>]*\son[a-z]+\s*="  # event handler attributes
    r"|\s(?:src|srcset|poster|data)\s*=\s*[\"']?\s*(?:https?:)?//"  # embedded from another server
    r"|\s(?:href|src|action|formaction)\s*=\s*[\"']?\s*(?!https?:|mailto:|#|\.|/|[a-z0-9_-]+(?:[./#?]|[\"'\s>]))"
    r"[a-z][a-z0-9+.-]*:",  # a URL scheme other than http(s) and mailto
    re.IGNORECASE,
)


def unsafe_markup(html: str) -> str | None:
    """The first piece of HTML that must never reach a page, or None."""
    match = _UNSAFE.search(html)
    return match.group(0)[:60] if match else None
