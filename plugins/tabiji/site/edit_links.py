"""Edit buttons of generated pages for an engine without the plugin (``tabiji generate``).

The engines compute a page's edit URL from its own file (``docs/map/journeys/x.md``, which
is generated and git-ignored), and none of them reads one from front matter. So each
generated page carries ``edit_url`` in its front matter (the YAML it comes from, or ``""``
for a page with no single source), and a theme partial (``assets/theme/partials/actions.html``,
placed by ``--engine-config``) shows the button from it. The URL is made as MkDocs makes it
from ``repo_url``, ``edit_uri`` and ``edit_uri_template``.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

# MkDocs' and Zensical's edit_uri when only repo_url is set, by host (docs folder appended).
DEFAULT_EDIT = {"github.com": "edit/master/", "gitlab.com": "edit/master/", "bitbucket.org": "src/default/"}


@dataclass(frozen=True)
class EditConfig:
    """The site's repository settings as mkdocs.yml gives them."""

    repo_url: str = ""
    edit_uri: str | None = None  # None: not given (a default may apply); "": no edit buttons
    edit_uri_template: str = ""

    @classmethod
    def of(cls, data: dict) -> "EditConfig":
        text = lambda key: data[key] if isinstance(data.get(key), str) else ""  # noqa: E731
        edit_uri = data.get("edit_uri")
        return cls(text("repo_url"), edit_uri if isinstance(edit_uri, str) else None, text("edit_uri_template"))

    def enabled(self) -> bool:
        return bool(self.edit_uri_template or self.edit_uri or self.edit_uri is None and self._default(""))

    def _default(self, docs: str) -> str:
        host = (urlsplit(self.repo_url).hostname or "") if self.repo_url else ""
        return DEFAULT_EDIT[host] + docs if host in DEFAULT_EDIT else ""


def edit_url(config: EditConfig, source: str | Path, docs_dir: Path, project: Path) -> str | None:
    """The address that opens ``source`` (a YAML file) for editing; None when the site has none.

    The path is relative to docs_dir (MkDocs joins it to edit_uri, which points at docs/), quoted:
    a file's name may hold spaces, '#', '?', quotes or any script."""
    rel = posixpath.relpath(Path(source).resolve().as_posix(), docs_dir.resolve().as_posix())
    path = quote(rel)
    if config.edit_uri_template:
        try:
            tail = config.edit_uri_template.format(path=path, path_noext=posixpath.splitext(path)[0])
        except (KeyError, IndexError, ValueError):  # a template MkDocs would refuse too
            return None
    elif config.edit_uri:
        tail = config.edit_uri.rstrip("/") + "/" + path
    elif config.edit_uri is None and config._default(""):
        docs = posixpath.relpath(docs_dir.resolve().as_posix(), project.resolve().as_posix())
        tail = config._default(docs.strip("/") + "/") + path
    else:
        return None
    base = config.repo_url
    if base and not tail.startswith(("?", "#")) and not base.endswith("/"):
        base += "/"
    url = urljoin(base, tail)
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:  # no repository to open it in
        return None
    if "/../" in parts.path or parts.path.endswith("/.."):  # the sources sit beside docs/
        url = urlunsplit(parts._replace(path=posixpath.normpath(parts.path)))
    return url


def with_edit_url(markdown: str, url: str | None) -> str:
    """The page with ``edit_url`` in its front matter ("" when the page has no single source)."""
    line = f"edit_url: {json.dumps(url or '', ensure_ascii=False)}\n"
    if markdown.startswith("---\n"):
        return "---\n" + line + markdown[4:]
    return f"---\n{line}---\n\n{markdown}"
