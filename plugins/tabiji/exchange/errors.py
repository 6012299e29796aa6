"""The one error every exporter raises (its own module, so exporters and the dispatcher in
``exporting`` do not import each other)."""


class ExportError(Exception):
    """An export that cannot be made here (no Chromium, a failed site build, ...)."""
