"""A library from the seed listings as a morning looks (the README's routine screenshots).

`python -m tests.bench.routine_library LIB [SEEDS]`: the two larger listings as yesterday's,
kept, tagged by topic (title patterns), a few dismissed, read and listed, and two smart lists;
then the first listing imported, waiting in the Inbox. SEEDS defaults to ../shared/seeds.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TOPICS = {
    "retrieval": r"retriev",
    "tokenization": r"\btokeniz",
    "mixture of experts": r"mixture[- ]of[- ]experts|\bmoe\b",
    "embeddings": r"embedding",
    "reasoning": r"reason",
    "video": r"video",
}


def build(folder: Path, seeds: Path) -> None:
    from storage.library import Library

    listings = sorted(seeds.glob("*.txt"))
    if len(listings) < 2:
        raise SystemExit(f"{seeds}: the seed listings are not there")
    with Library(folder) as library:
        for path in listings[1:]:
            library.import_file(path, "listing")
        ids = library.inbox_ids()
        library.keep(ids)
        rows = library.rows(ids)
        for tag, pattern in TOPICS.items():
            hits = [pid for pid, row in rows.items() if re.search(pattern, row.title, re.I)]
            if hits:
                library.add_tags(hits, [tag])
        off_topic = r"3d|image generation|diffusion"
        library.dismiss([p for p, r in rows.items() if re.search(off_topic, r.title, re.I)][:20])
        first = list(rows)[:6]
        library.set_status(first[:3], "read")
        library.create_list("Reading group")
        library.add_to_list("Reading group", first[3:6])
        library.import_file(listings[0], "listing")
        library.create_smart_list("Unread retrieval", "tag:retrieval NOT status:read")
        library.create_smart_list("Agents", "agent OR agents")
        print(f"{folder}: {library.stats().papers} papers, {library.inbox_count()} in the Inbox")


if __name__ == "__main__":
    seeds = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).parents[3] / "shared/seeds"
    build(Path(sys.argv[1]), seeds)
