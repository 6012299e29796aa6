"""The review pages of the map: freshness (who must review what, most overdue first) and
history (the map's changes per commit, in the words of ``tabiji diff``)."""

from __future__ import annotations

import datetime
import difflib
import re

from tabiji.review.diff import Change, Words
from markupsafe import Markup

from tabiji.review.freshness import Review, by_owner, cadence_words, last_change_words, status_words
from tabiji.review.history import Entry
from tabiji.site.writer import GeneratedPage, NavNode, _Writer
from tabiji.core.lang import localize
from tabiji.render.text import escape


def freshness_doc(w: _Writer) -> str:
    return f"{w.paths.prefix}/freshness.md"


def history_doc(w: _Writer) -> str:
    return f"{w.paths.prefix}/history.md"


def freshness_page(w: _Writer, states: dict[tuple[str, str], Review], on: datetime.date) -> GeneratedPage:
    t, here = w.t, freshness_doc(w)
    title = t["freshness"]
    front = w.front(title)
    groups = []
    for dept, group in by_owner(states, w.site):
        rows = [{"collection": r.collection, "id": r.id, **w.badge_data(r), "status": status_words(r, t),
                 "last_reviewed": r.last_reviewed.isoformat() if r.last_reviewed else "",
                 "every": cadence_words(r.cadence, t), "due": r.due.isoformat() if r.due else "",
                 "last_changed": last_change_words(r, t)}
                for r in sorted(group, key=lambda r: (-r.overdue_days, localize(r.title, w.lang), r.collection, r.id))]
        groups.append((w.name("departments", dept) if dept else t["review.no_owner"],
                       f"owner-{dept}" if dept else "owner-none", rows))
    markdown = w.render("freshness.md.j2", here, title=title, front=Markup(front), on=on, groups=groups)
    return GeneratedPage(here, markdown, title)


LINKED = ("journeys", "personas", "departments", "kpis", "touchpoints", "roadmaps")  # documents with a page
SHOWN = 6  # changes shown per document and date; the rest fold away (the page stays short)


def history_page(w: _Writer, entries: list[Entry] | None, limit: int) -> GeneratedPage:
    """The map's changes in words, grouped by date (newest first), then by document; the commits
    that made them follow, secondary. Text edits mark what changed within the line."""
    t, here = w.t, history_doc(w)
    title = t["history"]
    front = w.front(title)
    href = lambda collection, id_: (w.paths.link(collection, id_, here)  # noqa: E731
                                    if collection in LINKED and id_ in getattr(w.site, collection) else None)
    by_date: dict[str, list[Entry]] = {}
    for entry in entries or []:
        by_date.setdefault(entry.commit.date.isoformat(), []).append(entry)
    days = []
    for date, day in by_date.items():
        groups: dict[tuple[str, str], list[str]] = {}
        names: dict[tuple[str, str], str] = {}
        whole: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (what, collection) -> documents
        for entry in day:
            words = Words(w.lang, entry.base, entry.head, w.site)
            for change in entry.changes:
                key = (change.collection, change.id)
                if not change.where and change.what in ("added", "removed"):  # a whole document: one line per kind
                    whole.setdefault((words.sentence(change), change.collection), []).append(
                        (change.id, words.q(change.name)))
                    continue
                names.setdefault(key, words.document(change))
                groups.setdefault(key, []).append(change_html(w, words, change))
        items: list[dict] = [{"sentence": sentence, "docs": [(href(collection, i), name) for i, name in docs]}
                             for (sentence, collection), docs in whole.items()]
        for (collection, id_), sentences in groups.items():
            sentences = [Markup(x) for x in dict.fromkeys(sentences)]
            items.append({"href": href(collection, id_), "name": names[(collection, id_)],
                          "shown": sentences[:SHOWN], "rest": sentences[SHOWN:]})
        commits = [{"sha": e.commit.sha[:10], "subject": e.commit.subject, "author": e.commit.author,
                    "changes": len(e.changes)} for e in day]
        days.append({"date": date, "documents": items, "commits": commits})
    markdown = w.render("history.md.j2", here, title=title, front=Markup(front), known=entries is not None,
                        limit=limit, days=days)
    return GeneratedPage(here, markdown, title)


def _flat(text: str) -> str:
    return " ".join(text.split())


def change_html(w: _Writer, words: Words, change: Change) -> str:
    """The change in words; a text edit shows only what changed within the line, marked
    (``pieces.j2``: text_change), and a whitespace-only edit says so instead of printing the
    same line twice."""
    t = words.t
    text_edit = (change.what == "changed" and not change.refs and change.field != "score"
                 and isinstance(change.before, (str, dict)) and isinstance(change.after, (str, dict)))
    if not text_edit:
        return escape(words.sentence(change))
    old, new = localize(change.before, words.lang), localize(change.after, words.lang)
    subject, field = words.subject(change), words.field(change.field)
    if "".join(old.split()) == "".join(new.split()):  # Japanese has no spaces between words
        return escape(t["history.whitespace"].format(subject=subject, field=field))
    marked = dict(zip(("\x00", "\x01"), zip(("old", "new"), inline_diff(_flat(old), _flat(new)))))
    sentence = t["diff.changed"].format(subject=subject, field=field, before="\x00", after="\x01")
    parts = [marked.get(bit, ("text", bit)) for bit in re.split("([\x00\x01])", sentence) if bit]
    return str(w.p.text_change(parts))


CONTEXT = 12  # characters kept on each side of a change


def inline_diff(old: str, new: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Both texts as (mark, text) runs: what differs marked 'del'/'ins', the rest '' with long
    unchanged runs cut to '…'."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    a_out, b_out = [], []
    ops = matcher.get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            same = old[i1:i2]
            if len(same) > 2 * CONTEXT + 1:
                head = same[:CONTEXT] if k else ""
                tail = same[-CONTEXT:] if k < len(ops) - 1 else ""
                same = head + "…" + tail
            a_out.append(("", same))
            b_out.append(("", same))
            continue
        if i2 > i1:
            a_out.append(("del", old[i1:i2]))
        if j2 > j1:
            b_out.append(("ins", new[j1:j2]))
    return a_out, b_out


def review_pages(w: _Writer, states: dict[tuple[str, str], Review] | None, on: datetime.date | None,
                 entries: list[Entry] | None, history: bool, limit: int) -> tuple[list[GeneratedPage], list[NavNode]]:
    pages, nav = [], []
    if states is not None and on is not None:
        pages.append(freshness_page(w, states, on))
        nav.append(NavNode(w.t["freshness"], freshness_doc(w)))
    if history:
        pages.append(history_page(w, entries, limit))
        nav.append(NavNode(w.t["history"], history_doc(w)))
    return pages, nav
