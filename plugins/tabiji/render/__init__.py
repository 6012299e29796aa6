"""Text and diagrams: phrase breaking, glossary, conditions, swimlanes, roadmap diagrams, SVG, templates."""
