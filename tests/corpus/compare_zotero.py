"""Share of titles, authors, years and DOIs Papershelf's parsers read as Zotero does.

Reads the cases under tests/fixtures/zotero/ (see its README.md), parses each input with
`storage.formats.parse` and compares every entry with the item Zotero produced:

    python -m tests.corpus.compare_zotero [--json OUT] [--mismatches] [--library] [--before JSON]

`--library` also imports every file into a new library (storage.Library.import_file) and counts
the papers it keeps, so entries merged away on import show as `kept` below `produced`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from storage.formats import parse, read_source
from storage.records import AuthorRecord, FormatError, PaperRecord

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "zotero"
FIELDS = ("title", "authors", "year", "doi")
MEASURES = (*FIELDS, "title_loose")  # title_loose: also case-insensitive, under NFKC
# Zotero's primary creator type per item type (the one a citation names first).
PRIMARY_CREATORS = {
    "author", "artist", "performer", "sponsor", "programmer", "director", "interviewee",
    "cartographer", "inventor", "podcaster", "presenter",
}  # fmt: skip
_TITLE_FIELDS = ("title", "caseName", "nameOfAct", "subject")
_DATE_FIELDS = ("date", "dateDecided", "dateEnacted", "issueDate")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_RICH_TEXT = re.compile(r"</?(?:i|b|sub|sup|sc|span|a)\b[^>]*>")
_DOI_RESOLVER = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+")
_EXTRA_DOI = re.compile(r"^DOI:\s*(\S+)", re.IGNORECASE | re.MULTILINE)

Name = tuple[str, str]


def _text(value: object) -> str:
    """NFC text with whitespace runs collapsed ('' for None)."""
    if not isinstance(value, str):
        return ""
    return " ".join(unicodedata.normalize("NFC", value).split())


def zotero_title(item: dict) -> str:
    """The title as plain text: Zotero's rich-text tags (`<i>`, `<sub>`, nocase spans) removed."""
    title = next((item[key] for key in _TITLE_FIELDS if item.get(key)), "")
    return _text(_RICH_TEXT.sub("", title)) if isinstance(title, str) else ""


def loose(title: str) -> str:
    """A title compared loosely: NFKC (H₂O is H2O) and case-folded (sentence case ignored)."""
    return unicodedata.normalize("NFKC", title).casefold()


def zotero_authors(item: dict) -> list[Name]:
    """The primary creators in order; all creators when there is none of the primary kind.
    A last `others` (BibTeX's `and others`, which Papershelf keeps as a flag) is left out."""
    creators = [c for c in item.get("creators", []) if isinstance(c, dict)]
    primary = [c for c in creators if c.get("creatorType", "author") in PRIMARY_CREATORS]
    chosen = primary or creators
    last = chosen[-1] if chosen else {}
    if (last.get("lastName") or last.get("name")) == "others" and not last.get("firstName"):
        chosen = chosen[:-1]
    names = []
    for creator in chosen:
        if creator.get("fieldMode") == 1 or "name" in creator:
            names.append((_text(creator.get("lastName") or creator.get("name")), ""))
        else:
            names.append((_text(creator.get("lastName")), _text(creator.get("firstName"))))
    return names


def zotero_year(item: dict) -> int | None:
    for key in _DATE_FIELDS:
        match = _YEAR.search(str(item.get(key) or ""))
        if match:
            return int(match.group(1)) or None  # Zotero writes an unknown year as 0000
    return None


def zotero_doi(item: dict) -> str:
    doi = item.get("DOI") or ""
    if not doi:
        match = _EXTRA_DOI.search(item.get("extra") or "")
        doi = match.group(1) if match else ""
    return _DOI_RESOLVER.sub("", doi.strip()).lower()


def papershelf_name(author: AuthorRecord) -> Name:
    if author.literal:
        return (_text(author.literal), "")
    return (_text(author.family), _text(author.given))


def papershelf_authors(record: PaperRecord) -> list[AuthorRecord]:
    """The record's authors; should names carry a role some day, the primary ones (or all)."""
    primary = [a for a in record.authors if getattr(a, "role", None) in (None, *PRIMARY_CREATORS)]
    return primary or record.authors


def field_values(item: dict, record: PaperRecord) -> dict[str, tuple[object, object]]:
    """Per field: (what Zotero has, what Papershelf has), both normalised for comparison."""
    title = zotero_title(item)
    return {
        "title": (title, _text(record.title)),
        "title_loose": (loose(title), loose(_text(record.title))),
        "authors": (zotero_authors(item), [papershelf_name(a) for a in papershelf_authors(record)]),
        "year": (zotero_year(item), record.year),
        "doi": (zotero_doi(item), (record.doi or "").strip().lower()),
    }


