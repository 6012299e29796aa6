"""The roadmap swimlane as a standalone SVG 1.1 document, for slides.

The same content as the HTML (``roadmap_swimlane.Plain`` gives each element's text), drawn
with the journey SVG's pieces: phrase-aware wrapping, rows that grow to fit the tallest
cell, presentation attributes only. Each guided action is a card, tinted and outlined in
its kind's colour, with the kind's icon and word, so the kinds differ without colour too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from typing import NamedTuple

import jinja2

from tabiji.core import model as m
from tabiji.render.roadmap_swimlane import ACTION_KINDS, ICON_PATHS, Grid, Item, Plain, grid, label_parts
from tabiji.render.svg import LINE, PAD, UNIT, Box, Line, Text, _height, _units, box, document, texts, title_texts, wrap
from tabiji.render.swimlane import num

if TYPE_CHECKING:  # only for annotations: keeps this module free of import cycles
    from tabiji.source.validate import Site

COL_W = 240  # px, one stage column (cards need more room than a journey step)
LANE_W = 150  # px, lane titles ("チェックポイント", "カスタマータスク") on one line
GAP = 6  # px, between the items of a cell
CARD_PAD = 6  # px, inside an action card
ICON = 14  # px, the kind icon


def _lines(paras: list[tuple[str, str]], box_w: float) -> list[Line]:
    """Paragraphs as wrapped lines for a box ``box_w`` px wide (padding included)."""
    out: list[Line] = []
    for style, text in paras:
        if style == "bullet":  # a bullet with a hanging indent
            indent = 2 * UNIT
            lines = wrap(text, _units(box_w - indent))
            out.append(("• " + lines[0], "text", 0.0))
            out.extend((line, "text", indent) for line in lines[1:])
        elif style in ACTION_KINDS:  # the kind's word, after its icon
            indent = ICON + 4
            out.extend((line, style, indent) for line in wrap(text, _units(box_w - indent)))
        else:
            out.extend((line, style, 0.0) for line in wrap(text, _units(box_w)))
    return out


def _label_lines(labels: dict[str, str], key: str, style: str) -> list[Line]:
    """A lane title on one line when it fits, else broken at its soft breaks first."""
    parts = label_parts(labels, key)
    whole = _lines([(style, "".join(parts))], LANE_W)
    if len(whole) == 1 or len(parts) == 1:
        return whole
    return [line for part in parts for line in _lines([(style, part)], LANE_W)]


class Icon(NamedTuple):
    """A guided action's kind icon (``kind`` picks its path and colour), placed at (x, y)."""

    kind: str
    x: str
    y: str


def _icon(kind: str, x: float, y: float) -> Icon:
    return Icon(kind, num(x), num(y))


class Block(NamedTuple):
    """An item of a cell: a task's lines, or a guided action's card (``kind`` set) with its icon."""

    kind: str  # "" for a task
    card: tuple[str, str, str, str] | None  # the card's x, y, width, height
    icon: Icon | None
    texts: tuple[Text, ...]


class Cell(NamedTuple):
    box: Box | None  # none in a roadmap-wide row, where one box spans the stages
    blocks: tuple[Block, ...]


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

    def place(self, x: float, y: float, h: float, with_box: bool = True) -> Cell:
        out = []
        top = y + PAD
        for kind, lines in self.blocks:
            bh = self.block_height(kind, lines)
            if kind:
                out.append(Block(kind, (num(x + PAD), num(top), num(COL_W - 2 * PAD), num(bh)),
                                 _icon(kind, x + PAD + CARD_PAD, top + CARD_PAD + (LINE - ICON) / 2),
                                 texts(x + PAD + CARD_PAD, top + CARD_PAD, lines)))
            else:
                out.append(Block("", None, None, texts(x + PAD, top, lines)))
            top += bh + GAP
        return Cell(box(x, y, COL_W, h, "cell" if self.blocks else "empty", []) if with_box else None, tuple(out))


