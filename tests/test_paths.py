"""Relative links computed for raw HTML, where MkDocs does not rewrite them."""

from __future__ import annotations

import posixpath

import pytest

from tabiji.core.paths import Paths


@pytest.mark.parametrize("directory_urls", [True, False])
def test_relative_links_match_posixpath(directory_urls: bool) -> None:
    """Our fast relative URL equals what posixpath.relpath gives, for every pair of page kinds."""
    paths = Paths("map", directory_urls)
    docs = ["index.md", "guide/writing.md", "guide/index.md", "map/index.md", "map/segments.md",
            "map/journeys/index.md", "map/journeys/a.md", "map/personas/b.md", "a/b/c/d.md"]
    for target in docs + ["map/journeys/a.svg"]:
        for origin in docs:
            t, o = paths.url(target), paths.url(origin)
            base = o[:-1] if o.endswith("/") else posixpath.dirname(o)
            expected = posixpath.relpath(t or ".", base or ".")
            if (not t or t.endswith("/")) and not expected.endswith("/"):
                expected += "/"
            assert paths.href(target, origin) == expected, (target, origin)
