"""Plain data records passed between stages: bytes → text → sections → figures → staging rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    """A heading-delimited part of the normalised text; `key` is a stable name like `applications`."""

    key: str
    heading: str
    start: int  # char offset of the heading in the normalised text
    end: int  # char offset where the next section starts (exclusive)


@dataclass(frozen=True)
class ProseFact:
    """One figure stated in prose, with the sentence and char span it came from."""

    measure: str
    value: float
    unit: str
    sentence: str
    span_start: int  # span of the number itself in the normalised text
    span_end: int
    rule_id: str
    rank: int = 50  # lower wins when one measure has several values (most specific rule first)
    approximate: bool = False  # 5500余条, 近300个


@dataclass
class Metadata:
    """Who issued the report, for which year, when, and in what format; each with the rule that decided it."""

    agency: str | None = None
    agency_rule: str | None = None
    admin_level: str | None = None
    province: str | None = None
    province_rule: str | None = None
    report_year: int | None = None
    report_year_rule: str | None = None
    report_year_evidence: str | None = None
    published_on: str | None = None  # ISO date
    published_on_rule: str | None = None
    format_era: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class ParseIssue:
    """Something a parser noticed and did not resolve (a conflict, an unreadable part)."""

    code: str
    message: str
    severity: str = "warn"  # info / warn / error
    measure: str | None = None


@dataclass
class ParsedReport:
    document_id: str
    metadata: Metadata
    sections: list[Section] = field(default_factory=list)
    facts: list[ProseFact] = field(default_factory=list)
    cells: list[Any] = field(default_factory=list)  # nianbao.tables.cells.TableCell
    issues: list[ParseIssue] = field(default_factory=list)
