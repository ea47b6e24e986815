"""Sort the mismatches compare_zotero finds into kinds, most frequent first, one example each.

python -m tests.corpus.mismatch_kinds [--markdown OUT]
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from tests.corpus.compare_zotero import (
    FIXTURES,
    PRIMARY_CREATORS,
    CaseResult,
    code_version,
    compare_all,
    loose,
)

# Kinds that are no defect of Papershelf's: shown, but apart from the ranking.
NOT_DEFECTS = {
    "title: only letter case differs (Better BibTeX sentence-cases titles on import)",
    "doi: Papershelf finds a DOI Zotero leaves out (from the URL, a note or an eprint)",
}


def _plain(text: str) -> str:
    """Letters only, accents removed: what is left when TeX accents are read or dropped."""
    text = unicodedata.normalize("NFKD", text.replace("ı", "i"))
    return "".join(c for c in text if c.isalnum()).casefold()


def _entry_text(case: CaseResult, item: dict) -> str:
    """The BibTeX entry of `item` in the case's input (empty when not found)."""
    key = item.get("citationKey") or item.get("itemID")
    if not key or not case.file.endswith(".bib"):
        return ""
    text = (FIXTURES / case.file).read_text(encoding="utf-8", errors="replace")
    match = re.search(r"@\w+\s*[{(]\s*" + re.escape(str(key)) + r"\s*,", text)
    if not match:
        return ""
    end = text.find("\n@", match.end())
    return text[match.start() : end if end > 0 else len(text)]


def title_kind(zotero: str, ours: str | None) -> str:
    ours = ours or ""
    if loose(zotero) == loose(ours):
        return "title: only letter case differs (Better BibTeX sentence-cases titles on import)"
    if re.search(r"\w\s*=\s*[{\"]?\S", ours) and "=" not in zotero:
        return "title: the next field glued on (a missing comma or brace between fields)"
    if "$" in ours and "$" not in zotero:
        return "title: TeX math left raw (`Cu$_2$O`, `$\\sigma^{0}$`, `$\\overline{1}$`)"
    if "\\" in ours and "\\" not in zotero:
        return "title: TeX command left raw"
    rest = loose(zotero)[len(loose(ours)) :] if loose(zotero).startswith(loose(ours)) else ""
    if ours and rest[:2] in (". ", ": ", "; "):
        return "title: subtitle (biblatex `subtitle`, or `title: subtitle` from APA files) dropped"
    if "“" in zotero and loose(zotero.replace("“", "").replace("”", "")) == loose(ours):
        return "title: quotation marks of `\\enquote`/`\\mkbibquote` dropped"
    if _plain(zotero) == _plain(ours):
        return "title: a TeX accent, symbol or space read differently (`~`, `\\i`, `\\slash`)"
    if difflib.SequenceMatcher(None, loose(zotero), loose(ours)).ratio() > 0.8:
        return "title: a few characters differ (TeX symbols, `{}` groups, URLs in titles)"
    return "title: a different field taken as the title (or the entry mismatched)"


def author_kind(item: dict, zotero: list, ours: list, entry: str) -> str:
    zotero = [tuple(name) for name in zotero]
    ours = [tuple(name) for name in ours]
    creators = item.get("creators", [])
    if not ours:
        if not any(c.get("creatorType", "author") in PRIMARY_CREATORS for c in creators):
            return "authors: none kept where Zotero has only editors (book or proceedings)"
        if re.search(r"^\s*crossref\s*=", entry, re.IGNORECASE | re.MULTILINE):
            return "authors: none, where Zotero takes them from the crossref parent"
        return "authors: none, where Zotero maps another field (editor+editortype, director)"
    if sorted(zotero) == sorted(ours):
        return "authors: same names in another order (RIS `A1` before `AU`)"
    if any(re.search(r", (?:jr\.?|sr\.?|iii?|iv)$", f, re.IGNORECASE) for f, _ in ours):
        return "authors: suffix (Jr., III) glued to the family name"
    squash = [(f, g.replace(".", "").replace(" ", "")) for f, g in zotero]
    if squash == [(f, g.replace(".", "").replace(" ", "")) for f, g in ours]:
        return "authors: initials written differently (Zotero spaces `KC` as `K. C.`)"
    words = [sorted(" ".join(sum(names, ())).split()) for names in (zotero, ours)]
    if words[0] == words[1]:
        return "authors: a name split differently (unbraced corporate name, `von` part)"
    if _plain(" ".join(sum(zotero, ()))) == _plain(" ".join(sum(ours, ()))):
        return "authors: an accent, TeX-escaped letter or space read differently (`{\\r u}`)"
    if len(ours) < len(zotero) and zotero[: len(ours)] == ours:
        return "authors: fewer names than Zotero (names after a broken `and` lost)"
    return "authors: other difference"


