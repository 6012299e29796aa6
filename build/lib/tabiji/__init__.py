"""Tabiji (旅路): customer journey maps as code.

The core (loader, validate, index, pages, swimlane, svg) has no MkDocs import; ``plugin``
adapts it to MkDocs and ProperDocs.
"""

__version__ = "0.1.0"
