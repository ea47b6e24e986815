"""The routine's commands: inbox, keep, dismiss, related, recommend, smart, export --smart."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.routine_support import ids_of, write_corpus
from tests.test_cli import run, run_json


@pytest.fixture
def lib(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "lib"
    code, _, err = run(capsys, folder, "import", str(write_corpus(tmp_path)))
    assert code == 0, err
    return folder


def test_inbox_keep_dismiss(lib: Path, capsys) -> None:
    inbox = run_json(capsys, lib, "inbox", "--json")
    assert set(inbox) == {"total", "papers"} and inbox["total"] == 16
    assert all(set(p) == {"id", "title"} for p in inbox["papers"])
    assert [p["id"] for p in inbox["papers"]] == list(range(1, 17))
    assert run(capsys, lib, "keep", "1", "2")[1] == "kept 2 papers\n"
    assert run(capsys, lib, "dismiss", "3")[1] == "dismissed 1 paper\n"
    shown = run_json(capsys, lib, "inbox", "--json", "--limit", "2")
    assert shown["total"] == 13 and [p["id"] for p in shown["papers"]] == [4, 5]
    code, out, _ = run(capsys, lib, "inbox", "--limit", "1")
    assert code == 0 and out.endswith("13 papers in the Inbox (showing 1)\n")
    assert run_json(capsys, lib, "show", "3", "--json")["status"] == "dismissed"
    found = run_json(capsys, lib, "search", "status:dismissed", "--json")
    assert [h["id"] for h in found["hits"]] == [3]
    assert run(capsys, lib, "status", "4", "dismissed")[0] == 0
    assert run_json(capsys, lib, "inbox", "--json")["total"] == 12
    code, _, err = run(capsys, lib, "keep", "999")
    assert code == 1 and "999" in err
    code, _, err = run(capsys, lib, "status", "4", "archived")
    assert code == 2 and "dismissed" in err
    stats = run_json(capsys, lib, "stats", "--json")
    assert set(stats) == {"papers", "tags", "notes", "lists", "files", "pages"}


def test_inbox_by_score(lib: Path, capsys) -> None:
    run(capsys, lib, "tag", *map(str, ids_of("experts")[:2]), "--add", "moe")
    ranked = run_json(capsys, lib, "inbox", "--json", "--sort", "score", "--limit", "4")
    assert {p["id"] for p in ranked["papers"]} <= set(ids_of("experts")) | set(ids_of("retrieval"))
    assert ranked["papers"][0]["id"] in ids_of("experts")


def test_related_json_and_text(lib: Path, capsys) -> None:
    first = ids_of("retrieval")[0]
    result = run_json(capsys, lib, "related", str(first), "--limit", "3", "--json")
    assert set(result) == {"paper", "hits"} and result["paper"] == first
    assert len(result["hits"]) == 3
    assert all(set(h) == {"id", "title", "score"} for h in result["hits"])
    assert result["hits"][0]["id"] in ids_of("retrieval")
    assert isinstance(result["hits"][0]["score"], float)
    code, out, _ = run(capsys, lib, "related", "p1", "--limit", "1")  # a citation key works
    assert code == 0 and out.count("\n") == 1
    assert run(capsys, lib, "related", "1", "--limit", "-1")[0] == 2
    assert run(capsys, lib, "related", "nope")[0] == 1


def test_recommend_accept_reject(lib: Path, capsys) -> None:
    tokens = ids_of("tokenization")
    run(capsys, lib, "tag", *map(str, tokens[:2]), "--add", "tokens")
    result = run_json(capsys, lib, "recommend", "--tag", "tokens", "--limit", "2", "--json")
    assert set(result) == {"tag", "hits"} and result["tag"] == "tokens"
    assert {h["id"] for h in result["hits"]} == set(tokens[2:])
    assert all(set(h) == {"id", "title", "score", "why"} and h["why"] for h in result["hits"])
    rejected = str(result["hits"][0]["id"])
    out = run(capsys, lib, "recommend", "--tag", "tokens", "--reject", rejected)[1]
    assert "never suggested" in out
    again = run_json(capsys, lib, "recommend", "--tag", "tokens", "--json")
    assert int(rejected) not in {h["id"] for h in again["hits"]}
    accepted = str(again["hits"][0]["id"])
    run(capsys, lib, "recommend", "--tag", "tokens", "--accept", accepted)
    assert "tokens" in run_json(capsys, lib, "show", accepted, "--json")["tags"]
    run(capsys, lib, "list", "create", "Vision")
    run(capsys, lib, "list", "add", "Vision", *map(str, ids_of("vision")[:2]))
    listed = run_json(capsys, lib, "recommend", "--list", "Vision", "--limit", "1", "--json")
    assert listed["list"] == "Vision" and listed["hits"][0]["id"] == ids_of("vision")[2]
    code, _, err = run(capsys, lib, "recommend", "--tag", "nothing")
    assert code == 1 and "no tag named 'nothing'" in err
    assert run(capsys, lib, "recommend")[0] == 2  # --tag or --list is required
    assert run(capsys, lib, "recommend", "--tag", "a", "--list", "b")[0] == 2


def test_smart_lists(lib: Path, capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, lib, "smart", "create", "Experts", "router experts")
    assert code == 0 and "4 papers" in out
    code, _, err = run(capsys, lib, "smart", "create", "Recent", "year:[2019 TO")
    assert code == 2 and "The range “[2019 TO” is never closed" in err
    code, _, err = run(capsys, lib, "smart", "create", "Bad", "x", "--scope", "shelf:1")
    assert code == 1 and "scope" in err
    run(capsys, lib, "status", *map(str, ids_of("experts")[:1]), "read")
    run(capsys, lib, "smart", "create", "Unread experts", "experts", "--scope", "status:unread")
    assert run_json(capsys, lib, "smart", "list", "--json") == [
        {"name": "Experts", "query": "router experts", "papers": 4},
        {"name": "Unread experts", "query": "experts", "papers": 3},
    ]
    shown = run_json(capsys, lib, "smart", "show", "experts", "--json")
    assert set(shown) == {"query", "total", "hits"} and shown["total"] == len(shown["hits"]) == 4
    assert set(shown["hits"][0]) == {"id", "title", "score", "snippet", "page"}
    assert run(capsys, lib, "smart", "rename", "Experts", "MoE")[0] == 0
    assert run(capsys, lib, "smart", "edit", "MoE", "--query", "offloading")[0] == 0
    assert run_json(capsys, lib, "smart", "show", "MoE", "--json")["total"] == 1
    assert run(capsys, lib, "smart", "edit", "MoE")[0] == 2
    out_file = tmp_path / "moe.md"
    code, out, _ = run(capsys, lib, "export", "--smart", "MoE", "--format", "markdown", "-o",
                       str(out_file))  # fmt: skip
    assert code == 0 and "exported 1 paper" in out and out_file.read_text().startswith("# MoE")
    assert run(capsys, lib, "smart", "delete", "MoE")[0] == 0
    code, _, err = run(capsys, lib, "smart", "show", "MoE")
    assert code == 1 and "no smart list named 'MoE'" in err
