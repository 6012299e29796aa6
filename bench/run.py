#!/usr/bin/env python3
"""Tabiji benchmark: a Tabiji site of N journeys against a plain Material site of the same pages.

    python3 bench/run.py --sizes 100 1000 [--repeat 3] [--out results.json] [--profile]
                         [--serve-edit] [--keep DIR]

For each N it generates a site in a git repository with history (bench/sites.py), builds it
once untimed to read its pages and navigation, writes the small-page floor (a plain Material
site of as many small pages with the same navigation) and today's baseline (the plugin's own
output written as files), then times the three ``mkdocs build`` in interleaved rounds, the
plugin's own work in-process, ``tabiji validate``, ``tabiji diff HEAD~1 HEAD`` and, with
--serve-edit, how long ``mkdocs serve`` takes to show an edit. It only reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import os
import platform
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from importlib.resources import files as package_files
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sites  # noqa: E402  (bench/sites.py, next to this file)

import tabiji  # noqa: E402
from tabiji import index as t_index  # noqa: E402
from tabiji.site import pages as t_pages  # noqa: E402
from tabiji.site import writer as t_writer  # noqa: E402
from tabiji.source import validate as t_validate  # noqa: E402
from tabiji.core.paths import Paths  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}
PREFIX = "map"
LANG = "ja"
CLOCKS = {
    "cpu_s": "CPU seconds, user + sys, of the child process and the children it waited for (os.wait4)",
    "user_s": "user CPU seconds of the child (os.wait4)",
    "sys_s": "system CPU seconds of the child (os.wait4)",
    "wall_s": "elapsed wall-clock seconds (time.perf_counter), includes waiting for the shared CPUs",
    "peak_rss_mb": "peak resident memory of the child or a child it waited for, MiB (ru_maxrss from os.wait4)",
    "in_process_cpu_s": "CPU seconds of this process (time.process_time)",
    "serve_wall_s": "wall-clock seconds from the write of the edited YAML until the served HTML holds the token",
}
SIDES = {  # the timed builds, in the order of the first round
    "tabiji": "Tabiji site",
    "floor": "small-page floor: plain Material, same pages + nav",
    "plugin_output": "2nd row: the plugin's output as plain files",
}


# ------------------------------------------------------------------ child processes


@dataclass
class Run:
    wall_s: float
    user_s: float
    sys_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    output: str


# A small launcher between the bench and each timed command. A child exec'd straight from this
# process would inherit its high-water RSS (Linux keeps the pre-exec mm's peak in ru_maxrss, and
# this process holds the in-process site), so every peak would read at least as large as the bench.
LAUNCHER = """\
import json, os, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, ru = os.wait4(proc.pid, 0)
wall = time.perf_counter() - t0
with open(sys.argv[1], "w") as f:
    json.dump({"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime, "maxrss_kb": ru.ru_maxrss,
               "code": os.waitstatus_to_exitcode(status)}, f)
"""


def run_child(cmd: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Runs ``cmd`` through the launcher, which reads the command's own resource usage from
    os.wait4 (its CPU time, including the children it waited for, and its peak RSS) and times it."""
    with tempfile.TemporaryFile() as log, tempfile.TemporaryDirectory() as tmp:
        usage_file = Path(tmp) / "usage.json"
        done = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, str(usage_file), *cmd], cwd=cwd,
                              env=env or ENV, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
        if not usage_file.exists():
            raise SystemExit(f"could not run {cmd[:4]} ({done.returncode}):\n{output[-3000:]}")
        u = json.loads(usage_file.read_text())
    return Run(u["wall"], u["user"], u["sys"], u["user"] + u["sys"], u["maxrss_kb"] / 1024, u["code"], output)


