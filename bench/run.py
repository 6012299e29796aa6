#!/usr/bin/env python3
"""Tabiji benchmark: synthetic sites of N journeys, timed from validation to a full MkDocs build.

    python3 bench/run.py --sizes 100 1000 [--out results.json] [--repeat 1] [--profile]

For each N it generates a realistic Japanese site (seeded: the same N gives the same files),
then times ``tabiji validate`` (subprocess), the plugin's own work in-process (load_site,
build_index, build_pages), a full ``mkdocs build`` and a baseline ``mkdocs build`` of the same
Markdown written as ordinary files without the plugin. Nothing is asserted: it only reports.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import resource
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.resources import files as package_files
from pathlib import Path

import yaml

import tabiji
from tabiji import index as t_index
from tabiji import pages as t_pages
from tabiji import roadmap_pages as t_roadmap_pages
from tabiji import validate as t_validate
from tabiji.paths import Paths

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
PREFIX = "map"
LANG = "ja"

# ------------------------------------------------------------------ vocabulary

SUBJECTS = [
    "導入担当者が", "情報システム部の管理者が", "現場リーダーが", "経営層が", "新任の担当者が", "購買部門が",
    "エンドユーザーが", "CSマネージャーが", "営業担当が", "サポート窓口が", "プロジェクト責任者が",
    "部門長が", "利用者の一部が", "トライアル参加者が", "契約担当者が", "社内推進者が",
]
OBJECTS = [
    "オンボーディング資料を", "初期設定ガイドを", "利用状況レポートを", "ヘルススコアを", "契約更新の案内を",
    "ウェビナーの録画を", "ヘルプセンターの記事を", "チャットでの問い合わせ履歴を", "活用事例集を",
    "アカウント権限の設定を", "シングルサインオンの手順を", "データ移行のテンプレートを", "請求書の内容を",
    "新機能のリリースノートを", "定例ミーティングの議事録を", "KPIダッシュボードを", "社内向けの説明資料を",
    "見積書と提案書を", "セキュリティチェックシートを", "トレーニング動画を", "アンケートの回答を",
    "利用規約と料金表を", "API連携の仕様を", "テスト環境のアカウントを", "サクセスプランを",
]
VERBS = [
    "確認する", "読み込む", "社内で共有する", "比較検討する", "上長に説明する", "見直す", "設定する",
    "試してみる", "問い合わせる", "ダウンロードする", "活用しはじめる", "要望として伝える", "評価する",
    "定例で振り返る", "チームに展開する", "探している", "理解しようとする", "後回しにしている",
]
CLAUSES = [
    "期待どおりの効果が出るか不安がある", "社内の合意形成に時間がかかっている", "操作が直感的で安心した",
    "どこから手をつければよいか迷っている", "担当者の異動で引き継ぎが途切れた", "成果を数字で示したい",
    "他部署への展開を検討している", "サポートの回答が早くて助かった", "設定項目が多くて負担に感じる",
    "費用対効果を説明する材料が足りない", "利用率が伸び悩んでいる", "成功事例を参考にしたい",
    "更新時期が近づいている", "競合製品との違いが分かりにくい", "トレーニングの時間が確保できない",
    "権限の設計に悩んでいる", "データの移行に手間取っている", "定着の手応えを感じている",
    "問い合わせ先が分からない", "経営会議で報告する必要がある", "現場からの評価が高まっている",
    "想定外のエラーで作業が止まった", "新機能の価値を実感した", "アップセルの提案を受けた",
]
LINKS = ["。", "ため、", "ので、", "が、", "うえで、", "ところ、", "。その結果、", "。一方で、", "。そこで", "。まずは"]
PHASES = [
    "認知", "情報収集", "比較検討", "トライアル", "契約", "キックオフ", "初期設定", "オンボーディング",
    "利用開始", "活用", "定着", "効果測定", "拡大", "更新", "推奨",
]
STEP_NAMES = [
    "資料請求", "デモ参加", "見積依頼", "稟議", "アカウント発行", "データ移行", "権限設定", "研修受講",
    "初回ログイン", "定例会", "レポート確認", "問い合わせ", "機能追加", "社内展開", "更新交渉", "アンケート回答",
]
EMOTION_LABELS = {
    -2: ["強い不満", "失望", "苛立ち", "諦め"], -1: ["不安", "戸惑い", "面倒", "迷い", "疲れ"],
    0: ["様子見", "普通", "淡々", "半信半疑"], 1: ["期待", "安心", "納得", "前向き"],
    2: ["満足", "感動", "達成感", "信頼"],
}
DEPARTMENTS = [
    "カスタマーサクセス", "営業", "インサイドセールス", "マーケティング", "サポート", "プロダクト", "開発",
    "品質保証", "経理", "法務", "情報セキュリティ", "パートナー営業", "導入コンサルティング", "トレーニング",
    "事業企画", "経営企画", "人事", "広報", "データ分析", "インフラ", "デザイン", "ドキュメント",
    "コミュニティ", "アカウント管理", "プロフェッショナルサービス", "購買", "総務", "海外事業",
    "ソリューション", "リサーチ",
]
CHANNELS = [("email", "メール"), ("web-meeting", "Web会議"), ("in-product", "製品内メッセージ"),
            ("phone", "電話"), ("chat", "チャット"), ("event", "イベント・セミナー"), ("web", "Webサイト"),
            ("visit", "訪問")]
TP_BASES = ["ウェルカムメール", "キックオフ会議", "導入ガイド", "ヘルプセンター", "製品内ツアー", "定例会",
            "ユーザー会", "ウェビナー", "サポートチャット", "請求書", "更新案内", "NPSアンケート", "活用診断",
            "リリースノート", "トレーニング講座", "事例インタビュー", "電話サポート", "管理者向け通知",
            "営業提案", "ニュースレター"]
KPI_BASES = ["オンボーディング完了率", "初回価値到達日数", "週次アクティブ率", "ヘルススコア平均", "解約率",
             "更新率", "NPS", "問い合わせ解決時間", "機能利用率", "アップセル率", "研修受講率", "ログイン率",
             "サポート満足度", "自己解決率", "導入期間", "拡大率"]
SEGMENTS = [("enterprise", "エンタープライズ", "contract_size"), ("mid", "中堅企業", "contract_size"),
            ("smb", "中小企業", "contract_size"), ("manufacturing", "製造業", "industry"),
            ("retail", "小売業", "industry"), ("it", "IT・通信", "industry"), ("heavy", "ヘビーユーザー", "usage"),
            ("light", "ライトユーザー", "usage"), ("at-risk", "解約リスク", "health"),
            ("loyal", "ロイヤル顧客", "loyalty")]
SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田",
            "佐々木", "山口", "松本", "井上", "木村", "林", "清水", "斎藤"]
GIVEN = ["美咲", "健太", "陽子", "翔", "由美", "大輔", "彩", "拓也", "真理子", "誠", "恵", "亮", "花子", "直樹"]
STAGE_NAMES = ["トライアル", "オンボーディング", "運用定着", "価値実現"]
CUSTOMER_ROLES = [("secretariat", "事務局"), ("leader", "プロジェクトリーダー"), ("power-user", "パワーユーザー"),
                  ("decision-maker", "意思決定者"), ("admin", "管理者")]
GLOSSARY = [("オンボーディング", "おんぼーでぃんぐ"), ("ヘルススコア", "へるすすこあ"), ("チャーン", "ちゃーん"),
            ("アップセル", "あっぷせる"), ("タッチモデル", "たっちもでる"), ("NPS", "えぬぴーえす"),
            ("LTV", "えるてぃーぶい"), ("KPI", "けーぴーあい")]
ROLES = ["情報システム部 課長", "営業企画部 主任", "CS推進室 室長", "経営企画部 部長", "人事部 担当",
         "現場リーダー", "購買部 係長", "DX推進担当", "カスタマーサポート責任者", "代表取締役"]


class Words:
    """Deterministic Japanese text of a wanted length, from the phrase vocabulary."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def clause(self) -> str:
        r = self.rng
        if r.random() < 0.55:
            return r.choice(SUBJECTS) + r.choice(OBJECTS) + r.choice(VERBS)
        return r.choice(CLAUSES)

    def text(self, lo: int = 20, hi: int = 60) -> str:
        r = self.rng
        target = r.randint(lo, hi)
        out = self.clause()
        while len(out) < target:
            nxt = r.choice(LINKS) + self.clause()
            if len(out) + len(nxt) + 1 > hi:
                break
            out += nxt
        out = out[:hi]
        return out + "。" if len(out) < hi else out

    def cell(self, lo: int = 20, hi: int = 60) -> str | list[str]:
        if self.rng.random() < 0.2:
            return [self.text(lo, hi // 2 + 10), self.text(lo, hi // 2 + 10)]
        return self.text(lo, hi)


# ------------------------------------------------------------------ site generator


def _dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")


def site_config(with_plugin: bool) -> dict:
    plugins = ["search"] + (["tabiji"] if with_plugin else [])
    return {
        "site_name": "ベンチマーク用カスタマージャーニー",
        "site_url": "https://example.com/bench/",
        "theme": {"name": "material", "language": "ja", "font": False,
                  "features": ["navigation.indexes", "navigation.prune"]},
        "plugins": plugins,
    }


def generate_site(dest: Path, n: int) -> dict:
    """Writes a full site for ``n`` journeys into ``dest``; returns counts."""
    w = Words(seed=1000003 * n + 17)
    r = w.rng
    src = dest / "journeys"
    n_dept = min(n // 10 + 5, 30)
    n_tp, n_kpi = 50, 30
    n_persona = max(n // 5, 3)

    (dest / "docs").mkdir(parents=True, exist_ok=True)
    (dest / "docs" / "index.md").write_text(
        "# ベンチマーク\n\nこのサイトは `bench/run.py` が生成した合成データです。"
        "[カスタマージャーニー](map/index.md) をご覧ください。\n", encoding="utf-8")
    _dump(dest / "mkdocs.yml", site_config(with_plugin=True))

    depts = [{"id": f"d{i:02d}", "name": DEPARTMENTS[i % len(DEPARTMENTS)],
              "description": w.text(), "owners": [f"{r.choice(SURNAMES)} {r.choice(GIVEN)}" for _ in range(2)]}
             for i in range(n_dept)]
    dept_ids = [d["id"] for d in depts]
    channels = [{"id": cid, "name": name, "description": w.text()} for cid, name in CHANNELS]
    touchpoints = [{"id": f"tp{i:02d}", "name": f"{TP_BASES[i % len(TP_BASES)]}{'' if i < len(TP_BASES) else i // len(TP_BASES) + 1}",
                    "channel": r.choice(CHANNELS)[0], "owner": r.choice(dept_ids),
                    "touch_model": r.choice(["high", "low", "tech"]), "description": w.text()}
                   for i in range(n_tp)]
    tp_ids = [t["id"] for t in touchpoints]
    kpis = [{"id": f"k{i:02d}", "name": f"{KPI_BASES[i % len(KPI_BASES)]}{'' if i < len(KPI_BASES) else '（拡張）'}",
             "definition": w.text(40, 80), "unit": r.choice(["%", "日", "件", "点"]),
             "target": str(r.randint(10, 95)), "baseline": str(r.randint(5, 60)),
             "direction": r.choice(["at_least", "at_most"]),
             "deadline": f"20{r.randint(26, 28)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
             "owner": r.choice(dept_ids)} for i in range(n_kpi)]
    kpi_ids = [k["id"] for k in kpis]
    segments = [{"id": sid, "name": name, "axis": axis, "description": w.text()} for sid, name, axis in SEGMENTS]
    seg_ids = [s["id"] for s in segments]
    _dump(src / "catalog" / "departments.yml", {"departments": depts})
    _dump(src / "catalog" / "channels.yml", {"channels": channels})
    _dump(src / "catalog" / "touchpoints.yml", {"touchpoints": touchpoints})
    _dump(src / "catalog" / "kpis.yml", {"kpis": kpis})
    _dump(src / "catalog" / "segments.yml", {"segments": segments})
    roles = [{"id": rid, "name": name} for rid, name in CUSTOMER_ROLES]
    glossary = [{"id": f"g{i:02d}", "term": term, "reading": reading, "definition": w.text(40, 80)}
                for i, (term, reading) in enumerate(GLOSSARY)]
    _dump(src / "catalog" / "roles.yml", {"roles": roles, "glossary": glossary})

    persona_ids = []
    for i in range(n_persona):
        pid = f"p{i:04d}"
        persona_ids.append(pid)
        _dump(src / "personas" / f"{pid}.yml", {
            "id": pid, "name": f"{r.choice(SURNAMES)} {r.choice(GIVEN)}（{r.choice(ROLES)}・{i + 1}）",
            "role": r.choice(ROLES), "summary": w.text(40, 120),
            "company": {"industry": r.choice(["製造業", "小売業", "IT・通信", "金融", "医療", "物流"]),
                        "size": f"{r.randint(1, 50) * 100}名", "department": r.choice(DEPARTMENTS),
                        "department_size": f"{r.randint(3, 80)}名"},
            "decision_power": w.text(10, 30), "adoption_purpose": w.text(),
            "goals": [w.text() for _ in range(3)], "success_metrics": [w.text() for _ in range(2)],
            "kpis": r.sample(kpi_ids, 2), "challenges": [w.text() for _ in range(3)],
            "needs": [w.text() for _ in range(2)], "personality": w.text(), "hobbies": ["読書", "ランニング"],
            "lifestyle": w.text(), "information_sources": [w.text(10, 30) for _ in range(2)],
            "quote": w.text(), "segments": r.sample(seg_ids, 2), "tags": [r.choice(["決裁者", "利用者", "推進者"])],
        })

    cells_total = 0
    for i in range(n):
        jid = f"j{i:05d}"
        n_phases = r.choice([5, 6])
        names = sorted(r.sample(range(len(PHASES)), n_phases))
        phases, columns = [], []
        for pi, ni in enumerate(names):
            ph = {"id": f"ph{pi + 1}", "name": PHASES[ni], "goal": w.text(), "owners": r.sample(dept_ids, 1)}
            if r.random() < 0.3:
                ph["description"] = w.text(40, 120)
            if r.random() < 1 / 3:
                steps = []
                for si in range(r.choice([2, 3])):
                    st = {"id": f"ph{pi + 1}-s{si + 1}", "name": r.choice(STEP_NAMES)}
                    if r.random() < 0.5:
                        st["description"] = w.text()
                    steps.append(st)
                    columns.append(st["id"])
                ph["steps"] = steps
            else:
                columns.append(ph["id"])
            phases.append(ph)

        def text_lane(kind: str, fill: float) -> dict:
            return {"kind": kind, "cells": {c: w.cell() for c in columns if r.random() < fill}}

        def ref_lane(kind: str, ids: list[str], fill: float, most: int) -> dict:
            return {"kind": kind, "cells": {c: r.sample(ids, r.randint(1, most)) for c in columns if r.random() < fill}}

        emotions = {}
        for c in columns:
            score = r.randint(-2, 2)
            emotions[c] = {"score": str(score), "label": r.choice(EMOTION_LABELS[score]), "thought": w.text()}
        lanes = [
            text_lane("actions", 1.0),
            {"kind": "emotions", "cells": emotions},
            ref_lane("touchpoints", tp_ids, 0.9, 2),
            ref_lane("departments", dept_ids, 0.9, 2),
            text_lane("information", 0.85),
            text_lane("measures", 0.85),
            ref_lane("kpis", kpi_ids, 0.6, 1),
            text_lane("pain_points", 0.85),
        ]
        cells_total += sum(len(lane["cells"]) for lane in lanes)
        _dump(src / "maps" / f"{jid}.yml", {
            "id": jid,
            "title": f"{r.choice(SEGMENTS)[1]}の{phases[0]['name']}から{phases[-1]['name']}まで（{r.choice(SURNAMES)}案件 {i + 1}）",
            "personas": r.sample(persona_ids, r.choice([1, 1, 2])),
            "goal": w.text(), "owner": r.choice(dept_ids), "description": w.text(40, 160),
            "segments": r.sample(seg_ids, r.randint(0, 2)),
            "tags": r.sample(["オンボーディング", "更新", "拡大", "サポート", "エンタープライズ", "重点"], 2),
            "phases": phases, "lanes": lanes,
        })
    n_roadmaps = max(n // 10, 1)
    items = 0
    for i in range(n_roadmaps):
        items += _roadmap(src, w, i, persona_ids, seg_ids, dept_ids, kpi_ids, [r[0] for r in CUSTOMER_ROLES], n)
    return {"journeys": n, "personas": n_persona, "departments": n_dept, "touchpoints": n_tp, "kpis": n_kpi,
            "cells": cells_total, "roadmaps": n_roadmaps, "roadmap_tasks_and_actions": items}


def _roadmap(src: Path, w: Words, i: int, personas: list[str], segments: list[str], depts: list[str],
             kpis: list[str], roles: list[str], n_journeys: int) -> int:
    """One roadmap of 4 stages, each with 2 tasks per lane and 4 guided actions (3 measurable)."""
    r = w.rng
    stages, actions = [], []
    for si, name in enumerate(STAGE_NAMES):
        sid = f"s{si + 1}"
        journey = f"j{r.randrange(n_journeys):05d}"
        stages.append({
            "id": sid, "name": name, "state": w.text(20, 50),
            "checkpoints": [{"metric": r.choice(kpis), "comparison": ">=", "value": str(r.randint(10, 90)),
                             "window": f"{r.randint(1, 12)}か月以内"} for _ in range(2)],
            "phases": [journey, f"{journey}/ph1"],
            "tasks": {lane: [{"id": f"{sid}-{lane}-{k}", "name": w.text(10, 30), "department": r.choice(depts),
                              "role": r.choice(roles), "touch_model": r.choice(["high", "low", "tech"])}
                             for k in range(2)] for lane in ("joint", "customer", "ours")},
        })
        for k in range(4):
            action = {"id": f"{sid}-a{k}", "kind": "positive" if k % 2 == 0 else "challenge", "stage": sid,
                      "trigger": w.text(15, 40), "action": w.text(20, 50), "role": r.choice(roles),
                      "department": r.choice(depts), "touch_model": r.choice(["high", "low", "tech"])}
            if k < 3:
                action["condition"] = {"metric": r.choice(kpis), "comparison": r.choice([">=", "<="]),
                                       "value": str(r.randint(1, 95))}
            actions.append(action)
    _dump(src / "roadmaps" / f"r{i:04d}.yml", {
        "id": f"r{i:04d}", "title": f"サクセスロードマップ {i + 1}", "product": w.text(10, 20),
        "personas": r.sample(personas, 1), "segments": r.sample(segments, 1), "owner": r.choice(depts),
        "stages": stages, "actions": actions})
    return len(stages) * 6 + len(actions)


# ------------------------------------------------------------------ helpers


def _clear_caches() -> None:
    """Empty every lru_cache in tabiji, so each in-process run starts as cold as a fresh build."""
    for name, mod in list(sys.modules.items()):
        if name == "tabiji" or name.startswith("tabiji."):
            for obj in vars(mod).values():
                if callable(getattr(obj, "cache_clear", None)):
                    obj.cache_clear()


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _tabiji_cmd() -> list[str]:
    exe = shutil.which("tabiji")
    return [exe] if exe else [sys.executable, "-m", "tabiji.cli"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_validate_subprocess(src: Path, repeat: int) -> tuple[float, str]:
    times, out = [], ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        # From the site folder, as a writer runs it (validate also checks links in ./docs).
        res = subprocess.run(_tabiji_cmd() + ["validate", src.name], cwd=src.parent, capture_output=True,
                             text=True, env=ENV)
        times.append(time.perf_counter() - t0)
        if res.returncode != 0:
            raise SystemExit(f"tabiji validate failed ({res.returncode}):\n{res.stdout}\n{res.stderr[-3000:]}")
        out = res.stdout.strip()
    return _median(times), out


class _Timed:
    """Wraps a module-level function and sums the time spent in it (for the step split)."""

    def __init__(self, module, name: str):
        self.module, self.name, self.orig, self.total, self.calls = module, name, getattr(module, name), 0.0, 0

    def __enter__(self):
        orig = self.orig

        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return orig(*args, **kwargs)
            finally:
                self.total += time.perf_counter() - t0
                self.calls += 1

        setattr(self.module, self.name, wrapper)
        return self

    def __exit__(self, *exc):
        setattr(self.module, self.name, self.orig)


def plugin_work(src: Path):
    site = t_validate.load_site(src)
    index = t_index.build_index(site)
    generated = t_pages.build_pages(site, index, LANG, Paths(prefix=PREFIX))
    return site, index, generated


def time_in_process(src: Path, repeat: int) -> dict:
    """load_site alone, and load_site + build_index + build_pages split by step."""
    load_only, total, load, idx, render, cpu = [], [], [], [], [], []
    yaml_t, model_t, swim_t, svg_t, road_t = [], [], [], [], []
    generated = None
    for _ in range(repeat):
        _clear_caches()
        t0 = time.perf_counter()
        t_validate.load_site(src)
        load_only.append(time.perf_counter() - t0)
    for _ in range(repeat):
        _clear_caches()
        with _Timed(t_validate, "load_file") as tf, _Timed(t_validate, "build_site") as tb, \
                _Timed(t_pages, "render_swimlane") as ts, _Timed(t_pages, "render_svg") as tv, \
                _Timed(t_roadmap_pages, "build_roadmap_pages") as tr:
            c0 = time.process_time()
            t0 = time.perf_counter()
            site = t_validate.load_site(src)
            t1 = time.perf_counter()
            index = t_index.build_index(site)
            t2 = time.perf_counter()
            generated = t_pages.build_pages(site, index, LANG, Paths(prefix=PREFIX))
            t3 = time.perf_counter()
            cpu.append(time.process_time() - c0)
        load.append(t1 - t0)
        idx.append(t2 - t1)
        render.append(t3 - t2)
        total.append(t3 - t0)
        yaml_t.append(tf.total)
        model_t.append(tb.total)
        swim_t.append(ts.total)
        svg_t.append(tv.total)
        road_t.append(tr.total)
    return {
        "load_site_only_s": _median(load_only),
        "plugin_total_s": _median(total),
        "plugin_total_cpu_s": _median(cpu),
        "load_validate_s": _median(load),
        "load_yaml_s": _median(yaml_t),
        "load_build_site_s": _median(model_t),
        "index_s": _median(idx),
        "render_pages_s": _median(render),
        "render_swimlanes_s": _median(swim_t),
        "render_svgs_s": _median(svg_t),
        "render_roadmap_pages_s": _median(road_t),
    }, generated


def profile_in_process(src: Path, top: int = 25) -> str:
    _clear_caches()
    prof = cProfile.Profile()
    prof.enable()
    plugin_work(src)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


def mkdocs_build(site: Path, out: Path, repeat: int) -> tuple[float, float, str]:
    """Median wall time, median CPU time (user+sys of the child) and the build's output."""
    times, cpus, messages = [], [], ""
    for _ in range(repeat):
        if out.exists():
            shutil.rmtree(out)
        c0 = _children_cpu()
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(site / "mkdocs.yml"),
                              "-d", str(out)], cwd=site, capture_output=True, text=True, env=ENV)
        times.append(time.perf_counter() - t0)
        cpus.append(_children_cpu() - c0)
        if res.returncode != 0:
            raise SystemExit(f"mkdocs build failed in {site} ({res.returncode}):\n{res.stderr[-5000:]}")
        messages = (res.stdout + res.stderr).strip()
    return _median(times), _median(cpus), messages


# ------------------------------------------------------------------ baseline site


def _nav_yaml(node) -> dict | str:
    """A NavNode as an explicit MkDocs nav entry (a section's first child is its index page)."""
    if not node.children:
        return {node.title: node.doc}
    children = ([node.doc] if node.doc else []) + [_nav_yaml(c) for c in node.children]
    return {node.title: children}


def write_baseline(dest: Path, generated) -> None:
    docs = dest / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(
        "# ベンチマーク\n\nこのサイトは `bench/run.py` が生成した合成データです。"
        "[カスタマージャーニー](map/index.md) をご覧ください。\n", encoding="utf-8")
    for page in generated.pages:
        path = docs / page.doc
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, encoding="utf-8")
    for doc, text in generated.assets.items():
        path = docs / doc
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    css = "assets/tabiji/tabiji.css"
    (docs / css).parent.mkdir(parents=True, exist_ok=True)
    (docs / css).write_text((package_files("tabiji") / "assets" / "tabiji.css").read_text(encoding="utf-8"),
                            encoding="utf-8")
    config = site_config(with_plugin=False)
    config["extra_css"] = [css]
    config["markdown_extensions"] = ["attr_list", "toc"]  # what the plugin adds in on_config
    config["nav"] = ["index.md", _nav_yaml(generated.nav)]
    _dump(dest / "mkdocs.yml", config)


# ------------------------------------------------------------------ built output


def page_stats(site_dir: Path, url: str) -> dict:
    html_path = site_dir / url / "index.html"
    if not html_path.is_file():
        return {"html_bytes": None, "nav_items": None}
    html = html_path.read_text(encoding="utf-8")
    return {"html_bytes": len(html.encode("utf-8")),
            "nav_items": len(re.findall(r'<li class="md-nav__item[" ]', html))}


def dir_stats(site_dir: Path) -> dict:
    files = [p for p in site_dir.rglob("*") if p.is_file()]
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files),
            "html_pages": sum(1 for p in files if p.suffix == ".html")}


def _noise(messages: str) -> list[str]:
    return [line for line in messages.splitlines() if line.strip()]


# ------------------------------------------------------------------ main


def run_size(n: int, repeat: int, profile: bool, keep: Path | None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"tabiji-bench-{n}-")) if keep is None else keep / f"n{n}"
    try:
        site = tmp / "site-src"
        t0 = time.perf_counter()
        counts = generate_site(site, n)
        gen_s = time.perf_counter() - t0
        src = site / "journeys"
        print(f"[N={n}] generated {counts} in {gen_s:.1f}s at {tmp}", flush=True)

        validate_s, validate_out = time_validate_subprocess(src, repeat)
        print(f"[N={n}] tabiji validate: {validate_s:.2f}s ({validate_out})", flush=True)
        inproc, generated = time_in_process(src, repeat)
        print(f"[N={n}] plugin work in-process: {inproc['plugin_total_s']:.2f}s", flush=True)
        prof_text = profile_in_process(src) if profile else None

        full_s, full_cpu, full_msgs = mkdocs_build(site, tmp / "out-full", repeat)
        print(f"[N={n}] mkdocs build (tabiji): {full_s:.1f}s", flush=True)
        base = tmp / "baseline"
        write_baseline(base, generated)
        base_s, base_cpu, base_msgs = mkdocs_build(base, tmp / "out-base", repeat)
        print(f"[N={n}] mkdocs build (baseline): {base_s:.1f}s", flush=True)

        first = min(generated.assets)  # map/journeys/<id>.svg
        jid = Path(first).stem
        url = f"{PREFIX}/journeys/{jid}"
        journey_page = page_stats(tmp / "out-full", url)
        baseline_page = page_stats(tmp / "out-base", url)
        result = {
            "n": n, "counts": counts, "generate_s": gen_s,
            "generated_pages": len(generated.pages), "generated_svgs": len(generated.assets),
            "validate_subprocess_s": validate_s, "validate_output": validate_out,
            **inproc,
            "plugin_ms_per_journey": 1000 * inproc["plugin_total_s"] / n,
            "mkdocs_full_s": full_s, "mkdocs_baseline_s": base_s,
            "mkdocs_full_cpu_s": full_cpu, "mkdocs_baseline_cpu_s": base_cpu,
            "ratio_full_over_baseline": full_s / base_s if base_s else None,
            "ratio_full_over_baseline_cpu": full_cpu / base_cpu if base_cpu else None,
            "full_ms_per_journey": 1000 * full_s / n, "baseline_ms_per_journey": 1000 * base_s / n,
            "journey_page_url": url,
            "journey_page_html_bytes": journey_page["html_bytes"], "sidebar_nav_items": journey_page["nav_items"],
            "baseline_page_html_bytes": baseline_page["html_bytes"],
            "baseline_sidebar_nav_items": baseline_page["nav_items"],
            "site_full": dir_stats(tmp / "out-full"), "site_baseline": dir_stats(tmp / "out-base"),
            "build_messages_full": _noise(full_msgs), "build_messages_baseline": _noise(base_msgs),
        }
        if prof_text is not None:
            result["profile"] = prof_text
        return result
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


