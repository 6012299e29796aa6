"""Synthetic Tabiji sites for the benchmark, built as git repositories with history, and the
small-page floor: a plain Material site with the same pages and navigation shape.

Everything is seeded: the same N gives the same files, the same commits (fixed authors and
dates) and the same floor.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
from pathlib import Path

import yaml

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
EN_SUBJECTS = ["The admin", "The project lead", "A new user", "The CS manager", "The sponsor", "Support",
               "The trial team", "The buyer"]
EN_VERBS = ["reviews", "shares", "sets up", "asks about", "compares", "downloads", "signs off", "postpones"]
EN_OBJECTS = ["the onboarding checklist", "the SSO settings", "the usage report", "the renewal quote",
              "the health score", "the API guide", "the training video", "the success plan"]
EMPHASIS = ["重要", "要注意", "期限あり", "Must", "ボトルネック"]
LINK_TEXTS = ["ヘルプ記事", "手順書", "FAQ", "release notes", "活用事例"]
CODE_WORDS = ["SSO", "admin", "CSV", "api_key", "SAML", "webhook"]
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

    def english(self) -> str:
        r = self.rng
        return f"{r.choice(EN_SUBJECTS)} {r.choice(EN_VERBS)} {r.choice(EN_OBJECTS)}."

    def markdown(self) -> str:
        """Japanese or English text with the Markdown writers use in cells: bold, a link,
        inline code, a list."""
        r = self.rng
        kind = r.randrange(5)
        if kind == 0:
            return f"**{r.choice(EMPHASIS)}**: {self.text(15, 40)}"
        if kind == 1:
            return f"{self.text(10, 30)}（[{r.choice(LINK_TEXTS)}](https://example.com/help/{r.randrange(1000)})）"
        if kind == 2:
            return f"{r.choice(SUBJECTS)}`{r.choice(CODE_WORDS)}` の設定を{r.choice(VERBS)}"
        if kind == 3:
            return "\n".join(f"- {self.text(10, 25)}" for _ in range(r.choice([2, 3])))
        return f"{self.english()} See **{r.choice(EN_OBJECTS)}** and `{r.choice(CODE_WORDS)}`."

    def description(self) -> str:
        """A journey's description: a paragraph, sometimes with a second one in English and a list."""
        if self.rng.random() < 0.7:
            return self.text(40, 160)
        return f"{self.text(40, 120)}\n\n{self.english()}\n\n" + "\n".join(
            f"- {self.markdown() if i == 0 else self.text(10, 30)}" for i in range(3)) + "\n"

    def cell(self, lo: int = 20, hi: int = 60) -> str | list[str] | dict[str, str]:
        """A lane cell: mostly plain Japanese; some Markdown, some English, some in both
        languages, some two items."""
        r = self.rng.random()
        if r < 0.15:
            return [self.text(lo, hi // 2 + 10), self.text(lo, hi // 2 + 10)]
        if r < 0.30:
            return self.markdown()
        if r < 0.37:
            return self.english()
        if r < 0.45:
            return {"ja": self.text(lo, hi), "en": self.english()}
        return self.text(lo, hi)


# ------------------------------------------------------------------ site generator


def _dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")


def site_config(with_plugin: bool) -> dict:
    # The synthetic map breaks the logic rules (tabiji check) thousands of times, which a real map
    # does not: their findings are off, so the build is not timed writing 2,000 warnings.
    plugins = ["search"] + ([{"tabiji": {"checks": {"default": "off"}}}] if with_plugin else [])
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
            "goal": w.text(), "owner": r.choice(dept_ids), "description": w.description(),
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



# ------------------------------------------------------------------ git history

# Fixed identities and dates: the same N gives the same commit ids.
COMMITTER = ["-c", "user.name=Tabiji Bench", "-c", "user.email=bench@example.com",
             "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", "-c", "init.defaultBranch=main"]
DATES = ["2026-01-05T10:00:00+09:00", "2026-02-02T10:00:00+09:00", "2026-03-02T10:00:00+09:00",
         "2026-04-06T10:00:00+09:00"]
IGNORED = ["/site/", "/mkdocs.shape.yml", "/.cache/"]


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "TZ": "UTC"})
    if date:
        env.update({"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date})
    res = subprocess.run(["git", *COMMITTER, *args], cwd=repo, env=env, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed in {repo}: {res.stderr.strip()}")
    return res.stdout


def edit_journey(path: Path, text: str) -> str:
    """Replaces the first actions cell of a journey file with ``text``; returns the cell's column."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cells = data["lanes"][0]["cells"]
    column = next(iter(cells))
    cells[column] = text
    _dump(path, data)
    return column


def make_history(dest: Path, n: int) -> dict:
    """Commits the generated site in four steps: everything; edits to about 5% of the journeys;
    a journey file renamed (its id kept); one journey's edit (the last two commits differ in one
    journey, for ``tabiji diff HEAD~1 HEAD``)."""
    w = Words(seed=7919 * n + 3)
    maps = dest / "journeys" / "maps"
    (dest / ".gitignore").write_text("\n".join(IGNORED) + "\n", encoding="utf-8")
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", f"Initial map: {n} journeys", date=DATES[0])

    step = max(n // max(n // 20, 1), 1)
    edited = [f"j{i:05d}" for i in range(1 % n, n, step)][: max(n // 20, 1)]
    for jid in edited:
        edit_journey(maps / f"{jid}.yml", w.markdown())
    git(dest, "commit", "-q", "-am", f"Edit {len(edited)} journeys", date=DATES[1])

    old = f"j{n - 1:05d}"
    new = f"{old}-renamed"
    git(dest, "mv", f"journeys/maps/{old}.yml", f"journeys/maps/{new}.yml")
    git(dest, "commit", "-q", "-m", f"Rename {old}.yml", date=DATES[2])

    last = "j00000"
    edit_journey(maps / f"{last}.yml", w.text(30, 60))
    git(dest, "commit", "-q", "-am", f"Edit {last}", date=DATES[3])
    return {"commits": len(DATES), "edited": edited, "renamed": [f"{old}.yml", f"{new}.yml"],
            "last_commit_changes": last}


def journey_file(site: Path, jid: str) -> Path:
    """The source file of a journey (its name may differ from its id after the rename)."""
    maps = site / "journeys" / "maps"
    plain = maps / f"{jid}.yml"
    return plain if plain.exists() else next(maps.glob(f"{jid}*.yml"))


# ------------------------------------------------------------------ navigation shape

# A MkDocs hook that writes the built site's navigation and page list as JSON: what the floor
# copies. It runs only in the untimed shape build (``mkdocs.shape.yml``).
NAV_HOOK = '''\
import json
import os

from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

_seen = {}


def on_nav(nav, config, files):
    _seen["nav"], _seen["files"] = nav, files
    return nav


def _node(item):
    if isinstance(item, Section):
        return {"section": item.title, "children": [_node(c) for c in item.children]}
    if isinstance(item, Page):
        return {"page": item.file.src_uri, "title": item.title}
    return {"link": item.url, "title": item.title}


def on_post_build(config):
    nav, files = _seen["nav"], _seen["files"]
    pages = sorted(f.src_uri for f in files.documentation_pages())
    in_nav = {p.file.src_uri for p in nav.pages}
    titles = {p.file.src_uri: p.title for p in nav.pages}
    out = {"nav": [_node(i) for i in nav.items], "pages": pages, "titles": titles,
           "not_in_nav": [p for p in pages if p not in in_nav]}
    with open(os.environ["BENCH_NAV_DUMP"], "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
'''


def write_shape_config(site: Path, hook: Path) -> Path:
    """A copy of the site's mkdocs.yml with the nav-dumping hook: ``mkdocs.shape.yml``."""
    config = yaml.safe_load((site / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(hook)]
    path = site / "mkdocs.shape.yml"
    _dump(path, config)
    return path


def write_hook(folder: Path) -> Path:
    path = folder / "bench_nav_hook.py"
    path.write_text(NAV_HOOK, encoding="utf-8")
    return path


def nav_shape(items: list[dict]) -> list:
    """The navigation without titles: sections (with their children), pages and links, in order."""
    out: list = []
    for item in items:
        if "section" in item:
            out.append(["section", nav_shape(item["children"])])
        elif "page" in item:
            out.append("page")
        else:
            out.append("link")
    return out


def nav_depth(items: list[dict]) -> int:
    return max((1 + nav_depth(i["children"]) if "section" in i else 1 for i in items), default=0)


# ------------------------------------------------------------------ the small-page floor


def _nav_entry(item: dict):
    if "section" in item:
        return {item["section"] or "-": [_nav_entry(c) for c in item["children"]]}
    if "page" in item:
        return {item["title"]: item["page"]} if item["title"] else item["page"]
    return {item["title"] or item["link"]: item["link"]}


def write_floor(dest: Path, shape: dict, n: int) -> dict:
    """A plain Material site (same theme, features and search, no Tabiji) with one small
    ordinary Markdown page for each page of the Tabiji build, at the same paths, under the
    same navigation (sections, nesting, order, titles); pages outside that nav stay outside."""
    w = Words(seed=104729 * n + 11)
    docs = dest / "docs"
    for src_uri in shape["pages"]:
        title = shape["titles"].get(src_uri) or Path(src_uri).stem
        path = docs / src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {title}\n\n{w.text(60, 120)}\n\n{w.english()} {w.text(30, 60)}\n", encoding="utf-8")
    config = site_config(with_plugin=False)
    config["markdown_extensions"] = ["attr_list", "toc"]  # what the Tabiji plugin adds
    config["nav"] = [_nav_entry(i) for i in shape["nav"]]
    _dump(dest / "mkdocs.yml", config)
    return {"pages": len(shape["pages"]), "not_in_nav": len(shape["not_in_nav"]),
            "nav_depth": nav_depth(shape["nav"])}


def read_shape(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def copy_tree(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest, symlinks=True)