def year_kind(case: CaseResult, zotero: int | None, ours: int | None, entry: str) -> str:
    if ours is None:
        if re.search(r"^\s*crossref\s*=", entry, re.IGNORECASE | re.MULTILINE):
            return "year: missing where Zotero inherits it from the `crossref` parent"
        return "year: missing (a date field Papershelf does not read)"
    if case.file.endswith(".ris"):
        return "year: another RIS date tag chosen (Zotero: DA over Y1/PY when more specific)"
    return "year: a different year"


def doi_kind(zotero: str, ours: str) -> str:
    if not zotero and ours and ours.startswith("10."):
        return "doi: Papershelf finds a DOI Zotero leaves out (from the URL, a note or an eprint)"
    if ours and not ours.startswith("10."):
        return "doi: text that is no DOI kept as the DOI (Zotero drops it)"
    if not ours:
        return "doi: missing"
    return "doi: a different DOI"


def lost_kind(case: CaseResult, item: dict, entry: str) -> str:
    if case.error:
        return "lost: the whole file refused (every entry lost)"
    if not item.get("title"):
        return "lost: an entry without a title dropped (Zotero imports it untitled)"
    if entry and not re.search(r"^\s*title\s*=", entry, re.IGNORECASE | re.MULTILINE):
        return "lost: an entry without `title` dropped (Zotero: booktitle, titleaddon, crossref)"
    return "lost: an entry with a title dropped"


def classify(results: list[CaseResult]) -> tuple[Counter, dict[str, str]]:
    """Count of each kind, and the first example of each (`file#item: zotero | papershelf`)."""
    counts: Counter = Counter()
    examples: dict[str, str] = {}
    for case in results:
        if case.group.endswith("-templates"):
            continue  # every value is its tag's name: not real data
        meta = json.loads((FIXTURES / case.zotero_file).read_text(encoding="utf-8"))
        for miss in case.mismatches:
            item = meta["items"][miss["item"]]
            zotero, ours = miss["zotero"], miss.get("papershelf")
            name = miss["field"]
            if name == "title_loose":
                continue
            if name == "title":
                kind = title_kind(zotero, ours)
            elif name == "authors":
                kind = author_kind(item, zotero, ours, _entry_text(case, item))
            elif name == "year":
                kind = year_kind(case, zotero, ours, _entry_text(case, item))
            elif name == "doi":
                kind = doi_kind(zotero, ours)
            else:
                kind = lost_kind(case, item, _entry_text(case, item))
                ours = case.error
            counts[kind] += 1
            if kind not in examples:
                examples[kind] = (
                    f"`{case.file}#{miss['item']}`: Zotero {zotero!r} | Papershelf {ours!r}"
                )
    return counts, examples


def report(counts: Counter, examples: dict[str, str]) -> str:
    defects = [(k, n) for k, n in counts.most_common() if k not in NOT_DEFECTS]
    lines = [
        "# Kinds of mismatch between Papershelf's parsers and Zotero",
        "",
        f"Code `{code_version()}`; `python -m tests.corpus.mismatch_kinds --markdown FILE`.",
        "Counted per field and entry over tests/fixtures/zotero/ without the RIS templates;",
        "`file#n` is Zotero's n-th item of that input (0-based).",
        "",
        "| # | kind | count | example |",
        "|---|---|---|---|",
    ]
    for rank, (kind, n) in enumerate(defects, 1):
        lines.append(f"| {rank} | {kind} | {n} | {_cell(examples[kind])} |")
    lines += ["", "Not defects of Papershelf (differences of the yardstick):", ""]
    lines += [f"- {k} ({n}): {_cell(examples[k])}" for k, n in counts.items() if k in NOT_DEFECTS]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) < 300 else text[:297] + "..."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", type=Path, help="write the table to this file")
    args = parser.parse_args(argv)
    counts, examples = classify(compare_all())
    text = report(counts, examples)
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
