"""A/B of the swimlane renderers in one process: an older checkout's modules (``git archive REV |
tar -x -C /tmp/base``) against this one's, interleaved so the machine's load hits both alike.
Best of 15 rounds, ms per drawing. Needs /tmp/sbench/syn (``bench/sites.py``: generate_site(.., 200)).
Usage: .venv/bin/python bench/ab_swimlane.py"""
import importlib.util, time
from pathlib import Path
from tabiji.source.validate import load_site
from tabiji.core.paths import Paths
import tabiji.render.swimlane as new_sw, tabiji.render.roadmap_swimlane as new_rm
def load(name, path):
    import sys; spec = importlib.util.spec_from_file_location(name, path); mod = importlib.util.module_from_spec(spec); sys.modules[name] = mod; spec.loader.exec_module(mod); return mod
old_sw = load("old_swimlane", "/tmp/base/plugins/tabiji/render/swimlane.py")
import sys; sys.modules["tabiji.render.swimlane_old"] = old_sw
src = open("/tmp/base/plugins/tabiji/render/roadmap_swimlane.py").read().replace("from tabiji.render.swimlane import", "from tabiji.render.swimlane_old import")
open("/tmp/sbench/old_rm.py", "w").write(src)
old_rm = load("old_roadmap_swimlane", "/tmp/sbench/old_rm.py")
paths = Paths("map")
for name, src in (("example", "/work/wt/templates/journeys"), ("synthetic-200", "/tmp/sbench/syn/site/journeys")):
    site = load_site(Path(src))
    js = [site.journeys[j] for j in sorted(site.journeys)]; rs = [site.roadmaps[r] for r in sorted(site.roadmaps)]
    def jrun(mod):
        for j in js: mod.render_swimlane(j, site, "ja", paths, paths.doc("journeys", j.id), "x.svg")
    def rrun(mod):
        for r in rs: mod.render_roadmap_swimlane(r, site, "ja", paths, paths.doc("roadmaps", r.id), "x.svg")
    res = {}
    for label, fn, mods, n in (("journey", jrun, (old_sw, new_sw), len(js)), ("roadmap", rrun, (old_rm, new_rm), len(rs))):
        best = {0: 1e9, 1: 1e9}
        for _ in range(15):
            for k, mod in enumerate(mods):
                t = time.perf_counter(); fn(mod); best[k] = min(best[k], (time.perf_counter() - t) / n * 1000)
        res[label] = best
        print(f"{name} {label}: before {best[0]:.3f} ms, after {best[1]:.3f} ms ({(best[1] / best[0] - 1) * 100:+.0f}%)")
