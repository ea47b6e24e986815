"""Write tests/fixtures/zotero/ from Zotero's translator test cases and Better BibTeX's fixtures.

Not run in CI. Give it bare git directories of github.com/zotero/translators and
github.com/retorquere/zotero-better-bibtex; it copies each import case's input file verbatim and
the fields of Zotero's expected items the yardstick needs (data only, no code).

    python -m tests.corpus.extract_zotero_cases --translators DIR --bbt DIR
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "fixtures" / "zotero"
TRANSLATORS = {
    "BibTeX.js": ("bibtex", ".bib"),
    "RIS.js": ("ris", ".ris"),
    "CSL JSON.js": ("csl-json", ".csl.json"),
}
BBT_DIR = "test/fixtures/import"
BBT_MAX_BYTES = 500_000  # input files above this are left out to keep the fixtures small
BBT_SKIP = re.compile(r"roundtrip|Unabbreviate on import|AUX scanner")
# Zotero item fields kept in the expected files: what compare_zotero reads, plus venue fields.
KEEP = (
    "itemType", "title", "caseName", "nameOfAct", "subject", "creators",
    "date", "dateDecided", "dateEnacted", "issueDate", "DOI", "extra", "citationKey", "itemID",
    "publicationTitle", "bookTitle", "proceedingsTitle", "websiteTitle", "blogTitle",
    "encyclopediaTitle", "dictionaryTitle", "publisher", "volume", "issue", "pages", "url",
)  # fmt: skip
_NOT_PAPERS = {"note", "attachment", "annotation"}
# RIS.js test cases whose every value is the name of its tag (`TI  - Title`): kept apart.
TEMPLATES = {("RIS.js", 2), ("RIS.js", 4)}


def git(gitdir: str, *args: str) -> bytes:
    """Output of a git command run on the bare repository `gitdir`."""
    return subprocess.run(
        ["git", "--git-dir", gitdir, *args], check=True, capture_output=True
    ).stdout


def trim(item: dict) -> dict:
    """The kept fields of one Zotero item; `extra` reduced to its `DOI:` lines."""
    kept = {key: item[key] for key in KEEP if key in item}
    extra = kept.pop("extra", None)
    if isinstance(extra, list):
        extra = "\n".join(extra)
    if isinstance(extra, str):
        lines = [line for line in extra.splitlines() if line.lower().startswith("doi:")]
        if lines:
            kept["extra"] = "\n".join(lines)
    return kept


def slug(name: str) -> str:
    """A file-name-safe form of a fixture's name."""
    name = re.sub(r"[^A-Za-z0-9.+-]+", "-", name).strip("-.")
    if len(name) > 80:  # keep the end too: it often tells sibling fixtures apart
        name = name[:40].rstrip("-.") + "--" + name[-38:].lstrip("-.")
    return name


def write_case(folder: Path, stem: str, ext: str, data: bytes, meta: dict, items: list) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / (stem + ext)).write_bytes(data)
    papers = [trim(i) for i in items if i.get("itemType") not in _NOT_PAPERS]
    head = json.dumps({**meta, "input": stem + ext}, ensure_ascii=False, indent=1)[:-2]
    rows = ",\n".join(json.dumps(item, ensure_ascii=False) for item in papers)
    text = f'{head},\n "items": [\n{rows}\n ]\n}}\n'  # one item per line: small, diffable
    (folder / (stem + ".zotero.json")).write_text(text, encoding="utf-8")
    return len(papers)


def extract_translators(gitdir: str) -> list[str]:
    commit = git(gitdir, "rev-parse", "HEAD").decode().strip()
    shutil.rmtree(OUT / "translators", ignore_errors=True)
    lines = []
    for path, (fmt, ext) in TRANSLATORS.items():
        text = git(gitdir, "show", f"{commit}:{path}").decode("utf-8")
        start = text.index("/** BEGIN TEST CASES **/")
        end = text.index("/** END TEST CASES **/")
        cases = json.loads(text[start:end].split("=", 1)[1].strip().rstrip(";"))
        total = n = 0
        for index, case in enumerate(cases):
            if case.get("type") != "import" or not isinstance(case.get("items"), list):
                continue
            template = (path, index) in TEMPLATES
            folder = OUT / "translators" / (f"{fmt}-templates" if template else fmt)
            source = {"repository": "zotero/translators", "path": path, "commit": commit}
            meta = {"source": {**source, "testCase": index}, "format": fmt}
            stem = f"{Path(path).stem.replace(' ', '')}-{index:02d}"
            total += write_case(
                folder, stem, ext, case["input"].encode("utf-8"), meta, case["items"]
            )
            n += 1
        lines.append(f"translators/{fmt}: {n} files, {total} items from {path} @ {commit}")
    return lines


def extract_bbt(gitdir: str) -> list[str]:
    commit = git(gitdir, "rev-parse", "HEAD").decode().strip()
    names = git(gitdir, "ls-tree", "--name-only", f"{commit}:{BBT_DIR}").decode().splitlines()
    folder = OUT / "better-bibtex"
    shutil.rmtree(folder, ignore_errors=True)  # a rerun writes the same files afresh
    used: set[str] = set()
    total = n = 0
    for name in sorted(names):
        if not name.endswith(".bib") or BBT_SKIP.search(name):
            continue
        expected = name[:-4] + ".json"
        if expected not in names:
            continue
        try:
            data = git(gitdir, "show", f"{commit}:{BBT_DIR}/{name}")
            export = json.loads(git(gitdir, "show", f"{commit}:{BBT_DIR}/{expected}"))
        except (subprocess.CalledProcessError, ValueError):
            continue  # a blob missing from the snapshot, or an empty expected file
        if not data.strip() or len(data) > BBT_MAX_BYTES:
            continue
        items = own_items(export, name[:-4], data)
        stem = slug(name[:-4])
        while stem in used:
            stem += "-b"  # two long names cut to the same slug
        used.add(stem)
        source = {"repository": "retorquere/zotero-better-bibtex", "path": f"{BBT_DIR}/{name}",
                  "expected": f"{BBT_DIR}/{expected}", "commit": commit}  # fmt: skip
        total += write_case(
            folder, stem, ".bib", data, {"source": source, "format": "bibtex"}, items
        )
        n += 1
    return [f"better-bibtex: {n} files, {total} items from {BBT_DIR} @ {commit}"]


_ENTRY = re.compile(rb"^\s*@(?!comment|string|preamble)\w+\s*[{(]", re.IGNORECASE | re.MULTILINE)


def own_items(export: dict, name: str, data: bytes) -> list[dict]:
    """The items of a BBT export that came from this file: some exports hold the library left
    by an earlier fixture too; then the collection named after the fixture tells which."""
    items = export.get("items", [])
    if len(items) <= len(_ENTRY.findall(data)):
        return items
    collections = export.get("collections", {})
    todo = [k for k, c in collections.items() if c.get("name") == name and not c.get("parent")]
    ids: set = set()
    while todo:
        collection = collections[todo.pop()]
        ids.update(collection.get("items", []))
        todo.extend(collection.get("collections", []))
    return [item for item in items if item.get("itemID") in ids] if ids else items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--translators", required=True, help="bare git dir of zotero/translators")
    parser.add_argument("--bbt", help="bare git dir of retorquere/zotero-better-bibtex")
    args = parser.parse_args()
    lines = extract_translators(args.translators)
    if args.bbt:
        lines += extract_bbt(args.bbt)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
