"""The ``tabiji`` command line."""

from __future__ import annotations

import json
import posixpath
import os
import sys
import time
from pathlib import Path

import click
import yaml

from tabiji.review import codeowners as owners_file
from tabiji.review import freshness
from tabiji.review import gitsource
from tabiji import schema as schema_files
from tabiji.review.diff import MARKER, JSON_SCHEMA, cap_comment, diff_sites, render
from tabiji.core.labels import LANGS, labels_for, site_labels
from tabiji.core.problems import InvalidSources, Problem
from tabiji.index import check_references, read_references
from tabiji.site.generate import AnyTagLoader
from tabiji.source.loader import display_path
from tabiji.source.validate import LABELS_FOLDER, YAML_SUFFIXES, Site, build_site, load_site, symlinks_under


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
                   "last_reviewed is missing, and every target or threshold not set yet ({undecided: ...}) "
                   "as a note; warnings unless --stale-error (notes never fail).")
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
    problems += symlinks_under(docs)
    for doc, (refs, _title) in read_references(docs).items():
        problems += check_references(display_path(docs / doc), refs, site)
    if problems:
        click.echo(str(InvalidSources(problems)), err=True)
        sys.exit(1)
    counts = {name: len(getattr(site, name)) for name in ("personas", "journeys", "departments", "kpis",
                                                          "touchpoints", "roadmaps", "roles", "glossary")}
    click.echo("ok: " + ", ".join(_count(n, name) for name, n in counts.items()))
    if stale or stale_error:
        on = _today()
        found = freshness.stale_problems(site, freshness.reviews(site, on), on)
        for problem in found:
            click.echo(f"{'error' if stale_error else 'warning'}: {problem}", err=True)
        if found:
            click.echo(f"{len(found)} review problem{'s' if len(found) != 1 else ''} on {on.isoformat()}", err=True)
        else:
            click.echo(f"every review is up to date on {on.isoformat()}")
        # Targets not set yet are notes, never failures: a workshop's 「◯人以上」 is honest.
        from tabiji.source.undecided import undecided_notes
        notes = undecided_notes(site)
        for note in notes:
            click.echo(f"note: {note}", err=True)
        if notes:
            click.echo(f"{len(notes)} target{'s' if len(notes) != 1 else ''} not set yet (undecided)", err=True)
        if found and stale_error:
            sys.exit(1)


