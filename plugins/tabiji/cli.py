"""The ``tabiji`` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import schema as schema_files
from .problems import InvalidSources
from .index import check_references, read_references
from .loader import display_path
from .validate import Site, load_site


@click.group()
@click.version_option(package_name="tabiji")
def main() -> None:
    """Tabiji: customer journey maps as code."""


@main.command()
@click.argument("source", default="journeys", type=click.Path(path_type=Path))
@click.option("--docs", "docs", default=None, type=click.Path(path_type=Path),
              help="Folder of hand-written pages whose [text](journey:id) links are checked too "
                   "[default: the docs/ folder beside SOURCE, if there is one].")
def validate(source: Path, docs: Path | None) -> None:
    """Check every YAML file under SOURCE (default: journeys) and the references between them.

    Prints one line per problem (file:line:column: field: expected ..., found ...) and
    exits with status 1 when there is any.
    """
    problems = []
    try:
        site = load_site(source)
    except InvalidSources as err:
        problems, site = err.problems, err.partial or Site()
    docs = docs or source.parent / "docs"
    for doc, (refs, _title) in read_references(docs).items():
        problems += check_references(display_path(docs / doc), refs, site)
    if problems:
        click.echo(str(InvalidSources(problems)), err=True)
        sys.exit(1)
    counts = {name: len(getattr(site, name)) for name in ("personas", "journeys", "departments", "kpis",
                                                          "touchpoints", "roadmaps", "roles", "glossary")}
    click.echo("ok: " + ", ".join(f"{n} {name}" for name, n in counts.items()))


@main.command()
@click.argument("folder", default="schema", type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Fail if the committed schemas differ from the model.")
def schema(folder: Path, check: bool) -> None:
    """Write the JSON Schemas of the source files into FOLDER (default: schema)."""
    if check:
        stale = schema_files.outdated(folder)
        if stale:
            click.echo(f"out of date in {folder}/: {', '.join(stale)}; run 'tabiji schema'", err=True)
            sys.exit(1)
        click.echo("schemas are up to date")
        return
    for name in schema_files.write(folder):
        click.echo(f"wrote {folder / name}")


if __name__ == "__main__":  # pragma: no cover
    main()
