"""Rendered swimlanes and SVGs, kept across ``mkdocs serve`` rebuilds and keyed by what they
are drawn from, so that editing one journey redraws one journey.

A journey's drawings depend on the journey, on the catalogs and personas its cells name
(and the glossary), and on the language and URL layout: the key holds the journey's own
data and a digest of everything but the journeys. A roadmap's drawings also show the
names of the journey phases its stages map, so their key adds those names. A cold build
and a warm one thus give the same bytes (tested).

Whole pages are kept the same way (``page``) where what a page reads is known: a journey
page reads its journey, the catalogs, and of the other journeys only their titles, phase
and step names and their order; a department or touchpoint page reads the journeys that
name it. Their keys hold those, the review states, the templates and the hand-written
pages that link to them (site/pages.py says which page reads what).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Callable

from tabiji.source.validate import Site

_OTHERS = ("departments", "channels", "touchpoints", "kpis", "segments", "roles", "glossary", "personas",
           "roadmaps")


def _digest(*parts: str) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.digest()


def _dump(entities: dict) -> str:
    return "\x1f".join(f"{key}\x1e{entities[key].model_dump_json()}" for key in sorted(entities))


def _phase_names(site: Site) -> str:
    return json.dumps([[jid, j.title, [[p.id, p.name, [[s.id, s.name] for s in p.steps]] for p in j.phases]]
                       for jid, j in sorted(site.journeys.items())], ensure_ascii=False, sort_keys=True)


class RenderCache:
    """``get(kind, model, extra, render)``: render() once per distinct input."""

    def __init__(self) -> None:
        self._store: dict[bytes, Any] = {}
        self._kept: dict[bytes, Any] = {}
        self._context = b""
        self._journey_context = b""
        self._dumps: dict[int, tuple[Any, str]] = {}

    def begin(self, site: Site, *context: str) -> None:
        """Starts a build: what the drawings share (catalogs, language, URL layout)."""
        others = "\x1d".join(_dump(getattr(site, name)) for name in _OTHERS)
        self._context = _digest(others, *context)
        self._journey_context = b""
        self._site = site
        self._kept = {}
        self._dumps: dict[int, tuple[Any, str]] = {}

    def get(self, kind: str, model: Any, extra: tuple[str, ...], render: Callable[[], Any]) -> Any:
        context = self._context
        if kind.startswith("roadmap"):
            context += self.phase_names()
        key = _digest(kind, context.hex(), self.dumped(model), *extra)
        if key in self._kept:
            return self._kept[key]
        value = self._store[key] if key in self._store else render()
        self._kept[key] = value
        return value

    def dumped(self, model: Any) -> str:
        """A digest of ``model``'s JSON, made once per model and build (a journey's swimlane,
        SVG and page keys all hold it)."""
        found = self._dumps.get(id(model))
        if found is None or found[0] is not model:  # the model is held: its id is not reused
            found = self._dumps[id(model)] = (model, _digest(model.model_dump_json()).hex())
        return found[1]

    def page(self, kind: str, parts: tuple[str, ...], render: Callable[[], Any]) -> Any:
        """A whole page, keyed by everything it is made from: ``parts`` (the caller's list of
        what the page reads beyond the catalogs, language and URL layout) and the context."""
        key = _digest("page:" + kind, self._context.hex(), *parts)
        if key in self._kept:
            return self._kept[key]
        value = self._store[key] if key in self._store else render()
        self._kept[key] = value
        return value

    def phase_names(self) -> bytes:
        """A digest of every journey's id, title, phases and steps (their ids and names)."""
        if not self._journey_context:
            self._journey_context = _digest(_phase_names(self._site))
        return self._journey_context

    def end(self) -> None:
        """Ends a build: keeps only what it used, so the cache never outgrows the map."""
        self._store, self._kept = self._kept, {}
        self._site = None
        self._dumps = {}


class NoCache(RenderCache):
    """A one-off build (``mkdocs build``, ``tabiji generate``): renders, keeps nothing."""

    def begin(self, site: Site, *context: str) -> None:
        pass

    def get(self, kind: str, model: Any, extra: tuple[str, ...], render: Callable[[], Any]) -> Any:
        return render()

    def page(self, kind: str, parts: tuple[str, ...], render: Callable[[], Any]) -> Any:
        return render()

    def end(self) -> None:
        pass
