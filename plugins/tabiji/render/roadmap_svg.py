"""The roadmap swimlane as a standalone SVG 1.1 document, for slides.

The same content as the HTML (``roadmap_swimlane.Plain`` gives each element's text), drawn
with the journey SVG's pieces: phrase-aware wrapping, rows that grow to fit the tallest
cell, presentation attributes only. Each guided action is a card, tinted and outlined in
its kind's colour, with the kind's icon and word, so the kinds differ without colour too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tabiji.core import model as m
from tabiji.render.roadmap_swimlane import ACTION_KINDS, ICON_PATHS, Grid, Item, Plain, grid, label_parts
from tabiji.render.svg import (
    _STYLE, FILL, LINE, PAD, UNIT, Line, _box, _document, _height, _text_lines,
    _title, _units, wrap,
)
from tabiji.render.swimlane import num

if TYPE_CHECKING:  # only for annotations: keeps this module free of import cycles
    from tabiji.source.validate import Site

COL_W = 240  # px, one stage column (cards need more room than a journey step)
LANE_W = 150  # px, lane titles ("チェックポイント", "カスタマータスク") on one line
GAP = 6  # px, between the items of a cell
CARD_PAD = 6  # px, inside an action card
ICON = 14  # px, the kind icon
KIND = {  # per kind: (text and icon colour, card fill, card outline); text ≥ 4.5:1 on the fill
    "positive": ("#1b5e20", "#edf7ee", "#2e7d32"),
    "challenge": ("#b71c1c", "#fdecea", "#c62828"),
}
STYLES = {
    **_STYLE,
    "bullet": _STYLE["text"],
    **{kind: f'fill="{colour}" font-weight="bold"' for kind, (colour, _, _) in KIND.items()},
}


def _lines(paras: list[tuple[str, str]], box: float) -> list[Line]:
    """Paragraphs as wrapped lines for a box ``box`` px wide (padding included)."""
    out: list[Line] = []
    for style, text in paras:
        if style == "bullet":  # a bullet with a hanging indent
            indent = 2 * UNIT
            lines = wrap(text, _units(box - indent))
            out.append(("• " + lines[0], "text", 0.0))
            out.extend((line, "text", indent) for line in lines[1:])
        elif style in ACTION_KINDS:  # the kind's word, after its icon
            indent = ICON + 4
            out.extend((line, style, indent) for line in wrap(text, _units(box - indent)))
        else:
            out.extend((line, style, 0.0) for line in wrap(text, _units(box)))
    return out


def _label_lines(labels: dict[str, str], key: str, style: str) -> list[Line]:
    """A lane title on one line when it fits, else broken at its soft breaks first."""
    parts = label_parts(labels, key)
    whole = _lines([(style, "".join(parts))], LANE_W)
    if len(whole) == 1 or len(parts) == 1:
        return whole
    return [line for part in parts for line in _lines([(style, part)], LANE_W)]


def _icon(kind: str, x: float, y: float) -> str:
    scale = num(ICON / 16)
    return (f'<path transform="translate({num(x)} {num(y)}) scale({scale})" d="{ICON_PATHS[kind]}" '
            f'fill="{KIND[kind][0]}" fill-rule="evenodd"/>')


class _Cell:
    """The items of one lane cell, wrapped: (kind or '' for a task, lines) per item."""

    def __init__(self, plain: Plain, items: tuple[Item, ...]) -> None:
        self.blocks: list[tuple[str, list[Line]]] = []
        for i, item in enumerate(items):
            if isinstance(item, m.GuidedAction):
                self.blocks.append((item.kind, _lines(plain.action(item), COL_W - 2 * CARD_PAD)))
            else:
                self.blocks.append(("", _lines(plain.task(item, i + 1), COL_W)))

    @staticmethod
    def block_height(kind: str, lines: list[Line]) -> float:
        return len(lines) * LINE + (2 * CARD_PAD if kind else 0)

    @property
    def height(self) -> float:
        if not self.blocks:
            return _height([])
        return 2 * PAD + sum(self.block_height(k, ls) for k, ls in self.blocks) + GAP * (len(self.blocks) - 1)

    def draw(self, x: float, y: float, h: float, box: bool = True) -> str:
        parts = [_box(x, y, COL_W, h, FILL["cell"] if self.blocks else FILL["empty"], [])] if box else []
        top = y + PAD
        for kind, lines in self.blocks:
            bh = self.block_height(kind, lines)
            if kind:
                colour, fill, stroke = KIND[kind]
                parts.append(
                    f'<g class="tabiji-action tabiji-action--{kind}">'
                    f'<rect x="{num(x + PAD)}" y="{num(top)}" width="{num(COL_W - 2 * PAD)}" height="{num(bh)}" '
                    f'rx="3" fill="{fill}" stroke="{stroke}" stroke-width="1"/>'
                    + _icon(kind, x + PAD + CARD_PAD, top + CARD_PAD + (LINE - ICON) / 2)
                    + "".join(_text_lines(x + PAD + CARD_PAD, top + CARD_PAD, lines, STYLES))
                    + "</g>"
                )
            else:
                parts.append('<g class="tabiji-task">' + "".join(_text_lines(x + PAD, top, lines, STYLES)) + "</g>")
            top += bh + GAP
        return "".join(parts)


def _row(body: list[str], y: float, title_lines: list[Line], cells: list[list[Line]], fill: str) -> float:
    """A header row of text cells after its title; returns its height."""
    h = max([_height(title_lines)] + [_height(lines) for lines in cells])
    body.append(_box(0, y, LANE_W, h, FILL["lane"], title_lines))
    for i, lines in enumerate(cells):
        body.append(_box(LANE_W + i * COL_W, y, COL_W, h, fill, lines))
    return h


def render_roadmap_svg(roadmap: m.Roadmap, site: Site, lang: str) -> str:
    """The swimlane of ``roadmap`` as a standalone SVG document (UTF-8 text)."""
    g: Grid = grid(roadmap)
    plain = Plain(site, lang, roadmap)
    labels = plain.labels
    total_w = LANE_W + len(g.stages) * COL_W
    title = plain.text(roadmap.title)
    body, y = _title(title, total_w)

    y += _row(body, y, [], [_lines(plain.stage(s, i + 1), COL_W) for i, s in enumerate(g.stages)], FILL["phase"])
    y += _row(body, y, _label_lines(labels, "rs.state", "bold"), [_lines([("text", plain.text(s.state))], COL_W) for s in g.stages],
              FILL["step"])
    if g.has_checkpoints:
        y += _row(body, y, _label_lines(labels, "rs.checkpoints", "bold"), [_lines(plain.checkpoints(s), COL_W) for s in g.stages],
                  FILL["step"])

    for lane, per_stage in g.lanes:
        cells = [_Cell(plain, items) for items in per_stage]
        kind = lane if lane in ACTION_KINDS else ""
        title_lines = _label_lines(labels, f"rs.lane.{lane}", kind or "bold")
        h = max([_height(title_lines)] + [c.height for c in cells])
        body.append(_box(0, y, LANE_W, h, FILL["lane"], []))
        if kind:
            body.append(_icon(kind, PAD, y + PAD + (LINE - ICON) / 2))
        body.extend(_text_lines(PAD, y + PAD, title_lines, STYLES))
        body.extend(cell.draw(LANE_W + i * COL_W, y, h) for i, cell in enumerate(cells))
        y += h
        wide = g.wide_of(lane)
        if wide:  # roadmap-wide actions: a row across the stages, the cards side by side
            n = len(g.stages)
            cells = [_Cell(plain, wide[c::n]) for c in range(n)]
            title_lines = _label_lines(labels, f"rs.lane.{lane}", kind) + _lines([("muted", labels["rs.wide"].strip())],
                                                                                  LANE_W)
            h = max([_height(title_lines)] + [c.height for c in cells])
            body.append(_box(0, y, LANE_W, h, FILL["lane"], []))
            body.append(_icon(kind, PAD, y + PAD + (LINE - ICON) / 2))
            body.extend(_text_lines(PAD, y + PAD, title_lines, STYLES))
            body.append(_box(LANE_W, y, n * COL_W, h, FILL["cell"], []))
            body.extend(cell.draw(LANE_W + i * COL_W, y, h, box=False) for i, cell in enumerate(cells) if cell.blocks)
            y += h

    desc = labels["rs.caption"].format(title=title)
    return _document(total_w, y, title, desc, body)

