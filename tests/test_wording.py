"""Wording that belongs to the company (issue 13 §1, issue 15): the labels are data files per
language, a site overrides any of them in ``<source>/labels/<lang>.yml``, and the metrics
ladder (rungs, questions, evaluation items, improvement areas) comes from the catalog."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ENV, built, copy_site, run_build, text_of, tree_digest
from tabiji.core import model as m
from tabiji.core.labels import PACKAGE_LABELS, fields, labels_for, package_labels, site_labels
from tabiji.core.problems import InvalidSources
from tabiji.source.validate import load_site

LANGS = ("ja", "en")


def page(site_dir: Path, doc: str) -> str:
    return (site_dir / doc / "index.html").read_text(encoding="utf-8")


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


def use_language(site: Path, lang: str) -> None:
    config = site / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("language: en", f"language: {lang}"),
                      encoding="utf-8")


def problems(source: Path) -> list[str]:
    with pytest.raises(InvalidSources) as caught:
        load_site(source)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    site = copy_site("mini", tmp_path / "mini")
    monkeypatch.chdir(site)  # messages name files relative to the working folder
    return site


# ------------------------------------------------------------------ the package's label files


def test_label_files_have_the_same_keys_in_the_same_order() -> None:
    ja, en = package_labels("ja"), package_labels("en")
    assert list(ja) == list(en) and len(ja) > 400
    assert all(isinstance(v, str) and v for lang in (ja, en) for v in lang.values())
    # every label is a valid format text in both languages (no lone brace)
    assert [k for k in ja if fields(ja[k]) is None or fields(en[k]) is None] == []
    # the files are package data: listed in pyproject.toml, so a wheel carries them
    pyproject = (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"labels/*.yml"' in pyproject and sorted(p.name for p in PACKAGE_LABELS.glob("*.yml")) == ["en.yml", "ja.yml"]


def test_label_files_read_every_value_as_text() -> None:
    # YAML 1.1 would read 'no', 'on' or '1' as other types; the files are read as text only
    raw = yaml.load((PACKAGE_LABELS / "en.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert package_labels("en") == raw
    assert package_labels("ja")["rs.checkpoints"] == "チェック\u200bポイント"  # escapes kept


def test_labels_for_keeps_its_signature_and_choice_of_language() -> None:
    assert labels_for("ja") is package_labels("ja") and labels_for("ja_JP") is package_labels("ja")
    assert labels_for("en") is package_labels("en") and labels_for("fr") is package_labels("en")
    with site_labels({"en": {"metrics": "Our ladder"}}):
        assert labels_for("en")["metrics"] == "Our ladder"
        assert labels_for("en")["kpis"] == package_labels("en")["kpis"]
        assert labels_for("ja")["metrics"] == package_labels("ja")["metrics"]
    assert labels_for("en")["metrics"] == package_labels("en")["metrics"]  # only within the block


# ------------------------------------------------------------------ site overrides


@pytest.mark.parametrize("lang", LANGS)
def test_a_site_override_changes_the_label_on_every_page_that_writes_it(mini: Path, lang: str) -> None:
    use_language(mini, lang)
    (mini / "journeys" / "labels").mkdir()
    words = {"ja": ("指標と当社の階段", "成果の段"), "en": ("Our metrics ladder", "Outcome rung")}[lang]
    (mini / "journeys" / "labels" / f"{lang}.yml").write_text(
        f"metrics: {words[0]}\nrung.success: {words[1]}\n", encoding="utf-8")
    site = built(mini)
    metrics = text_of(page(site, "map/metrics"))
    assert f"{words[0]}" in metrics and words[1] in metrics
    assert package_labels(lang)["rung.success"] not in metrics
    assert words[1] in text_of(page(site, "map/kpis/dau"))  # the KPI's rung link
    assert words[0] in text_of(page(site, "map"))  # the home page's link to the metrics page
    assert package_labels(lang)["rung.loyalty"] in metrics  # labels not overridden stay


@pytest.mark.parametrize("override", [True, False], ids=["override", "package"])
def test_the_permalink_tooltip_takes_the_sites_words(mini: Path, override: bool) -> None:
    config = mini / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "markdown_extensions:\n  - toc:\n      permalink: true\n",
                      encoding="utf-8")
    if override:
        (mini / "journeys" / "labels").mkdir()
        (mini / "journeys" / "labels" / "en.yml").write_text("permalink: Link to this part of the map\n",
                                                              encoding="utf-8")
    html = page(built(mini), "map/metrics")
    want = "Link to this part of the map" if override else package_labels("en")["permalink"]
    titles = set(re.findall(r'class="headerlink" href="[^"]*" title="([^"]*)"', html))
    assert titles == {want}, titles


def test_tabiji_generate_honours_the_site_labels(mini: Path) -> None:
    (mini / "journeys" / "labels").mkdir()
    (mini / "journeys" / "labels" / "en.yml").write_text("metrics: Our metrics ladder\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tabiji.cli", "generate"], cwd=mini, capture_output=True,
                            text=True, env=ENV, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "# Our metrics ladder" in (mini / "docs" / "map" / "metrics.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_label_key_is_located_with_the_closest_keys(mini: Path, lang: str) -> None:
    (mini / "journeys" / "labels").mkdir()
    (mini / "journeys" / "labels" / f"{lang}.yml").write_text("metrics: ok\nmetrcs.intro: x\n", encoding="utf-8")
    found = problems(Path("journeys"))
    assert len(found) == 1
    assert found[0].startswith(f"journeys/labels/{lang}.yml:2:1: metrcs.intro: expected a label key Tabiji "
                               "writes, found unknown label 'metrcs.intro'; did you mean 'metrics.intro'")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("line, found", [
    ("emotion: [a, b]", "found a list"),
    ("emotion:", "found nothing"),
    ("emotion: {a: b}", "found a mapping"),
    ('swimlane: "<img src=x onerror=alert(1)>"', "found a text holding U+003C"),
    ("swimlane: '[click](javascript:alert(1))'", "found a text holding U+005B"),
    ('swimlane: "a\\nb"', "U+000A"),
    ("rs.stage_n: 'Stage {n.__class__}'", "braces only around the label's own fields: {n}"),
    ("rs.stage_n: 'Stage {m}'", "braces only around the label's own fields: {n}"),
    ("swimlane: 'Map {: onclick=x}'", "braces only around the label's own fields (it has none)"),
])
def test_a_bad_label_text_is_located(mini: Path, lang: str, line: str, found: str) -> None:
    (mini / "journeys" / "labels").mkdir()
    (mini / "journeys" / "labels" / f"{lang}.yml").write_text(f"metrics: ok\n{line}\n", encoding="utf-8")
    shown = problems(Path("journeys"))
    assert len(shown) == 1 and shown[0].startswith(f"journeys/labels/{lang}.yml:2:") and found in shown[0], shown


def test_a_label_file_must_be_named_after_a_language(mini: Path) -> None:
    (mini / "journeys" / "labels").mkdir()
    (mini / "journeys" / "labels" / "jp.yml").write_text("metrics: x\n", encoding="utf-8")
    assert problems(Path("journeys")) == [
        "journeys/labels/jp.yml:1:1: (file location): expected a label file named after its language: "
        "labels/ja.yml, labels/en.yml, found 'labels/jp.yml'; did you mean 'ja'?"]


def test_a_symlinked_label_file_is_refused(mini: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.yml").write_text("metrics: from outside\n", encoding="utf-8")
    (mini / "journeys" / "labels").mkdir()
    (mini / "journeys" / "labels" / "en.yml").symlink_to(tmp_path / "outside.yml")
    assert any("labels/en.yml:1:1: (file): expected a regular file or folder, found a symbolic link" in p
               for p in problems(Path("journeys")))


def test_a_bad_override_fails_the_build_and_keeps_the_previous_site(mini: Path) -> None:
    site = built(mini)
    before = tree_digest(site)
    (mini / "journeys" / "labels").mkdir()
    (mini / "journeys" / "labels" / "en.yml").write_text("metrcs: x\n", encoding="utf-8")
    result = run_build(mini)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "labels/en.yml:1:1: metrcs: expected a label key Tabiji writes" in result.stderr
    assert "did you mean 'metrics'" in result.stderr
    assert tree_digest(site) == before


def test_the_diff_comment_is_worded_by_the_base_not_by_the_pull_request(tmp_path: Path) -> None:
    base = copy_site("mini", tmp_path / "base") / "journeys"
    head = copy_site("mini", tmp_path / "head") / "journeys"
    (head / "labels").mkdir()
    (head / "labels" / "en.yml").write_text("diff.title: Nothing to review here\n", encoding="utf-8")
    catalog = head / "catalog" / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("name: NPS", "name: Net promoter score"),
                       encoding="utf-8")

    def comment() -> str:
        result = subprocess.run([sys.executable, "-m", "tabiji.cli", "diff", "--base-folder", str(base),
                                 "--head-folder", str(head), "--format", "md", "--lang", "en"],
                                cwd=tmp_path, capture_output=True, text=True, env=ENV, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout

    text = comment()
    # the heading keeps the base's words; the new wording itself is one of the changes to review
    assert f"## {package_labels('en')['diff.title']}\n" in text and "## Nothing to review here" not in text
    assert "label “diff.title”: text changed" in text
    (base / "labels").mkdir()
    (base / "labels" / "en.yml").write_text("diff.title: Map changes (base wording)\n", encoding="utf-8")
    assert "## Map changes (base wording)\n" in comment()


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=cwd, check=True,
                   capture_output=True, timeout=120)


@pytest.mark.parametrize("lang, line", [
    ("ja", "ラベル「lane.actions」の内容を変更：「{old}」 → 「顧客の行動」"),
    ("en", "label “lane.actions”: text changed: “{old}” → “顧客の行動”"),
])
def test_the_diff_names_each_changed_label_between_revisions(tmp_path: Path, lang: str, line: str) -> None:
    """A site's own wording is part of the map: changing it is reviewed like any other change,
    from the words readers saw (the package's, without an override) to the new ones."""
    repo = copy_site("mini", tmp_path / "repo")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    (repo / "journeys" / "labels").mkdir()
    (repo / "journeys" / "labels" / "ja.yml").write_text("lane.actions: 顧客の行動\n", encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "wording")
    result = subprocess.run([sys.executable, "-m", "tabiji.cli", "diff", "HEAD~1", "HEAD", "--source", "journeys",
                             "--lang", lang], cwd=repo, capture_output=True, text=True, env=ENV, timeout=300)
    assert result.returncode == 0, result.stderr
    assert line.format(old=package_labels("ja")["lane.actions"]) in result.stdout
    assert "journeys/labels/ja.yml" in result.stdout
    (repo / "journeys" / "labels" / "ja.yml").unlink()  # back to the package's words, seen from HEAD
    result = subprocess.run([sys.executable, "-m", "tabiji.cli", "diff", "HEAD", "--source", "journeys",
                             "--lang", lang], cwd=repo, capture_output=True, text=True, env=ENV, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "顧客の行動" in result.stdout and package_labels("ja")["lane.actions"] in result.stdout


# ------------------------------------------------------------------ the ladder from YAML

LADDER = {
    "ja": """ladder:
  - id: process
    name: プロセスの段
    question: プロセス通り進んでる?
    evaluation: [標準タスクの実行率, 誘導アクションの実行率]
    improvements: [タスクの期限]
  - id: outcome
    name: 成果の段
    question: ミッションは達成できてる?
  - id: loyal
    name: ロイヤルの段
    improvements: NPS の回答率
""",
    "en": """ladder:
  - id: process
    name: Process rung
    question: Are we on the process?
    evaluation: [Standard task rate, Guided action rate]
    improvements: [Task deadlines]
  - id: outcome
    name: Outcome rung
    question: Is the mission reached?
  - id: loyal
    name: Loyalty rung
    improvements: NPS answer rate
""",
}


def with_ladder(site: Path, lang: str) -> None:
    catalog = site / "journeys" / "catalog"
    (catalog / "ladder.yml").write_text(LADDER[lang], encoding="utf-8")
    text = (catalog / "catalog.yml").read_text(encoding="utf-8")
    (catalog / "catalog.yml").write_text(text.replace("rung: success", "rung: outcome")
                                         .replace("rung: loyalty", "rung: loyal"), encoding="utf-8")


@pytest.mark.parametrize("lang", LANGS)
def test_the_sites_ladder_is_on_the_metrics_page_in_order_with_its_fields(mini: Path, lang: str) -> None:
    use_language(mini, lang)
    with_ladder(mini, lang)
    site = built(mini)
    html = page(site, "map/metrics")
    ladder = yaml.safe_load(LADDER[lang])["ladder"]
    headings = re.findall(r'<h3 id="(rung-[^"]+)"', html)
    assert headings == ["rung-process", "rung-outcome", "rung-loyal", "rung-none"]  # as written, bottom first
    text = text_of(article(html))  # the page's own text, not the table of contents beside it
    positions = [text.index(r["name"]) for r in ladder]
    assert positions == sorted(positions)
    process = text[positions[0]:positions[1]]
    assert ladder[0]["question"] in process and all(x in process for x in ladder[0]["evaluation"])
    assert package_labels(lang)["metrics.evaluation"] in process
    assert package_labels(lang)["metrics.improvements"] in process and ladder[0]["improvements"][0] in process
    outcome = text[positions[1]:positions[2]]
    assert ladder[1]["question"] in outcome and "Daily active users" in outcome
    assert package_labels(lang)["metrics.evaluation"] not in outcome  # no empty fields
    loyal = text[positions[2]:]
    assert ladder[2]["improvements"] in loyal and "NPS" in loyal
    for rung in m.RUNGS:  # the default rungs are gone
        assert f'id="rung-{rung.replace("_", "-")}"' not in html
    kpi = page(site, "map/kpis/dau")
    assert re.search(r'<a href="\.\./\.\./metrics/#rung-outcome">' + re.escape(ladder[1]["name"]) + "</a>", kpi)


def test_the_default_ladder_is_the_six_rungs_with_their_labels(mini: Path) -> None:
    site = built(mini)
    html = page(site, "map/metrics")
    assert re.findall(r'<h3 id="(rung-[^"]+)"', html)[:6] == [f"rung-{r.replace('_', '-')}" for r in m.RUNGS]
    text = text_of(article(html))
    t = package_labels("en")
    positions = [text.index(t["question." + r]) for r in m.RUNGS]
    assert positions == sorted(positions)
    assert t["metrics.evaluation"] not in text and t["metrics.improvements"] not in text


@pytest.mark.parametrize("lang", LANGS)
def test_a_kpi_rung_the_ladder_does_not_have_is_located_with_the_closest(mini: Path, lang: str) -> None:
    with_ladder(mini, lang)
    catalog = mini / "journeys" / "catalog" / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("rung: outcome", "rung: outcom"), encoding="utf-8")
    found = problems(Path("journeys"))
    line = next(i for i, text in enumerate(catalog.read_text(encoding="utf-8").splitlines(), 1) if "outcom" in text)
    assert found == [f"journeys/catalog/catalog.yml:{line}:11: kpis[1].rung: expected the id of a rung of the "
                     "catalog's 'ladder', found unknown rung 'outcom'; did you mean 'outcome'?"]


def test_without_a_ladder_a_kpi_rung_is_one_of_the_default_rungs(mini: Path) -> None:
    catalog = mini / "journeys" / "catalog" / "catalog.yml"
    catalog.write_text(catalog.read_text(encoding="utf-8").replace("rung: loyalty", "rung: loyality"),
                       encoding="utf-8")
    found = problems(Path("journeys"))
    assert len(found) == 1 and ":36:11: kpis[2].rung: expected a rung of the ladder: standard_tasks," in found[0]
    assert found[0].endswith("found unknown rung 'loyality'; did you mean 'loyalty'?")


def test_a_ladder_rung_is_validated_like_a_catalog_entry(mini: Path) -> None:
    (mini / "journeys" / "catalog" / "ladder.yml").write_text(
        "ladder:\n  - id: a\n    name: A\n    questoin: Q?\n  - id: a\n    name: Again\n", encoding="utf-8")
    found = problems(Path("journeys"))
    assert "journeys/catalog/ladder.yml:4:5: ladder[0].questoin: expected a known field, found unknown field " \
           "'questoin'; did you mean 'question'?" in found
    assert any(p.startswith("journeys/catalog/ladder.yml:5:9: ladder[1].id: expected a unique id among ladder")
               for p in found)


@pytest.mark.parametrize("lang, rung, moved", [
    ("en", "Ladder rung “Outcome rung”", "Ladder rung moved: position 2 → 1"),
    ("ja", "評価の階段の段「成果の段」", "評価の階段の段の順番を変更：2 番目 → 1 番目"),
])
def test_the_diff_names_a_ladder_change(tmp_path: Path, lang: str, rung: str, moved: str) -> None:
    base = copy_site("mini", tmp_path / "base")
    with_ladder(base, lang)
    head = copy_site(base, tmp_path / "head")
    ladder = head / "journeys" / "catalog" / "ladder.yml"
    rungs = yaml.safe_load(ladder.read_text(encoding="utf-8"))
    rungs["ladder"][0], rungs["ladder"][1] = rungs["ladder"][1], rungs["ladder"][0]
    rungs["ladder"][0]["question"] = "?"
    ladder.write_text(yaml.safe_dump(rungs, allow_unicode=True), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "tabiji.cli", "diff", "--base-folder", str(base / "journeys"),
                             "--head-folder", str(head / "journeys"), "--lang", lang],
                            cwd=tmp_path, capture_output=True, text=True, env=ENV, timeout=300)
    assert result.returncode == 0, result.stderr
    assert rung in result.stdout and moved in result.stdout
    assert ("question changed" if lang == "en" else "問いを変更") in result.stdout


