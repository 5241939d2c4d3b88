"""The little markdown the bundled SOURCES.md uses, as safe HTML.

Only ``**bold**``, ``*italic*``, ```code``` and pipe tables; everything is
HTML-escaped first, so no text from a data file can inject markup.
"""

from __future__ import annotations

import html
import re


def inline(text: str) -> str:
    """Escape ``text`` and render bold, italic and code spans.

    Examples
    --------
    >>> inline("**a** `b<c` *d*")
    '<strong>a</strong> <code>b&lt;c</code> <em>d</em>'
    """
    out = html.escape(text, quote=True)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"<em>\1</em>", out)


def table(markdown: str) -> str:
    """Render a pipe table (header, separator, rows) as an HTML table."""
    rows = [
        [c.strip() for c in line.strip().strip("|").split("|")]
        for line in markdown.splitlines()
        if line.strip().startswith("|")
    ]
    rows = [r for r in rows if not all(set(c) <= set("-: ") for c in r)]
    if not rows:
        return ""
    head = "".join(f"<th>{inline(c)}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in r) + "</tr>" for r in rows[1:])
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
