"""Schema additions of issue #13 §1: targets not set yet (未定), free facts (extra), the
health page's order and sections. Model, JSON Schema, located messages, real builds, ja and en."""

from __future__ import annotations

import json
import re
from html import unescape
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import ENV, ROOT, built, copy_site, text_of
from test_validate import edit, problems, src  # noqa: F401  (src is a fixture)

from tabiji.core import model as m
from tabiji.source.validate import load_site

CATALOG = "journeys/catalog/catalog.yml"
ROADMAP = "journeys/roadmaps/success.yml"


def _undecided_mini(journeys: Path) -> None:
    """The mini fixture with an undecided KPI target, checkpoint and trigger condition."""
    edit(journeys / "catalog/catalog.yml", "    unit: users\n    target: 50",
         "    unit: users\n    target: {undecided: DAU ◯ users or more}")
    edit(journeys / "roadmaps/success.yml", '{metric: dau, comparison: ">=", value: 50, window: within 30 days}',
         '{metric: dau, comparison: ">=", value: {undecided: most of the staff}, window: within 30 days}')
    edit(journeys / "roadmaps/success.yml", 'condition: {metric: dau, comparison: "<", value: 20, window',
         'condition: {metric: dau, comparison: "<", value: {undecided: "a few"}, window')


# ------------------------------------------------------------------ 1. targets not set yet: the model


def test_undecided_target_checkpoint_and_condition_load(src: Path) -> None:
    _undecided_mini(src)
    site = load_site(src)
    assert site.kpis["dau"].target == m.Undecided(undecided="DAU ◯ users or more")
    assert site.kpis["activation"].target == 80.0 and m.decided(site.kpis["activation"].target)
    use = site.roadmaps["success"].stages[1]
    assert use.checkpoints[0].value == m.Undecided(undecided="most of the staff")
    assert not m.decided(use.checkpoints[0].value)
    assert site.roadmaps["success"].actions[1].condition.value == m.Undecided(undecided="a few")
    assert site.roadmaps["success"].actions[0].condition.value == 80.0


def test_undecided_words_may_be_localized(src: Path) -> None:
    edit(src / "catalog/catalog.yml", "    unit: users\n    target: 50",
         "    unit: users\n    target: {undecided: {ja: DAU ◯人以上, en: DAU ◯ or more}}")
    assert load_site(src).kpis["dau"].target.undecided == {"ja": "DAU ◯人以上", "en": "DAU ◯ or more"}


def test_words_where_a_number_goes_say_how_to_write_undecided(src: Path) -> None:
    edit(src / "catalog/catalog.yml", "    unit: users\n    target: 50", "    unit: users\n    target: ◯人以上")
    assert problems(src) == [
        f"{CATALOG}:28:13: kpis[1].target: expected a number, or {{undecided: words}} while it is not set yet, "
        "found '◯人以上'; if it is not decided yet, write target: {undecided: '◯人以上'}"]


def test_words_in_a_checkpoint_value_say_how_to_write_undecided(src: Path) -> None:
    edit(src / "roadmaps/success.yml", '{metric: dau, comparison: ">=", value: 50,',
         '{metric: dau, comparison: ">=", value: XX,')
    assert problems(src) == [
        f"{ROADMAP}:27:48: stages[1].checkpoints[0].value: expected a number, or {{undecided: words}} while it "
        "is not set yet, found 'XX'; if it is not decided yet, write value: {undecided: 'XX'}"]


def test_misspelled_undecided_suggests_the_field(src: Path) -> None:
    edit(src / "roadmaps/success.yml", 'condition: {metric: dau, comparison: ">=", value: 80}',
         'condition: {metric: dau, comparison: ">=", value: {undecide: many}}')
    assert problems(src) == [
        f"{ROADMAP}:46:56: actions[0].condition.value.undecide: expected a known field, found unknown field 'undecide'; "
        "did you mean 'undecided'?"]


def test_undecided_without_words_is_refused(src: Path) -> None:
    edit(src / "catalog/catalog.yml", "    unit: users\n    target: 50", "    unit: users\n    target: {}")
    found = problems(src)
    assert found == [f"{CATALOG}:28:13: kpis[1].target.undecided: expected the required field 'undecided', "
                     "found nothing"]


