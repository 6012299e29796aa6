"""The words of the spreadsheet layout: row labels we write, and the ones we recognise.

Teams label their rows in many ways (思考・感情, 感情, Emotion, ...); matching is done on a
normalised form (NFKC, no spaces, lower case) so full-width letters and spaces match too.
"""

from __future__ import annotations

import re
import unicodedata

from tabiji.core.labels import labels_for

# Labels we write, per language: metadata rows above the grid and the header rows.
LABELS = {
    "ja": {
        "id": "ID", "title": "タイトル", "personas": "ペルソナ", "goal": "ゴール", "owner": "オーナー部署",
        "segments": "セグメント", "description": "説明", "tags": "タグ", "review_every": "レビュー周期",
        "last_reviewed": "最終レビュー日", "language": "言語",
        "phase": "フェーズ", "step": "ステップ", "phase_goal": "フェーズのゴール", "phase_owners": "フェーズ担当部署",
        "phase_description": "フェーズの説明", "step_description": "ステップの説明",
        "emotion_score": "感情スコア", "thought": "思考", "columns": "列ID",
        "sheet": "ジャーニー", "chart": "感情の推移",
        # issue 13's fields: the journey's order and goal KPIs, loops, people, evidence
        "order": "順番", "kpis": "ゴールのKPI",
        "phase_returns_to": "フェーズの戻る先", "phase_returns_when": "フェーズの戻るとき",
        "step_returns_to": "ステップの戻る先", "step_returns_when": "ステップの戻るとき",
        "people": "担当者・チーム", "evidence": "根拠",
    },
    "en": {
        "id": "ID", "title": "Title", "personas": "Personas", "goal": "Goal", "owner": "Owner department",
        "segments": "Segments", "description": "Description", "tags": "Tags", "review_every": "Review every",
        "last_reviewed": "Last reviewed", "language": "Language",
        "phase": "Phase", "step": "Step", "phase_goal": "Phase goal", "phase_owners": "Phase owners",
        "phase_description": "Phase description", "step_description": "Step description",
        "emotion_score": "Emotion score", "thought": "Thought", "columns": "Column IDs",
        "sheet": "Journey", "chart": "Emotion curve",
        "order": "Order", "kpis": "Goal KPIs",
        "phase_returns_to": "Phase goes back to", "phase_returns_when": "Phase goes back when",
        "step_returns_to": "Step goes back to", "step_returns_when": "Step goes back when",
        "people": "People and teams", "evidence": "Evidence",
    },
}

# Other words teams use for the same rows (normalised by ``norm`` before lookup).
SYNONYMS = {
    "title": ["ジャーニー名", "マップ名", "名称", "name", "journey"],
    "personas": ["persona", "対象ペルソナ", "顧客", "ターゲット"],
    "goal": ["目的", "全体のゴール", "ジャーニーのゴール", "目標"],
    "owner": ["オーナー", "owner", "主管部署", "責任部署"],
    "phase": ["フェーズ名", "段階", "ステージ", "phases", "stage"],
    "step": ["ステップ名", "steps", "小フェーズ", "詳細フェーズ", "サブフェーズ"],
    "phase_goal": ["マイルストーン", "ゴール・マイルストーン", "milestone", "フェーズの目標", "到達状態"],
    "phase_owners": ["担当フェーズ部署", "フェーズの担当"],
    "emotion_score": ["スコア", "感情の点数", "感情値", "満足度", "score", "emotionscore"],
    "thought": ["思考", "考えていること", "心の声", "thoughts", "customerthoughts"],
    "columns": ["columnid", "列id", "ids"],
    "order": ["順序", "並び順"],
    "kpis": ["ジャーニーのkpi", "ゴールkpi", "goalkpi", "journeykpis"],
    "phase_returns_to": ["フェーズの戻り先", "phasereturnsto"],
    "phase_returns_when": ["フェーズの戻る条件", "phasereturnswhen"],
    "step_returns_to": ["ステップの戻り先", "stepreturnsto"],
    "step_returns_when": ["ステップの戻る条件", "stepreturnswhen"],
    # read as people only right below the departments lane (a team may name that lane so)
    "people": ["担当チーム・担当者", "担当者・担当チーム", "担当チーム", "people"],
    "evidence": ["根拠・出典", "出典", "evidence", "sources"],
}

