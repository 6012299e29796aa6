"""Spreadsheets drawn the way Japanese CS teams draw journey maps, made by the tests.

A title over the grid, a persona line, blank rows, phases merged over their steps, a phase
without steps, lane names with full-width spaces and everyday words (顧客の行動, 感情, 担当,
課題), emotion words with scores in many spellings, catalog entries by name, a KPI merged over
a whole phase, and a lane the catalog does not know.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook

ROWS = [
    ["オンボーディング　カスタマージャーニーマップ（2026年版）", "", "", "", "", ""],
    ["", "", "", "", "", ""],
    ["ペルソナ", "中村 由紀、人事労務の管理者", "", "", "", ""],
    ["担当部署", "オンボーディングチーム", "", "", "", ""],
    ["", "", "", "", "", ""],
    ["フェーズ", "導入準備", "導入準備", "初期設定", "初期設定", "本稼働"],
    ["ステップ", "キックオフ", "ヒアリング", "就業規則の設定", "テスト打刻", ""],
    ["マイルストーン", "導入計画に合意", "", "設定完了", "", "全社員が打刻"],
    ["", "", "", "", "", ""],
    ["\u3000顧客の行動\u3000", "・目的を共有する\n・体制を決める", "ヒアリングシートに記入",
     "勤務パターンを設定する", "一部の部署で試す", "全社で打刻を始める"],
    ["感情", "期待（+1）", "負担 -1", "混乱▲２", "0 半信半疑", "安心　＋２"],
    ["タッチポイント", "キックオフミーティング", "導入ヒアリングシート", "初期設定チェックリスト、ヘルプセンター",
     "", "サポートチャット"],
    ["担当", "営業\nオンボーディングチーム", "オンボーディングチーム", "オンボーディングチーム",
     "カスタマーサポート", "オンボーディングチーム"],
    ["KPI", "", "", "オンボーディング完了率", "オンボーディング完了率", "初回ログイン率"],
    ["課題", "", "記入項目が多い", "例外が多すぎる", "", "－"],
    ["社内メモ", "営業からの引き継ぎを必ず確認", "", "", "", ""],
]
MERGES = ["A1:F1", "B6:C6", "D6:E6", "B8:C8", "D8:E8", "F6:F7", "D14:E14"]


def team_xlsx(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "CJM_オンボーディング"
    for r, row in enumerate(ROWS, 1):
        for c, value in enumerate(row, 1):
            if value and not _covered(r, c):
                ws.cell(row=r, column=c, value=value)
    for rng in MERGES:
        ws.merge_cells(rng)
    wb.create_sheet("メモ").append(["このシートはジャーニーではありません"])
    wb.save(path)
    return path


def _covered(r: int, c: int) -> bool:
    """Whether (r, c) is inside a merged range but not its first cell (Excel keeps only that one)."""
    from openpyxl.utils.cell import range_boundaries
    for rng in MERGES:
        c1, r1, c2, r2 = range_boundaries(rng)
        if r1 <= r <= r2 and c1 <= c <= c2 and (r, c) != (r1, c1):
            return True
    return False


def team_csv(path: Path, encoding: str) -> Path:
    """The same sheet saved by Excel as CSV: a merged cell's value only in its first cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for r, row in enumerate(ROWS, 1):
        writer.writerow(["" if _covered(r, c) else v for c, v in enumerate(row, 1)])
    path.write_bytes(out.getvalue().encode(encoding))
    return path
