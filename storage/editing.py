"""Edits inside one transaction: tags, status, rating, fields, notes, lists, delete and restore."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, insert, literal, select, update
from sqlalchemy.engine import Connection

from storage import smart
from storage.database import inserted_id
from storage.importing import (
    IdentityIndex,
    TagCache,
    add_tags,
    append_to_list,
    ensure_list,
    insert_paper,
)
from storage.metadata import FIELDS, EditError, edit_paper
from storage.models import (
    INBOX,
    LIST,
    LIST_ITEM,
    NOTE,
    PAPER,
    PAPER_TAG,
    TAG,
    utcnow,
)
from storage.reading import chunks, paper_records
from storage.records import STATUSES, PaperRecord, normalize_tag, split_page
from storage.views import Change

EDITABLE_FIELDS = FIELDS  # checked by storage.metadata (the window and the command line alike)

# What delete_with_snapshot returns and restore_papers takes: (id, record, list places).
ListPlace = tuple[str, int, str | None]  # list name, position, the entry's note
InboxPlace = tuple[int | None, datetime]  # the import batch, when it entered the Inbox
DeletedPapers = list[tuple[int, PaperRecord, list[ListPlace], InboxPlace | None]]


def existing_ids(conn: Connection, ids: Iterable[int]) -> list[int]:
    wanted = list(dict.fromkeys(ids))
    found: set[int] = set()
    for part in chunks(wanted):
        found.update(conn.execute(select(PAPER.c.id).where(PAPER.c.id.in_(part))).scalars())
    return [pid for pid in wanted if pid in found]


def touch(conn: Connection, ids: Sequence[int]) -> None:
    now = utcnow()
    for part in chunks(list(ids)):
        conn.execute(update(PAPER).where(PAPER.c.id.in_(part)).values(updated_at=now))


def tag_papers(conn: Connection, ids: Sequence[int], names: Iterable[str]) -> Change:
    names = [n for n in (normalize_tag(name) for name in names) if n]
    cache = TagCache(conn)
    changed = [pid for pid in existing_ids(conn, ids) if add_tags(conn, cache, pid, names)]
    touch(conn, changed)
    return Change(paper_ids=frozenset(changed), tags=frozenset(names) if changed else frozenset())


def untag_papers(conn: Connection, ids: Sequence[int], names: Iterable[str]) -> Change:
    folded = [normalize_tag(n).casefold() for n in names]
    tag_rows = conn.execute(select(TAG.c.id, TAG.c.name).where(func.lower(TAG.c.name).in_(folded)))
    tag_ids = {tid: name for tid, name in tag_rows}
    changed: set[int] = set()
    for pid in existing_ids(conn, ids):
        result = conn.execute(
            delete(PAPER_TAG).where(
                PAPER_TAG.c.paper_id == pid, PAPER_TAG.c.tag_id.in_(list(tag_ids))
            )
        )
        if result.rowcount:
            changed.add(pid)
    touch(conn, list(changed))
    return Change(
        paper_ids=frozenset(changed), tags=frozenset(tag_ids.values()) if changed else frozenset()
    )


def set_column(conn: Connection, ids: Sequence[int], column: str, value: object) -> Change:
    """Set status or rating on papers that differ; returns the ones that changed."""
    if column == "status" and value not in STATUSES:
        raise EditError(f"status must be one of {', '.join(STATUSES)}, not {value!r}")
    if column == "rating" and not (isinstance(value, int) and 0 <= value <= 5):
        raise EditError(f"rating must be a whole number from 0 to 5, not {value!r}")
    changed: list[int] = []
    for part in chunks(existing_ids(conn, ids)):
        col = PAPER.c[column]
        differ = list(
            conn.execute(select(PAPER.c.id).where(PAPER.c.id.in_(part), col != value)).scalars()
        )
        if differ:
            conn.execute(
                update(PAPER)
                .where(PAPER.c.id.in_(differ))
                .values({column: value, "updated_at": utcnow()})
            )
            changed.extend(differ)
    return Change(paper_ids=frozenset(changed))


def update_fields(
    conn: Connection, pid: int, values: dict[str, object], key_generated: bool | None = None
) -> Change:
    """Edit a paper's metadata (rules in storage.metadata); raises EditError for a bad value."""
    edit_paper(conn, pid, values, key_generated)
    return Change(paper_ids=frozenset({pid}))


