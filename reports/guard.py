"""The restricted-content guard: a report read by the uncleared must not name restricted work.

At approval and again at publication every section of the report (paragraph by paragraph) and
every block as it will be shown are searched for what names restricted (covert) work: the names,
codes and code words of restricted themes and the titles of their deliverables, milestones and
risks. Those terms are read with `every_row`: the guard must see what the approver may not.

A report whose audience is cleared (it is restricted: it carries a restricted theme or block, or a
cleared approver kept it for cleared readers) passes. Otherwise the guard names where each term
was found, and tells an uncleared approver only that the place "names restricted work": quoting
the word to them would tell them what they are not cleared to know.
"""

import html
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from dps.permissions import can_see_restricted
from reports.blocks import rendered_block
from reports.models import RestrictedCodeWord
from themes.models import Deliverable, Milestone, Risk, Theme

WHY = "restricted-content guard"

# The report's own text, in the order the paper prints it; the label names it to the author.
SECTIONS = (
    ("title", "Title"),
    ("by", "By"),
    ("summary", "Summary"),
    ("recommendations", "A. Recommendations"),
    ("supporting_information", "B. Supporting information"),
    ("race_equality_impact", "C. Race and equality impact"),
    ("financial_implications", "D. Financial implications"),
    ("background_papers", "E. Background papers"),
    ("contact_details", "F. Contact details"),
)

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _normalised(text):
    """One spelling for comparison: any dash is a hyphen, any run of space one space."""
    return _SPACE.sub(" ", _DASHES.sub("-", text)).strip()


def restricted_terms():
    """Every term that names restricted work. A record title that an open record shares names
    nothing (an open milestone may be called "Consultation" too) and is left out."""
    terms = set()
    for theme in Theme.objects.every_row(WHY).filter(restricted=True):
        terms |= {theme.name, theme.code}
    terms |= set(
        RestrictedCodeWord.objects.every_row(WHY)
        .filter(theme__restricted=True)
        .values_list("word", flat=True)
    )
    for model, path in ((Deliverable, "theme"), (Milestone, "deliverable__theme"), (Risk, "theme")):
        rows = model.objects.every_row(WHY)
        hidden = set(rows.filter(**{f"{path}__restricted": True}).values_list("title", flat=True))
        shared = set(rows.exclude(**{f"{path}__restricted": True}).values_list("title", flat=True))
        terms |= hidden - shared
    return sorted({_normalised(term) for term in terms if term and term.strip()}, key=str.lower)


def term_pattern(terms):
    """Whole words, any case: "covert" is found in "Covert teams" but not in "covertly"."""
    if not terms:
        return None
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One place in the report that names restricted work."""

    where: str  # "B. Supporting information, paragraph 3" or "Block 2"
    term: str

    def message(self, *, cleared):
        if cleared:
            return (
                f"{self.where} names restricted work (“{self.term}”). Remove it, or approve the "
                "report for cleared readers only."
            )
        return f"{self.where} names restricted work; ask a cleared approver."


def _paragraphs(text):
    return [part for part in _PARAGRAPH_BREAK.split(text or "") if part.strip()]


def _block_text(block, user):
    shown = rendered_block(block, user)
    text = shown.error or render_to_string(shown.template, shown.context)
    return " ".join(filter(None, [block.title, html.unescape(strip_tags(text))]))


def report_findings(report, *, user):
    """Where the report names restricted work: each section paragraph by paragraph, then each
    block as `user` would freeze it (frozen data once frozen). First term found per place."""
    pattern = term_pattern(restricted_terms())
    if pattern is None:
        return []
    places = []
    for field, label in SECTIONS:
        paragraphs = _paragraphs(getattr(report, field))
        for number, paragraph in enumerate(paragraphs, start=1):
            where = label if len(paragraphs) == 1 else f"{label}, paragraph {number}"
            places.append((where, paragraph))
    for block in report.blocks.select_related("theme"):
        places.append((f"Block {block.position}", _block_text(block, user)))
    findings = []
    for where, text in places:
        match = pattern.search(_normalised(text))
        if match:
            findings.append(Finding(where, match.group(0)))
    return findings


def require_fit_for_audience(report, *, user):
    """Refuse (ValidationError, one message per place) a report that names restricted work while
    readers who are not cleared may read it."""
    if report.restricted:
        return
    findings = report_findings(report, user=user)
    if findings:
        cleared = can_see_restricted(user)
        raise ValidationError([finding.message(cleared=cleared) for finding in findings])
