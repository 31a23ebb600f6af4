#!/usr/bin/env python3
"""What person resolution costs a build: ``identity.py [--pages N] [--corpus DIR] [--baseline SRC]``.

Builds N generated pages (``make_corpus.py``; the corpus is made once in
``--corpus``, and every fifth page written without diacritics) with this checkout's code and prints the build's wall time,
the CPU seconds of person resolution (``timings["resolve"]``: reading the
previous release's names, deciding, rewriting the page graphs) and the
peak RSS of the main process; then the same build with every page's
persons withheld from resolution (each page written as it arrives, nothing
rewritten), and the ratios of wall time and peak memory. With ``--baseline
SRC`` (the ``src`` folder of another checkout) that code is built too.

Targets (issue 20): resolution ≤ 10 % of the build's time; peak memory not
raised by more than 10 %.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import BUILD  # noqa: E402


#: the same build with every page's persons withheld from person resolution
#: (each page goes to the release writer as it arrives, as before resolution)
WITHOUT = (
    "import osce_kg.pipeline.assemble as _a\n"
    "_add = _a.Assembly.add_page\n"
    "_a.Assembly.add_page = lambda self, graph, nquads, block, persons=(): _add(self, graph, nquads, block, ())\n"
)


def _build(src: Path, corpus: Path, jobs: int, without: bool = False) -> dict:  # type: ignore[type-arg]
    out = Path(tempfile.mkdtemp(prefix="osce-kg-identity-"))
    try:
        env = dict(os.environ, PYTHONPATH=str(src))
        code = (WITHOUT if without else "") + BUILD
        done = subprocess.run([sys.executable, "-c", code, str(corpus), str(out / "out"), str(jobs), "local"],
                              capture_output=True, text=True, check=False, env=env)
        if done.returncode != 0:
            raise SystemExit(f"build with {src} failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        report = out / "out" / "build-report.json"
        result["persons"] = json.loads(report.read_text(encoding="utf-8")).get("persons", {})
        return result
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _variants(plain: Path, corpus: Path) -> None:
    """A copy of the corpus where every fifth page is written without
    diacritics (as copies on news sites often are: "Petrovic" for
    "Petrović"), so that resolution has spellings to merge."""
    tmp = corpus.with_name(corpus.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for n, path in enumerate(sorted(p for p in plain.rglob("*") if p.is_file())):
        target = tmp / path.relative_to(plain)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = path.read_text(encoding="utf-8")
        if n % 5 == 0:
            text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
            text = text.replace("đ", "dj").replace("Đ", "Dj")
        target.write_text(text, encoding="utf-8")
    tmp.rename(corpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=50_000)
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "osce-kg-identity-corpus")
    parser.add_argument("--baseline", type=Path, help="src folder of the code to compare with")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--pairs", type=int, default=1)
    args = parser.parse_args()
    plain = args.corpus / str(args.pages)
    if not plain.exists():
        subprocess.run([sys.executable, str(HERE / "make_corpus.py"), str(args.pages), str(plain)], check=True)
    corpus = args.corpus / f"{args.pages}-variants"
    if not corpus.exists():
        _variants(plain, corpus)
    src = HERE.parent / "src"
    for n in range(args.pairs):
        new = _build(src, corpus, args.jobs)
        resolve = new["timings"].get("resolve", 0.0)
        persons = new["persons"]
        print(f"pair {n + 1}: {args.pages} pages, wall {new['wall']:.1f} s, person resolution {resolve:.2f} s CPU "
              f"({100 * resolve / new['wall']:.1f} % of the wall time), main peak RSS {new['main_rss_mb']:.0f} MB; "
              f"{persons.get('persons', 0)} persons, {len(persons.get('merged', []))} merged, "
              f"{persons.get('evidence_intervals', 0)} evidence intervals; conforms {new['conforms']}")
        off = _build(src, corpus, args.jobs, without=True)
        print(f"        without resolution: wall {off['wall']:.1f} s, main peak RSS {off['main_rss_mb']:.0f} MB; "
              f"ratios with/without: wall {new['wall'] / off['wall']:.3f}, peak RSS {new['main_rss_mb'] / off['main_rss_mb']:.3f}")
        if args.baseline:
            old = _build(args.baseline, corpus, args.jobs)
            print(f"        baseline wall {old['wall']:.1f} s, main peak RSS {old['main_rss_mb']:.0f} MB; "
                  f"ratios new/baseline: wall {new['wall'] / old['wall']:.3f}, peak RSS {new['main_rss_mb'] / old['main_rss_mb']:.3f}")


if __name__ == "__main__":
    main()
