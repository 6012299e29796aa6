"""The roadmap swimlane: stages across; achievement states, task lanes and guided actions down.

Contract used by ``pages`` (filled in by the roadmap-swimlane work):
- ``render_roadmap_swimlane`` returns one HTML fragment with no blank lines;
- stage header cells carry ``id="stage-<id>"``, task cells ``id="task-<id>"`` and action cells
  ``id="action-<id>"``: other pages link to ``<roadmap page>#task-<id>`` and so on.
"""

from __future__ import annotations

from html import escape

from . import model as m
from .paths import Paths
from .text import localize
from .validate import Site


def render_roadmap_swimlane(
    roadmap: m.Roadmap,
    site: Site,
    lang: str,
    paths: Paths,
    from_doc: str,
    svg_href: str | None = None,
) -> str:
    """Placeholder until the roadmap swimlane lands: a list of the stages with their anchors."""
    items = "".join(
        f'<li id="stage-{escape(s.id)}">{escape(localize(s.name, lang))}</li>' for s in roadmap.stages
    )
    return f'<ol class="tabiji-roadmap" data-roadmap="{escape(roadmap.id)}">{items}</ol>'


def render_roadmap_svg(roadmap: m.Roadmap, site: Site, lang: str) -> str:
    """Placeholder until the roadmap swimlane lands: an empty standalone SVG."""
    return '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>\n'
