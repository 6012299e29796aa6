"""Build into a staging folder beside the site folder and swap it in only when the build
succeeded: whatever fails (our checks, a theme's template, a strict warning, a path clash
MkDocs finds after cleaning), the previous site stays whole.

Plain functions on paths; the MkDocs front end decides when to call them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

SUFFIX = ".tabiji-staging"


def staging_for(site_dir: Path) -> Path:
    """A sibling of the site folder, on the same file system, so the swap is two renames
    (``site_dir`` resolved by the caller: a symlinked site folder keeps pointing at it)."""
    return site_dir.with_name(site_dir.name + SUFFIX)


def prepare(site_dir: Path, dirty: bool) -> Path:
    """An empty staging folder (for ``--dirty``, a copy of the current site), left over
    staging from an interrupted build removed first."""
    staging = staging_for(site_dir)
    discard(staging)
    if dirty and site_dir.is_dir() and not site_dir.is_symlink():
        shutil.copytree(site_dir, staging, symlinks=True)
    else:
        staging.mkdir(parents=True)
    return staging


def swap(staging: Path, site_dir: Path) -> None:
    """Put the staged site where the site folder is; the old one is removed after the swap."""
    old = site_dir.with_name(site_dir.name + SUFFIX + f".old-{os.getpid()}")
    discard(old)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    discard(old)


def discard(folder: Path) -> None:
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    elif folder.exists():
        shutil.rmtree(folder)