def rename_tag(conn: Connection, old: str, new: str) -> Change:
    """Rename a tag; renaming onto an existing tag merges the two."""
    new = normalize_tag(new)
    if not new:
        raise EditError("a tag needs a name")
    source = conn.execute(select(TAG.c.id, TAG.c.name).where(TAG.c.name == old)).first()
    if source is None:
        raise EditError(f"no tag named {old!r}")
    papers = frozenset(
        conn.execute(select(PAPER_TAG.c.paper_id).where(PAPER_TAG.c.tag_id == source.id)).scalars()
    )
    target = conn.execute(select(TAG.c.id).where(TAG.c.name == new)).scalar()
    if target is None or target == source.id:
        conn.execute(update(TAG).where(TAG.c.id == source.id).values(name=new))
    else:
        conn.execute(
            insert(PAPER_TAG)
            .prefix_with("OR IGNORE")
            .from_select(
                ["paper_id", "tag_id"],
                select(PAPER_TAG.c.paper_id, literal(target)).where(
                    PAPER_TAG.c.tag_id == source.id
                ),
            )
        )
        conn.execute(delete(TAG).where(TAG.c.id == source.id))
    touch(conn, list(papers))
    scoped = smart.follow_rename(conn, "tag", source.name, new)
    return Change(paper_ids=papers, tags=frozenset({source.name, new}), smart_lists=scoped)


def delete_tag(conn: Connection, name: str) -> Change:
    source = conn.execute(select(TAG.c.id, TAG.c.name).where(TAG.c.name == name)).first()
    if source is None:
        raise EditError(f"no tag named {name!r}")
    papers = frozenset(
        conn.execute(select(PAPER_TAG.c.paper_id).where(PAPER_TAG.c.tag_id == source.id)).scalars()
    )
    conn.execute(delete(TAG).where(TAG.c.id == source.id))
    touch(conn, list(papers))
    return Change(paper_ids=papers, tags=frozenset({source.name}))


def delete_papers(conn: Connection, ids: Sequence[int]) -> Change:
    ids = existing_ids(conn, ids)
    lists = (
        frozenset(
            conn.execute(
                select(LIST.c.name)
                .join(LIST_ITEM, LIST_ITEM.c.list_id == LIST.c.id)
                .where(LIST_ITEM.c.paper_id.in_(ids))
            ).scalars()
        )
        if ids
        else frozenset()
    )
    for part in chunks(ids):
        conn.execute(delete(PAPER).where(PAPER.c.id.in_(part)))
    return Change(paper_ids=frozenset(ids), lists=lists)


def delete_with_snapshot(conn: Connection, ids: Sequence[int]) -> tuple[Change, DeletedPapers]:
    """Delete papers; returns the change and a snapshot that restore_papers puts back."""
    present = existing_ids(conn, ids)
    records = paper_records(conn, present)
    inbox = {
        row.paper_id: (row.batch_id, row.added_at)
        for part in chunks(present)
        for row in conn.execute(select(INBOX).where(INBOX.c.paper_id.in_(part)))
    }
    snapshot = [
        (pid, record, memberships(conn, pid), inbox.get(pid))
        for pid, record in zip(present, records, strict=True)
    ]
    return delete_papers(conn, present), snapshot


def restore_papers(conn: Connection, snapshot: DeletedPapers) -> Change:
    """Put deleted papers back with their old ids, notes, tags, list places and Inbox places
    (undo of delete)."""
    identity = IdentityIndex()
    cache = TagCache(conn)
    lists: set[str] = set()
    for pid, record, memberships, inbox in snapshot:
        insert_paper(conn, record, identity, cache, [], paper_id=pid)
        if inbox is not None:
            conn.execute(insert(INBOX).values(paper_id=pid, batch_id=inbox[0], added_at=inbox[1]))
        for name, position, note in memberships:
            list_id = ensure_list(conn, name)
            conn.execute(
                update(LIST_ITEM)
                .where(LIST_ITEM.c.list_id == list_id, LIST_ITEM.c.position >= position)
                .values(position=LIST_ITEM.c.position + 1)
            )
            conn.execute(
                insert(LIST_ITEM).values(
                    list_id=list_id, paper_id=pid, position=position, note=note
                )
            )
            lists.add(name)
    return Change(paper_ids=frozenset(pid for pid, *_ in snapshot), lists=frozenset(lists))


def memberships(conn: Connection, pid: int) -> list[ListPlace]:
    return [
        tuple(row)
        for row in conn.execute(
            select(LIST.c.name, LIST_ITEM.c.position, LIST_ITEM.c.note)
            .join(LIST, LIST.c.id == LIST_ITEM.c.list_id)
            .where(LIST_ITEM.c.paper_id == pid)
        )
    ]


# --- notes ---------------------------------------------------------------------------------


def add_note(
    conn: Connection, pid: int, body: str, quote: str | None, page: int | str | None
) -> int:
    """A note; page: a number ("12", "p. 12") is stored as one, other text as the label."""
    if not existing_ids(conn, [pid]):
        raise EditError(f"no paper with id {pid}")
    now = utcnow()
    number, label = split_page(page)
    result = conn.execute(
        insert(NOTE).values(
            paper_id=pid,
            body=body,
            quote=quote,
            page=number,
            page_label=label,
            created_at=now,
            updated_at=now,
        )
    )
    touch(conn, [pid])
    return inserted_id(result)


