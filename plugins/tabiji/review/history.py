"""The map's history: the semantic diff of each commit that changed the sources.

Only the files a commit changed are read, by blob id, before and after the commit, all in
one ``git cat-file --batch``: 50 commits cost a few git processes whatever the map's size.
A document is compared with itself across the commit; references to files the commit did
not touch are not checked here (they were checked when the commit was made).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tabiji.review import gitsource
from tabiji.review.diff import Change, diff_sites
from tabiji.source.loader import Document, load_bytes
from tabiji.source.validate import YAML_SUFFIXES, Site, build_site, file_kind, name_problem

DEFAULT_LIMIT = 50


@dataclass
class Entry:
    commit: gitsource.Commit
    changes: list[Change]
    base: Site
    head: Site


def map_history(root: Path, source: str, limit: int = DEFAULT_LIMIT, context: Site | None = None) -> list[Entry]:
    """Newest first; commits whose changes are not to the map's content (comments,
    formatting) have no changes and are left out."""
    commits = gitsource.commits(root, source, limit)
    wanted: dict[str, str] = {}  # repository path -> kind
    for commit in commits:
        for path in commit.files:
            rel = PurePosixPath(path).relative_to(source) if source else PurePosixPath(path)
            kind, problem = file_kind(rel.parts, path)
            # A name validation refuses (a newline, a bidi override) is left out of the
            # story rather than breaking every later build; it never reached a valid map.
            if path.endswith(YAML_SUFFIXES) and problem is None and name_problem(rel.parts, path) is None:
                wanted[path] = kind
    # A version still in the working tree was parsed when the site was read: the same bytes
    # give the same parse, so its blob is neither read nor parsed again.
    known = {doc.blob: doc for doc, _ in (context.origins.values() if context else ())
             if doc.blob and doc.data is not None}
    blobs = gitsource.read_blobs(root, [oid for c in commits for f in c.changes if f.path in wanted
                                        for oid in (f.old, f.new) if oid and oid not in known])
    entries = []
    parsed: dict[tuple[str, str], Document] = {}  # a version is often a commit's head and the next one's base
    for commit in commits:
        sides = []
        for before in (True, False):
            documents = []
            for change in commit.changes:
                oid = change.old if before else change.new
                if not oid or change.path not in wanted:
                    continue
                key = (change.path, oid)
                if key not in parsed:
                    same = known.get(oid)
                    if same is not None:
                        parsed[key] = Document(change.path, same.data, same.values, same.keys, validated=same.validated)
                    elif blobs.get(oid) is not None:
                        parsed[key] = load_bytes(blobs[oid], change.path)[0]  # type: ignore[arg-type]
                    else:
                        continue
                documents.append((wanted[change.path], parsed[key]))
            sides.append(build_site(documents, references=False)[0])
        changes = diff_sites(sides[0], sides[1], context)
        if changes:
            entries.append(Entry(commit, changes, sides[0], sides[1]))
    return entries