# The fields of one evidence inside a 根拠 cell, one 'name: value' line each (see grid.py).
EVIDENCE_FIELDS = {
    "ja": {"kind": "種類", "status": "状態", "date": "日付", "source": "出典", "url": "URL", "note": "メモ"},
    "en": {"kind": "Kind", "status": "Status", "date": "Date", "source": "Source", "url": "URL", "note": "Note"},
}
EVIDENCE_FIELD_SYNONYMS = {"kind": ["種別"], "source": ["ソース"], "note": ["備考", "メモ", "notes"],
                           "url": ["リンク", "link"], "date": ["日時"]}
# The words for an evidence's kind and status, per language; the ids themselves are read too.
EVIDENCE_WORDS = {
    "ja": {"interview": "インタビュー", "survey": "アンケート", "analytics": "データ分析",
           "support_tickets": "問い合わせ", "workshop": "ワークショップ", "hypothesis": "仮説",
           "verified": "検証済み"},
    "en": {"interview": "Interview", "survey": "Survey", "analytics": "Analytics",
           "support_tickets": "Support tickets", "workshop": "Workshop", "hypothesis": "Hypothesis",
           "verified": "Verified"},
}
EVIDENCE_WORD_SYNONYMS = {"analytics": ["分析", "ログ分析"], "support_tickets": ["サポートチケット", "問い合わせ（サポートチケット）"],
                          "workshop": ["ワークショップでの仮定", "workshopassumption"], "verified": ["検証ずみ", "確認済み"],
                          "hypothesis": ["未検証", "想定"], "survey": ["調査"]}
LANE_SYNONYMS = {
    "actions": ["行動", "顧客の行動", "ユーザーの行動", "お客様の行動", "顧客行動", "action", "actions", "doing"],
    "emotions": ["思考・感情", "感情", "気持ち", "顧客の感情", "感情曲線", "emotion", "emotions", "feeling",
                 "feelings", "thoughtsandemotions"],
    "touchpoints": ["タッチポイント", "接点", "顧客接点", "touchpoint", "touchpoints"],
    "departments": ["担当部署", "担当", "担当者", "担当部署・担当者", "部署", "department", "departments", "owner"],
    "information": ["インプットする情報", "提供情報", "提供する情報", "情報", "コンテンツ", "information",
                    "informationgiven", "content"],
    "measures": ["施策", "打ち手", "アクション施策", "自社の施策", "measures", "ourmeasures", "initiatives"],
    "kpis": ["kpi", "kpis", "分析するデータ・kpi", "指標", "分析するデータ", "metrics"],
    "pain_points": ["ペインポイント", "ペイン", "課題", "不満", "painpoints", "pain", "pains"],
    "gain_points": ["ゲインポイント", "ゲイン", "喜び", "gainpoints", "gain", "gains"],
}
BULLETS = "・•●◦‣-*－"


def norm(text: str) -> str:
    """The matching form of a label: NFKC (full-width to half-width), no spaces, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", text).casefold()


def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for key, words in SYNONYMS.items():
        for word in words:
            table.setdefault(norm(word), key)
    for lang in LABELS:
        for key, word in LABELS[lang].items():
            table[norm(word)] = key
    return table


def _lane_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for lang in ("ja", "en"):
        t = labels_for(lang)
        for kind in LANE_SYNONYMS:
            table[norm(t[f"lane.{kind}"])] = kind
    for kind, words in LANE_SYNONYMS.items():
        for word in words:
            table.setdefault(norm(word), kind)
    return table


ROW_WORDS = _table()
LANE_WORDS = _lane_table()


def row_key(label: str) -> str | None:
    """'phase', 'goal', ... for a header or metadata row label, else None."""
    key = norm(label)
    if key in ROW_WORDS:
        return ROW_WORDS[key]
    if "思考" in key and "感情" not in key:  # 顧客の思考, 思考・つぶやき: the emotion's thought
        return "thought"
    return None


def lane_kind(label: str) -> str | None:
    """The lane kind a label names (行動 -> actions), else None. Beyond the exact words, the
    longest known word inside the label decides: 課題・ペインポイント, 改善施策, お客様の行動."""
    key = norm(label)
    if key in LANE_WORDS:
        return LANE_WORDS[key]
    inside = [w for w in LANE_WORDS if len(w) >= 2 and w in key and not w.isascii()] + \
        [w for w in LANE_WORDS if w.isascii() and len(w) >= 3 and re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", key)]
    if not inside or "思考" in key and "感情" not in key:
        return None
    return LANE_WORDS[max(inside, key=len)]


def lane_label(kind: str, lang: str) -> str:
    return labels_for(lang)[f"lane.{kind}"].replace("\u200b", "")
