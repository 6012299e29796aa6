"""``mkdocs serve``: keeps watching the source folder when it is removed, moved away and back,
or replaced by another folder.

MkDocs watches a path once, at start. A watch follows the folder it was given, not its
name, so after ``mv journeys x && mv x journeys`` edits go unnoticed, and MkDocs ignores
folder events, so removing the folder does not even trigger a rebuild. We also watch the
folder's parent (not recursively) and, when an event names the source folder, watch it
anew and ask for a rebuild (which then shows "no such folder" or the restored map).
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEventHandler  # MkDocs' own watcher library

log = logging.getLogger("mkdocs.plugins.tabiji")


class SourceWatch:
    """The source folder's watch, renewed whenever the folder's name gets a new folder."""

    def __init__(self, server: Any, source: Path) -> None:
        self.server = server
        self.source = str(source)
        self.watching = False
        self._lock = threading.Lock()

    def start(self) -> None:
        self.renew()
        parent = os.path.dirname(self.source)
        if os.path.isdir(parent):
            handler = FileSystemEventHandler()
            handler.on_any_event = self._on_parent_event  # type: ignore[method-assign]
            self.server.observer.schedule(handler, parent, recursive=False)

    def renew(self) -> None:
        """Drops the old watch (its folder may be gone or elsewhere) and watches the name again."""
        with self._lock:
            if self.watching:
                try:
                    self.server.unwatch(self.source)
                except (KeyError, OSError, ValueError):
                    pass  # the observer already dropped a watch whose folder was removed
                self.watching = False
            if os.path.isdir(self.source) and not os.path.islink(self.source):
                try:
                    self.server.watch(self.source)
                    self.watching = True
                except OSError as err:  # removed again in between: the next event renews it
                    log.debug("cannot watch %s: %s", self.source, err)

    def _on_parent_event(self, event: Any) -> None:
        named = {os.fsdecode(event.src_path), os.fsdecode(getattr(event, "dest_path", "") or "")}
        if self.source not in named:
            return
        self.renew()
        request_rebuild(self.server)


def request_rebuild(server: Any) -> None:
    """Asks the server for a rebuild, as its own file watch does.

    MkDocs has no public call for this; its watch callback sets these two attributes
    (mkdocs 1.6, ProperDocs). Without them the next file event rebuilds instead."""
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None or not hasattr(server, "_want_rebuild"):
        return
    with condition:
        server._want_rebuild = True
        condition.notify_all()
