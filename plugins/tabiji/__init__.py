"""Tabiji (旅路): customer journey maps as code.

The data flows one way through the folders: core (the model) -> source (YAML read and
validated) -> index -> render (text and diagrams) -> review (git) -> site (the pages); the
front ends (mkdocs_plugin, markdown_ext, cli, exchange) drive it. Only mkdocs_plugin and
mkdocs_serve import MkDocs.
"""

__version__ = "0.1.0"
