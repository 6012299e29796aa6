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

from .loader import Document, display_path, load_bytes
from .problems import Position, Problem
from .validate import YAML_SUFFIXES, file_kind

FIELD_SEP, RECORD_SEP = "\x1f", "\x1e"


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


def read_blobs(root: Path, specs: list[str]) -> dict[str, bytes | None]:
    """Contents of ``rev:path`` specs, all through one ``git cat-file --batch``; None if missing."""
    if not specs:
        return {}
    out = git(root, "cat-file", "--batch", data="".join(s + "\n" for s in specs).encode())
    found: dict[str, bytes | None] = {}
    at = 0
    for spec in specs:
        end = out.index(b"\n", at)
        header = out[at:end].decode()
        at = end + 1
        if header.endswith(" missing") or header.endswith(" ambiguous"):
            found[spec] = None
            continue
        size = int(header.rsplit(" ", 1)[1])
        found[spec] = out[at:at + size]
        at += size + 1
    return found


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
    listing = git(root, "ls-tree", "-r", "-z", "--name-only", commit, "--", source or ".").decode()
    paths = sorted(p for p in listing.split("\0") if p and p.endswith(YAML_SUFFIXES)
                   and (only is None or p in only))
    problems: list[Problem] = []
    wanted: list[tuple[str, str]] = []
    for path in paths:
        rel = PurePosixPath(path).relative_to(source) if source else PurePosixPath(path)
        kind, problem = file_kind(rel.parts, display_path(root / path))
        if problem:
            problems.append(problem)
        else:
            wanted.append((kind, path))
    blobs = read_blobs(root, [f"{commit}:{path}" for _, path in wanted])
    documents = []
    for kind, path in wanted:
        doc, found = load_bytes(blobs[f"{commit}:{path}"] or b"", display_path(root / path))
        problems += found
        documents.append((kind, doc))
    if not paths and not problems and only is None:
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
        out = git(root, "log", "--no-renames", "--format=" + RECORD_SEP + "%H" + FIELD_SEP + "%aI" + FIELD_SEP + "%an",
                  "--name-only", "-z", "--", source or ".").decode("utf-8", "replace")
    except GitError:
        return {}
    cut = shallow_commits(root)
    found: dict[str, LastChange] = {}
    seen: set[str] = set()
    for record in out.split(RECORD_SEP)[1:]:
        head, _, names = record.partition("\n")
        head = head.rstrip("\0")
        sha, date, author = head.split(FIELD_SEP)
        change = LastChange(datetime.date.fromisoformat(date[:10]), author, sha)
        for name in names.strip("\0\n").split("\0"):
            name = name.strip("\n")
            if name and name not in seen:
                seen.add(name)
                if sha not in cut:
                    found[name] = change
    return found


@dataclass
class Commit:
    sha: str
    parent: str | None
    date: datetime.date
    author: str
    subject: str
    files: list[str] = field(default_factory=list)  # repository paths changed under the source


def commits(root: Path, source: str, limit: int) -> list[Commit]:
    """The newest ``limit`` commits on the first-parent line that changed the source folder,
    each with the files it changed compared with its first parent (a merge counts as one)."""
    try:
        out = git(root, "log", "--first-parent", "--diff-merges=first-parent", "--no-renames", f"-n{limit}",
                  "--format=" + RECORD_SEP + "%H" + FIELD_SEP + "%P" + FIELD_SEP + "%aI" + FIELD_SEP + "%an"
                  + FIELD_SEP + "%s", "--name-only", "-z", "--", source or ".").decode("utf-8", "replace")
    except GitError:
        return []
    cut = shallow_commits(root)
    found = []
    for record in out.split(RECORD_SEP)[1:]:
        head, _, names = record.partition("\n")
        head = head.rstrip("\0")
        sha, parents, date, author, subject = head.split(FIELD_SEP, 4)
        parent = parents.split()[0] if parents.split() else None
        if sha in cut:  # its parent is not here: what it changed is unknown
            break
        files = sorted({n.strip("\n") for n in names.strip("\0\n").split("\0") if n.strip("\n")})
        found.append(Commit(sha, parent, datetime.date.fromisoformat(date[:10]), author, subject, files))
    return found
