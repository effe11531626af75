"""The small, safe text format of report sections.

Authors write plain text: paragraphs separated by blank lines; a paragraph starting "6. " keeps
its number (committee papers number paragraphs, and the published number must survive edits);
lines starting "- " or "* " are bullets, and lines under a bullet indented by two spaces
continue it; lines "1. ", "2. " … in one paragraph make a numbered list; **bold**, *emphasis*
and [text](https://…) links (http, https and mailto only). "[block N]" alone on a line places
live block N.

Everything the author typed is escaped first; only the markup produced here is let through, and
nh3 then cleans the result against an allow-list, so no tag, attribute or URL scheme the format
does not produce can reach a page or the PDF (which never fetches anything a link points at).
"""

import html
import re
from dataclasses import dataclass

import nh3

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "span": {"class"}, "p": {"class"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}

BLOCK_MARKER = re.compile(r"^\s*\[block\s+(\d+)\]\s*$", re.IGNORECASE)
NUMBERED = re.compile(r"^(\d{1,3})\.\s+(.*)$")
BULLET = re.compile(r"^[-*•]\s+(.*)$")
LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:)[^\s)]+)\)")
STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EMPHASIS = re.compile(r"(?<![*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?![*\w])")


@dataclass(frozen=True)
class Piece:
    """A part of a section: either safe HTML or the number of a live block to place there."""

    html: str = ""
    block: int | None = None


def inline(text):
    """Escape the author's text, then turn the inline markup into tags."""
    escaped = html.escape(text, quote=True)
    placeholders = []

    def keep_link(match):
        label, url = match.group(1), html.unescape(match.group(2))
        placeholders.append(
            f'<a href="{html.escape(url, quote=True)}">{label}</a>'
        )  # label is escaped already
        return f"\x00{len(placeholders) - 1}\x00"

    escaped = LINK.sub(keep_link, escaped)
    escaped = STRONG.sub(r"<strong>\1</strong>", escaped)
    escaped = EMPHASIS.sub(r"<em>\1</em>", escaped)
    return re.sub(r"\x00(\d+)\x00", lambda match: placeholders[int(match.group(1))], escaped)


def _list_html(lines):
    """A bullet list; indented lines continue the item above them."""
    items = []
    for line in lines:
        bullet = BULLET.match(line.strip()) if not line.startswith("  ") else None
        if bullet or not items:
            items.append([bullet.group(1) if bullet else line.strip()])
        else:
            items[-1].append(line.strip())
    rendered = "".join(
        "<li>" + "<br>".join(inline(part) for part in item) + "</li>" for item in items
    )
    return f"<ul>{rendered}</ul>"


def _paragraph_html(lines):
    stripped = [line.strip() for line in lines]
    if all(BULLET.match(line.strip()) or line.startswith("  ") for line in lines) and BULLET.match(
        stripped[0]
    ):
        return _list_html(lines)
    if len(stripped) > 1 and all(NUMBERED.match(line) for line in stripped):
        start = int(NUMBERED.match(stripped[0]).group(1))
        items = "".join(f"<li>{inline(NUMBERED.match(line).group(2))}</li>" for line in stripped)
        return f'<ol start="{start}">{items}</ol>'
    # A paragraph possibly followed by its own bullets (a lead-in line then "- " items).
    first_bullet = next((i for i, line in enumerate(stripped) if BULLET.match(line)), None)
    lead, bullets = (
        (lines, [])
        if first_bullet is None
        else (
            lines[:first_bullet],
            lines[first_bullet:],
        )
    )
    text = " ".join(line.strip() for line in lead)
    numbered = NUMBERED.match(text)
    if numbered:
        paragraph = (
            f'<p class="dps-numbered"><span class="dps-para-number">{numbered.group(1)}.</span> '
            f"{inline(numbered.group(2))}</p>"
        )
    else:
        paragraph = f"<p>{inline(text)}</p>"
    return paragraph + (_list_html(bullets) if bullets else "")


def clean(fragment):
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
    )


def pieces(text):
    """Split a section into safe HTML pieces and the live blocks placed between them."""
    result = []
    paragraph = []

    def flush():
        if paragraph:
            result.append(Piece(html=clean(_paragraph_html(paragraph))))
            paragraph.clear()

    for line in (text or "").replace("\r\n", "\n").split("\n"):
        marker = BLOCK_MARKER.match(line)
        if marker:
            flush()
            result.append(Piece(block=int(marker.group(1))))
        elif not line.strip():
            flush()
        else:
            paragraph.append(line.rstrip())
    flush()
    return result


def to_html(text):
    """A whole section as safe HTML (block markers are dropped: sections other than B)."""
    return "".join(piece.html for piece in pieces(text))


def placed_blocks(text):
    return {piece.block for piece in pieces(text) if piece.block is not None}
