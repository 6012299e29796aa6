"""tabiji import / export (plugins/tabiji/exchange): spreadsheets in, grids, Mermaid, JSON and
CS-platform CSV out, each output opened by its own reader; the round trip on every example."""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import ROOT, copy_site
from sheets import team_csv, team_xlsx
from tabiji.core import model as m
from tabiji.cli import main
from tabiji.source.validate import load_site

EXAMPLE = load_site(ROOT / "journeys")
JOURNEYS = sorted(EXAMPLE.journeys)
MMDC = ROOT / "tools/mermaid/node_modules/.bin/mmdc"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = copy_site("example", tmp_path / "site")
    return folder


def run(site: Path, *args: str, env: dict | None = None):
    """The CLI in the site's folder, as a user runs it; never a traceback."""
    old = Path.cwd()
    os.chdir(site)
    try:
        result = CliRunner().invoke(main, list(args), env=env or {})
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def export(site: Path, kind: str, id_: str, fmt: str, out: Path | None = None, *extra: str):
    args = ["export", kind, id_, "--format", fmt, *extra] + (["-o", str(out)] if out else [])
    result = run(site, *args)
    assert result.exit_code == 0, result.output
    return result


def import_(site: Path, file: Path, out: Path, *extra: str):
    return run(site, "import", str(file), "-o", str(out), *extra)


def loaded(site: Path, file: Path) -> m.Journey:
    """The imported file validated with the whole site, as 'tabiji validate' does."""
    target = site / "journeys/maps" / file.name
    if file != target:
        shutil.copy(file, target)
    return load_site(site / "journeys").journeys[yaml.safe_load(target.read_text(encoding="utf-8"))["id"]]


# Fields the sheet formats do not carry: none. A field listed here is left out of the round
# trip's comparison; the full journey below sets every field, so a dropped one fails.
NOT_IN_SHEETS: set[str] = set()
JOURNEY_NOT_IN_SHEETS: set[str] = set()


def same_journey(a: m.Journey, b: m.Journey) -> None:
    """Field by field: phases, steps, lanes and every cell (in order), then the journey's own fields."""
    assert [p.id for p in a.phases] == [p.id for p in b.phases]
    skip = {**{f: True for f in NOT_IN_SHEETS}, "steps": {"__all__": NOT_IN_SHEETS}}
    for pa, pb in zip(a.phases, b.phases):
        assert pa.model_dump(exclude=skip) == pb.model_dump(exclude=skip), pa.id
    assert [(lane.kind, lane.title) for lane in a.lanes] == [(lane.kind, lane.title) for lane in b.lanes]
    for la, lb in zip(a.lanes, b.lanes):
        assert list(la.cells) == list(lb.cells), la.kind
        for key in la.cells:
            assert la.cells[key] == lb.cells[key], (la.kind, key)
        lane_skip = NOT_IN_SHEETS | {"cells"}
        assert la.model_dump(exclude=lane_skip) == lb.model_dump(exclude=lane_skip), la.kind
    for name in m.Journey.model_fields:
        if name not in JOURNEY_NOT_IN_SHEETS:
            assert getattr(a, name) == getattr(b, name), name


# ------------------------------------------------------------------ round trip


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("jid", JOURNEYS)
def test_round_trip_gives_the_same_journey(site: Path, tmp_path: Path, jid: str, fmt: str) -> None:
    sheet = tmp_path / f"{jid}.{fmt}"
    export(site, "journey", jid, fmt, sheet)
    out = site / "journeys/maps" / f"{jid}.yml"
    result = import_(site, sheet, out, "--force")  # over the original: the same journey comes back
    assert result.exit_code == 0, result.output
    same_journey(EXAMPLE.journeys[jid], loaded(site, out))


def test_xlsx_is_the_grid_with_merged_phases_a_score_row_and_a_chart(site: Path, tmp_path: Path) -> None:
    journey = EXAMPLE.journeys["onboarding"]
    export(site, "journey", "onboarding", "xlsx", tmp_path / "o.xlsx")
    ws = load_workbook(tmp_path / "o.xlsx").active
    labels = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    phase_row = labels.index("フェーズ") + 1
    merged = {str(r) for r in ws.merged_cells.ranges if r.min_row == phase_row}
    widths = [max(1, len(p.steps)) for p in journey.phases]
    assert len(merged) == sum(1 for w in widths if w > 1)
    assert ws.cell(row=phase_row, column=2).value == journey.phases[0].name["ja"]
    scores = [ws.cell(row=labels.index("感情スコア") + 1, column=c).value for c in range(2, sum(widths) + 2)]
    assert all(isinstance(s, int) and -2 <= s <= 2 for s in scores if s is not None)
    emotions = next(lane for lane in journey.lanes if lane.kind == "emotions")
    assert [s for s in scores if s is not None] == [e.score for e in emotions.cells.values()]
    assert len(ws._charts) == 1
    for lane_label in ("行動", "タッチポイント", "ペインポイント", "リスクの兆候と対応"):
        assert lane_label in labels


def test_exports_are_byte_identical_twice(site: Path, tmp_path: Path) -> None:
    for fmt in ("xlsx", "csv", "mermaid", "json"):
        export(site, "journey", "adoption", fmt, tmp_path / f"a.{fmt}")
        export(site, "journey", "adoption", fmt, tmp_path / f"b.{fmt}", "--force")
        assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes(), fmt


# ------------------------------------------------------------------ a team's spreadsheet


def _team_journey(site: Path, file: Path) -> tuple[m.Journey, str]:
    out = site / "journeys/maps/team.yml"
    result = import_(site, file, out)
    assert result.exit_code == 0, result.output
    return loaded(site, out), out.read_text(encoding="utf-8")