def is_equal(name: str, zotero: object, ours: object) -> bool:
    if name.startswith("title") and not zotero:
        return True  # Zotero has no title: any placeholder Papershelf builds is fine
    return zotero == ours


def _title_key(title: str | None) -> str:
    """A title for pairing (the yardstick's own, not the dedupe key under test)."""
    text = unicodedata.normalize("NFKC", title or "").casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def _first_family(names: list[Name]) -> str:
    return names[0][0].casefold() if names else ""


def match(items: list[dict], records: list[PaperRecord]) -> list[tuple[int, int]]:
    """Pairs (item index, record index), tried in turn: citation key and title, title with year
    and first author, title alone, citation key alone, then position among those left when
    as many items as records are left."""
    ours = [
        (r.citation_key or "", _title_key(r.title), r.year, _first_family(
            [papershelf_name(a) for a in r.authors])) for r in records
    ]  # fmt: skip
    theirs = [
        (str(i.get("citationKey") or i.get("itemID") or ""), _title_key(zotero_title(i)),
         zotero_year(i), _first_family(zotero_authors(i))) for i in items
    ]  # fmt: skip
    rules = (
        lambda z, o: z[0] and z[0] == o[0] and z[1] == o[1],
        lambda z, o: z[1] and z[1:] == o[1:],
        lambda z, o: z[1] and z[1] == o[1],
        lambda z, o: z[0] and z[0] == o[0],
    )
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for rule in rules:
        for i, zotero in enumerate(theirs):
            if i in pairs:
                continue
            j = next((j for j, o in enumerate(ours) if j not in used and rule(zotero, o)), None)
            if j is not None:
                pairs[i] = j
                used.add(j)
    left_items = [i for i in range(len(items)) if i not in pairs]
    left_records = [j for j in range(len(records)) if j not in used]
    if len(left_items) == len(left_records):
        pairs.update(zip(left_items, left_records, strict=True))
    return sorted(pairs.items())


@dataclass
class CaseResult:
    """One fixture file compared."""

    group: str
    file: str  # the input, relative to FIXTURES
    zotero_file: str  # Zotero's items for it
    expected: int
    produced: int = 0
    warnings: int = 0
    error: str | None = None
    equal: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MEASURES, 0))
    doi_present: int = 0
    doi_present_equal: int = 0
    unmatched: int = 0
    kept: int | None = None  # papers a real import leaves in a new library (--library)
    mismatches: list[dict] = field(default_factory=list)

    @property
    def lost(self) -> int:
        return max(0, self.expected - self.produced)


def compare_case(expected_path: Path) -> CaseResult:
    meta = json.loads(expected_path.read_text(encoding="utf-8"))
    items = meta["items"]
    group = str(expected_path.parent.relative_to(FIXTURES))
    source = expected_path.parent / meta["input"]
    result = CaseResult(
        group, f"{group}/{meta['input']}", f"{group}/{expected_path.name}", len(items)
    )
    result.doi_present = sum(1 for item in items if zotero_doi(item))
    try:
        parsed = parse(read_source(source), "auto", source.name)
    except FormatError as error:
        result.error = str(error)
        parsed = None
    records = parsed.records if parsed else []
    result.produced = len(records)
    result.warnings = len(parsed.warnings) if parsed else 0
    pairs = match(items, records)
    result.unmatched = len(items) - len(pairs)
    for i, j in pairs:
        for name, (zotero, ours) in field_values(items[i], records[j]).items():
            if is_equal(name, zotero, ours):
                result.equal[name] += 1
                if name == "doi" and zotero:
                    result.doi_present_equal += 1
            else:
                result.mismatches.append(
                    {"field": name, "item": i, "zotero": zotero, "papershelf": ours}
                )
    for i in sorted(set(range(len(items))) - {i for i, _ in pairs}):
        result.mismatches.append({"field": "lost", "item": i, "zotero": zotero_title(items[i])})
    return result


def compare_all(root: Path = FIXTURES) -> list[CaseResult]:
    return [compare_case(path) for path in sorted(root.rglob("*.zotero.json"))]


def count_kept(results: list[CaseResult]) -> None:
    """Set `kept` on every result: the papers importing its file into a new library keeps."""
    import tempfile

    from storage.library import ImportFailed, Library

    for result in results:
        with tempfile.TemporaryDirectory() as folder, Library(Path(folder) / "lib") as library:
            with contextlib.suppress(ImportFailed):  # a refused file keeps no paper
                library.import_file(FIXTURES / result.file)
            result.kept = library.stats().papers