@main.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@click.option("-f", "--config-file", "config", type=click.Path(path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help="The site's mkdocs.yml: its tabiji 'checks' set each rule to warn, error "
                                      "or off, and its 'source' is the default SOURCE.")
def check(source: Path | None, config: Path) -> None:
    """Check the map's logic (every pain point has a measure, every KPI is used, ...).

    Validates SOURCE first (default: the tabiji plugin's source in mkdocs.yml, else journeys),
    then prints one line per finding (file:line:column: field: what is wrong [rule]) and
    exits with status 1 when there is any. The rules and their reasons are in the writer's guide.
    """
    from tabiji.source import rules
    source, _ = _settings(config, source, None)
    configured, errors = rules.settings(_site_checks(config))
    if errors:
        raise click.UsageError(f"{display_path(config)}: " + "; ".join(errors))
    try:
        site = load_site(source)
    except InvalidSources as err:
        click.echo(str(err), err=True)
        click.echo("the map's logic is checked once these problems are fixed", err=True)
        sys.exit(1)
    found = rules.run(site, configured)
    for severity, finding in found:
        click.echo(f"{'error' if severity == 'error' else 'warning'}: {finding}", err=True)
    if found:
        click.echo(rules.summary(found), err=True)
        sys.exit(1)
    active = sum(1 for severity in configured.values() if severity != "off")
    click.echo(f"ok: {active} rule{'s' if active != 1 else ''}, no findings")


@main.command()
@click.argument("kind", type=click.Choice(["journey", "persona", "roadmap"]))
@click.argument("id_", metavar="ID")
@click.option("--source", type=click.Path(path_type=Path), default=None,
              help="Folder of the YAML sources [default: the tabiji plugin's source in mkdocs.yml, else journeys].")
@click.option("--lang", default=None, help="Language of the example texts, ja or en [default: the site's].")
@click.option("-f", "--config-file", "config", type=click.Path(path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help="The site's mkdocs.yml.")
def new(kind: str, id_: str, source: Path | None, lang: str | None, config: Path) -> None:
    """Start a journey, persona or roadmap: write a commented skeleton for ID into the source folder.

    The skeleton names the site's departments, personas and KPIs and validates at once;
    replace its texts in brackets. Never overwrites a file.
    """
    from tabiji.source.skeleton import Refused, skeleton
    source, lang = _settings(config, source, lang)
    site = _site_or_partial(source)
    schema_dir = (config.parent if config.is_file() else source.parent) / "schema"
    try:
        made = skeleton(kind, id_, site, source, lang, schema_dir)
    except Refused as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    made.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(made.path, "x", encoding="utf-8") as handle:  # "x": never over a file made meanwhile
            handle.write(made.text)
    except OSError as err:
        click.echo(f"error: {display_path(made.path)}: {err.strerror or err}", err=True)
        sys.exit(1)
    click.echo(f"wrote {display_path(made.path)}: replace the texts in brackets, then run 'tabiji validate' "
               "and 'tabiji check'")


def _site_checks(config: Path) -> object:
    """The tabiji plugin's ``checks`` setting in mkdocs.yml, if any."""
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=AnyTagLoader) or {}
    except (OSError, yaml.YAMLError):
        return None
    for plugin in (data.get("plugins") or []) if isinstance(data, dict) else []:
        if isinstance(plugin, dict) and isinstance(plugin.get("tabiji"), dict):
            return plugin["tabiji"].get("checks")
    return None


def _today():
    try:
        return freshness.today()
    except ValueError as err:
        raise click.UsageError(str(err)) from None


# ------------------------------------------------------------------ site settings




def _site_settings(config: Path) -> tuple[str | None, str | None]:
    """(the plugin's source folder, the site's language) from mkdocs.yml, when readable."""
    try:
        data = yaml.load(config.read_text(encoding="utf-8"), Loader=AnyTagLoader) or {}
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


def _folder_side(folder: Path) -> tuple[Site, list[Problem]]:
    try:
        return load_site(folder), []
    except InvalidSources as err:
        return err.partial or Site(), err.problems


def _revision_side(rev: str, root: Path | None, rel: str) -> tuple[Site, list[Problem]]:
    """A site from a git revision, read from git only: a folder named like the revision
    (``origin/main/``) is never taken for it."""
    if root is None:
        raise click.UsageError(f"'{rev}' is a git revision, but there is no git repository here "
                               "(compare folders with --base-folder and --head-folder)")
    try:
        documents, problems = gitsource.documents_at(root, rev, rel)
    except gitsource.GitError as err:
        raise click.UsageError(str(err)) from None
    site, found = build_site(documents)
    return site, problems + found


@main.command()
@click.argument("base", required=False)
@click.argument("head", required=False)
@click.option("--base-folder", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
              help="Compare from this folder of sources instead of a revision BASE.")
@click.option("--head-folder", type=click.Path(path_type=Path, file_okay=False, exists=True), default=None,
              help="Compare to this folder of sources instead of a revision HEAD.")
@click.option("--source", type=click.Path(path_type=Path), default=None,
              help="Folder of the YAML sources [default: the tabiji plugin's source in mkdocs.yml, else journeys].")
@click.option("--format", "fmt", type=click.Choice(["text", "md", "json"]), default="text", show_default=True,
              help="text for a terminal, md for a pull-request comment, json for other tools.")
@click.option("--max-chars", type=click.IntRange(min=1000), default=None,
              help="md: cut the comment to this many characters, ending with a pointer to the full diff "
                   "(GitHub refuses comments over 65,536).")
@click.option("--full-diff-at", default=None,
              help="md with --max-chars: where readers find the full diff (e.g. the job summary's address).")
@click.option("--lang", default=None, help="ja or en [default: the site's theme.language, else en].")
@click.option("-f", "--config-file", "config", type=click.Path(path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help="The site's mkdocs.yml (read for the source folder and the language).")
def diff(base: str | None, head: str | None, base_folder: Path | None, head_folder: Path | None,
         source: Path | None, fmt: str, max_chars: int | None, full_diff_at: str | None, lang: str | None,
         config: Path) -> None:
    """What changed in the map from BASE to HEAD, in words, and which departments must review it.

    BASE and HEAD are git revisions (e.g. origin/main HEAD), always read from git. Folders of
    sources are named with --base-folder and --head-folder instead. Without HEAD (and
    --head-folder), the base is compared with the sources in the working tree. Exits with
    status 1, printing the problems, when the head does not validate.
    """
    if (base is None) == (base_folder is None):
        raise click.UsageError("give the base as a revision BASE or as --base-folder, exactly one of them")
    if head is not None and head_folder is not None:
        raise click.UsageError("give the head as a revision HEAD or as --head-folder, not both")
    source, lang = _settings(config, source, lang)
    root = gitsource.toplevel(source.resolve()) if source.exists() else gitsource.toplevel(Path.cwd())
    rel = gitsource.relative(root, source.resolve()) if root else ""
    head_name = head or str(head_folder or source)
    if head is not None:
        head_site, problems = _revision_side(head, root, rel)
    else:
        head_site, problems = _folder_side(head_folder or source)
    if problems:
        _invalid_head(problems, fmt, lang, head_name)
        sys.exit(1)
    if base is not None and head is not None:
        # two revisions: compare only the files that differ (the whole head was validated above)
        assert root is not None
        try:
            changed = gitsource.changed_files(root, base, head, rel)
            base_docs, _ = gitsource.documents_at(root, base, rel, changed)
            head_docs, _ = gitsource.documents_at(root, head, rel, changed)
        except gitsource.GitError as err:
            raise click.UsageError(str(err)) from None
        base_site, head_part = build_site(base_docs, False)[0], build_site(head_docs, False)[0]
        changes = diff_sites(base_site, head_part, head_site)
        words = _base_labels(root, base, rel)
        with site_labels(words):
            text = render(changes, base_site, head_part, lang, fmt, base, head, head_site)
    else:
        base_site, base_problems = (_revision_side(base, root, rel) if base is not None
                                    else _folder_side(base_folder))  # type: ignore[arg-type]
        if base_problems:
            click.echo(f"note: {base or base_folder} has {_count(len(base_problems), 'problems')}; "
                       "compared what did validate", err=True)
        changes = diff_sites(base_site, head_site)
        words = base_site.labels
        with site_labels(words):
            text = render(changes, base_site, head_site, lang, fmt, base or str(base_folder), head_name)
    if fmt == "md":
        with site_labels(words):
            text = _with_mermaid(text, changes, head_site, lang, max_chars)
            if max_chars is not None:
                text = cap_comment(text, max_chars, labels_for(lang), full_diff_at)
    click.echo(text, nl=False)


def _base_labels(root: Path, base: str, rel: str) -> dict[str, dict[str, str]]:
    """The base revision's label overrides: a comment is worded as the reviewed branch words it,
    never by the pull request under review."""
    names = {posixpath.join(rel, LABELS_FOLDER, f"{lang}{suffix}") for lang in LANGS for suffix in YAML_SUFFIXES}
    try:
        documents, _ = gitsource.documents_at(root, base, rel, names)
    except gitsource.GitError:
        return {}
    return build_site(documents, False)[0].labels


def _with_mermaid(text: str, changes, head_site: Site, lang: str, max_chars: int | None) -> str:
    """The diff comment, plus the changed journeys as Mermaid diagrams when they fit."""
    from tabiji.exchange.export_mermaid import COMMENT_LIMIT, pr_section
    ids = list(dict.fromkeys(c.id for c in changes if c.collection == "journeys"))
    room = min(COMMENT_LIMIT, max_chars or COMMENT_LIMIT) - len(text)
    return text + pr_section(ids, head_site, lang, room) if room > 0 else text


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


# ------------------------------------------------------------------ generate


@main.command()
@click.option("-f", "--config-file", "config", type=click.Path(path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help="The site's mkdocs.yml (read for the tabiji plugin's options).")
@click.option("--watch", is_flag=True, help="Write the map again whenever a source changes (for zensical serve).")
@click.option("--engine-config", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write a copy of mkdocs.yml for an engine without the plugin (e.g. zensical.yml): "
                   "the map's nav, its stylesheet and the tabiji.markdown_ext extension added.")
def generate(config: Path, watch: bool, engine_config: Path | None) -> None:
    """Write the map's pages, diagrams, stylesheet and nav.yml into docs/<prefix>/, for an
    engine that builds Markdown without the tabiji plugin (Zensical, ProperDocs, MkDocs).

    The folder is git-ignored and replaced whole; a failed run leaves the previous one."""
    from tabiji.site import generate as gen
    settings = _or_exit(lambda: gen.read_settings(config))
    if not watch:
        generated = _or_exit(lambda: gen.generated_map(settings, _today()))
        folder = _or_exit(lambda: gen.write_map(settings, generated))
        if engine_config:
            note = gen.engine_config(settings, generated, engine_config)
            click.echo(f"wrote {display_path(engine_config)}")
            if note:
                click.echo(note)
        click.echo(f"wrote {display_path(folder)}/")
        return
    seen = None
    while True:  # polling survives the source folder being moved away and back, unlike file watches
        now = gen.source_fingerprint(settings.source)
        if now != seen:
            seen = now
            try:
                folder = gen.write_map(settings, gen.generated_map(settings, _today()))
                click.echo(f"wrote {display_path(folder)}/")
            except InvalidSources as err:
                click.echo(str(err), err=True)
        time.sleep(0.5)


def _or_exit(action):
    try:
        return action()
    except InvalidSources as err:
        click.echo(str(err), err=True)
        sys.exit(1)


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


# ------------------------------------------------------------------ import / export (exchange/)


def _help_lang() -> str:
    """The language of the import/export help: TABIJI_LANG, else the locale (LANG, LC_ALL,
    LC_MESSAGES), else the site's theme.language in ./mkdocs.yml, else English."""
    for var in ("TABIJI_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return "ja" if value.lower().startswith("ja") else "en"
    _, lang = _site_settings(Path("mkdocs.yml"))
    return "ja" if (lang or "").startswith("ja") else "en"


_HELP_LANG = _help_lang()


def _h(en: str, ja: str) -> str:
    return ja if _HELP_LANG == "ja" else en


@main.command("import", help=_h(
    "Read a journey drawn in a spreadsheet (FILE.xlsx, .xls, .ods or .csv) and write it as journey YAML.\n\n"
    "Phases (merged over their steps) and steps across the first rows, one lane per row with its name "
    "in the first column. Catalog names become ids, unknown lane names become text lanes, emotion words "
    "with a number become scores; every guess is a '# guessed' comment. CSV may be UTF-8 (with or "
    "without BOM) or Shift_JIS/CP932. Writes to stdout without -o; never overwrites a file without --force.",
    "表計算で描いたジャーニー（FILE.xlsx・.xls・.ods・.csv）を読み、ジャーニーの YAML を書きます。\n\n"
    "先頭の行にフェーズ（ステップの上で結合）とステップ、1行に1レーン（1列目にレーン名）。カタログの名前は "
    "ID に、知らないレーン名は text レーンに、数字つきの感情の言葉はスコアになります。推測した箇所には "
    "「# guessed」のコメントが付きます。CSV は UTF-8（BOM 付き・なし）と Shift_JIS/CP932 に対応。-o が"
    "なければ標準出力に書き、--force がなければ既存のファイルを上書きしません。"))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=_h("Where to write the YAML [default: stdout].", "YAML の書き出し先 [既定: 標準出力]"))
@click.option("--force", is_flag=True, help=_h("Overwrite OUTPUT if it exists.", "OUTPUT が既にあれば上書きする"))
@click.option("--sheet", default=None, help=_h("The workbook's sheet to read [default: the first with a journey].",
                                               "読むシート名 [既定: ジャーニーのある最初のシート]"))
@click.option("--source", type=click.Path(path_type=Path), default=None,
              help=_h("Folder of the YAML sources whose catalog names are matched [default: from mkdocs.yml, "
                      "else journeys].", "名前を照合するカタログのあるソースフォルダ [既定: mkdocs.yml の設定、なければ journeys]"))
@click.option("--lang", default=None, help=_h("Language of the sheet's texts, ja or en [default: the site's].",
                                              "シートの文章の言語 ja / en [既定: サイトの言語]"))
@click.option("-f", "--config-file", "config", type=click.Path(path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help=_h("The site's mkdocs.yml.", "サイトの mkdocs.yml"))
def import_(file: Path, output: Path | None, force: bool, sheet: str | None, source: Path | None,
            lang: str | None, config: Path) -> None:
    from tabiji.exchange.import_sheet import SheetErrors
    from tabiji.exchange.importing import import_file
    source, lang = _settings(config, source, lang)
    if output is not None and output.exists() and not force:
        click.echo(f"{display_path(output)} exists; add --force to overwrite it", err=True)
        sys.exit(1)
    site = _site_or_partial(source)
    try:
        result = import_file(file, display_path(file), site, source, lang, sheet, output)
    except SheetErrors as err:
        click.echo(str(err), err=True)
        n = len(err.problems)
        click.echo(f"{n} problem{'s' if n != 1 else ''} found", err=True)
        sys.exit(1)
    except Exception as err:  # noqa: BLE001 - a bug of ours must still not print a traceback
        _bug(display_path(file), "imported", err)
    if output is None:
        click.echo(result.text, nl=False)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(result.text, encoding="utf-8")
        click.echo(f"wrote {display_path(output)} from sheet '{result.sheet}' ({result.guesses} guess"
                   f"{'es' if result.guesses != 1 else ''} to check)", err=True)
    if result.problems:
        click.echo(str(InvalidSources(result.problems)), err=True)
        sys.exit(1)


def _bug(what: str, done: str, err: Exception) -> None:
    if os.environ.get("TABIJI_DEBUG"):
        raise err
    click.echo(f"{what}: could not be {done} ({type(err).__name__}: {err}); this is a bug in tabiji: please "
               "report it with the file (TABIJI_DEBUG=1 shows where it happened)", err=True)
    sys.exit(1)


def _site_or_partial(source: Path) -> Site:
    try:
        return load_site(source)
    except InvalidSources as err:
        return err.partial or Site()


EXPORT_FORMATS = {
    "journey": ("xlsx", "csv", "mermaid", "pdf", "png", "pptx", "json"),
    "roadmap": ("pdf", "png", "pptx", "xlsx", "json", "csv"),
    "playbook": ("pdf", "png", "json", "csv"),
}
BINARY = {"xlsx", "pdf", "png", "pptx"}


@main.command(help=_h(
    "Export a journey, a roadmap or a playbook for other tools.\n\n"
    "journey: xlsx/csv (the grid, phases merged, the emotion as a scored row and a chart), mermaid (a lossy "
    "Mermaid journey), pdf/png (the site's page printed by Chromium, A3 landscape), pptx (one slide), json. "
    "roadmap: pdf/png, pptx (the roadmap and one slide per journey), xlsx (one sheet per journey), json, csv (guided actions and "
    "health-score candidates for Gainsight, ChurnZero or HubSpot). playbook: pdf/png (A4), json, csv. "
    "Text formats go to stdout without -o.",
    "ジャーニー・ロードマップ・プレイブックを他のツール向けに書き出します。\n\n"
    "journey: xlsx/csv（同じ表。フェーズは結合、感情はスコアの行とグラフ）、mermaid（情報の一部を "
    "Mermaid の journey 図に）、pdf/png（サイトのページを Chromium で印刷、A3 横）、pptx（1枚のスライド）、json。"
    "roadmap: pdf/png、pptx（ロードマップと各ジャーニーのスライド）、xlsx（ジャーニーごとに1シート）、json、csv（誘導アクションと"
    "ヘルススコア候補。Gainsight・ChurnZero・HubSpot 向け）。playbook: pdf/png（A4）、json、csv。"
    "テキスト形式は -o がなければ標準出力に書きます。"))
@click.argument("kind", type=click.Choice(sorted(EXPORT_FORMATS)))
@click.argument("id_", metavar="ID")
@click.option("--format", "fmt", required=True,
              type=click.Choice(sorted({f for fs in EXPORT_FORMATS.values() for f in fs})),
              help=_h("The output format.", "出力形式"))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help=_h("Where to write [default: stdout for text formats].", "書き出し先 [既定: テキスト形式は標準出力]"))
@click.option("--force", is_flag=True, help=_h("Overwrite OUTPUT if it exists.", "OUTPUT が既にあれば上書きする"))
@click.option("--source", type=click.Path(path_type=Path), default=None,
              help=_h("Folder of the YAML sources [default: from mkdocs.yml, else journeys].",
                      "YAML ソースのフォルダ [既定: mkdocs.yml の設定、なければ journeys]"))
@click.option("--lang", default=None, help=_h("ja or en [default: the site's theme.language].",
                                              "ja / en [既定: サイトの theme.language]"))
@click.option("--encoding", type=click.Choice(["utf-8", "utf-8-sig", "cp932"]), default=None,
              help=_h("CSV encoding [default: utf-8-sig for files (Excel reads it), utf-8 on stdout].",
                      "CSV の文字コード [既定: ファイルは utf-8-sig（Excel で開ける）、標準出力は utf-8]"))
@click.option("-f", "--config-file", "config", type=click.Path(path_type=Path), default=Path("mkdocs.yml"),
              show_default=True, help=_h("The site's mkdocs.yml (pdf and png build the site with it).",
                                         "サイトの mkdocs.yml（pdf と png はこれでサイトを作ります）"))
def export(kind: str, id_: str, fmt: str, output: Path | None, force: bool, source: Path | None,
           lang: str | None, encoding: str | None, config: Path) -> None:
    from tabiji.exchange import exporting
    if fmt not in EXPORT_FORMATS[kind]:
        raise click.UsageError(f"--format {fmt} is not available for a {kind}; use one of "
                               + ", ".join(EXPORT_FORMATS[kind]))
    if fmt in BINARY and output is None:
        raise click.UsageError(f"--format {fmt} writes a binary file: give it with -o FILE.{fmt}")
    if output is not None and output.exists() and not force:
        click.echo(f"{display_path(output)} exists; add --force to overwrite it", err=True)
        sys.exit(1)
    source, lang = _settings(config, source, lang)
    try:
        site = load_site(source)
    except InvalidSources as err:
        click.echo(str(err), err=True)
        sys.exit(1)
    collection = "journeys" if kind == "journey" else "roadmaps"
    if id_ not in getattr(site, collection):
        from tabiji.core.problems import suggest
        raise click.UsageError(f"no {kind} with id '{id_}'; {suggest(id_, getattr(site, collection))}")
    try:
        data = exporting.export(kind, id_, fmt, site, lang, source, config)
    except exporting.ExportError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    except Exception as err:  # noqa: BLE001 - a bug of ours must still not print a traceback
        _bug(f"{kind} '{id_}'", f"exported as {fmt}", err)
    if isinstance(data, str):
        if output is None and encoding and fmt == "csv":
            click.get_binary_stream("stdout").write(data.encode(encoding, errors="replace"))
            return
        if output is None:
            click.echo(data, nl=False)
            return
        data = data.encode(encoding or ("utf-8-sig" if fmt == "csv" else "utf-8"), errors="replace") \
            if fmt == "csv" else data.encode("utf-8")
    elif output is None:  # pragma: no cover - BINARY formats are refused above
        raise click.UsageError("give -o FILE")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    click.echo(f"wrote {display_path(output)}", err=True)


_SINGULAR = {"personas": "persona", "journeys": "journey", "departments": "department", "kpis": "KPI",
             "touchpoints": "touchpoint", "roadmaps": "roadmap", "roles": "role", "glossary": "glossary term",
             "problems": "problem", "files": "file"}


def _count(n: int, plural: str) -> str:
    """'1 journey', '2 journeys', '0 glossary terms': a count with its noun in the right number."""
    one = _SINGULAR.get(plural, plural)
    if n == 1:
        return f"{n} {one}"
    many = {"kpis": "KPIs", "glossary": "glossary terms"}.get(plural, plural)
    return f"{n} {many}"


if __name__ == "__main__":  # pragma: no cover
    main()