@pytest.mark.parametrize("form", ["xlsx", "xls", "ods", "cp932", "utf-8-sig", "utf-8"])
def test_a_teams_sheet_imports_as_a_valid_journey(site: Path, tmp_path: Path, form: str) -> None:
    if form == "xlsx":
        file = team_xlsx(tmp_path / "チーム.xlsx")
    elif form in ("xls", "ods"):  # saved by LibreOffice from the same sheet (tests/fixtures/sheets/README.md)
        file = shutil.copy(ROOT / f"tests/fixtures/sheets/team.{form}", tmp_path / f"team.{form}")
    else:
        file = team_csv(tmp_path / "team.csv", form)
    if form == "cp932":
        with pytest.raises(UnicodeDecodeError):
            file.read_bytes().decode("utf-8")  # really Shift_JIS, not UTF-8 by accident
    journey, text = _team_journey(site, file)
    assert text.startswith("# yaml-language-server: $schema=../../schema/journey.schema.json\n")
    assert [p.name for p in journey.phases] == ["導入準備", "初期設定", "本稼働"]
    assert [[s.name for s in p.steps] for p in journey.phases] == [["キックオフ", "ヒアリング"],
                                                                   ["就業規則の設定", "テスト打刻"], []]
    assert [p.goal for p in journey.phases] == ["導入計画に合意", "設定完了", "全社員が打刻"]
    assert journey.title == "オンボーディング\u3000カスタマージャーニーマップ（2026年版）"
    assert journey.personas == ["hr-admin"] and journey.owner == "onboarding"
    kinds = [lane.kind for lane in journey.lanes]
    assert kinds == ["actions", "emotions", "touchpoints", "departments", "kpis", "pain_points", "text"]
    lanes = {lane.kind: lane for lane in journey.lanes}
    cols = [s.id for p in journey.phases for s in p.steps] + [journey.phases[2].id]
    emotions = lanes["emotions"].cells
    assert [emotions[c].score for c in cols] == [1, -1, -2, 0, 2]
    assert [emotions[c].label for c in cols] == ["期待", "負担", "混乱", "半信半疑", "安心"]
    assert lanes["actions"].cells[cols[0]] == ["目的を共有する", "体制を決める"]
    assert lanes["touchpoints"].cells[cols[2]] == ["setup-checklist", "help-center"]
    assert lanes["departments"].cells[cols[0]] == ["sales", "onboarding"]
    assert lanes["pain_points"].cells == {cols[1]: "記入項目が多い", cols[2]: "例外が多すぎる"}  # '－' is nothing
    assert lanes["text"].title == "社内メモ"
    # the KPI merged over the whole 初期設定 phase is the phase's cell; CSV keeps it in the first column
    kpi_key = journey.phases[1].id if form in ("xlsx", "xls") else cols[2]
    assert lanes["kpis"].cells[kpi_key] == ["onboarding-completion-rate"]
    assert "# guessed: the sheet has no ゴール row" in text
    assert "'社内メモ' is not a lane kind" in text


