"""Whether each persona, journey and roadmap is still reviewed on time.

A document is overdue when ``last_reviewed + review_every`` is before today. "Today" is the
build date, or ``TABIJI_TODAY=YYYY-MM-DD`` when set: the badge depends on the day the site is
built, so two builds of the same sources are byte-identical only on the same day (or with the
same ``TABIJI_TODAY``).

Missing review facts are not validation errors (a small new site must build), but
``tabiji validate --stale`` reports them: a document never reviewed is overdue, one without
a cadence or an owner cannot be kept current.
"""

from __future__ import annotations

import calendar
import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from tabiji.core import model as m
from tabiji.review.gitsource import LastChange
from tabiji.core.problems import Problem
from tabiji.source.validate import Site

TODAY_VARIABLE = "TABIJI_TODAY"
REVIEWED = ("personas", "journeys", "roadmaps")  # the documents that carry review facts
_CADENCE = re.compile(m.CADENCE_PATTERN)


def today(environ: Mapping[str, str] = os.environ) -> datetime.date:
    """The day the review state is computed for: ``TABIJI_TODAY`` or the clock's date."""
    value = environ.get(TODAY_VARIABLE, "").strip()
    if not value:
        return datetime.date.today()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{TODAY_VARIABLE}: expected a date as YYYY-MM-DD, found {value!r}") from None


def due_date(last: datetime.date, cadence: str) -> datetime.date:
    """``last`` plus a cadence such as '4w', '30d', '3m' or '1y' (months keep the day, or
    the month's last day: 31 Jan + 1m is 28 or 29 Feb)."""
    if not _CADENCE.match(cadence):
        raise ValueError(f"expected a cadence such as '4w', found {cadence!r}")
    n, unit = int(cadence[:-1]), cadence[-1]
    if unit == "d":
        return last + datetime.timedelta(days=n)
    if unit == "w":
        return last + datetime.timedelta(weeks=n)
    months = n * (12 if unit == "y" else 1)
    year, month = divmod(last.month - 1 + months, 12)
    year, month = last.year + year, month + 1
    return datetime.date(year, month, min(last.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Review:
    """The review state of one document."""

    collection: str
    id: str
    title: Any
    file: str
    owner: str | None
    cadence: str | None
    last_reviewed: datetime.date | None
    due: datetime.date | None
    overdue_days: int  # > 0 when overdue; never-reviewed documents count as overdue
    last_change: LastChange | None  # from git; None when unknown

    @property
    def needs_review(self) -> bool:
        return self.last_reviewed is None or self.overdue_days > 0

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(name for name, value in (("owner", self.owner), ("review_every", self.cadence),
                                              ("last_reviewed", self.last_reviewed)) if value is None)


def reviews(site: Site, on: datetime.date, changes: dict[str, LastChange] | None = None,
            repo_root: Path | None = None) -> dict[tuple[str, str], Review]:
    """The review state of every persona, journey and roadmap, by (collection, id).

    ``changes`` maps repository paths (as ``gitsource.last_changes`` gives them) to their
    last change; ``repo_root`` turns the site's file paths into such paths.
    """
    found = {}
    cwd = os.getcwd()
    root = str(repo_root.resolve()) if repo_root is not None else ""
    for collection in REVIEWED:
        for id_, doc in getattr(site, collection).items():
            file = site.source_file(collection, id_)
            last_change = None
            if changes is not None and root:  # string work only: 1,000 resolve() calls cost 0.5 s
                key = os.path.relpath(os.path.join(cwd, file), root).replace(os.sep, "/")
                last_change = changes.get(key)
            due = due_date(doc.last_reviewed, doc.review_every) if doc.last_reviewed and doc.review_every else None
            overdue = (on - due).days if due else (1 << 20 if doc.last_reviewed is None else 0)
            found[(collection, id_)] = Review(collection, id_, getattr(doc, "title", None) or doc.name, file,
                                              doc.owner, doc.review_every, doc.last_reviewed, due,
                                              overdue, last_change)
    return found


def stale_problems(site: Site, states: dict[tuple[str, str], Review], on: datetime.date) -> list[Problem]:
    """Overdue or incomplete review facts, located at the field concerned."""
    problems = []
    for (collection, id_), r in sorted(states.items()):
        doc, path = site.origins[(collection, id_)]
        if r.last_reviewed is None:
            problems.append(Problem(doc.path, doc.position(path), "last_reviewed",
                                    "a last review date (last_reviewed: YYYY-MM-DD)", "none: never reviewed"))
        elif r.due is not None and r.overdue_days > 0:
            problems.append(Problem(doc.path, doc.position(path + ("last_reviewed",)), "last_reviewed",
                                    f"a review by {r.due.isoformat()} (every {r.cadence})",
                                    f"last reviewed {r.last_reviewed.isoformat()}, "
                                    f"{r.overdue_days} day{'s' if r.overdue_days != 1 else ''} overdue on {on.isoformat()}"))
        for name in r.missing:
            if name != "last_reviewed":
                what = "an owning department id" if name == "owner" else "a review cadence such as '4w'"
                problems.append(Problem(doc.path, doc.position(path), name, f"{what} ({name}: ...)", "none"))
    return problems


# ------------------------------------------------------------------ HTML


def cadence_words(cadence: str | None, t: dict[str, str]) -> str:
    if not cadence:
        return ""
    return t["cadence." + cadence[-1]].format(n=int(cadence[:-1]))


def status_words(review: Review, t: dict[str, str]) -> str:
    if review.last_reviewed is None:
        return t["review.never"]
    if review.due is None:
        return ""
    if review.overdue_days > 0:
        return t["review.overdue"].format(n=review.overdue_days)
    return t["review.due_in"].format(n=-review.overdue_days)


def last_change_words(review: Review, t: dict[str, str]) -> str:
    change = review.last_change
    if change is None:
        return t["review.unknown"]
    return t["review.changed_by"].format(date=change.date.isoformat(), author=change.author)


def by_owner(states: dict[tuple[str, str], Review], site: Site) -> list[tuple[str | None, list[Review]]]:
    """Groups in the department catalog's order, those without an owner last; a group's
    order is its most overdue document first."""
    groups: dict[str | None, list[Review]] = {}
    for r in states.values():
        groups.setdefault(r.owner if r.owner in site.departments else None, []).append(r)
    order = [d for d in site.departments if d in groups] + ([None] if None in groups else [])
    return [(d, groups[d]) for d in order]