def stats(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


def run_stats(runs: list[Run]) -> dict:
    return {key: stats([getattr(r, key) for r in runs]) for key in ("cpu_s", "user_s", "sys_s", "wall_s", "peak_rss_mb")}


def _must(run: Run, what: str) -> Run:
    if run.returncode != 0:
        raise SystemExit(f"{what} failed ({run.returncode}):\n{run.output[-5000:]}")
    return run


def _tabiji_cmd() -> list[str]:
    exe = Path(sys.executable).with_name("tabiji")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "tabiji.cli"]


def mkdocs_build_cmd(config: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(out)]


# ------------------------------------------------------------------ builds


@dataclass
class Side:
    name: str
    site: Path
    out: Path

    def build(self) -> Run:
        """A cold build: no output folder, no file an earlier build left in a git source
        repository, an empty XDG cache folder (a persistent cache would make rounds warm)."""
        shutil.rmtree(self.out, ignore_errors=True)
        if (self.site / ".git").is_dir():
            sites.git(self.site, "clean", "-fdxq")
        with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
            return _must(run_child(mkdocs_build_cmd(self.site / "mkdocs.yml", self.out), self.site,
                                   {**ENV, "XDG_CACHE_HOME": cache}),
                         f"mkdocs build of {self.site}")


def shape_build(site: Path, hook: Path, out: Path, dump: Path) -> tuple[Run, dict]:
    """The untimed first build of a side, with the hook that writes its navigation."""
    config = sites.write_shape_config(site, hook)
    shutil.rmtree(out, ignore_errors=True)
    run = _must(run_child(mkdocs_build_cmd(config, out), site, {**ENV, "BENCH_NAV_DUMP": str(dump)}),
                f"mkdocs build of {config}")
    return run, sites.read_shape(dump)


def interleaved(sides: list[Side], repeat: int) -> tuple[dict[str, list[Run]], list[list[str]]]:
    """``repeat`` rounds of one build per side, in mirrored order (A B C, C B A, A B C, ...): the
    first two sides always run back to back, and a drift in the machine's speed falls on both
    sides of every pair alike."""
    runs: dict[str, list[Run]] = {s.name: [] for s in sides}
    orders = []
    for i in range(repeat):
        order = sides if i % 2 == 0 else sides[::-1]
        orders.append([s.name for s in order])
        for side in order:
            runs[side.name].append(side.build())
            print(f"    round {i + 1}: {side.name:<14} {runs[side.name][-1].cpu_s:7.2f} s CPU "
                  f"{runs[side.name][-1].wall_s:7.2f} s wall", flush=True)
    return runs, orders


def paired_ratio(a: list[Run], b: list[Run]) -> dict:
    """A/B round by round (each pair ran back to back), for CPU and wall time."""
    return {"cpu": stats([x.cpu_s / y.cpu_s for x, y in zip(a, b)]),
            "wall": stats([x.wall_s / y.wall_s for x, y in zip(a, b)])}


def html_pages(site_dir: Path) -> int:
    return sum(1 for p in site_dir.rglob("*.html") if p.name != "404.html")


def page_stats(site_dir: Path, url: str) -> dict:
    html_path = site_dir / url / "index.html"
    if not html_path.is_file():
        return {"html_bytes": None, "nav_items": None}
    html = html_path.read_text(encoding="utf-8")
    return {"html_bytes": len(html.encode("utf-8")),
            "nav_items": len(re.findall(r'<li class="md-nav__item[" ]', html))}


def leftovers(site: Path) -> list[str]:
    """Files a build left in the source repository (a cache there would make later runs warm)."""
    out = sites.git(site, "status", "--porcelain", "--ignored", "--untracked-files=all")
    return [line[3:] for line in out.splitlines() if line[3:] != "mkdocs.shape.yml"]


# ------------------------------------------------------------------ today's baseline


def _nav_yaml(node) -> dict | str:
    """A NavNode as an explicit MkDocs nav entry (a section's first child is its index page)."""
    if not node.children:
        return {node.title: node.doc}
    children = ([node.doc] if node.doc else []) + [_nav_yaml(c) for c in node.children]
    return {node.title: children}