class Lane(NamedTuple):
    """A row of the grid. Header rows (stages, state, checkpoints) are boxes with their lines;
    a lane of tasks or actions has its title box, the kind's icon and title lines, and cells
    of items (a roadmap-wide row adds one box across the stages under its cards)."""

    boxes: tuple[Box, ...]  # the header row's boxes, or the lane title's
    icon: Icon | None
    title: tuple[Text, ...]
    span: Box | None  # a roadmap-wide row's box across the stages
    cells: tuple[Cell, ...]


def _row(y: float, title_lines: list[Line], cells: list[list[Line]], fill: str) -> tuple[Lane, float]:
    """A header row of text cells after its title, and its height."""
    h = max([_height(title_lines)] + [_height(lines) for lines in cells])
    boxes = [box(0, y, LANE_W, h, "lane", title_lines)]
    boxes.extend(box(LANE_W + i * COL_W, y, COL_W, h, fill, lines) for i, lines in enumerate(cells))
    return Lane(tuple(boxes), None, (), None, ()), h


def render_roadmap_svg(roadmap: m.Roadmap, site: Site, lang: str, env: jinja2.Environment | None = None) -> str:
    """The swimlane of ``roadmap`` as a standalone SVG document (UTF-8 text), drawn by
    ``roadmap.svg.j2`` of ``env`` (the site's templates; the package's when None)."""
    g: Grid = grid(roadmap)
    plain = Plain(site, lang, roadmap)
    labels = plain.labels
    total_w = LANE_W + len(g.stages) * COL_W
    title = plain.text(roadmap.title)
    title_lines, y = title_texts(title, total_w)

    headers = [([], [_lines(plain.stage(s, i + 1), COL_W) for i, s in enumerate(g.stages)], "phase"),
               (_label_lines(labels, "rs.state", "bold"), [_lines([("text", plain.text(s.state))], COL_W) for s in g.stages],
                "step")]
    if g.has_checkpoints:
        headers.append((_label_lines(labels, "rs.checkpoints", "bold"), [_lines(plain.checkpoints(s), COL_W) for s in g.stages],
                        "step"))
    rows: list[Lane] = []
    for title_cell, cells, fill in headers:
        row, h = _row(y, title_cell, cells, fill)
        rows.append(row)
        y += h

    for lane, per_stage in g.lanes:
        placed = [_Cell(plain, items) for items in per_stage]
        kind = lane if lane in ACTION_KINDS else ""
        title_cell = _label_lines(labels, f"rs.lane.{lane}", kind or "bold")
        h = max([_height(title_cell)] + [c.height for c in placed])
        rows.append(Lane((box(0, y, LANE_W, h, "lane", []),), _icon(kind, PAD, y + PAD + (LINE - ICON) / 2) if kind else None,
                         texts(PAD, y + PAD, title_cell), None,
                         tuple(c.place(LANE_W + i * COL_W, y, h) for i, c in enumerate(placed))))
        y += h
        wide = g.wide_of(lane)
        if wide:  # roadmap-wide actions: a row across the stages, the cards side by side
            n = len(g.stages)
            placed = [_Cell(plain, wide[c::n]) for c in range(n)]
            title_cell = _label_lines(labels, f"rs.lane.{lane}", kind) + _lines([("muted", labels["rs.wide"].strip())], LANE_W)
            h = max([_height(title_cell)] + [c.height for c in placed])
            rows.append(Lane((box(0, y, LANE_W, h, "lane", []),), _icon(kind, PAD, y + PAD + (LINE - ICON) / 2),
                             texts(PAD, y + PAD, title_cell), box(LANE_W, y, n * COL_W, h, "cell", []),
                             tuple(c.place(LANE_W + i * COL_W, y, h, with_box=False) for i, c in enumerate(placed) if c.blocks)))
            y += h

    desc = labels["rs.caption"].format(title=title)
    return document(env, "roadmap.svg.j2", total_w, y, title, desc, roadmap_id=roadmap.id, title_lines=title_lines,
                    rows=rows, icon_paths=ICON_PATHS, icon_scale=num(ICON / 16))