def summarise(results: list[CaseResult]) -> dict[str, dict]:
    """Totals and shares per group, for BibTeX as a whole and overall."""
    groups: dict[str, list[CaseResult]] = {}
    for result in results:
        groups.setdefault(result.group, []).append(result)
    groups["bibtex (all)"] = [r for r in results if r.file.endswith(".bib")]
    groups["overall"] = results
    summary = {}
    for name, members in groups.items():
        entries = sum(r.expected for r in members)
        doi_present = sum(r.doi_present for r in members)
        row = {
            "files": len(members),
            "entries": entries,
            "produced": sum(r.produced for r in members),
            "kept": None if any(r.kept is None for r in members) else sum(r.kept for r in members),
            "lost": sum(r.lost for r in members),
            "unmatched": sum(r.unmatched for r in members),
            "failed_files": sum(1 for r in members if r.error),
            "doi_present": doi_present,
        }
        for key in MEASURES:
            equal = sum(r.equal[key] for r in members)
            row[key] = round(equal / entries, 4) if entries else None
        equal = sum(r.doi_present_equal for r in members)
        row["doi_where_present"] = round(equal / doi_present, 4) if doi_present else None
        summary[name] = row
    return summary


def _percent(value: float | None) -> str:
    return "   -  " if value is None else f"{100 * value:5.1f}%"


def table(summary: dict[str, dict]) -> str:
    kept = all(row["kept"] is not None for row in summary.values())
    head = f"{'group':<26}{'files':>6}{'entries':>8}{'parsed':>7}{'lost':>6}{'unmat':>6}"
    head += f"{'kept':>6}" if kept else ""
    head += "".join(f"{key:>9}" for key in (*FIELDS, "doi*", "title~"))
    lines = [head, "-" * len(head)]
    for name, row in summary.items():
        line = f"{name:<26}{row['files']:>6}{row['entries']:>8}{row['produced']:>7}"
        line += f"{row['lost']:>6}{row['unmatched']:>6}"
        line += f"{row['kept']:>6}" if kept else ""
        shares = [row[key] for key in FIELDS] + [row["doi_where_present"], row["title_loose"]]
        lines.append(line + "".join(f"{_percent(s):>9}" for s in shares))
    lines.append("shares of Zotero's entries; doi*: of those with a DOI; title~: ignoring case")
    return "\n".join(lines)


def before_after(before: dict, summary: dict[str, dict]) -> str:
    """Each group's shares before (a saved --json run) and now, in percent."""
    keys = (*FIELDS, "title_loose")
    labels = (*FIELDS, "title~")
    head = f"{'group':<26}{'lost':>11}" + "".join(f"{label:>16}" for label in labels)
    lines = [f"before: code {before.get('code')}", head, "-" * len(head)]
    for name, row in summary.items():
        old = before.get("summary", {}).get(name)
        if not old:
            continue
        line = f"{name:<26}{old['lost']:>5} ->{row['lost']:>4}"
        for key in keys:
            line += f"{_percent(old[key]):>7} ->{_percent(row[key]):>7}"
        if old.get("kept") is not None and row.get("kept") is not None:
            line += f"   kept {old['kept']} -> {row['kept']}"
        lines.append(line)
    return "\n".join(lines)


def code_version() -> str:
    """The commit measured, and the last commit that changed storage/ (`+dirty`: uncommitted)."""
    root = Path(__file__).resolve().parents[2]

    def git(*args: str) -> str:
        run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return run.stdout.strip()

    try:
        head, storage = git("rev-parse", "HEAD"), git("log", "-1", "--format=%H", "--", "storage")
        dirty = "+dirty" if git("status", "--porcelain", "storage") else ""
    except OSError:
        return "unknown"
    return f"{head} (storage/ at {storage[:12]}{dirty})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write totals and every mismatch to this file")
    parser.add_argument("--mismatches", action="store_true", help="print every mismatch")
    parser.add_argument("--library", action="store_true", help="also count papers an import keeps")
    parser.add_argument("--before", type=Path, help="a saved --json run to compare with")
    args = parser.parse_args(argv)
    if not any(FIXTURES.rglob("*.zotero.json")):
        print(f"{FIXTURES}: no *.zotero.json cases", file=sys.stderr)
        return 1
    started = time.perf_counter()
    results = compare_all()
    if args.library:
        count_kept(results)
    summary = summarise(results)
    print(f"code {code_version()}, {time.perf_counter() - started:.1f} s")
    print(table(summary))
    if args.before:
        print()
        print(before_after(json.loads(args.before.read_text(encoding="utf-8")), summary))
    for result in results:
        if result.error:
            print(f"{result.file}: {result.error}", file=sys.stderr)
        if args.mismatches:
            for miss in result.mismatches:
                where = f"{result.file}#{miss['item']} {miss['field']}"
                print(f"{where}: zotero={miss['zotero']!r} papershelf={miss.get('papershelf')!r}")
    if args.json:
        cases = [{**vars(r), "lost": r.lost} for r in results]
        data = {"code": code_version(), "summary": summary, "cases": cases}
        if args.json.name.endswith(".summary.json"):
            data.pop("cases")  # the totals only, small enough to keep in the repository
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
