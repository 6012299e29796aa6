"""tabiji export pdf/png/pptx: printed by Debian's Chromium from the built site, offline; slides
with the standalone SVG rasterized. Each output opened by its own reader (pypdf, Pillow,
python-pptx); copies land in test-artifacts/ for a look."""

from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, copy_site
from tabiji.cli import main
from tabiji.source.validate import load_site

ARTIFACTS = Path(os.environ.get("TABIJI_ARTIFACTS", ROOT / "test-artifacts")) / "export"
EXAMPLE = load_site(ROOT / "journeys")
A3_LANDSCAPE = (1191, 842)  # points
A4_PORTRAIT = (595, 842)
CHROMIUM = Path("/usr/bin/chromium")

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_site("example", tmp_path_factory.mktemp("print") / "site")


def export(site: Path, kind: str, id_: str, fmt: str) -> bytes:
    out = site.parent / f"{kind}-{id_}.{fmt}"
    old = Path.cwd()
    os.chdir(site)
    try:
        result = CliRunner().invoke(main, ["export", kind, id_, "--format", fmt, "-o", str(out), "--force"],
                                    env={"TABIJI_TODAY": "2026-12-01"})
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / out.name).write_bytes(out.read_bytes())
    return out.read_bytes()


def _sizes(reader) -> set[tuple[int, int]]:
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}


@pytest.mark.browser
@needs_chromium
@pytest.mark.parametrize("kind,id_,size", [("journey", "onboarding", A3_LANDSCAPE),
                                           ("roadmap", "hoshiyomi-success", A3_LANDSCAPE),
                                           ("playbook", "hoshiyomi-success", A4_PORTRAIT)])
def test_pdf_is_the_sites_printed_page(site: Path, kind: str, id_: str, size: tuple[int, int]) -> None:
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(export(site, kind, id_, "pdf")))
    assert len(reader.pages) >= 1
    assert all(abs(w - size[0]) <= 1 and abs(h - size[1]) <= 1 for w, h in _sizes(reader)), _sizes(reader)
    # NFKC: PDF text extraction returns some kanji as their Kangxi radical look-alikes (⼊ for 入)
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(p.extract_text() for p in reader.pages)))
    doc = EXAMPLE.journeys[id_] if kind == "journey" else EXAMPLE.roadmaps[id_]
    assert re.sub(r"\s+", "", doc.title["ja"] if isinstance(doc.title, dict) else doc.title) in text
    if kind == "journey":  # the map itself, not only the page around it
        assert all(re.sub(r"\s+", "", p.name["ja"]) in text for p in doc.phases)
    if kind == "playbook":
        assert len(reader.pages) == len(doc.stages)  # one A4 page per stage, the site's print rule


@pytest.mark.browser
@needs_chromium
def test_png_is_the_map_at_twice_the_print_width(site: Path) -> None:
    from PIL import Image
    image = Image.open(io.BytesIO(export(site, "journey", "adoption", "png")))
    assert image.format == "PNG"
    assert image.width >= 2 * 1400 and image.height > 600  # 2x the A3 printable width in CSS px


@pytest.mark.parametrize("jid", sorted(EXAMPLE.journeys))
def test_pptx_has_one_slide_with_the_map_title_personas_goal_and_phase_goals(site: Path, jid: str) -> None:
    from PIL import Image
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE
    journey = EXAMPLE.journeys[jid]
    deck = Presentation(io.BytesIO(export(site, "journey", jid, "pptx")))
    assert len(deck.slides) == 1
    slide = deck.slides[0]
    texts = "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert journey.title["ja"] in texts and journey.goal["ja"] in texts
    assert all(EXAMPLE.personas[p].name["ja"] in texts for p in journey.personas)
    pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    picture = pictures[0]
    assert picture.left >= 0 and picture.top >= 0
    assert picture.left + picture.width <= deck.slide_width and picture.top + picture.height <= deck.slide_height
    image = Image.open(io.BytesIO(picture.image.blob))
    assert image.width / (picture.width / 914400) >= 190  # placed at about 200 dpi
    notes = slide.notes_slide.notes_text_frame.text
    for phase in journey.phases:
        if phase.goal:
            assert (phase.goal["ja"] if isinstance(phase.goal, dict) else phase.goal) in notes


def test_roadmap_deck_is_the_roadmap_then_its_journeys_in_stage_order(site: Path) -> None:
    from pptx import Presentation
    roadmap = EXAMPLE.roadmaps["hoshiyomi-success"]
    deck = Presentation(io.BytesIO(export(site, "roadmap", roadmap.id, "pptx")))
    order = list(dict.fromkeys(ref.split("/")[0] for s in roadmap.stages for ref in s.phases))
    titles = [next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert titles == [roadmap.title["ja"] if isinstance(roadmap.title, dict) else roadmap.title] + [
        EXAMPLE.journeys[j].title["ja"] for j in order]


def test_pdf_without_chromium_says_how_to_install_it(site: Path, monkeypatch) -> None:
    from tabiji.exchange import export_print
    monkeypatch.setattr(export_print, "CHROMIUM", "/nonexistent/chromium")
    old = Path.cwd()
    os.chdir(site)
    try:
        result = CliRunner().invoke(main, ["export", "journey", "onboarding", "--format", "pdf", "-o",
                                           str(site.parent / "x.pdf")])
    finally:
        os.chdir(old)
    assert result.exit_code == 1 and "apt-get install chromium" in result.output
    assert not (site.parent / "x.pdf").exists()


def test_pptx_bytes_are_the_same_on_every_export(site: Path) -> None:
    assert export(site, "journey", "onboarding", "pptx") == export(site, "journey", "onboarding", "pptx")