def test_json_schema_accepts_undecided_and_refuses_other_words() -> None:
    catalog = json.loads((ROOT / "schema/catalog.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(catalog)
    kpi = {"id": "dau", "name": "DAU", "definition": "d"}
    assert validator.is_valid({"kpis": [{**kpi, "target": {"undecided": "DAU ◯人以上"}}]})
    assert validator.is_valid({"kpis": [{**kpi, "target": 50}]})
    assert not validator.is_valid({"kpis": [{**kpi, "target": "◯人以上"}]})
    assert not validator.is_valid({"kpis": [{**kpi, "target": {"undecided": "x", "value": 1}}]})
    roadmap = jsonschema.Draft202012Validator(
        json.loads((ROOT / "schema/roadmap.schema.json").read_text(encoding="utf-8")))
    base = {"id": "r", "title": "R", "product": "P", "personas": ["p"], "owner": "cs"}
    stage = {"id": "s", "name": "S", "state": "done"}
    cp = {"metric": "dau", "comparison": ">="}
    assert roadmap.is_valid({**base, "stages": [{**stage, "checkpoints": [{**cp, "value": {"undecided": "XX%"}}]}]})
    assert not roadmap.is_valid({**base, "stages": [{**stage, "checkpoints": [{**cp, "value": "XX%"}]}]})


# ------------------------------------------------------------------ 1. validate --stale


def _tabiji(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tabiji.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={**ENV, "TABIJI_TODAY": "2026-04-01"}, timeout=300)


def test_validate_stale_lists_undecided_values_as_located_notes(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    _undecided_mini(site / "journeys")
    result = _tabiji(site, "validate", "--stale", "journeys")
    assert result.returncode == 0, result.stderr  # notes never fail
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: ")]
    assert notes == [
        f"note: {CATALOG}:28:13: kpis[1].target: expected a number once it is decided, found undecided: "
        "'DAU ◯ users or more' (metric 'dau')",
        f"note: {ROADMAP}:27:48: stages[1].checkpoints[0].value: expected a number once it is decided, "
        "found undecided: 'most of the staff' (metric 'dau')",
        f"note: {ROADMAP}:55:54: actions[1].condition.value: expected a number once it is decided, "
        "found undecided: 'a few' (metric 'dau')",
    ]
    assert "3 targets not set yet" in result.stderr


def test_validate_stale_without_undecided_values_has_no_notes(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    result = _tabiji(site, "validate", "--stale", "journeys")
    assert result.returncode == 0, result.stderr
    assert "note:" not in result.stderr and "not set yet" not in result.stderr


# ------------------------------------------------------------------ 1. the site (en: mini, ja: example)


@pytest.fixture(scope="module")
def undecided_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_site("mini", tmp_path_factory.mktemp("undecided-en") / "mini")
    _undecided_mini(site / "journeys")
    return built(site)


def _words(html: str) -> str:
    """The page's words as a reader sees them: tags dropped without adding spaces."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


def _page(site: Path, rel: str) -> str:
    """The page's HTML without phrase breaks (<wbr>), which land between any two phrases."""
    return (site / rel).read_text(encoding="utf-8").replace("<wbr>", "")


def test_en_kpi_page_marks_the_target_not_set(undecided_en: Path) -> None:
    html = _page(undecided_en, "map/kpis/dau/index.html")
    assert re.search(r'<span class="tabiji-undecided"><strong>not set</strong> \(DAU ◯ users or more\)</span>', html)
    facts = html.split('<dl class="tabiji-facts">')[1].split("</dl>")[0]
    assert "<dt>Target</dt><dd><span class=\"tabiji-undecided\"><strong>not set</strong> (DAU ◯ users or more)" in facts
    assert "at least" not in _words(facts)  # the words carry the direction; nothing is added
    thresholds = _words(html.split("tabiji-thresholds")[1].split("</table>")[0])
    assert "Targetnot set (DAU ◯ users or more)KPI catalog" in thresholds
    assert "Daily active users ≥ not set (most of the staff) (within 30 days)" in thresholds
    assert "Daily active users < not set (a few) (after 14 days)" in thresholds
    assert "Daily active users ≥ 80" in thresholds  # a decided threshold keeps its number
    assert "50 users" not in _words(html)  # nothing invented


def test_en_metrics_page_lists_every_undecided_value(undecided_en: Path) -> None:
    html = _page(undecided_en, "map/metrics/index.html")
    assert 'id="undecided"' in html
    table = html.split('class="tabiji-table tabiji-undecided-list"')[1].split("</table>")[0]
    rows = [_words(r).strip() for r in table.split("<tr>")[2:]]
    assert len(rows) == 3
    assert rows[0].startswith("TargetDaily active usersnot set (DAU ◯ users or more)")
    assert rows[1].startswith("CheckpointDaily active usersnot set (most of the staff)Success roadmap › Daily use")
    assert rows[2].startswith("Guided-action conditionDaily active usersnot set (a few)Success roadmap › Daily use")
    # the SMART table marks it too, and a decided KPI still shows its number
    smart = _words(html.split('tabiji-metrics"')[1].split("</table>")[0])
    assert "not set (DAU ◯ users or more)" in smart and "80% or more" in smart


def test_en_roadmap_and_health_pages_mark_undecided_thresholds(undecided_en: Path) -> None:
    html = _page(undecided_en, "map/roadmaps/success/index.html")
    roadmap = _words(html)
    assert "≥ not set (most of the staff) (within 30 days)" in roadmap
    assert "< not set (a few) (after 14 days)" in roadmap
    swimlane = _words(html.split('class="tabiji-action-condition"')[2].split("</div>")[0])
    assert "Daily active users < not set (a few) (after 14 days)" in swimlane
    assert "not set users" not in roadmap  # no unit after the words
    health = _words(_page(undecided_en, "map/health/index.html"))
    assert "< not set (a few)" in health and "≥ 80" in health


def test_mini_without_undecided_has_no_undecided_section(tmp_path: Path) -> None:
    site = built(copy_site("mini", tmp_path / "mini"))
    html = (site / "map/metrics/index.html").read_text(encoding="utf-8")
    assert 'id="undecided"' not in html and "tabiji-undecided" not in html
    assert "50 users" in text_of((site / "map/kpis/dau/index.html").read_text(encoding="utf-8"))


def test_ja_example_marks_undecided_and_lists_it(example_built: Path) -> None:
    kpi = _page(example_built, "map/kpis/shift-feature-usage-rate/index.html")
    assert "<strong>未定</strong>（機能利用率 XX%以上）" in kpi
    metrics = _page(example_built, "map/metrics/index.html")
    assert 'id="undecided"' in metrics and "未定の目標値" in metrics
    listed = _words(metrics.split("tabiji-undecided-list")[1].split("</table>")[0])
    assert "機能利用率 XX%以上" in listed and "拠点の XX%以上" in listed
    assert "≥ 未定（拠点の XX%以上）" in _words(_page(example_built, "map/roadmaps/hoshiyomi-success/index.html"))
    svg = _words(_page(example_built, "map/roadmaps/hoshiyomi-success.svg"))  # the slide-ready drawing too
    assert "シフト管理機能利用率 ≥ 未定" in svg and "（拠点の XX%以上）" in svg
    assert "≥ 未定（拠点の XX%以上）" in _words(_page(example_built, "map/playbooks/hoshiyomi-success/index.html"))


# ------------------------------------------------------------------ 2. free facts (extra)

PERSONA = "journeys/personas/admin.yml"


def _extra_mini(journeys: Path) -> None:
    """The mini fixture with the writer's own facts on a persona and a department (order kept)."""
    with (journeys / "personas/admin.yml").open("a", encoding="utf-8") as f:
        f.write("extra:\n  Age: '45'\n  Tenure: {en: 12 years, ja: 勤続12年}\n  Access: '**admin** rights'\n")
    edit(journeys / "catalog/catalog.yml", "    owners: [CS team]\n",
         "    owners: [CS team]\n    extra:\n      Works with: Sales hands over the contract\n"
         "      <b>VoC</b>: Quarterly interviews\n")


def test_extra_facts_load_in_the_order_written(src: Path) -> None:
    _extra_mini(src)
    site = load_site(src)
    assert list(site.personas["admin"].extra.items()) == [
        ("Age", "45"), ("Tenure", {"en": "12 years", "ja": "勤続12年"}), ("Access", "**admin** rights")]
    assert list(site.departments["cs"].extra) == ["Works with", "<b>VoC</b>"]
    assert site.departments["sales"].extra == {}


@pytest.mark.parametrize("written, expected", [
    ('{"": x}', f"{PERSONA}:9:9: extra.: expected a label of one or more words (not empty), found ''"),
    ('{"  ": x}', f"{PERSONA}:9:9: extra.  : expected a label of one or more words (not empty), found '  '"),
    ("{Age: [a, b]}", f"{PERSONA}:9:14: extra.Age: expected text or a mapping, found a list"),
    ("[Age, Tenure]", f"{PERSONA}:9:8: extra: expected a mapping, found a list"),
    ("{Age: {japanese: x}}", f"{PERSONA}:9:15: extra.Age.japanese: expected a language code such as 'ja' or 'en', "
                             "found 'japanese'"),
])
def test_bad_extra_facts_are_located(src: Path, written: str, expected: str) -> None:
    with (src / "personas/admin.yml").open("a", encoding="utf-8") as f:
        f.write(f"extra: {written}\n")
    assert problems(src) == [expected]


def test_bad_department_extra_is_located(src: Path) -> None:
    edit(src / "catalog/catalog.yml", "    owners: [CS team]\n", "    owners: [CS team]\n    extra: {Role: [a]}\n")
    assert problems(src) == [f"{CATALOG}:5:19: departments[0].extra.Role: expected text or a mapping, found a list"]


def test_json_schema_knows_extra() -> None:
    persona = jsonschema.Draft202012Validator(
        json.loads((ROOT / "schema/persona.schema.json").read_text(encoding="utf-8")))
    assert persona.is_valid({"id": "p", "name": "P", "extra": {"年齢": "38歳", "VoC": {"ja": "a", "en": "b"}}})
    assert not persona.is_valid({"id": "p", "name": "P", "extra": {"年齢": ["38"]}})
    assert not persona.is_valid({"id": "p", "name": "P", "extra": {"": "x"}})
    catalog = jsonschema.Draft202012Validator(
        json.loads((ROOT / "schema/catalog.schema.json").read_text(encoding="utf-8")))
    assert catalog.is_valid({"departments": [{"id": "cs", "name": "CS", "extra": {"連携内容": "x"}}]})


@pytest.fixture(scope="module")
def extra_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_site("mini", tmp_path_factory.mktemp("extra-en") / "mini")
    _extra_mini(site / "journeys")
    return built(site)


def _dl(html: str) -> list[tuple[str, str]]:
    return [(unescape(k), v) for k, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html)]


def test_en_persona_card_shows_extra_facts_in_order(extra_en: Path) -> None:
    html = _page(extra_en, "map/personas/admin/index.html")
    card = html.split('class="tabiji-persona-card"')[1].split("</section>")[0]
    extra = card.split('id="extra"')[1]
    assert "<strong>More facts</strong>" in extra
    assert _dl(extra) == [("Age", "45"), ("Tenure", "12 years"), ("Access", "<strong>admin</strong> rights")]


def test_en_department_page_shows_extra_facts_escaped(extra_en: Path) -> None:
    html = _page(extra_en, "map/departments/cs/index.html")
    assert 'id="extra"' in html
    section = html.split('id="extra"')[1].split("</dl>")[0]
    assert _dl(section) == [("Works with", "Sales hands over the contract"), ("<b>VoC</b>", "Quarterly interviews")]
    assert "<dt>&lt;b&gt;VoC&lt;/b&gt;</dt>" in section  # a label is text, never markup
    assert 'id="extra"' not in _page(extra_en, "map/departments/sales/index.html")


def test_without_extra_the_pages_have_no_extra_block(undecided_en: Path) -> None:
    assert 'id="extra"' not in _page(undecided_en, "map/personas/admin/index.html")
    assert 'id="extra"' not in _page(undecided_en, "map/departments/cs/index.html")


def test_extra_facts_with_empty_text_only_show_no_empty_block(tmp_path: Path) -> None:
    site = copy_site("mini", tmp_path / "mini")
    with (site / "journeys/personas/admin.yml").open("a", encoding="utf-8") as f:
        f.write("extra: {Age: '', Tenure: ''}\n")
    html = (built(site) / "map/personas/admin/index.html").read_text(encoding="utf-8")
    assert 'id="extra"' not in html and "More facts" not in html


def test_ja_example_shows_extra_facts(example_built: Path) -> None:
    card = _page(example_built, "map/personas/hr-admin/index.html").split('class="tabiji-persona-card"')[1]
    extra = card.split("</section>")[0].split('id="extra"')[1]
    assert "<strong>その他の情報</strong>" in extra
    assert [k for k, _ in _dl(extra)] == ["年齢", "勤続年数", "ITへの習熟度"]
    dept = _page(example_built, "map/departments/cs/index.html").split('id="extra"')[1].split("</dl>")[0]
    assert [k for k, _ in _dl(dept)] == ["連携内容", "VoC活動例"]
    assert "四半期ごとの顧客インタビュー" in dept


def test_diff_names_each_extra_fact_and_an_undecided_target(tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(ROOT / "tests/fixtures/mini/journeys", base)
    head = tmp_path / "head"
    shutil.copytree(base, head)
    _extra_mini(head)
    edit(head / "catalog/catalog.yml", "    unit: users\n    target: 50",
         "    unit: users\n    target: {undecided: DAU ◯ or more}")
    result = _tabiji(tmp_path, "diff", "--base-folder", "base", "--head-folder", "head", "--lang", "en")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "extra[Age]" in out and "“45”" in out and "extra[Tenure]" in out
    assert "extra[<b>VoC</b>]" in out
    assert "50" in out and "undecided (DAU ◯ or more)" in out


# ------------------------------------------------------------------ 3. the health page: order and sections


def _health_mini(journeys: Path) -> None:
    """A trigger and a checkpoint on NPS in the first stage: by name it would come after
    'Daily active users' (stage 'use'); by the roadmap's order it comes first."""
    roadmap = journeys / "roadmaps/success.yml"
    edit(roadmap, "    phases: [onboarding/signup]\n",
         "    checkpoints:\n      - {metric: nps, comparison: \">=\", value: 30, label: Sponsor is a promoter}\n"
         "    phases: [onboarding/signup]\n")
    source, review = roadmap.read_text(encoding="utf-8").split("review_every:")
    roadmap.write_text(source + """\
  - id: detractor-call
    kind: challenge
    stage: start
    trigger: A detractor answered the survey.
    condition: {metric: nps, comparison: "<=", value: 6, unit: points}
    action: Book a meeting within two days.
    department: cs
review_every:""" + review, encoding="utf-8")


@pytest.fixture(scope="module")
def health_en(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = copy_site("mini", tmp_path_factory.mktemp("health-en") / "mini")
    _health_mini(site / "journeys")
    return built(site)


def test_health_triggers_and_checkpoints_are_separate_sections_in_stage_order(health_en: Path) -> None:
    html = _page(health_en, "map/health/index.html")
    triggers, rest = html.split('id="triggers"')[1].split('id="checkpoints"')
    checkpoints = rest.split('id="unmeasured"')[0]
    # metrics by their first trigger's stage (start before use), not by name
    assert re.findall(r'<h3 id="(metric-[a-z-]+)"', triggers) == ["metric-nps", "metric-dau"]
    dau = triggers.split('id="metric-dau"')[1]
    assert dau.index("#action-propose-options") < dau.index("#action-call-admin")  # as written
    assert "Checkpoint" not in _words(triggers.split("<h3")[1])  # no checkpoint among the triggers
    rows = [_words(r) for r in checkpoints.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]]
    assert rows == ["Success roadmap › StartSponsor is a promoter — NPS ≥ 30 points",
                    "Success roadmap › Daily useDaily active users ≥ 50 users (within 30 days)50 users or more"]
    assert "#action-" not in checkpoints


def test_ja_example_health_page_orders_by_stage(example_built: Path) -> None:
    from tabiji.render.conditions import health_candidates
    from tabiji.source.validate import load_site as load
    site = load(ROOT / "journeys")
    roadmap = site.roadmaps["hoshiyomi-success"]
    stage_of = {s.id: i for i, s in enumerate(roadmap.stages)}
    expected = []
    for stage in roadmap.stages:
        for action in roadmap.actions:
            if action.stage == stage.id and action.condition and action.condition.metric \
                    and action.condition.metric not in expected:  # an event has no metric
                expected.append(action.condition.metric)
    html = _page(example_built, "map/health/index.html")
    shown = re.findall(r'<h3 id="metric-([a-z0-9-]+)"', html)
    assert shown == expected and len(shown) >= 2
    assert "<h2 id=\"checkpoints\">チェックポイント（マイルストーン指標）" in html
    assert "<h2 id=\"triggers\">誘導アクションの条件" in html
    checkpoints = html.split('id="checkpoints"')[1].split('id="unmeasured"')[0]
    count = sum(1 for s in roadmap.stages for c in s.checkpoints if c.metric)  # an event has no metric to score
    assert checkpoints.count("<tr>") == count + 1  # + the header row
    stages = [stage_of[c.stage] for cs in health_candidates(site).values() for c in cs if c.action is None]
    assert len(stages) == count