def test_guesses_are_comments_beside_the_values(site: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "guess.csv"
    sheet.write_text("フェーズ,認知,検討,契約\n行動,知る,比べる,決める\n気持ち,わくわく,不安,😊\n"
                     "満足度,,,\n接点,製品サイト,謎のイベント,\n", encoding="utf-8")
    out = site / "journeys/maps/guess.yml"
    result = import_(site, sheet, out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    journey = loaded(site, out)
    emotions = next(lane for lane in journey.lanes if lane.kind == "emotions").cells
    assert [e.score for e in emotions.values()] == [1, -1, 1]  # from the words, each marked
    assert text.count("guessed: score from the word") == 3
    # one name the catalog does not know: the lane keeps its texts and says why
    tp = next(lane for lane in journey.lanes if lane.title == "接点")
    assert tp.kind == "text" and "謎のイベント" in text and "not in the catalog's touchpoints" in text


def test_scores_on_a_one_to_five_scale_are_mapped(site: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "five.csv"
    sheet.write_text("フェーズ,A,B,C\n行動,a,b,c\n感情,1,3,5\n", encoding="utf-8")
    out = site / "journeys/maps/five.yml"
    assert import_(site, sheet, out).exit_code == 0
    emotions = next(lane for lane in loaded(site, out).lanes if lane.kind == "emotions").cells
    assert [e.score for e in emotions.values()] == [-2, 0, 2]
    assert "on the sheet's scale" in out.read_text(encoding="utf-8")


def test_never_overwrites_without_force(site: Path, tmp_path: Path) -> None:
    sheet = team_xlsx(tmp_path / "t.xlsx")
    target = site / "journeys/maps/onboarding.yml"
    before = target.read_bytes()
    result = import_(site, sheet, target)
    assert result.exit_code == 1 and "--force" in result.output
    assert target.read_bytes() == before
    export(site, "journey", "onboarding", "csv", tmp_path / "x.csv")
    result = run(site, "export", "journey", "onboarding", "--format", "csv", "-o", str(tmp_path / "x.csv"))
    assert result.exit_code == 1 and "--force" in result.output


@pytest.mark.parametrize("name,content,expected", [
    ("map.numbers", b"junk", "expected a .xlsx, .xls, .ods or .csv file, found '.numbers' (save it as .xlsx"),
    ("old.xls", b"\xd0\xcf\x11\xe0junk", "old.xls: expected a spreadsheet calamine can read"),
    ("broken.xlsx", b"PK\x03\x04 not a workbook", "broken.xlsx: expected an Excel workbook (.xlsx)"),
    ("bytes.csv", "フェーズ,A\n".encode("utf-8") + b"\x82\xff\xfe", "expected text in UTF-8 or Shift_JIS (CP932)"),
    ("empty.csv", b"\n\n", "expected a sheet with a journey"),
    ("nophase.csv", "行動\n感情\n".encode("utf-8"), "cell A1: expected a row of phases"),
    ("badscore.csv", "フェーズ,A,B\n行動,a,b\n感情スコア,1,たくさん\n".encode("utf-8"),
     "cell C3: expected an emotion score"),
])
def test_bad_sheets_give_located_errors(site: Path, tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    file = tmp_path / name
    file.write_bytes(content)
    out = tmp_path / "out.yml"
    result = import_(site, file, out)
    assert result.exit_code == 1
    assert expected in result.output, result.output
    assert name in result.output
    assert not out.exists()


def test_a_workbook_with_a_sheet_named_locates_errors_by_sheet(site: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.title = "マップ"
    for row in (["フェーズ", "A", "B"], ["行動", "a", "b"], ["感情スコア", "1", "?"]):
        wb.active.append(row)
    wb.save(tmp_path / "w.xlsx")
    result = import_(site, tmp_path / "w.xlsx", tmp_path / "o.yml")
    assert "w.xlsx: sheet 'マップ', cell C3: expected an emotion score" in result.output
    assert run(site, "import", str(tmp_path / "w.xlsx"), "--sheet", "なし").exit_code == 1


# ------------------------------------------------------------------ Mermaid

TASK = re.compile(r"^    [^:;#`\n]+: [1-5]: [^:;#`\n]+$")


def grammar_problems(text: str) -> list[str]:
    """Our own check of Mermaid's journey grammar (comments, journey, title, section, tasks)."""
    problems = []
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("%%")]
    if not lines or lines[0] != "journey":
        problems.append("first statement is not 'journey'")
    seen_section = False
    for line in lines[1:]:
        if line.startswith("  title ") and not seen_section:
            continue
        if re.fullmatch(r"  section [^:;#`]+", line):
            seen_section = True
            continue
        if seen_section and TASK.match(line):
            continue
        problems.append(line)
    return problems


@pytest.mark.parametrize("jid", JOURNEYS)
def test_mermaid_is_a_journey_with_scores_1_to_5_and_personas(site: Path, jid: str) -> None:
    text = export(site, "journey", jid, "mermaid").output
    journey = EXAMPLE.journeys[jid]
    assert grammar_problems(text) == []
    assert "%% Lossy" in text
    assert text.count("\n  section ") == len(journey.phases)
    emotions = next(lane for lane in journey.lanes if lane.kind == "emotions").cells
    tasks = [line for line in text.splitlines() if TASK.match(line)]
    assert len(tasks) == sum(max(1, len(p.steps)) for p in journey.phases)
    cols = [c for p in journey.phases for c in ([s.id for s in p.steps] or [p.id])]
    assert [int(t.split(": ")[1]) for t in tasks] == [emotions[c].score + 3 if c in emotions else 3 for c in cols]
    persona = EXAMPLE.personas[journey.personas[0]].name["ja"]
    assert all(persona in t for t in tasks)


def test_mermaid_text_cannot_break_the_grammar_or_the_fence() -> None:
    from tabiji.exchange.export_mermaid import to_mermaid
    journey = EXAMPLE.journeys["acquisition"].model_copy(update={
        "title": "a: b; c # d ```x``` %% e <img src=x onerror=alert(1)>", "phases": [m.Phase(id="p", name="x:y\nz;`")]})
    journey = journey.model_copy(update={"lanes": [m.TextLane(kind="actions", cells={"p": "a"}),
                                                   m.EmotionLane(kind="emotions", cells={})]})
    text = to_mermaid(journey, EXAMPLE, "ja")
    assert grammar_problems(text) == [] and "```" not in text and "<" not in text


def _mmdc(src: Path, out: Path) -> subprocess.CompletedProcess:
    config = out.parent / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": "/usr/bin/chromium", "args": ["--no-sandbox", "--disable-gpu"]}))
    return subprocess.run([str(MMDC), "-p", str(config), "-i", str(src), "-o", str(out), "-q"],
                          capture_output=True, text=True)


@pytest.mark.browser
@pytest.mark.skipif(not MMDC.exists() or not Path("/usr/bin/chromium").exists(),
                    reason="Mermaid's renderer (tools/mermaid, npm) or Chromium missing; the grammar check above ran")
def test_mermaid_renders_with_mermaids_own_renderer(site: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.mmd"
    broken.write_text("journey\n  section A\n    task without score\n", encoding="utf-8")
    assert _mmdc(broken, tmp_path / "broken.svg").returncode != 0  # the renderer does reject bad input
    for jid in JOURNEYS:
        src = tmp_path / f"{jid}.mmd"
        src.write_text(export(site, "journey", jid, "mermaid").output, encoding="utf-8")
        done = _mmdc(src, tmp_path / f"{jid}.svg")
        assert done.returncode == 0, done.stderr
        svg = (tmp_path / f"{jid}.svg").read_text(encoding="utf-8")
        for phase in EXAMPLE.journeys[jid].phases:
            assert phase.name["ja"] in svg


def test_the_diff_comment_embeds_the_changed_journey_as_mermaid(site: Path) -> None:
    base = site.parent / "base"
    shutil.copytree(site / "journeys", base)
    path = site / "journeys/maps/adoption.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("score: -2", "score: -1", 1), encoding="utf-8")
    result = run(site, "diff", "--base-folder", str(base), "--format", "md", "--lang", "ja")
    assert result.exit_code == 0, result.output
    block = result.output.split("```mermaid\n")[1].split("```")[0]
    assert grammar_problems(block) == [] and "journey 'adoption'" in block
    assert result.output.count("```mermaid") == 1
    assert "```mermaid" not in run(site, "diff", "--base-folder", str(base), "--format", "text").output


# ------------------------------------------------------------------ JSON and CS platforms


@pytest.mark.parametrize("kind,id_", [("journey", j) for j in JOURNEYS] + [("roadmap", "hoshiyomi-success")])
def test_json_is_the_validated_model_against_its_published_schema(site: Path, kind: str, id_: str) -> None:
    import jsonschema
    from tabiji.exchange.export_json import schema_text
    schema = json.loads((ROOT / "schema/export.schema.json").read_text(encoding="utf-8"))
    assert schema == json.loads(schema_text())  # the committed schema is the model's
    data = json.loads(export(site, kind, id_, "json").output)
    jsonschema.validate(data, schema)
    assert data["schema"] == "tabiji-export/1" and data["kind"] == kind
    doc = EXAMPLE.journeys[id_] if kind == "journey" else EXAMPLE.roadmaps[id_]
    cls = m.Journey if kind == "journey" else m.Roadmap
    assert cls.model_validate(data[kind]) == doc  # nothing lost, nothing added
    assert {p["id"] for p in data["catalog"]["personas"]} == set(doc.personas)
    # every catalog entry the document names comes along whole (extra facts too)
    for coll, entries in data["catalog"].items():
        for entry in entries:
            assert type(getattr(EXAMPLE, coll)[entry["id"]]).model_validate(entry) == getattr(EXAMPLE, coll)[entry["id"]]
    named = {e["id"] for e in data["catalog"]["departments"]}
    if kind == "journey":
        assert set(doc.kpis) <= {e["id"] for e in data["catalog"]["kpis"]}
    else:
        partners = {d for s in doc.stages for lane in m.TASK_LANES for t in getattr(s.tasks, lane) for d in t.partners}
        partners |= {d for a in doc.actions for d in a.partners}
        assert partners and partners <= named


def test_the_json_round_trip_covers_issue_13s_roadmap_fields() -> None:
    """The example roadmap has every form the JSON test above compares: a change and an event
    condition, a task's checkpoint, partners, one task order, checkpoint evidence, undecided
    values; and catalog entries with extra facts (so that comparison cannot pass empty)."""
    roadmap = EXAMPLE.roadmaps["hoshiyomi-success"]
    conds = [c for s in roadmap.stages for c in s.checkpoints] + [a.condition for a in roadmap.actions if a.condition]
    assert any(c.change for c in conds) and any(c.event for c in conds) and any(c.happened is False for c in conds)
    checkpoints = [c for s in roadmap.stages for c in s.checkpoints]
    assert any(c.task for c in checkpoints) and any(c.evidence for c in checkpoints)
    assert any(m.task_order(s) for s in roadmap.stages)
    tasks = [t for s in roadmap.stages for lane in m.TASK_LANES for t in getattr(s.tasks, lane)]
    assert any(t.partners for t in tasks) or any(a.partners for a in roadmap.actions)
    assert any(a.stage is None for a in roadmap.actions)
    assert any(p.extra for p in EXAMPLE.personas.values()) and any(d.extra for d in EXAMPLE.departments.values())


def test_cs_platform_csv_lists_actions_and_health_score_candidates(site: Path, tmp_path: Path) -> None:
    from tabiji.render.conditions import health_candidates
    out = tmp_path / "cs.csv"
    export(site, "roadmap", "hoshiyomi-success", "csv", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens Japanese UTF-8 CSV only with a BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    roadmap = EXAMPLE.roadmaps["hoshiyomi-success"]
    actions = [r for r in rows if r["record_type"] == "guided_action"]
    assert [r["id"] for r in actions] == [a.id for a in roadmap.actions]
    for row, action in zip(actions, roadmap.actions):
        assert row["kind"] == ("opportunity" if action.kind == "positive" else "risk")
        if action.condition and action.condition.comparison:  # a measure (a change or an event has none)
            assert row["metric"] == action.condition.metric and row["comparison"] == action.condition.comparison
            assert float(row["value"]) == action.condition.value
        elif action.condition and action.condition.change:  # a change: its direction where the comparison goes
            assert row["metric"] == action.condition.metric and row["comparison"] == action.condition.change
        elif action.condition:  # an event: happened or not, no metric
            assert row["metric"] == "" and row["comparison"] in ("happened", "not_happened")
        assert row["partner_departments"] == "; ".join(EXAMPLE.departments[d].name["ja"] for d in action.partners)
    assert any(r["partner_departments"] for r in actions)
    health = [r for r in rows if r["record_type"] == "health_score"]
    expected = sum(len([c for c in cs if c.roadmap == roadmap.id]) for cs in health_candidates(EXAMPLE).values())
    assert len(health) == expected > 0
    checkpoints = {(st.id, c.metric): c for st in roadmap.stages for c in st.checkpoints if c.metric}
    flagged = 0
    for row in health:
        cp = checkpoints.get((row["stage"], row["metric"])) if row["kind"] == "checkpoint" else None
        statuses = "; ".join(dict.fromkeys(e.status for e in cp.evidence)) if cp is not None else ""
        assert row["evidence_status"] == statuses, row
        flagged += statuses == "hypothesis"
    assert flagged, "the example's 初回月次締めまでの日数 checkpoint is a hypothesis"
    assert all(r["evidence_status"] == r["evidence_source"] == "" for r in actions)
    cp932 = tmp_path / "cs-sjis.csv"
    export(site, "playbook", "hoshiyomi-success", "csv", cp932, "--encoding", "cp932")
    assert cp932.read_bytes().decode("cp932").splitlines()[1:] == raw.decode("utf-8-sig").splitlines()[1:]


# ------------------------------------------------------------------ the command line


def test_formats_a_kind_cannot_have_are_refused(site: Path, tmp_path: Path) -> None:
    result = run(site, "export", "playbook", "hoshiyomi-success", "--format", "mermaid")
    assert result.exit_code == 2 and "not available for a playbook" in result.output
    result = run(site, "export", "journey", "onboarding", "--format", "xlsx")
    assert result.exit_code == 2 and "-o FILE.xlsx" in result.output
    result = run(site, "export", "journey", "onbording", "--format", "csv")
    assert result.exit_code == 2 and "did you mean 'onboarding'" in result.output


@pytest.mark.parametrize("lang,words", [("ja", ["表計算で描いたジャーニー", "上書きしません"]),
                                        ("en", ["journey drawn in a spreadsheet", "never overwrites"])])
def test_help_follows_the_language(lang: str, words: list[str]) -> None:
    for command, word in (["import", words[0]], ["export", "ジャーニー・ロードマップ" if lang == "ja" else "roadmap"]):
        done = subprocess.run([str(Path(os.sys.executable).parent / "tabiji"), command, "--help"],
                              capture_output=True, text=True, env={**os.environ, "TABIJI_LANG": lang}, cwd=ROOT)
        assert done.returncode == 0
        assert word in done.stdout, done.stdout


def test_a_sheet_with_a_margin_a_score_row_and_thoughts(site: Path, tmp_path: Path) -> None:
    """The grid starts in column B and row 4; scores 1–5 in their own row; 心の声 are thoughts."""
    sheet = tmp_path / "margin.csv"
    sheet.write_text(",,,,,\n,オンボーディングマップ,,,,\n,,,,,\n,,導入準備,,初期設定,運用開始\n"
                     ",,キックオフ,ヒアリング,設定,\n,顧客の行動,目的を共有,シート記入,設定する,使い始める\n"
                     ",顧客の感情,ワクワク,面倒,不安,ホッとした\n,スコア,4,2,1,5\n"
                     ",心の声,早く使いたい,項目が多い,合ってる？,やっと\n", encoding="utf-8-sig")
    out = site / "journeys/maps/margin.yml"
    assert import_(site, sheet, out).exit_code == 0
    journey = loaded(site, out)
    assert journey.title == "オンボーディングマップ"
    assert [[s.name for s in p.steps] for p in journey.phases] == [["キックオフ", "ヒアリング"], ["設定"], []]
    emotions = next(lane for lane in journey.lanes if lane.kind == "emotions").cells
    assert [(e.score, e.label, e.thought) for e in emotions.values()] == [
        (1, "ワクワク", "早く使いたい"), (-1, "面倒", "項目が多い"), (-2, "不安", "合ってる？"), (2, "ホッとした", "やっと")]


def test_an_english_sheet_with_names_merged_down(site: Path, tmp_path: Path) -> None:
    """Phases without steps merged down over the step row; a lane name merged over two rows."""
    from openpyxl import Workbook
    wb = Workbook()
    for row in (["Phase", "Awareness", "Trial", "", "Contract"], ["", "", "Setup", "Pilot", ""],
                ["Feelings", "worried", "confused", "hopeful", "relieved"], ["", "-1", "-1", "1", "2"],
                ["Our measures", "Webinar", "Setup help", "Usage check", "Handover"], ["", "Case studies", "", "", ""],
                ["Customer actions", "Learns", "Sets up", "Tries", "Signs"]):
        wb.active.append(row)
    for rng in ("C1:D1", "B1:B2", "E1:E2", "A3:A4", "A5:A6"):
        wb.active.merge_cells(rng)
    wb.save(tmp_path / "english.xlsx")
    out = site / "journeys/maps/english.yml"
    assert import_(site, tmp_path / "english.xlsx", out, "--lang", "en").exit_code == 0
    journey = loaded(site, out)
    assert [p.id for p in journey.phases] == ["awareness", "trial", "contract"]  # Latin names make ids
    assert [s.id for s in journey.phases[1].steps] == ["setup", "pilot"] and not journey.phases[0].steps
    lanes = {lane.kind: lane for lane in journey.lanes}
    assert [e.score for e in lanes["emotions"].cells.values()] == [-1, -1, 1, 2]
    assert lanes["measures"].cells["awareness"] == ["Webinar", "Case studies"]
    assert lanes["actions"].cells["contract"] == "Signs"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_of_lane_titles_like_kinds_and_partial_translations(tmp_path: Path, fmt: str) -> None:
    """A text lane titled like a kind (課題), a kind with its own title, a list whose items are
    translated only in part, a phase-wide cell, an emotion without label: all come back."""
    from tabiji.exchange.export_grid import to_csv, to_xlsx
    from tabiji.exchange.importing import import_file
    base = EXAMPLE.journeys["acquisition"]
    lanes = list(base.lanes) + [
        m.TextLane(kind="text", title="課題", cells={"trial": "試用が長い"}),
        m.TextLane(kind="gain_points", title={"ja": "現場の声", "en": "Voices"},
                   cells={"research": ["比較しやすい", {"ja": "安い", "en": "Cheap"}]}),
    ]
    lanes = [lane for lane in lanes if lane.kind != "gain_points" or lane.title]
    # a phase with one step whose cell is the phase's: xlsx says so in a note; CSV cannot
    phases = list(base.phases) + [m.Phase(id="handover", name="引き継ぎ", steps=[m.Step(id="memo", name="メモ")])]
    if fmt == "xlsx":
        lanes.append(m.TextLane(kind="text", title="フェーズ全体", cells={"handover": "引き継ぎ全体の注意"}))
    emotions = next(i for i, lane in enumerate(lanes) if lane.kind == "emotions")
    lanes[emotions] = m.EmotionLane(kind="emotions", cells={**lanes[emotions].cells, "awareness": m.Emotion(score=0)})
    journey = base.model_copy(update={"lanes": lanes, "phases": phases})
    file = tmp_path / f"j.{fmt}"
    if fmt == "xlsx":
        file.write_bytes(to_xlsx(journey, EXAMPLE, "ja"))
    else:
        file.write_text(to_csv(journey, EXAMPLE, "ja"), encoding="utf-8")
    result = import_file(file, str(file), EXAMPLE, ROOT / "journeys", "ja")
    assert result.problems == []
    back = m.Journey.model_validate(yaml.safe_load(result.text))
    same_journey(journey, back)


def test_everyday_lane_names_and_a_thought_row_above_the_feelings(site: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "words.csv"
    sheet.write_text("フェーズ,認知,検討,契約\nゴール,知ってもらう,比べてもらう,契約してもらう\n"
                     "お客様の行動,記事を読む,資料を比べる,稟議を通す\n顧客の思考,うちも危ない?,違いがわからない,やっと決まった\n"
                     "顧客の感情,不安 -1,迷い 0,安心 +2\n課題・ペインポイント,,比較しにくい,\n改善施策,ウェビナー,事例集,\n",
                     encoding="utf-8")
    out = site / "journeys/maps/words.yml"
    assert import_(site, sheet, out).exit_code == 0
    journey = loaded(site, out)
    assert [p.goal for p in journey.phases] == ["知ってもらう", "比べてもらう", "契約してもらう"]
    lanes = {lane.kind: lane for lane in journey.lanes}
    assert sorted(lanes) == ["actions", "emotions", "measures", "pain_points"]
    assert [(e.score, e.label, e.thought) for e in lanes["emotions"].cells.values()] == [
        (-1, "不安", "うちも危ない?"), (0, "迷い", "違いがわからない"), (2, "安心", "やっと決まった")]
    assert lanes["pain_points"].title is None and lanes["measures"].title is None


def test_roadmap_workbook_has_one_sheet_per_journey_each_importable(site: Path, tmp_path: Path) -> None:
    from tabiji.exchange.export_slides import roadmap_journeys
    roadmap = EXAMPLE.roadmaps["hoshiyomi-success"]
    book = tmp_path / "roadmap.xlsx"
    export(site, "roadmap", roadmap.id, "xlsx", book)
    names = load_workbook(book).sheetnames
    order = roadmap_journeys(roadmap, EXAMPLE)
    assert names == [EXAMPLE.journeys[j].title["ja"][:31] for j in order] and len(order) == len(EXAMPLE.journeys)
    for name, jid in zip(names, order):
        out = site / "journeys/maps" / f"{jid}.yml"
        assert import_(site, book, out, "--sheet", name, "--force").exit_code == 0
        same_journey(EXAMPLE.journeys[jid], loaded(site, out))


def test_an_import_that_clashes_with_another_journey_says_so(site: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "onboarding.xlsx"
    export(site, "journey", "onboarding", "xlsx", sheet)
    result = import_(site, sheet, site / "journeys/maps/copy.yml")  # its ID row says 'onboarding'
    assert result.exit_code == 1
    assert "copy.yml" in result.output and "already used at" in result.output


WORDS_IN_CELLS = ["フェーズ", "ステップ", "行動", "感情", "スコア", "思考", "タッチポイント", "担当", "KPI", "課題",
                  "ゴール", "ペルソナ", "列ID", "期待 +1", "不安(-2)", "3", "－", "・a\n・b", "[en]", "メモ：課題",
                  "キックオフミーティング", "営業", "x", "Awareness", "p/q", "p", "タイトル", "ID", "a:b",
                  "😊", "1\n2", "", "", "", "\u3000",
                  # issue 13's rows and cells
                  "根拠", "種類：インタビュー", "状態：検証済み\n出典：聞き取り", "日付：2026-02-30", "担当者・チーム",
                  "営業：担当", "フェーズの戻る先", "ステップの戻るとき", "ゴールのKPI", "順番", "DAU率", "担当部署"]


def test_any_grid_imports_or_gives_located_problems(tmp_path: Path) -> None:
    """Random grids of the words a sheet holds: a journey that validates, or located problems;
    never an exception of ours."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from tabiji.exchange.grid import Sheet
    from tabiji.exchange.import_sheet import SheetErrors, parse_sheet
    from tabiji.exchange.importing import check
    from tabiji.exchange.yaml_out import to_yaml

    cells = st.sampled_from(WORDS_IN_CELLS)
    grids = st.lists(st.lists(cells, min_size=1, max_size=6), min_size=1, max_size=9)

    @settings(max_examples=400, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(grids)
    def one(rows: list[list[str]]) -> None:
        try:
            imported = parse_sheet(Sheet("s", [list(r) for r in rows]), "g.csv", EXAMPLE, "ja", "g")
        except SheetErrors as err:
            assert err.problems and all("g.csv" in str(p) for p in err.problems)
            return
        text = to_yaml(imported, "../../schema/journey.schema.json", "g.csv")
        assert check(text, "g.yml", ROOT / "journeys", imported.data["id"]) == [], text

    one()


def test_stars_and_a_phase_label_merged_over_the_step_row(site: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook
    wb = Workbook()
    for row in (["フェーズ", "検討", "", "導入"], ["", "比較", "商談", ""], ["行動", "調べる", "聞く", "使う"],
                ["満足度", "★★☆☆☆", "★★★★☆", "★★★★★"]):
        wb.active.append(row)
    for rng in ("A1:A2", "B1:C1", "D1:D2"):
        wb.active.merge_cells(rng)
    wb.save(tmp_path / "stars.xlsx")
    out = site / "journeys/maps/stars.yml"
    assert import_(site, tmp_path / "stars.xlsx", out).exit_code == 0
    journey = loaded(site, out)
    assert [[s.name for s in p.steps] for p in journey.phases] == [["比較", "商談"], []]
    emotions = next(lane for lane in journey.lanes if lane.kind == "emotions").cells
    assert [e.score for e in emotions.values()] == [-1, 1, 2]  # two, four and five stars of five


def test_a_numbering_column_before_the_lane_names(site: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "numbered.csv"
    sheet.write_text("No.,フェーズ,認知,契約\n1,行動,知る,決める\n2,感情,不安 -1,安心 +1\n", encoding="utf-8")
    out = site / "journeys/maps/numbered.yml"
    assert import_(site, sheet, out).exit_code == 0
    journey = loaded(site, out)
    assert [p.name for p in journey.phases] == ["認知", "契約"]
    assert [lane.kind for lane in journey.lanes] == ["actions", "emotions"]


# ------------------------------------------------------------------ issue 13's fields in sheets


def _full_journey() -> m.Journey:
    """The acquisition journey with every field the model has set at least once: loops on a
    phase and a step (with translations), goal KPIs, order, people (translated) and evidence
    of every shape (several per cell, translated source, url, note) on a text, a ref and the
    emotion lane, on a step's cell and a phase-wide cell."""
    base = EXAMPLE.journeys["acquisition"]
    phases = list(base.phases)
    phases[2] = phases[2].model_copy(update={
        "returns_to": "consideration", "returns_when": {"ja": "比較表が足りないとき", "en": "When the comparison is thin"},
        "description": "試用の期間は2週間"})
    trial = phases[2]
    trial = trial.model_copy(update={"steps": [trial.steps[0], trial.steps[1].model_copy(update={
        "returns_to": "trial-setup", "returns_when": "設定をやり直すとき", "description": "試用の本番"})]})
    phases[2] = trial
    evidence = {
        "research": [m.Evidence(kind="interview", source={"ja": "導入企業5社の聞き取り", "en": "Five customers"},
                                date="2026-04-20", status="verified", url="https://example.com/r?a=1",
                                note="役職ごとに\n差がある"),
                     m.Evidence(kind="analytics", source="アクセスログ")],
        "contract": [m.Evidence(kind="support_tickets", note={"ja": "確かめる", "en": "To check"})],
    }
    lanes = []
    for lane in base.lanes:
        if lane.kind == "actions":
            lane = lane.model_copy(update={"evidence": evidence})
        elif lane.kind == "emotions":
            lane = lane.model_copy(update={"title": {"ja": "気持ち", "en": "Feelings"}, "evidence": {
                "trial-use": [m.Evidence(kind="survey", status="hypothesis", date="2026-01-02")]}})
        lanes.append(lane)
    depts = next((i for i, lane in enumerate(lanes) if lane.kind == "departments"), None)
    if depts is None:
        lanes.append(m.RefLane(kind="departments", cells={}))
        depts = len(lanes) - 1
    cells = {**lanes[depts].cells, "research": ["sales", "marketing"], "decision": ["sales"]}
    lanes[depts] = lanes[depts].model_copy(update={
        "cells": cells, "title": "担当", "evidence": {"decision": [m.Evidence(kind="workshop")]},
        "people": {"research": {"sales": {"ja": "インサイドセールス", "en": "Inside sales"}, "marketing": "広報"},
                   "decision": {"sales": "担当営業"}}})
    return base.model_copy(update={"phases": phases, "lanes": lanes, "kpis": ["trial-conversion-rate"], "order": 3,
                                   "segments": base.segments or [], "review_every": "3m",
                                   "last_reviewed": datetime.date(2026, 5, 1)})


def _every_field_set(journey: m.Journey) -> set[str]:
    """The model fields (class.field) the journey never sets to anything but the default."""
    seen: dict[str, bool] = {}

    def walk(obj) -> None:
        if isinstance(obj, m.Strict):
            for name, info in type(obj).model_fields.items():
                value = getattr(obj, name)
                key = f"{type(obj).__name__}.{name}"
                default = info.default_factory() if info.default_factory else info.default
                seen[key] = seen.get(key, False) or value != default
                walk(value)
        elif isinstance(obj, dict):
            for v in obj.values():
                walk(v)
        elif isinstance(obj, list):
            for v in obj:
                walk(v)
    walk(journey)
    return {k for k, v in seen.items() if not v}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_of_a_journey_with_every_field(tmp_path: Path, fmt: str, lang: str) -> None:
    from tabiji.exchange.export_grid import to_csv, to_xlsx
    from tabiji.exchange.importing import import_file
    journey = m.Journey.model_validate(_full_journey().model_dump())
    # every field of every part is set here: a field the model gains fails this line until the
    # fixture sets it, and then the round trip below fails until the sheets carry it
    assert _every_field_set(journey) == set()
    file = tmp_path / f"j.{fmt}"
    if fmt == "xlsx":
        file.write_bytes(to_xlsx(journey, EXAMPLE, lang))
    else:
        file.write_text(to_csv(journey, EXAMPLE, lang), encoding="utf-8")
    result = import_file(file, str(file), EXAMPLE, ROOT / "journeys", lang)
    assert result.problems == [], result.text
    back = m.Journey.model_validate(yaml.safe_load(result.text))
    same_journey(journey, back)
    assert back.lanes[0].evidence["research"][0].url == "https://example.com/r?a=1"


def test_the_new_rows_are_named_in_the_sheets_language(tmp_path: Path) -> None:
    from tabiji.exchange.export_grid import to_csv
    journey = _full_journey()
    for lang, words in (("ja", ["ゴールのKPI", "順番", "フェーズの戻る先", "フェーズの戻るとき", "ステップの戻る先",
                                "ステップの戻るとき", "担当者・チーム", "根拠"]),
                        ("en", ["Goal KPIs", "Order", "Phase goes back to", "Phase goes back when",
                                "Step goes back to", "Step goes back when", "People and teams", "Evidence"])):
        rows = list(csv.reader(io.StringIO(to_csv(journey, EXAMPLE, lang))))
        labels = [r[0] for r in rows]
        assert all(w in labels for w in words), (lang, labels)
        cells = [c for r in rows for c in r]
        # loops by the target's name, people and evidence as readable lines
        assert any(c == ("情報収集・比較検討" if lang == "ja" else "Consideration") for c in rows[labels.index(words[2])])
        assert any(("インタビュー" if lang == "ja" else "Interview") in c for c in cells)
        assert any(c.startswith("営業：" if lang == "ja" else "Sales: ") for c in cells), cells


@pytest.mark.parametrize("row,expected", [
    (["根拠", "種類：インタビユー", "", ""], "cell B4: expected the evidence's 種類 to be one of"),
    (["根拠", "", "日付：2026-13-40", ""], "cell C4: expected the evidence's 日付 as YYYY-MM-DD"),
    (["根拠", "", "", "出展：社内資料\n状態：仮説"], "cell D4: expected an evidence field"),
    (["根拠", "URL：javascript:alert(1)", "", ""], "cell B4: expected the evidence's URL"),
    (["フェーズの戻る先", "", "契約", ""], "cell C4: expected an earlier phase or step to go back to"),
    (["フェーズの戻るとき", "", "", "もう一度"], "cell D4: expected a 戻る先"),
])
def test_bad_evidence_cells_are_located(site: Path, tmp_path: Path, row: list[str], expected: str) -> None:
    sheet = tmp_path / "ev.csv"
    rows = [["フェーズ", "認知", "検討", "契約"], ["行動", "知る", "比べる", "決める"], ["感情", "期待 +1", "不安 -1", "安心 +1"], row]
    if "戻る" in row[0]:  # a header row, below the phases: on row 4 as well
        rows = [rows[0], ["フェーズのゴール", "a", "b", "c"], ["フェーズの説明", "d", "", ""], row, *rows[1:3]]
    with sheet.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    result = import_(site, sheet, tmp_path / "ev.yml")
    assert result.exit_code == 1 and expected in result.output, result.output
    assert "ev.csv" in result.output and not (tmp_path / "ev.yml").exists()


def test_bad_loops_people_and_kpis_are_located_with_the_closest(site: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    with sheet.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([
            ["ゴールのKPI", "試用転換率x"], ["順番", "三"], [],
            ["フェーズ", "認知", "検討", "契約"], ["フェーズの戻る先", "", "", "検討する"],
            ["行動", "知る", "比べる", "決める"], ["担当部署", "営業", "営業", "営業"],
            ["担当者・チーム", "マーケティング：広報", "営業：担当", "営業"]])
    result = import_(site, sheet, tmp_path / "bad.yml")
    out = result.output
    assert result.exit_code == 1, out
    assert "cell B1: expected KPI names or ids of the catalog" in out and "closest:" in out
    assert "cell B2: expected the journey's order as a whole number" in out
    assert "cell D5: expected the name or id of a phase or step" in out and "検討 = " in out
    assert "cell B8: expected 'department：people' for a department of this column's cell (sales)" in out
    assert "cell D8: expected 'department：people', found '営業' without people" in out
    assert "cell C8" not in out


def test_a_teams_evidence_row_of_plain_words_is_the_source(site: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "plain.csv"
    sheet.write_text("フェーズ,認知,検討\n行動,知る,比べる\n根拠,2026年4月の顧客インタビュー,\n"
                     "感情,期待 +1,不安 -1\n根拠,,\"種類：アンケート\n状態：検証済み\n出典：導入時アンケート\n\n種類：分析\"\n",
                     encoding="utf-8")
    out = site / "journeys/maps/plain.yml"
    result = import_(site, sheet, out)
    assert result.exit_code == 0, result.output
    lanes = {lane.kind: lane for lane in loaded(site, out).lanes}
    (ev,) = lanes["actions"].evidence[next(iter(lanes["actions"].cells))]
    assert ev.source == "2026年4月の顧客インタビュー" and ev.status == "hypothesis" and ev.kind is None
    survey, logs = next(iter(lanes["emotions"].evidence.values()))
    assert (survey.kind, survey.status, survey.source) == ("survey", "verified", "導入時アンケート")
    assert logs.kind == "analytics"


def test_the_json_catalog_has_goal_kpis_and_partner_departments() -> None:
    import copy
    from tabiji.exchange.export_json import to_json
    site = copy.copy(EXAMPLE)
    journey = EXAMPLE.journeys["acquisition"]
    unused = next(k for k in sorted(EXAMPLE.kpis) if not any(k in ids for lane in journey.lanes if lane.kind == "kpis"
                                                           for ids in lane.cells.values()))
    site.journeys = {**EXAMPLE.journeys, "acquisition": journey.model_copy(update={"kpis": [unused]})}
    roadmap = EXAMPLE.roadmaps["hoshiyomi-success"]
    partner = "legal"  # a department nothing else in the roadmap names
    site.departments = {**EXAMPLE.departments, partner: m.Department(id=partner, name="法務")}
    action = roadmap.actions[0].model_copy(update={"partners": [partner]})
    site.roadmaps = {**EXAMPLE.roadmaps, roadmap.id: roadmap.model_copy(update={"actions": [action, *roadmap.actions[1:]]})}
    assert unused in {k["id"] for k in json.loads(to_json("journey", "acquisition", site))["catalog"]["kpis"]}
    assert partner in {d["id"] for d in json.loads(to_json("roadmap", roadmap.id, site))["catalog"]["departments"]}


def test_the_json_catalog_carries_the_sites_rungs_of_its_kpis_in_ladder_order() -> None:
    from tabiji.exchange.export_json import to_json
    data = json.loads(to_json("roadmap", "hoshiyomi-success", EXAMPLE))
    used = {k["rung"] for k in data["catalog"]["kpis"] if k.get("rung")}
    assert used, "the example's checkpoint KPIs sit on rungs"
    rungs = [r["id"] for r in data["catalog"]["ladder"]]
    assert set(rungs) == used
    assert rungs == [r for r in EXAMPLE.ladder if r in used]  # bottom rung first, as the catalog writes it
    assert data["catalog"]["ladder"][0] == EXAMPLE.ladder[rungs[0]].model_dump(mode="json", exclude_none=True)


def test_the_guides_evidence_cell_reads_as_written() -> None:
    from tabiji.exchange.cells import read_evidence
    guide = (ROOT / "docs/guide/writing.md").read_text(encoding="utf-8")
    section = guide[guide.index("### 表に書ける項目"):]
    start = section.index("```text\n") + 8
    cell = section[start:section.index("\n```", start)]
    [evidence], problems = read_evidence(cell, "ja")
    assert problems == []
    assert m.Evidence.model_validate(evidence) == m.Evidence(
        kind="interview", status="verified", date="2026-04-20", source="2026年4月 導入企業5社の人事担当者インタビュー",
        url="https://example.com/interviews", note="役職によって受け止め方が違う")
    for spelled in ("2026/4/20", "2026年4月20日"):
        assert read_evidence(f"日付：{spelled}", "ja")[0] == [{"date": "2026-04-20"}]
    # English words, a translated source, and a URL in a note that is not a field
    [en], problems = read_evidence("Kind: Support tickets\nStatus: Hypothesis\nSource: Q1 review\nSource [ja]: 第1四半期\n"
                                   "Note: see\nhttps://example.com/x", "en")
    assert problems == [] and en == {"kind": "support_tickets", "status": "hypothesis",
                                     "source": {"en": "Q1 review", "ja": "第1四半期"}, "note": "see\nhttps://example.com/x"}


def test_evidence_below_a_score_only_emotion_row_is_the_emotions(site: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "scores.csv"
    sheet.write_text("フェーズ,認知,検討\n行動,知る,比べる\n感情スコア,1,-1\n根拠,,種類：アンケート\n", encoding="utf-8")
    out = site / "journeys/maps/scores.yml"
    result = import_(site, sheet, out)
    assert result.exit_code == 0, result.output
    lanes = {lane.kind: lane for lane in loaded(site, out).lanes}
    assert not lanes["actions"].evidence
    assert [e.kind for evs in lanes["emotions"].evidence.values() for e in evs] == ["survey"]