def write_baseline(dest: Path, generated) -> None:
    """The plugin's Markdown and SVGs as ordinary files, the same mkdocs.yml minus tabiji, the
    generated nav written out, Tabiji's CSS and the extensions the plugin adds."""
    docs = dest / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(
        "# ベンチマーク\n\nこのサイトは `bench/run.py` が生成した合成データです。"
        "[カスタマージャーニー](map/index.md) をご覧ください。\n", encoding="utf-8")
    for page in generated.pages:
        path = docs / page.doc
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, encoding="utf-8")
    for doc, text in generated.assets.items():
        path = docs / doc
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    css = "assets/tabiji/tabiji.css"
    (docs / css).parent.mkdir(parents=True, exist_ok=True)
    (docs / css).write_text((package_files("tabiji") / "assets" / "tabiji.css").read_text(encoding="utf-8"),
                            encoding="utf-8")
    config = sites.site_config(with_plugin=False)
    config["extra_css"] = [css]
    config["markdown_extensions"] = ["attr_list", "toc"]
    config["nav"] = ["index.md", _nav_yaml(generated.nav)]
    sites._dump(dest / "mkdocs.yml", config)


# ------------------------------------------------------------------ in-process plugin work


def _clear_caches() -> None:
    """Empty every lru_cache in tabiji, so each in-process run starts as cold as a fresh build."""
    for name, mod in list(sys.modules.items()):
        if name == "tabiji" or name.startswith("tabiji."):
            for obj in list(vars(mod).values()):
                if callable(getattr(obj, "cache_clear", None)):
                    obj.cache_clear()


class _Timed:
    """Wraps a module-level function and sums the CPU time spent in it (for the step split).
    A function that is not there (renamed by a later change) is reported as missing."""

    def __init__(self, module, name: str):
        self.module, self.name, self.total = module, name, 0.0
        self.orig = getattr(module, name, None)

    def __enter__(self):
        orig = self.orig
        if orig is None:
            return self

        def wrapper(*args, **kwargs):
            c0 = time.process_time()
            try:
                return orig(*args, **kwargs)
            finally:
                self.total += time.process_time() - c0

        setattr(self.module, self.name, wrapper)
        return self

    def __exit__(self, *exc):
        if self.orig is not None:
            setattr(self.module, self.name, self.orig)

    @property
    def value(self) -> float | None:
        return self.total if self.orig is not None else None


STEPS = [  # (label, module, function) inside load_site / build_pages
    ("yaml_read", t_validate, "load_file"), ("models_refs", t_validate, "build_site"),
    ("swimlanes", t_writer, "render_swimlane"), ("svgs", t_writer, "render_svg"),
    ("roadmap_pages", t_pages, "build_roadmap_pages"),
]


def plugin_work(src: Path):
    site = t_validate.load_site(src)
    index = t_index.build_index(site)
    return t_pages.build_pages(site, index, LANG, Paths(prefix=PREFIX))


def time_in_process(src: Path, n: int, repeat: int) -> tuple[dict, object]:
    """load_site + build_index + build_pages, cold (caches emptied), in CPU time of this process."""
    keys = ["load_site", "build_index", "build_pages", "total"]
    cpu: dict[str, list[float]] = {k: [] for k in keys}
    wall: list[float] = []
    steps: dict[str, list] = {label: [] for label, _, _ in STEPS}
    generated = None
    for _ in range(repeat):
        _clear_caches()
        timers = [_Timed(mod, fn) for _, mod, fn in STEPS]
        for t in timers:
            t.__enter__()
        try:
            w0, c0 = time.perf_counter(), time.process_time()
            site = t_validate.load_site(src)
            c1 = time.process_time()
            index = t_index.build_index(site)
            c2 = time.process_time()
            generated = t_pages.build_pages(site, index, LANG, Paths(prefix=PREFIX))
            c3, w3 = time.process_time(), time.perf_counter()
        finally:
            for t in reversed(timers):
                t.__exit__()
        for key, value in zip(keys, (c1 - c0, c2 - c1, c3 - c2, c3 - c0)):
            cpu[key].append(value)
        wall.append(w3 - w0)
        for (label, _, _), t in zip(STEPS, timers):
            steps[label].append(t.value)
    result = {
        "clock": CLOCKS["in_process_cpu_s"],
        "cpu_s": {k: stats(v) for k, v in cpu.items()},
        "wall_s": stats(wall),
        "ms_per_journey_cpu": 1000 * statistics.median(cpu["total"]) / n,
        "steps_cpu_s": {k: (None if None in v else stats(v)) for k, v in steps.items()},
    }
    return result, generated