def note_paper(conn: Connection, note_id: int) -> int:
    pid = conn.execute(select(NOTE.c.paper_id).where(NOTE.c.id == note_id)).scalar()
    if pid is None:
        raise EditError(f"no note with id {note_id}")
    return int(pid)


def update_note(conn: Connection, note_id: int, values: dict[str, object]) -> int:
    """Change body, quote or page (a page as add_note takes it)."""
    pid = note_paper(conn, note_id)
    if "page" in values:
        page = values.pop("page")
        values["page"], values["page_label"] = split_page(page)  # type: ignore[arg-type]
    conn.execute(update(NOTE).where(NOTE.c.id == note_id).values(**values, updated_at=utcnow()))
    touch(conn, [pid])
    return pid


def delete_note(conn: Connection, note_id: int) -> int:
    pid = note_paper(conn, note_id)
    conn.execute(delete(NOTE).where(NOTE.c.id == note_id))
    touch(conn, [pid])
    return pid


# --- reading lists -------------------------------------------------------------------------


def list_id(conn: Connection, name: str) -> int:
    found = conn.execute(select(LIST.c.id).where(LIST.c.name == name)).scalar()
    if found is None:
        raise EditError(f"no reading list named {name!r}")
    return int(found)


def create_list(conn: Connection, name: str, description: str | None) -> Change:
    name = name.strip()
    if not name:
        raise EditError("a reading list needs a name")
    if conn.execute(select(LIST.c.id).where(LIST.c.name == name)).first() is not None:
        raise EditError(f"a reading list named {name!r} exists already")
    ensure_list(conn, name, description)
    return Change(lists=frozenset({name}))


def add_to_list(conn: Connection, name: str, ids: Sequence[int], note: str | None) -> Change:
    lid = list_id(conn, name)
    ids = existing_ids(conn, ids)
    append_to_list(conn, lid, [(pid, note) for pid in ids])
    return Change(paper_ids=frozenset(ids), lists=frozenset({name}))


def remove_from_list(conn: Connection, name: str, ids: Sequence[int]) -> Change:
    lid = list_id(conn, name)
    conn.execute(
        delete(LIST_ITEM).where(LIST_ITEM.c.list_id == lid, LIST_ITEM.c.paper_id.in_(list(ids)))
    )
    reorder_list(conn, name, None)
    return Change(paper_ids=frozenset(ids), lists=frozenset({name}))


def reorder_list(conn: Connection, name: str, ordered_ids: Sequence[int] | None) -> Change:
    """Give the list the order of ordered_ids (papers not named keep their relative order after)."""
    lid = list_id(conn, name)
    current = list(
        conn.execute(
            select(LIST_ITEM.c.paper_id)
            .where(LIST_ITEM.c.list_id == lid)
            .order_by(LIST_ITEM.c.position)
        ).scalars()
    )
    wanted = [pid for pid in (ordered_ids or []) if pid in set(current)]
    order = list(dict.fromkeys([*wanted, *current]))
    for position, pid in enumerate(order):
        conn.execute(
            update(LIST_ITEM)
            .where(LIST_ITEM.c.list_id == lid, LIST_ITEM.c.paper_id == pid)
            .values(position=position)
        )
    conn.execute(update(LIST).where(LIST.c.id == lid).values(updated_at=utcnow()))
    return Change(lists=frozenset({name}))


def set_entry_note(conn: Connection, name: str, pid: int, note: str | None) -> Change:
    lid = list_id(conn, name)
    result = conn.execute(
        update(LIST_ITEM)
        .where(LIST_ITEM.c.list_id == lid, LIST_ITEM.c.paper_id == pid)
        .values(note=note or None)
    )
    if not result.rowcount:
        raise EditError(f"paper {pid} is not in {name!r}")
    return Change(lists=frozenset({name}))


def edit_list(conn: Connection, name: str, new_name: str | None, description: str | None) -> Change:
    lid = list_id(conn, name)
    name = conn.execute(select(LIST.c.name).where(LIST.c.id == lid)).scalar_one()
    values: dict[str, object] = {"updated_at": utcnow()}
    if new_name is not None and new_name.strip() and new_name.strip() != name:
        if conn.execute(select(LIST.c.id).where(LIST.c.name == new_name.strip())).first():
            raise EditError(f"a reading list named {new_name.strip()!r} exists already")
        values["name"] = new_name.strip()
    if description is not None:
        values["description"] = description or None
    conn.execute(update(LIST).where(LIST.c.id == lid).values(**values))
    renamed = str(values.get("name", name))
    scoped = smart.follow_rename(conn, "list", name, renamed)
    return Change(lists=frozenset({name, renamed}), smart_lists=scoped)


def delete_list(conn: Connection, name: str) -> Change:
    lid = list_id(conn, name)
    conn.execute(delete(LIST).where(LIST.c.id == lid))  # items cascade; papers stay
    return Change(lists=frozenset({name}))
