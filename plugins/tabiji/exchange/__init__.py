"""Journeys in and out of other tools: spreadsheets (``tabiji import``), and grids, Mermaid,
print, slides, JSON and CS-platform CSV (``tabiji export``).

Every exporter reads the validated model (and the existing renderers); the importer writes
YAML that the ordinary loader and validator accept. Nothing here imports MkDocs: printing
builds the site with the ``mkdocs`` command in a child process.
"""
