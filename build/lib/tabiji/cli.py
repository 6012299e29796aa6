"""The ``tabiji`` command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
import yaml

from . import codeowners as owners_file
from . import freshness
from . import gitsource
from . import schema as schema_files
from .diff import MARKER, JSON_SCHEMA, diff_sites, render
from .labels import labels_for
from .problems import InvalidSources, Problem
from .index import check_references, read_references
from .loader import display_path
from .validate import Site, build_site, load_site


@click.group()
@click.version_option(package_name="tabiji")
def main() -> None:
    """Tabiji: customer journey maps as code."""


@main.command()
@click.argument("source", default="journeys", type=click.Path(path_type=Path))
@click.option("--docs", "docs", default=None, type=click.Path(path_type=Path),
              help="Folder of hand-written pages whose [text](journey:id) links are checked too "
                   "[default: the docs/ folder beside SOURCE, if there is one].")
@click.option("--stale", is_flag=True,
              help="Also report personas, journeys and roadmaps whose review is overdue (last_reviewed + "
                   "review_every before today, or TABIJI_TODAY=YYYY-MM-DD) or whose owner, review_every or "
                   "last_reviewed is missing; warnings unless --stale-error.")
@click.option("--stale-error", is_flag=True, help="With --stale: exit with status 1 when any is reported.")
def validate(source: Path, docs: Path | None, stale: bool, stale_error: bool) -> None:
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
    if stale or stale_error:
        on = _today()
        found = freshness.stale_problems(site, freshness.reviews(site, on), on)
        for problem in found:
            click.echo(f"{'error' if stale_error else 'warning'}: {problem}", err=True)
        if found:
            click.echo(f"{len(found)} review problem{'s' if len(found) != 1 else ''} on {on.isoformat()}", err=True)
        else:
            click.echo(f"every review is up to date on {on.isoformat()}")
        if found and stale_error:
            sys.exit(1)


def _today():
    try:
        return freshness.today()
    except ValueError as err:
        raise click.UsageError(str(err)) from None


# ------------------------------------------------------------------ site settings


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as !ENV or !!python/name: read them as plain values."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _site_settings(config: Path) -> tuple[str | None, str | None]:
    """(the plugin's source folder, the site's language) from mkdocs.yml, when readable."""
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
    except (OSError, yaml.YAMLError):
        return None, None
    source = language = None
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("tabiji"), dict):
            source = plugin["tabiji"].get("source")
            language = plugin["tabiji"].get("language")
        elif plugin == "tabiji" or isinstance(plugin, dict) and "tabiji" in plugin:
            source = source or "journeys"
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    language = language or theme.get("language")
    if source is not None:
        source = str((config.parent / source).resolve())
    return source, language


def _settings(config: Path, source: Path | None, lang: str | None) -> tuple[Path, str]:
    found_source, found_lang = _site_settings(config)
    return (source or Path(found_source or "journeys")), (lang or found_lang or "en")


# ------------------------------------------------------------------ diff


def _load_side(spec: str | None, source: Path, root: Path | None, rel: str) -> tuple[Site, list[Problem]]:
    """A site from a folder, from a git revision, or (spec None) from the working tree."""
    if spec is None or Path(spec).is_dir() and spec not in ("HEAD",):
        folder = source if spec is None else Path(spec)
        try:
            return load_site(folder), []
        except InvalidSources as err:
            return err.partial or Site(), err.problems
    if root is None:
        raise click.UsageError(f"'{spec}' is neither a folder nor a git revision (no git repository here)")
    try:
        documents, problems = gitsource.documents_at(root, spec, rel)
    except gitsource.GitError as err:
        raise click.UsageError(str(err)) from None
    site, found = build_site(documents)
    return site, problems + found


@main.command()
@click.argument("base")
@click.argument("head", required=False)
@click.option("--source", type=click.Path(path_type=Path), default=None,
              help="Folder of the YAML sources [default: the tabiji plugin's source in mkdocs.yml, else journeys].")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True,
              help="text for a terminal, md for a pull-request comment, json for other tools.")
@click.option("--lang", default=None, help="ja or en [default: the site's theme.language, else en].")
@click.option("-f", "--config-file", "config", type=click.Path(path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help="The site's mkdocs.yml (read for the source folder and the language).")
def diff(base: str, head: str | None, source: Path | None, fmt: str, lang: str | None, config: Path) -> None:
    """What changed in the map from BASE to HEAD, in words, and which departments must review it.

    BASE and HEAD are git revisions (e.g. origin/main HEAD) or two folders of sources. Without
    HEAD, BASE is compared with the sources in the working tree. Exits with status 1, printing
    the problems, when HEAD does not validate.
    """
    source, lang = _settings(config, source, lang)
    root = gitsource.toplevel(source.resolve()) if source.exists() else gitsource.toplevel(Path.cwd())
    rel = gitsource.relative(root, source.resolve()) if root else ""
    head_site, problems = _load_side(head, source, root, rel)
    if problems:
        _invalid_head(problems, fmt, lang, head or str(source))
        sys.exit(1)
    if root is not None and head is not None and not Path(base).is_dir() and not Path(head).is_dir():
        # two revisions: compare only the files that differ (the whole head was validated above)
        try:
            changed = gitsource.changed_files(root, base, head, rel)
            base_docs, _ = gitsource.documents_at(root, base, rel, changed)
            head_docs, _ = gitsource.documents_at(root, head, rel, changed)
        except gitsource.GitError as err:
            raise click.UsageError(str(err)) from None
        base_part, head_part = build_site(base_docs, False)[0], build_site(head_docs, False)[0]
        changes = diff_sites(base_part, head_part, head_site)
        click.echo(render(changes, base_part, head_part, lang, fmt, base, head, head_site), nl=False)
        return
    base_site, base_problems = _load_side(base, source, root, rel)
    if base_problems:
        click.echo(f"note: {base} has {len(base_problems)} problem(s); compared what did validate", err=True)
    changes = diff_sites(base_site, head_site)
    click.echo(render(changes, base_site, head_site, lang, fmt, base, head or str(source)), nl=False)


def _invalid_head(problems: list[Problem], fmt: str, lang: str, head: str) -> None:
    t = labels_for(lang)
    ordered = sorted(problems)
    if fmt == "json":
        click.echo(json.dumps({"schema": JSON_SCHEMA, "head": head, "valid": False,
                               "problems": [str(p) for p in ordered]}, ensure_ascii=False, indent=2))
    elif fmt == "md":
        body = "\n".join(str(p) for p in ordered)
        click.echo(f"{MARKER}\n## {t['diff.title']}\n\n:x: {t['diff.invalid']}\n\n```text\n{body}\n```")
    else:
        click.echo(t["diff.invalid"], err=True)
    click.echo(str(InvalidSources(problems)), err=True)


# ------------------------------------------------------------------ codeowners


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="Where to write [default: .github/CODEOWNERS at the root of the git repository].")
@click.option("--check", is_flag=True, help="Fail if the committed file differs from what the YAML says.")
@click.option("-f", "--config-file", "config", type=click.Path(path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help="The site's mkdocs.yml (read for the source folder).")
def codeowners(source: Path | None, output: Path | None, check: bool, config: Path) -> None:
    """Write .github/CODEOWNERS: each source file, reviewed by its departments' reviewers."""
    source, _ = _settings(config, source, None)
    try:
        site = load_site(source)
    except InvalidSources as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    root = gitsource.toplevel(source.resolve()) or Path.cwd()
    output = output or root / ".github" / "CODEOWNERS"
    label = gitsource.relative(root, source.resolve()) if source.resolve().is_relative_to(root.resolve()) \
        else source.name
    text = owners_file.render(site, root, label or ".")
    if check:
        current = output.read_text(encoding="utf-8") if output.is_file() else None
        if current != text:
            why = "is missing" if current is None else "is out of date"
            click.echo(f"{display_path(output)} {why}; run 'tabiji codeowners' and commit it", err=True)
            sys.exit(1)
        click.echo(f"{display_path(output)} is up to date")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"wrote {display_path(output)}")


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
