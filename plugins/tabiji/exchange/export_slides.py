"""Slides for decks (python-pptx): one slide per journey with its standalone SVG rasterized at
print resolution, the title, personas and goal as text, and the phases' goals in the notes;
a roadmap's deck starts with the roadmap's own diagram, then its journeys in stage order.
"""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from tabiji.core import model as m
from tabiji.render.roadmap_svg import render_roadmap_svg
from tabiji.render.svg import render_svg
from tabiji.core.lang import localize
from tabiji.source.validate import Site
from tabiji.exchange.errors import ExportError
from tabiji.exchange.zipfix import fixed_zip

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.4)
PRINT_DPI = 200  # pixels per inch of the picture as placed on the slide
WORDS = {
    "ja": {"personas": "ペルソナ", "goal": "ゴール", "product": "プロダクト", "phase_goals": "フェーズのゴール",
           "stages": "ステージと達成状態", "sep": "、"},
    "en": {"personas": "Personas", "goal": "Goal", "product": "Product", "phase_goals": "Phase goals",
           "stages": "Stages and achievement states", "sep": ", "},
}


def rasterize(svg: str, width_px: int) -> bytes:
    """The SVG as a PNG ``width_px`` wide: rsvg-convert (librsvg), else Chromium."""
    if shutil.which("rsvg-convert"):
        done = subprocess.run(["rsvg-convert", "--format=png", f"--width={width_px}", "--keep-aspect-ratio",
                               "--background-color=white"], input=svg.encode("utf-8"), capture_output=True)
        if done.returncode == 0:
            return done.stdout
    from tabiji.exchange.export_print import ARGS, CHROMIUM
    try:
        from playwright.sync_api import sync_playwright
        with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
            file = Path(tmp) / "map.svg"
            file.write_text(svg, encoding="utf-8")
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            page.goto(file.as_uri())
            box = page.evaluate("() => { const r = document.documentElement.getBBox(); return [r.width, r.height]; }")
            page.set_viewport_size({"width": int(box[0]), "height": int(box[1])})
            data = page.screenshot(type="png", full_page=True)
            browser.close()
            return data
    except Exception as err:  # noqa: BLE001 - any failure here means: no rasterizer
        raise ExportError(f"cannot rasterize the SVG: install librsvg2-bin (rsvg-convert) or chromium ({err})") \
            from None


def _text_box(slide, left, top, width, height, paragraphs: list[tuple[str, int, bool]], lang: str) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for i, (text, size, bold) in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font._rPr.set("lang", "ja-JP" if lang == "ja" else "en-US")  # proofing and line breaking


def _picture(slide, png: bytes, top) -> None:
    from PIL import Image
    w, h = Image.open(io.BytesIO(png)).size
    box_w, box_h = SLIDE_W - 2 * MARGIN, SLIDE_H - top - MARGIN
    scale = min(box_w / w, box_h / h)
    pic_w, pic_h = int(w * scale), int(h * scale)
    slide.shapes.add_picture(io.BytesIO(png), Emu(int(MARGIN + (box_w - pic_w) / 2)), Emu(int(top)),
                             Emu(pic_w), Emu(pic_h))


def _slide(prs, title: str, lines: list[str], svg: str, notes: list[str], lang: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank
    _text_box(slide, MARGIN, Inches(0.25), SLIDE_W - 2 * MARGIN, Inches(0.6), [(title, 26, True)], lang)
    _text_box(slide, MARGIN, Inches(0.85), SLIDE_W - 2 * MARGIN, Inches(0.8), [(t, 12, False) for t in lines], lang)
    png = rasterize(svg, int((SLIDE_W - 2 * MARGIN) / 914400 * PRINT_DPI))
    _picture(slide, png, Inches(1.75))
    slide.notes_slide.notes_text_frame.text = "\n".join(notes)


def _journey_slide(prs, journey: m.Journey, site: Site, lang: str) -> None:
    w = WORDS.get(lang, WORDS["en"])
    personas = w["sep"].join(localize(site.personas[p].name, lang) for p in journey.personas if p in site.personas)
    notes = [w["phase_goals"]] + [f"{localize(p.name, lang)}: {localize(p.goal, lang)}" for p in journey.phases
                                  if p.goal]
    _slide(prs, localize(journey.title, lang),
           [f"{w['personas']}: {personas}", f"{w['goal']}: {localize(journey.goal, lang)}"],
           render_svg(journey, site, lang), notes, lang)


def _deck() -> Presentation:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    return prs


def _save(prs, title: str) -> bytes:
    prs.core_properties.title = title
    prs.core_properties.author = "tabiji"
    fixed = datetime.datetime(2000, 1, 1)
    prs.core_properties.created = prs.core_properties.modified = fixed
    prs.core_properties.last_modified_by = "tabiji"
    prs.core_properties.revision = 1
    out = io.BytesIO()
    prs.save(out)
    return fixed_zip(out.getvalue())


def journeys_deck(journeys: list[m.Journey], site: Site, lang: str) -> bytes:
    prs = _deck()
    for journey in journeys:
        _journey_slide(prs, journey, site, lang)
    return _save(prs, localize(journeys[0].title, lang))


def roadmap_deck(roadmap: m.Roadmap, site: Site, lang: str) -> bytes:
    w = WORDS.get(lang, WORDS["en"])
    prs = _deck()
    personas = w["sep"].join(localize(site.personas[p].name, lang) for p in roadmap.personas if p in site.personas)
    notes = [w["stages"]] + [f"{localize(s.name, lang)}: {localize(s.state, lang)}" for s in roadmap.stages]
    _slide(prs, localize(roadmap.title, lang),
           [f"{w['product']}: {localize(roadmap.product, lang)}", f"{w['personas']}: {personas}"],
           render_roadmap_svg(roadmap, site, lang), notes, lang)
    for jid in roadmap_journeys(roadmap, site):
        _journey_slide(prs, site.journeys[jid], site, lang)
    return _save(prs, localize(roadmap.title, lang))


def roadmap_journeys(roadmap: m.Roadmap, site: Site) -> list[str]:
    """The journeys a roadmap's stages map to, in stage order."""
    seen: list[str] = []
    for stage in roadmap.stages:
        for ref in stage.phases:
            jid = ref.split("/")[0]
            if jid in site.journeys and jid not in seen:
                seen.append(jid)
    return seen