def _fmt(v, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def print_table(results: list[dict]) -> None:
    rows = [
        ("journeys (N)", "n", "d"),
        ("generated pages / SVGs", None, None),
        ("tabiji validate, subprocess [s]", "validate_subprocess_s", ".2f"),
        ("load_site alone, in-process [s]", "load_site_only_s", ".3f"),
        ("plugin work in-process [s]", "plugin_total_s", ".3f"),
        ("  CPU time [s]", "plugin_total_cpu_s", ".3f"),
        ("  per journey [ms] (target < 2)", "plugin_ms_per_journey", ".2f"),
        ("  load + validate [s]", "load_validate_s", ".3f"),
        ("    YAML read (load_file) [s]", "load_yaml_s", ".3f"),
        ("    models + refs (build_site) [s]", "load_build_site_s", ".3f"),
        ("  index [s]", "index_s", ".3f"),
        ("  render pages [s]", "render_pages_s", ".3f"),
        ("    swimlanes [s]", "render_swimlanes_s", ".3f"),
        ("    SVGs [s]", "render_svgs_s", ".3f"),
        ("    roadmap, playbook, health, start... [s]", "render_roadmap_pages_s", ".3f"),
        ("mkdocs build with tabiji [s]", "mkdocs_full_s", ".1f"),
        ("mkdocs build baseline [s]", "mkdocs_baseline_s", ".1f"),
        ("  CPU time, with tabiji / baseline [s]", None, None),
        ("ratio full / baseline (target <= 1.5)", "ratio_full_over_baseline", ".2f"),
        ("  same ratio in CPU time", "ratio_full_over_baseline_cpu", ".2f"),
        ("full build per journey [ms]", "full_ms_per_journey", ".1f"),
        ("baseline build per journey [ms]", "baseline_ms_per_journey", ".1f"),
        ("journey page HTML [KB]", "journey_page_html_bytes", None),
        ("  sidebar md-nav__item count", "sidebar_nav_items", "d"),
        ("baseline page HTML [KB]", "baseline_page_html_bytes", None),
        ("  baseline sidebar md-nav__item", "baseline_sidebar_nav_items", "d"),
        ("built site files (full)", None, None),
        ("build messages full / baseline", None, None),
    ]
    width = max(len(r[0]) for r in rows) + 2
    print()
    print("".ljust(width) + "".join(f"N={r['n']}".rjust(12) for r in results))
    for label, key, spec in rows:
        cells = []
        for r in results:
            if label.startswith("generated pages"):
                cells.append(f"{r['generated_pages']}/{r['generated_svgs']}")
            elif label.startswith("  CPU time, with"):
                cells.append(f"{r['mkdocs_full_cpu_s']:.0f}/{r['mkdocs_baseline_cpu_s']:.0f}")
            elif label.startswith("built site files"):
                cells.append(f"{r['site_full']['files']}")
            elif label.startswith("build messages"):
                cells.append(f"{len(r['build_messages_full'])}/{len(r['build_messages_baseline'])}")
            elif key and key.endswith("html_bytes"):
                cells.append(_fmt(r[key] / 1024 if r[key] is not None else None, ".1f"))
            else:
                cells.append(_fmt(r.get(key), spec))
        print(label.ljust(width) + "".join(c.rjust(12) for c in cells))
    if len(results) > 1:
        a, b = results[0], results[-1]
        print()
        print(f"growth N={a['n']} -> N={b['n']} ({b['n'] / a['n']:.0f}x journeys): "
              f"full build {b['mkdocs_full_s'] / a['mkdocs_full_s']:.1f}x time, per journey "
              f"{a['full_ms_per_journey']:.1f} -> {b['full_ms_per_journey']:.1f} ms; "
              f"baseline {b['mkdocs_baseline_s'] / a['mkdocs_baseline_s']:.1f}x; plugin work "
              f"{a['plugin_ms_per_journey']:.2f} -> {b['plugin_ms_per_journey']:.2f} ms/journey")
    for r in results:
        for kind in ("full", "baseline"):
            msgs = r[f"build_messages_{kind}"]
            if msgs:
                print(f"\n[N={r['n']}] mkdocs build ({kind}) printed {len(msgs)} line(s), first ones:")
                for line in msgs[:10]:
                    print("   " + line[:300])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000], help="numbers of journeys")
    ap.add_argument("--repeat", type=int, default=1, help="runs per timing; the median is reported")
    ap.add_argument("--out", type=Path, help="write the results as JSON here")
    ap.add_argument("--profile", action="store_true",
                    help="print the top 25 functions (cumulative) of the in-process plugin work")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it (default: a temp folder)")
    args = ap.parse_args(argv)

    # Warm up imports and first-call setup on the tiny fixture, so N is timed, not import.
    plugin_work(MINI / "journeys")
    results = []
    for n in args.sizes:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
        res = run_size(n, max(1, args.repeat), args.profile, args.keep)
        results.append(res)
        if args.profile:
            print(f"\n[N={n}] profile of load_site + build_index + build_pages (top 25, cumulative):")
            print(res["profile"])
    print_table(results)
    if args.out:
        meta = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
                "tabiji": getattr(tabiji, "__version__", None), "repeat": args.repeat}
        args.out.write_text(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=2),
                            encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
