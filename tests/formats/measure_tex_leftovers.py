"""Count imported BibTeX titles and names that still carry TeX (before/after a change).

Usage: python tests/formats/measure_tex_leftovers.py [--root DIR] [--show N] [FOLDER_OR_FILE ...]
Reads every `.bib` file given (default: tests/fixtures/realworld/bibtex) with the parser of the
code under `--root` (default: this checkout; give an old checkout to measure "before"), and prints
how many titles and author names still hold a TeX command, `$`, a brace, or `^{`/`_{`."""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[2]
DEFAULT = HERE / "tests" / "fixtures" / "realworld" / "bibtex"
LEFTOVER = re.compile(r"\\[A-Za-z]|\\[^\sA-Za-z]|[${}]|[_^]\{")  # `~` survives in URLs


def _files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found += sorted(path.rglob("*.bib")) if path.is_dir() else [path]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=HERE)
    parser.add_argument("--show", type=int, default=0, help="print this many leftover titles")
    parser.add_argument("paths", nargs="*", type=Path, default=[DEFAULT])
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.root.resolve()))
    bibtex = importlib.import_module("storage.formats.bibtex")
    records_module = importlib.import_module("storage.records")
    titles = names = bad_titles = bad_names = files = refused = 0
    shown: list[str] = []
    for path in _files(args.paths):
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            result = bibtex.parse_bibtex(text)
        except records_module.FormatError:
            refused += 1
            continue
        files += 1
        for record in result.records:
            titles += 1
            if LEFTOVER.search(record.title):
                bad_titles += 1
                if len(shown) < args.show:
                    shown.append(f"{path.name}: {record.title[:160]}")
            for author in record.authors:
                names += 1
                bad_names += bool(LEFTOVER.search(author.display))
    print(f"code: {args.root}")
    print(f"files read: {files} (refused as no BibTeX: {refused})")
    print(f"titles with leftover TeX: {bad_titles}/{titles}")
    print(f"author names with leftover TeX: {bad_names}/{names}")
    for line in shown:
        print("  " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