def profile_build(site: Path, out: Path, top: int = 30) -> str:
    """cProfile of one full ``mkdocs build`` of the Tabiji site in this process, caches cold."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    _clear_caches()
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    cwd = Path.cwd()
    os.chdir(site)
    try:
        os.environ["NO_MKDOCS_2_WARNING"] = "1"
        config = load_config(str(site / "mkdocs.yml"), site_dir=str(out))
        config.plugins.on_startup(command="build", dirty=False)
        prof = cProfile.Profile()
        prof.enable()
        build(config)
        prof.disable()
        config.plugins.on_shutdown()
    finally:
        os.chdir(cwd)
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(top)
    return buf.getvalue()


# ------------------------------------------------------------------ serve


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _poll(url: str, until, timeout: float, proc: subprocess.Popen) -> float | None:
    """Seconds until ``until(html)`` holds, polling every 50 ms; None on timeout or if serve died."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            return None
        html = _fetch(url)
        if html is not None and until(html):
            return time.perf_counter() - t0
        time.sleep(0.05)
    return None


def serve_edit(site: Path, jid: str, dirty: bool, timeout: float) -> dict:
    """Starts ``mkdocs serve`` (``--dirty``) on a free port, waits for the journey's page, edits one
    cell of its YAML to a unique token and times until the served page holds it (wall time)."""
    port = _free_port()
    base = urlsplit(sites.site_config(True)["site_url"]).path
    url = f"http://127.0.0.1:{port}{base}{PREFIX}/journeys/{jid}/"
    token = f"benchedit{'dirty' if dirty else 'plain'}{port}x{time.time_ns() % 10**9}"
    cmd = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", "mkdocs.yml"]
    cmd += ["--dirty"] if dirty else []
    log_path = site.parent / f"serve-{'dirty' if dirty else 'plain'}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=site, env=ENV, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        try:
            ready = _poll(url, lambda html: True, timeout, proc)
            shown = None
            if ready is not None:
                time.sleep(1)  # let the watcher settle after the first build
                t0 = time.perf_counter()
                sites.edit_journey(sites.journey_file(site, jid), token)
                shown_after = _poll(url, lambda html: token in html, timeout, proc)
                shown = None if shown_after is None else time.perf_counter() - t0
        finally:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    return {"command": "mkdocs serve" + (" --dirty" if dirty else ""), "url_path": urlsplit(url).path,
            "first_page_after_s": ready, "edit_shown_after_s": shown, "clock": CLOCKS["serve_wall_s"],
            "log": str(log_path)}


# ------------------------------------------------------------------ one size


def run_size(n: int, repeat: int, profile: bool, serve: bool, serve_timeout: float, keep: Path | None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"tabiji-bench-{n}-")) if keep is None else keep / f"n{n}"
    if keep is not None:
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
    try:
        return _run_size(tmp, n, repeat, profile, serve, serve_timeout)
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


