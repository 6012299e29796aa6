"""The map's sources as git knows them: files at a revision, last changes, commits.

Every function runs a fixed number of git processes however many files there are (one
``git log`` for all last-changed dates, one ``git cat-file --batch`` for all file contents):
a map of 1,000 journeys must not start 1,000 processes. Outside a git repository, or
without git, callers get None or empty answers and say "unknown".
"""

from __future__ import annotations

import datetime
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterator

from tabiji.source import parse_cache
from tabiji.source.loader import Document, display_path, load_bytes
from tabiji.core.names import shown
from tabiji.core.problems import Position, Problem
from tabiji.source.validate import YAML_SUFFIXES, file_kind, name_problem, symlink_problem



class GitError(Exception):
    """A git command failed; ``str()`` is git's own message."""


def git(root: Path, *args: str, data: bytes | None = None) -> bytes:
    env = {**os.environ, "GIT_PAGER": "cat", "LC_ALL": "C"}
    try:
        done = subprocess.run(["git", "-C", str(root), *args], input=data, capture_output=True, env=env)
    except OSError as err:  # git is not installed
        raise GitError(f"cannot run git: {err.strerror or err}") from None
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout


def toplevel(path: Path) -> Path | None:
    """The root of the git work tree holding ``path``, or None."""
    folder = path if path.is_dir() else path.parent
    try:
        return Path(git(folder, "rev-parse", "--show-toplevel").decode().strip())
    except (GitError, FileNotFoundError, NotADirectoryError):
        return None


def relative(root: Path, path: Path) -> str:
    """``path`` relative to the repository root, as git names it ('' for the root)."""
    rel = path.resolve().relative_to(root.resolve()).as_posix()
    return "" if rel == "." else rel


def shallow_commits(root: Path) -> set[str]:
    """Commits at the cut of a shallow clone: git shows them as if they added every file."""
    try:
        shallow = Path(git(root, "rev-parse", "--git-path", "shallow").decode().strip())
    except GitError:
        return set()
    shallow = shallow if shallow.is_absolute() else root / shallow
    return set(shallow.read_text().split()) if shallow.is_file() else set()


def read_blobs(root: Path, oids: list[str]) -> dict[str, bytes | None]:
    """Contents of blobs by object id, all through one ``git cat-file --batch``; None if missing.

    Object ids, never ``rev:path`` specs: a path may hold a newline, which would split the
    request line and shift every later answer."""
    wanted = list(dict.fromkeys(oids))
    if not wanted:
        return {}
    out = git(root, "cat-file", "--batch", data="".join(o + "\n" for o in wanted).encode())
    found: dict[str, bytes | None] = {}
    at = 0
    for oid in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].decode()
        at = end + 1
        if header.endswith((" missing", " ambiguous")) or header.split(" ")[1:2] != ["blob"]:
            found[oid] = None
            at += 0 if header.endswith((" missing", " ambiguous")) else int(header.rsplit(" ", 1)[1]) + 1
            continue
        size = int(header.rsplit(" ", 1)[1])
        found[oid] = out[at:at + size]
        at += size + 1
    return found


def _reparse(root: Path, oid: str, shown_as: str):
    """A cached parse's positions: its blob read and parsed again (only for a message)."""
    return lambda: load_bytes(read_blobs(root, [oid]).get(oid) or b"", shown_as)[0]


def _path(raw: bytes) -> str:
    """A path as git wrote it; bytes that are not UTF-8 become surrogates, which
    ``names.unsafe_chars`` reports."""
    return raw.decode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class TreeEntry:
    path: str
    oid: str
    symlink: bool


