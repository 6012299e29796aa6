"""The review pages of the map: freshness (who must review what, most overdue first) and
history (the map's changes per commit, in the words of ``tabiji diff``)."""

from __future__ import annotations

import datetime

from .diff import Words
from .freshness import Review, by_owner, freshness_table
from .history import Entry
from .pages import GeneratedPage, NavNode, _Writer
from .text import escape, markdown_literal


def freshness_doc(w: _Writer) -> str:
    return f"{w.paths.prefix}/freshness.md"


def history_doc(w: _Writer) -> str:
    return f"{w.paths.prefix}/history.md"


def freshness_page(w: _Writer, states: dict[tuple[str, str], Review], on: datetime.date) -> GeneratedPage:
    t, here = w.t, freshness_doc(w)
    title = t["freshness"]
    parts = [w.front(title), f"# {markdown_literal(title)}\n",
             f"<p>{escape(t['freshness.intro'])} {escape(t['review.as_of'].format(date=on.isoformat()))}</p>\n"]
    for dept, group in by_owner(states, w.site):
        label = w.name("departments", dept) if dept else t["review.no_owner"]
        parts.append(w.heading(label, f"owner-{dept}" if dept else "owner-none"))
        parts.append(freshness_table(group, t, w.lang, lambda c, i: w.a(c, i, here)) + "\n")
    if not states:
        parts.append(f"<p>{escape(t['none'])}</p>\n")
    return GeneratedPage(here, "\n".join(parts), title)


def history_page(w: _Writer, entries: list[Entry] | None, limit: int) -> GeneratedPage:
    t, here = w.t, history_doc(w)
    title = t["history"]
    parts = [w.front(title), f"# {markdown_literal(title)}\n"]
    if entries is None:
        parts.append(f"<p>{escape(t['history.unknown'])}</p>\n")
    elif not entries:
        parts.append(f"<p>{escape(t['history.none'])}</p>\n")
    else:
        parts.append(f"<p>{escape(t['history.intro'].format(n=limit))}</p>\n")
    for entry in entries or []:
        c = entry.commit
        words = Words(w.lang, entry.base, entry.head, w.site)
        parts.append(w.heading(f"{c.date.isoformat()} {c.subject}", f"commit-{c.sha[:10]}", 2))
        parts.append(f'<p class="tabiji-commit">{escape(c.author)} · <code>{escape(c.sha[:10])}</code></p>\n')
        groups: dict[tuple[str, str], list] = {}
        for change in entry.changes:
            groups.setdefault((change.collection, change.id), []).append(change)
        items = []
        for (collection, id_), changes in groups.items():
            doc = words.document(changes[0])
            if collection in ("journeys", "personas", "departments", "kpis", "touchpoints") and \
                    id_ in getattr(w.site, collection):
                doc = f'<a href="{escape(w.paths.link(collection, id_, here))}">{escape(doc)}</a>'
            else:
                doc = escape(doc)
            sub = "".join(f"<li>{escape(words.sentence(ch))}</li>" for ch in changes)
            items.append(f"<li>{doc}<ul>{sub}</ul></li>")
        parts.append(f'<ul class="tabiji-list tabiji-history">{"".join(items)}</ul>\n')
    return GeneratedPage(here, "\n".join(parts), title)


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