def _guide_yaml(anchor: str) -> str:
    guide = (Path(__file__).parents[1] / "docs" / "guide" / "writing.md").read_text(encoding="utf-8")
    return guide[guide.index(anchor):].split("```yaml\n", 1)[1].split("```", 1)[0]


def test_the_guides_ladder_and_label_examples_validate(mini: Path) -> None:
    (mini / "journeys" / "catalog" / "ladder.yml").write_text(_guide_yaml("{#ladder}"), encoding="utf-8")
    catalog = mini / "journeys" / "catalog" / "catalog.yml"
    catalog.write_text(re.sub(r"rung: \w+", "rung: guided_actions", catalog.read_text(encoding="utf-8")),
                       encoding="utf-8")
    (mini / "journeys" / "labels").mkdir()
    (mini / "journeys" / "labels" / "ja.yml").write_text(_guide_yaml("{#labels}"), encoding="utf-8")
    site = load_site(Path("journeys"))
    assert list(site.ladder) == ["guided_actions"] and site.ladder["guided_actions"].improvements
    assert site.labels["ja"]["rs.stage_n"] == "第{n}ステージ"


@pytest.mark.parametrize("lang", LANGS)
def test_every_package_label_can_be_copied_into_an_override(mini: Path, lang: str) -> None:
    # a translator starts from the package's file: every line of it is a valid override
    import json

    import jsonschema
    (mini / "journeys" / "labels").mkdir()
    shutil.copy(PACKAGE_LABELS / f"{lang}.yml", mini / "journeys" / "labels" / f"{lang}.yml")
    site = load_site(Path("journeys"))
    assert site.labels[lang] == package_labels(lang)
    schema = json.loads((Path(__file__).parents[1] / "schema" / "labels.schema.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(package_labels(lang))) == []
    assert list(jsonschema.Draft202012Validator(schema).iter_errors({"metrcs": "x"}))  # an unknown key fails


def test_hostile_ladder_text_is_shown_as_text(mini: Path) -> None:
    (mini / "journeys" / "catalog" / "ladder.yml").write_text(
        "ladder:\n  - id: success\n    name: '<img src=x onerror=alert(1)> {: onclick=alert(2)}'\n"
        "    question: '[click](javascript:alert(3))'\n    evaluation: ['<script>alert(4)</script>']\n"
        "  - id: loyalty\n    name: Loyalty\n", encoding="utf-8")
    site = built(mini)
    for doc in ("map/metrics", "map/kpis/dau"):
        html = page(site, doc)
        assert "<img src=x" not in html and "<script>alert" not in html
        assert not re.search(r'href="\s*javascript:', html, re.I)  # the link is shown as text
        assert not re.search(r"<[^>]*\s(onclick|onerror)=", html)  # no attribute added by attr_list
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