def tree(root: Path, commit: str, source: str) -> list[TreeEntry]:
    """The blobs under ``source`` at ``commit``, from one NUL-separated ``git ls-tree``."""
    out = git(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", source or ".")
    entries = []
    for record in out.split(b"\0"):
        meta, tab, path = record.partition(b"\t")
        parts = meta.split(b" ")
        if not tab or len(parts) != 3 or parts[1] != b"blob":
            continue  # submodules (commit) and the empty tail
        entries.append(TreeEntry(_path(path), parts[2].decode(), parts[0] == SYMLINK_MODE))
    return entries


SYMLINK_MODE = b"120000"
ZERO_OID = "0" * 40


@dataclass(frozen=True)
class FileChange:
    """One file a commit changed: its blob before and after (None where it did not exist,
    or was a symlink: never read)."""

    path: str
    old: str | None
    new: str | None


def _log(root: Path, source: str, fields: list[str], *options: str) -> Iterator[tuple[list[str], list[FileChange]]]:
    """``git log --raw -z`` parsed by NUL tokens: each record starts with an empty token and
    a token ``/<sha>``, then the other ``fields``, then pairs of a raw header
    (``:mode mode oid oid status``) and a path. Nothing a commit can hold (an author's name,
    a subject, a file name) can shift the fields: none of them may hold NUL."""
    fmt = "%x00/" + "%x00".join(fields)
    count = len(fields)
    out = git(root, "log", "--no-renames", "--raw", "--no-abbrev", "-z", "--format=" + fmt, *options,
              "--", source or ".")
    tokens = out.split(b"\0")
    i = 0
    while i + count < len(tokens):
        if tokens[i] or not tokens[i + 1].startswith(b"/"):
            i += 1
            continue
        head = [t.decode("utf-8", "replace") for t in tokens[i + 1:i + 1 + count]]
        head[0] = head[0][1:]
        i += 1 + count
        changes = []
        while i + 1 < len(tokens) and tokens[i].lstrip(b"\n").startswith(b":"):
            meta = tokens[i].lstrip(b"\n")[1:].split(b" ")
            if len(meta) >= 5:
                old_mode, new_mode, old, new = meta[0], meta[1], meta[2].decode(), meta[3].decode()
                changes.append(FileChange(
                    _path(tokens[i + 1]),
                    None if old == ZERO_OID or old_mode == SYMLINK_MODE else old,
                    None if new == ZERO_OID or new_mode == SYMLINK_MODE else new))
            i += 2
        yield head, changes


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def resolve(root: Path, rev: str) -> str:
    """The commit a revision names; GitError with a clear message when it names none."""
    try:
        return git(root, "rev-parse", "--verify", "--quiet", rev + "^{commit}").decode().strip()
    except GitError:
        raise GitError(f"'{rev}' is not a commit in {root}") from None


def changed_files(root: Path, base: str, head: str, source: str) -> set[str]:
    """Repository paths under ``source`` that differ between two revisions."""
    out = git(root, "diff", "--no-renames", "--name-only", "-z", resolve(root, base), resolve(root, head),
              "--", source or ".").decode()
    return {p for p in out.split("\0") if p}


def documents_at(root: Path, rev: str, source: str,
                 only: set[str] | None = None) -> tuple[list[tuple[str, Document]], list[Problem]]:
    """The source folder's YAML files at ``rev`` (or those of them in ``only``), parsed as
    ``validate.discover`` and ``load_file`` would parse them from disk, shown by their path
    from the working folder."""
    commit = resolve(root, rev)
    entries = [e for e in tree(root, commit, source) if only is None or e.path in only]
    problems: list[Problem] = []
    wanted: list[tuple[str, TreeEntry]] = []
    for entry in entries:
        rel = PurePosixPath(entry.path).relative_to(source) if source else PurePosixPath(entry.path)
        shown_as = display_path(root / entry.path)
        problem = name_problem(rel.parts, shown_as) or (symlink_problem(shown_as) if entry.symlink else None)
        if problem is None and not entry.path.endswith(YAML_SUFFIXES):
            continue
        kind, kind_problem = file_kind(rel.parts, shown_as)
        problem = problem or kind_problem
        if problem:
            problems.append(problem)
        else:
            wanted.append((kind, entry))
    # A blob id names the file's bytes: its clean parse is read from the parse cache
    # (parse_cache.py) when an earlier run parsed the same blob, and parsed otherwise.
    cache = parse_cache.folder()
    shown = {e.path: display_path(root / e.path) for _, e in wanted}
    hits = [parse_cache.load(cache, e.oid, shown[e.path], _reparse(root, e.oid, shown[e.path])) for _, e in wanted]
    blobs = read_blobs(root, [e.oid for (_, e), hit in zip(wanted, hits) if hit is None])
    documents = []
    for (kind, entry), hit in zip(wanted, hits):
        if hit is not None:
            documents.append((kind, hit))
            continue
        doc, found = load_bytes(blobs.get(entry.oid) or b"", shown[entry.path])
        if not found and blobs.get(entry.oid) is not None:
            parse_cache.store(cache, entry.oid, doc)
        problems += found
        documents.append((kind, doc))
    if not entries and only is None:
        problems.append(Problem(source or ".", Position(1, 1), "(source folder)",
                                f"a folder of YAML files at {rev}", "no such folder"))
    return documents, problems


@dataclass(frozen=True)
class LastChange:
    date: datetime.date
    author: str
    commit: str


def last_changes(root: Path, source: str) -> dict[str, LastChange]:
    """Repository path -> the last commit that changed it, for every file under ``source``.

    One ``git log`` over the folder: the first time a path appears (newest first) is its
    last change. In a shallow clone, a path first seen at the cut is not known: git shows
    the cut commit as if it added every file.
    """
    try:
        records = list(_log(root, source, ["%H", "%aI", "%an"]))
    except GitError:
        return {}
    cut = shallow_commits(root)
    found: dict[str, LastChange] = {}
    seen: set[str] = set()
    for (sha, date, author), files in records:
        day = _date(date)
        for change in files:
            if change.path not in seen:
                seen.add(change.path)
                if sha not in cut and day is not None:
                    found[change.path] = LastChange(day, shown(author), sha)
    return found


@dataclass
class Commit:
    sha: str
    parent: str | None
    date: datetime.date
    author: str
    subject: str
    files: list[str] = field(default_factory=list)  # repository paths changed under the source
    changes: list[FileChange] = field(default_factory=list)  # the same, with their blobs


def commits(root: Path, source: str, limit: int) -> list[Commit]:
    """The newest ``limit`` commits on the first-parent line that changed the source folder,
    each with the files it changed compared with its first parent (a merge counts as one)."""
    try:
        records = list(_log(root, source, ["%H", "%P", "%aI", "%an", "%s"], "--first-parent", "--diff-merges=first-parent", f"-n{limit}"))
    except GitError:
        return []
    cut = shallow_commits(root)
    found = []
    for (sha, parents, date, author, subject), files in records:
        day = _date(date)
        if sha in cut or day is None:  # its parent is not here: what it changed is unknown
            break
        parent = parents.split()[0] if parents.split() else None
        ordered = sorted(files, key=lambda f: f.path)
        found.append(Commit(sha, parent, day, shown(author), shown(subject), [f.path for f in ordered], ordered))
    return found
