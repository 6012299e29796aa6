"""``tabiji export``: one function that picks the exporter for a kind and a format."""

from __future__ import annotations

from pathlib import Path

from tabiji.source.validate import Site
from tabiji.exchange.errors import ExportError

__all__ = ["ExportError", "export"]


def export(kind: str, id_: str, fmt: str, site: Site, lang: str, source: Path, config: Path) -> str | bytes:
    if fmt == "json":
        from tabiji.exchange.export_json import to_json
        return to_json("journey" if kind == "journey" else kind, id_, site)
    if kind == "journey":
        journey = site.journeys[id_]
        if fmt == "xlsx":
            from tabiji.exchange.export_grid import to_xlsx
            return to_xlsx(journey, site, lang)
        if fmt == "csv":
            from tabiji.exchange.export_grid import to_csv
            return to_csv(journey, site, lang)
        if fmt == "mermaid":
            from tabiji.exchange.export_mermaid import to_mermaid
            return to_mermaid(journey, site, lang, site.source_file("journeys", id_))
        if fmt == "pptx":
            from tabiji.exchange.export_slides import journeys_deck
            return journeys_deck([journey], site, lang)
    else:
        roadmap = site.roadmaps[id_]
        if fmt == "csv":
            from tabiji.exchange.export_json import to_cs_csv
            return to_cs_csv(roadmap, site, lang)
        if fmt == "pptx":
            from tabiji.exchange.export_slides import roadmap_deck
            return roadmap_deck(roadmap, site, lang)
        if fmt == "xlsx":
            from tabiji.render.text import localize
            from tabiji.exchange.export_grid import workbook
            from tabiji.exchange.export_slides import roadmap_journeys
            return workbook([site.journeys[j] for j in roadmap_journeys(roadmap, site)], site, lang,
                            localize(roadmap.title, lang))
    if fmt in ("pdf", "png"):
        from tabiji.exchange.export_print import print_page
        return print_page(kind, id_, fmt, config, source)
    raise ExportError(f"--format {fmt} is not available for a {kind}")
