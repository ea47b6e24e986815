"""The README's reader screenshot: `python -m tests.bench.reader_screenshot [OUT.png]`.

Writes the two-column paper of paper_pdf.py, imports it into a new library, highlights two
passages of page 1 as the reader does (the words found by their character boxes, one with a
Markdown comment), and runs `papershelf open 1 --page 1 --screenshot OUT` on it."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from storage.library import Library
from storage.pdfpages import read_page_text

ROOT = Path(__file__).resolve().parents[2]
PASSAGES = (
    ("gated sparse attention keeps its accuracy under low light, where every dense baseline "
     "we tried degrades sharply", "yellow",
     "The **main claim**. Check the low-light split in Table 2 before citing it."),
    ("sparse attention with a learned gate halves the error of dense baselines", "green", ""),
)  # fmt: skip


def main(out: Path) -> int:
    work = Path(tempfile.mkdtemp(prefix="papershelf-shot-"))
    pdf = work / "quokka-networks.pdf"
    subprocess.run([sys.executable, "-m", "tests.bench.paper_pdf", str(pdf), "--pages", "12"],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # fmt: skip
    library = Library(work / "library")
    try:
        library.import_file(pdf)
        (paper_id,) = library.paper_ids()
        (file,) = library.files(paper_id)
        page = read_page_text(file.path, 0)
        for phrase, color, comment in PASSAGES:
            span = page.find(phrase)[0]
            rects = [rect.as_tuple() for rect in page.rects(span)]
            library.add_highlight(paper_id, file.id, 1, rects, page.text_of(span), color, comment)
    finally:
        library.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "app", "--library", str(work / "library"), "open", "1",
               "--page", "1", "--screenshot", str(out.resolve())]  # fmt: skip
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshot-reader.png")))