def _run_size(tmp: Path, n: int, repeat: int, profile: bool, serve: bool, serve_timeout: float) -> dict:
    site = tmp / "site"
    t0 = time.perf_counter()
    counts = sites.generate_site(site, n)
    history = sites.make_history(site, n)
    commits = len(sites.git(site, "rev-list", "HEAD").split())
    print(f"[N={n}] generated {counts}, {commits} commits, in {time.perf_counter() - t0:.1f} s at {tmp}",
          flush=True)

    hook = sites.write_hook(tmp)
    first_tabiji, shape = shape_build(site, hook, tmp / "out-tabiji", tmp / "nav-tabiji.json")
    floor_counts = sites.write_floor(tmp / "floor", shape, n)
    first_floor, floor_shape = shape_build(tmp / "floor", hook, tmp / "out-floor", tmp / "nav-floor.json")
    same_nav = sites.nav_shape(shape["nav"]) == sites.nav_shape(floor_shape["nav"])
    pages = {"tabiji_html": html_pages(tmp / "out-tabiji"), "floor_html": html_pages(tmp / "out-floor"),
             "tabiji_nav_pages": len(shape["pages"]), "nav_depth": floor_counts["nav_depth"],
             "not_in_nav": floor_counts["not_in_nav"], "same_nav_shape": same_nav}
    print(f"[N={n}] untimed first builds: tabiji {pages['tabiji_html']} pages, floor {pages['floor_html']} "
          f"pages, same nav shape: {same_nav}", flush=True)

    inproc, generated = time_in_process(site / "journeys", n, repeat)
    print(f"[N={n}] plugin work in-process: {inproc['cpu_s']['total']['median']:.2f} s CPU "
          f"({inproc['ms_per_journey_cpu']:.2f} ms per journey)", flush=True)
    write_baseline(tmp / "plugin-output", generated)
    sides = [Side("tabiji", site, tmp / "out-tabiji"), Side("floor", tmp / "floor", tmp / "out-floor"),
             Side("plugin_output", tmp / "plugin-output", tmp / "out-plugin-output")]
    left_behind = leftovers(site)  # after the first build; each timed build starts clean
    first_baseline = sides[2].build()  # untimed, like the other two sides' first build
    print(f"[N={n}] mkdocs build, {repeat} interleaved round(s):", flush=True)
    runs, orders = interleaved(sides, repeat)
    pages["plugin_output_html"] = html_pages(tmp / "out-plugin-output")

    def command(args: list[str], cache: str) -> Run:
        return _must(run_child(_tabiji_cmd() + args, site, {**ENV, "XDG_CACHE_HOME": cache}), f"tabiji {args[0]}")

    diff_args = ["diff", "HEAD~1", "HEAD"]
    validate, diff, diff_warm = [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as kept:
        command(diff_args, kept)  # untimed: fills the parse cache (parses by git blob id)
        for _ in range(repeat):  # cold: a new empty cache folder each time; warm: the kept one
            with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
                validate.append(command(["validate", "journeys"], cache))
            with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
                diff.append(command(diff_args, cache))
            diff_warm.append(command(diff_args, kept))
    print(f"[N={n}] tabiji validate {statistics.median(r.cpu_s for r in validate):.2f} s CPU, "
          f"tabiji diff HEAD~1 HEAD {statistics.median(r.cpu_s for r in diff):.2f} s CPU cold, "
          f"{statistics.median(r.cpu_s for r in diff_warm):.2f} s with its parse cache", flush=True)

    jid = history["last_commit_changes"]
    url = f"{PREFIX}/journeys/{jid}"
    result = {
        "n": n, "counts": counts, "history": {**history, "commits": commits}, "pages": pages,
        "untimed_first_builds": {"tabiji": asdict(first_tabiji) | {"output": None},
                                 "floor": asdict(first_floor) | {"output": None},
                                 "plugin_output": asdict(first_baseline) | {"output": None}},
        "rounds": orders,
        "builds": {name: {"label": SIDES[name], **run_stats(runs[name])} for name in SIDES},
        "ratios": {"tabiji/floor": paired_ratio(runs["tabiji"], runs["floor"]),
                   "tabiji/plugin_output": paired_ratio(runs["tabiji"], runs["plugin_output"])},
        "commands": {
            "tabiji validate journeys": run_stats(validate),
            "tabiji diff HEAD~1 HEAD": {**run_stats(diff), "changed": jid,
                                        "output_chars": len(diff[-1].output),
                                        "mentions_journey": jid in diff[-1].output},
            "tabiji diff HEAD~1 HEAD, parse cache filled": {**run_stats(diff_warm),
                                                            "same_output": diff_warm[-1].output == diff[-1].output},
        },
        "plugin_in_process": inproc,
        "journey_page": {"url": url, "tabiji": page_stats(tmp / "out-tabiji", url),
                         "floor": page_stats(tmp / "out-floor", url)},
        "build_messages": {name: [line for line in runs[name][-1].output.splitlines() if line.strip()][:20]
                           for name in SIDES},
        "left_in_source_repo": left_behind,
    }
    if profile:
        result["profile"] = profile_build(site, tmp / "out-profile")
    if serve:
        serve_site = tmp / "serve-site"  # a copy: the timed repository keeps its committed state
        sites.copy_tree(site, serve_site)
        result["serve_edit"] = [serve_edit(serve_site, jid, dirty, serve_timeout) for dirty in (True, False)]
    return result


# ------------------------------------------------------------------ report


def _f(v, spec: str = ".2f") -> str:
    return "-" if v is None else format(v, spec)


def _mmm(s: dict | None, spec: str = ".2f") -> str:
    """median [min–max]"""
    if not s:
        return "-"
    return f"{s['median']:{spec}} [{s['min']:{spec}}–{s['max']:{spec}}]"


def print_report(r: dict) -> None:
    n, p = r["n"], r["pages"]
    print(f"\n=== N={n} journeys: {p['tabiji_html']} HTML pages (Tabiji) vs {p['floor_html']} (floor), "
          f"nav depth {p['nav_depth']}, same nav shape: {'yes' if p['same_nav_shape'] else 'NO'}; "
          f"git repository with {r['history']['commits']} commits")
    print(f"    {len(r['rounds'])} timed round(s), order per round: {' | '.join(' '.join(o) for o in r['rounds'])};"
          " each side built once untimed before")
    w = 56
    print("\n" + "mkdocs build (subprocess)".ljust(w) + "CPU s, median [min–max]".ljust(28)
          + "wall s, median [min–max]".ljust(28) + "peak RSS MiB")
    for name, b in r["builds"].items():
        print(f"  {b['label']}".ljust(w) + _mmm(b["cpu_s"]).ljust(28) + _mmm(b["wall_s"]).ljust(28)
              + _f(b["peak_rss_mb"]["median"], ".0f"))
    for key, label in (("tabiji/floor", "ratio Tabiji / floor, paired (target <= 1.5 at N=1000)"),
                       ("tabiji/plugin_output", "ratio Tabiji / plugin output as files, paired")):
        ratio = r["ratios"][key]
        print(f"  {label}".ljust(w) + (_mmm(ratio["cpu"]) + " x").ljust(28) + (_mmm(ratio["wall"]) + " x").ljust(28))
    print(f"  per journey, Tabiji build: {1000 * r['builds']['tabiji']['cpu_s']['median'] / n:.1f} ms CPU; "
          f"floor: {1000 * r['builds']['floor']['cpu_s']['median'] / n:.1f} ms CPU")

    print("\n" + "commands (subprocess)".ljust(w) + "CPU s, median [min–max]".ljust(28)
          + "wall s, median [min–max]".ljust(28) + "peak RSS MiB")
    for label, c in r["commands"].items():
        print(f"  {label}".ljust(w) + _mmm(c["cpu_s"]).ljust(28) + _mmm(c["wall_s"]).ljust(28)
              + _f(c["peak_rss_mb"]["median"], ".0f"))

    ip = r["plugin_in_process"]
    print("\nplugin work in-process, cold (CPU, time.process_time)".ljust(w) + "CPU s, median [min–max]")
    for key in ("load_site", "build_index", "build_pages", "total"):
        print(f"  {key}".ljust(w) + _mmm(ip["cpu_s"][key], ".3f"))
    print("  total per journey (target < 2 ms)".ljust(w) + f"{ip['ms_per_journey_cpu']:.2f} ms CPU"
          f"   (wall {ip['wall_s']['median']:.3f} s)")
    for key, s in ip["steps_cpu_s"].items():
        print(f"    within: {key}".ljust(w) + (_mmm(s, ".3f") if s else "- (function not found)"))

    jp = r["journey_page"]
    print(f"\njourney page {jp['url']}: Tabiji {_f((jp['tabiji']['html_bytes'] or 0) / 1024, '.0f')} KiB, "
          f"{jp['tabiji']['nav_items']} nav + TOC items; floor {_f((jp['floor']['html_bytes'] or 0) / 1024, '.0f')} KiB, "
          f"{jp['floor']['nav_items']} nav + TOC items")
    for s in r.get("serve_edit", []):
        shown = s["edit_shown_after_s"]
        print(f"{s['command']}: first page after {_f(s['first_page_after_s'], '.1f')} s (wall); "
              + (f"one-journey edit shown after {shown:.2f} s (wall)" if shown is not None else
                 f"the edit was NOT shown (timeout, or serve stopped; see {s['log']})"))
    if r["left_in_source_repo"]:
        print(f"note: the first build left {len(r['left_in_source_repo'])} file(s) in the source repository "
              f"(removed before each timed build, to keep it cold): {r['left_in_source_repo'][:5]}")
    for name, msgs in r["build_messages"].items():
        if msgs:
            print(f"note: mkdocs build ({name}) printed {len(msgs)} line(s), first: {msgs[0][:200]}")
    if "profile" in r:
        print(f"\ncProfile of one in-process mkdocs build of the Tabiji site (top 30, cumulative):\n{r['profile']}")


def print_growth(results: list[dict]) -> None:
    if len(results) < 2:
        return
    a, b = results[0], results[-1]
    ca, cb = a["builds"]["tabiji"]["cpu_s"]["median"], b["builds"]["tabiji"]["cpu_s"]["median"]
    fa, fb = a["builds"]["floor"]["cpu_s"]["median"], b["builds"]["floor"]["cpu_s"]["median"]
    print(f"\ngrowth N={a['n']} -> N={b['n']} ({b['n'] / a['n']:.0f}x journeys), CPU medians: Tabiji build "
          f"{cb / ca:.1f}x, floor {fb / fa:.1f}x, peak RSS {a['builds']['tabiji']['peak_rss_mb']['median']:.0f} -> "
          f"{b['builds']['tabiji']['peak_rss_mb']['median']:.0f} MiB")


def _size(text: str) -> int:
    n = int(text)
    if n < 2:
        raise argparse.ArgumentTypeError("at least 2 journeys (the history renames one and edits another)")
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=_size, nargs="+", default=[100, 1000], help="numbers of journeys")
    ap.add_argument("--repeat", type=int, default=3, help="timed rounds per build (medians reported)")
    ap.add_argument("--out", type=Path, help="write the results as JSON here")
    ap.add_argument("--profile", action="store_true",
                    help="print the top 30 functions (cumulative) of one in-process mkdocs build")
    ap.add_argument("--serve-edit", action="store_true",
                    help="time mkdocs serve --dirty, then mkdocs serve, until a one-journey edit shows")
    ap.add_argument("--serve-timeout", type=float, default=900, help="seconds to wait for serve (each step)")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it (default: a temp folder)")
    args = ap.parse_args(argv)

    # Warm up imports and first-call setup on the tiny fixture, so the in-process figures time N.
    plugin_work(MINI / "journeys")
    results = []
    for n in args.sizes:
        res = run_size(n, max(1, args.repeat), args.profile, args.serve_edit, args.serve_timeout, args.keep)
        results.append(res)
        print_report(res)
    print_growth(results)
    if args.out:
        meta = {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count(),
                "load_average_at_end": os.getloadavg(), "tabiji": getattr(tabiji, "__version__", None),
                "repeat": args.repeat, "clocks": CLOCKS}
        args.out.write_text(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=2),
                            encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
