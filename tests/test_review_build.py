"""Review boxes, the freshness page and the history page, built with the real MkDocs from
temporary git repositories with dated commits and dated reviews."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, ROOT, commit_all, copy_site, git, run_build, text_of, tree_digest


def build(site: Path, today: str, out: str = "site") -> Path:
    env_before = dict(ENV)
    ENV["TABIJI_TODAY"] = today  # run_build passes ENV to MkDocs
    try:
        result = run_build(site, out=out)
    finally:
        ENV.clear()
        ENV.update(env_before)
    assert result.returncode == 0 and "WARNING" not in result.stderr, result.stderr
    return site / out


def page(site_dir: Path, url: str) -> str:
    html = (site_dir / url / "index.html").read_text(encoding="utf-8")
    return html[html.index("<article"):html.index("</article>")]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The mini site in git: two journeys owned by CS, a persona owned by Sales, three dated commits."""
    site = copy_site("mini", tmp_path / "repo")
    maps = site / "journeys" / "maps"
    edit(maps / "onboarding.yml", "owner: cs\n", "owner: cs\nreview_every: 4w\nlast_reviewed: 2026-03-01\n")
    renewal = (maps / "onboarding.yml").read_text(encoding="utf-8").replace("id: onboarding", "id: renewal") \
        .replace("title: Onboarding", "title: Renewal").replace("last_reviewed: 2026-03-01", "last_reviewed: 2026-04-01")
    (maps / "renewal.yml").write_text(renewal, encoding="utf-8")
    persona = site / "journeys" / "personas" / "admin.yml"
    persona.write_text(persona.read_text(encoding="utf-8") + "owner: sales\nreview_every: 2w\nlast_reviewed: 2026-01-10\n",
                       encoding="utf-8")
    git(site, "init", "-q")
    commit_all(site, "The first map", "2026-01-05", author="Ann")
    edit(maps / "onboarding.yml", "invite: {score: -1, label: Unsure}", "invite: {score: 1, label: Unsure}")
    commit_all(site, "Inviting is easier now", "2026-02-02", author="Bob")
    edit(persona, "  - Roll out the tool without tickets\n",
         "  - Roll out the tool without tickets\n  - Pass the security audit\n")
    commit_all(site, "A goal for the admin", "2026-03-03", author="Cy")
    return site


def test_review_boxes_freshness_and_history(repo: Path) -> None:
    site = build(repo, "2026-04-10")
    journey = page(site, "map/journeys/onboarding")
    assert "tabiji-badge--stale" in journey and '<span aria-hidden="true">⚠</span> Needs review' in journey
    words = text_of(journey)
    assert "Last reviewed 2026-03-01" in words and "Review cadence every 4 weeks" in words
    assert "Next review due 2026-03-29 — 12 days overdue" in words
    assert "Last changed 2026-02-02 by Bob" in words
    assert 'href="../../departments/cs/"' in journey
    renewal = text_of(page(site, "map/journeys/renewal"))
    assert "✓ Reviewed" in renewal and "due in 19 days" in renewal and "Last changed 2026-01-05 by Ann" in renewal
    persona = text_of(page(site, "map/personas/admin"))
    assert "⚠ Needs review" in persona and "Last changed 2026-03-03 by Cy" in persona and "76 days overdue" in persona

    freshness = page(site, "map/freshness")
    words = text_of(freshness)
    assert "As of 2026-04-10" in words
    # per owner department in the catalog's order, most overdue first inside each
    assert words.index("Customer Success") < words.index("Onboarding") < words.index("Renewal") \
        < words.index("Sales") < words.index("Alex, the IT admin")
    assert 'id="owner-cs"' in freshness and 'id="owner-sales"' in freshness

    history = text_of(page(site, "map/history"))
    newest, middle, oldest = (history.index(s) for s in ("A goal for the admin", "Inviting is easier now",
                                                         "The first map"))
    assert newest < middle < oldest
    assert "Persona “Alex, the IT admin” Persona: goals and expected outcomes: added “Pass the security audit”" in history
    assert ("cell “Setup › Invite users” in lane “Thoughts and emotions”: emotion score changed: -1 → +1" in history)
    # documents added as a whole are told in one line per kind (the history stays short)
    assert "Cy · " in history and re.search(r"Journey added: “Onboarding” ?, “Renewal”", history)

    again = build(repo, "2026-04-10", out="again")
    assert tree_digest(site, (".html",)) == tree_digest(again, (".html",))  # same sources, same day, same bytes


def test_history_limit_and_switches(repo: Path) -> None:
    edit(repo / "mkdocs.yml", "  - tabiji:\n", "  - tabiji:\n      history_limit: 1\n")
    site = build(repo, "2026-04-10")
    history = text_of(page(site, "map/history"))
    assert "A goal for the admin" in history and "Inviting is easier now" not in history
    edit(repo / "mkdocs.yml", "      history_limit: 1\n", "      history: false\n      freshness: false\n")
    site = build(repo, "2026-04-10", out="off")
    assert not (site / "map" / "history").exists() and not (site / "map" / "freshness").exists()
    assert "tabiji-review" not in page(site, "map/journeys/onboarding")


def test_outside_git_the_dates_are_unknown(tmp_path: Path) -> None:
    site_src = copy_site("mini", tmp_path / "plain")
    site = build(site_src, "2026-04-10")
    assert "Last changed unknown" in text_of(page(site, "map/journeys/onboarding"))
    assert "Never reviewed" in text_of(page(site, "map/personas/admin"))
    assert "No git history is available" in text_of(page(site, "map/history"))


def tabiji(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tabiji.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=ENV, timeout=120)


def test_how_it_will_be_checked(tmp_path: Path) -> None:
    """Two revisions of the example: a phase renamed, an emotion score changed, a touchpoint
    removed and a Marketing-owned cell edited; CODEOWNERS; a review date in the past."""
    site = copy_site("example", tmp_path / "example")
    git(site, "init", "-q")
    commit_all(site, "The example map", "2026-11-01")
    journey = site / "journeys" / "maps" / "acquisition.yml"
    edit(journey, "name: {ja: トライアル, en: Trial}", "name: {ja: 無料トライアル, en: Free trial}")
    edit(journey, "      sales-meeting:\n        score: 1", "      sales-meeting:\n        score: -1")
    edit(journey, "awareness: [seminar-webinar, product-site]", "awareness: [seminar-webinar]")
    edit(journey, "awareness: 社労士と共催する月1回のウェビナー", "awareness: 社労士と共催する隔週のウェビナー")
    commit_all(site, "Trial renamed; meetings are tense", "2026-11-10")

    ja = tabiji(site, "diff", "HEAD~1", "HEAD", "--format", "md")
    assert ja.returncode == 0, ja.stderr
    assert ja.stdout.startswith("<!-- tabiji-diff -->\n## マップの変更\n\n4 件の変更（1 件の文書）")
    assert "| マーケティング | @hoshiyomi/marketing | 4 |" in ja.stdout
    assert "| 営業 | @hoshiyomi/sales | 2 |" in ja.stdout
    assert "#### ジャーニー「認知から契約まで（新規獲得）」 — <code>journeys/maps/acquisition.yml</code>" in ja.stdout
    bullets = [line for line in ja.stdout.splitlines() if line.startswith("- ")]
    assert bullets == [
        "- フェーズ「トライアル」の名前を変更：「トライアル」 → 「無料トライアル」 <sub>営業、マーケティング</sub>",
        "- 「思考・感情」レーンの「情報収集・比較検討 › 商談・デモ」のセルの感情スコアを変更：+1 → -1 <sub>営業、マーケティング</sub>",
        "- 「タッチポイント」レーンの「認知」のセルの内容：削除 「製品サイト・資料ダウンロード」 <sub>マーケティング</sub>",
        "- 「施策」レーンの「認知」のセルの内容を変更：「社労士と共催する月1回のウェビナーで、法改正の解説とデモを組み合わせる」 → "
        "「社労士と共催する隔週のウェビナーで、法改正の解説とデモを組み合わせる」 <sub>マーケティング</sub>",
    ]
    en = tabiji(site, "diff", "HEAD~1", "HEAD", "--lang", "en")
    assert [line.strip() for line in en.stdout.splitlines() if line.strip().startswith("- ")] == [
        "- phase “Trial” renamed: “Trial” → “Free trial”  [Sales, Marketing]",
        "- cell “Consideration › Sales meeting” in lane “Thoughts and emotions”: emotion score changed: +1 → -1  "
        "[Sales, Marketing]",
        "- cell “Awareness” in lane “Touchpoints”: entries: removed “Product site and downloads”  [Marketing]",
        "- cell “Awareness” in lane “Our measures”: text changed: “社労士と共催する月1回のウェビナーで、法改正の解説とデモを組み合わせる” → "
        "“社労士と共催する隔週のウェビナーで、法改正の解説とデモを組み合わせる”  [Marketing]",
    ]
    assert "Departments to review: Sales (@hoshiyomi/sales), Marketing (@hoshiyomi/marketing)" in en.stdout

    assert tabiji(site, "codeowners").returncode == 0
    assert (site / ".github" / "CODEOWNERS").read_text(encoding="utf-8") == \
        (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/journeys/maps/acquisition.yml @hoshiyomi/sales @hoshiyomi/marketing" in \
        (site / ".github" / "CODEOWNERS").read_text(encoding="utf-8")

    edit(journey, "last_reviewed: 2026-11-02", "last_reviewed: 2026-06-01")
    commit_all(site, "An old review date", "2026-11-20")
    # the tense meeting keeps its hopeful label (期待 on -1): 'tabiji check' would flag it, which is not this test's point
    edit(site / "mkdocs.yml", "      prefix: map\n", "      prefix: map\n      checks: {emotion-label: \"off\"}\n")
    built = build(site, "2026-11-23")
    acquisition = page(built, "map/journeys/acquisition")
    assert '<span aria-hidden="true">⚠</span> 要レビュー' in acquisition
    assert "2026-06-29 — 147 日超過" in text_of(acquisition)
    freshness = text_of(page(built, "map/freshness"))
    marketing = freshness.index("マーケティング")
    assert freshness.index("認知から契約まで（新規獲得）", marketing) > marketing
    assert "要レビュー 147 日超過" in freshness
    stale = tabiji(site, "validate", "--stale")
    assert stale.returncode == 0  # a warning; --stale-error makes it fail
    assert re.search(r"journeys/maps/acquisition\.yml:\d+:\d+: last_reviewed: expected a review by 2026-06-29",
                     stale.stderr)  # on the real clock: any day after 2026-06-29


def test_the_history_reuses_the_working_trees_parses_and_tells_the_same_story(repo: Path, monkeypatch) -> None:
    """A version of a file still in the working tree is not read from git again: the
    site's own parse of those bytes is used, and the history is the same as with every
    version read from git. A file edited since the last commit is read from git."""
    from tabiji.review import gitsource, history
    from tabiji.source.loader import blob_id
    from tabiji.source.validate import load_site

    edit(repo / "journeys" / "maps" / "renewal.yml", "title: Renewal", "title: Renewal now")  # not committed
    site = load_site(repo / "journeys")
    asked: list[str] = []
    read = gitsource.read_blobs
    monkeypatch.setattr(gitsource, "read_blobs", lambda root, oids: asked.extend(oids) or read(root, oids))

    def story(entries) -> list:
        return [(e.commit.sha, e.changes) for e in entries]

    reused = history.map_history(repo, "journeys", context=site)
    asked_with_site = set(asked)
    asked.clear()
    from_git = history.map_history(repo, "journeys")
    assert story(reused) == story(from_git) and len(reused) == 3
    onboarding = blob_id((repo / "journeys" / "maps" / "onboarding.yml").read_bytes())
    committed_renewal = git(repo, "rev-parse", "HEAD:journeys/maps/renewal.yml").strip()
    assert onboarding in set(asked) and onboarding not in asked_with_site  # its last version is on disk
    assert committed_renewal in asked_with_site  # the file on disk differs from every committed version
