"""BibTeX name lists read into authors and written back (`von Last, Jr, First`, `{Literal}`)."""

from __future__ import annotations

import re

from bibtexparser.middlewares.names import (
    parse_single_name_into_parts,
    split_multiple_persons_names,
)

from storage.formats.common import names_from_text, names_text, tidy_line
from storage.formats.tex import decode_tex, escape_tex
from storage.records import AuthorRecord

# Fields whose people stand in as the authors of an entry without `author`, first found wins
# (the editors of a book, the director of a film: Zotero keeps them as the item's creators).
ROLES = ("editor", "director", "translator", "editora", "editorb", "editorc", "compiler")
# A given name that carries a suffix, as Zotero stores it: `Michael, III`, `P. T., Jr.`
_SUFFIXED = re.compile(r"^(.*\S),\s*(\S+)$")


def _braced_whole(name: str) -> bool:
    if not (name.startswith("{") and name.endswith("}")):
        return False
    depth = 0
    for index, char in enumerate(name):
        depth += (char == "{") - (char == "}")
        if depth == 0 and index < len(name) - 1:
            return False
    return True


def _person(name: str) -> AuthorRecord | None:
    """One name as written (`First von Last`, `von Last, Jr, First`); a suffix goes with the
    given name as in Zotero (`Hicks, III, Michael` is family `Hicks`, given `Michael, III`)."""
    try:
        parts = parse_single_name_into_parts(name, strict=False)
    except Exception:  # the name splitter gave up: keep what the text says
        return AuthorRecord.from_display(decode_tex(name))
    family = tidy_line(decode_tex(" ".join(parts.von + parts.last)))
    given = tidy_line(decode_tex(" ".join(parts.first)))
    suffix = tidy_line(decode_tex(" ".join(parts.jr))) if parts.jr else None
    if suffix and given:
        given = f"{given}, {suffix}"
    elif suffix and family:
        family = f"{family}, {suffix}"
    if not (family or given):
        return None
    return AuthorRecord(family=family or None, given=given or None)


def parse_names(value: str) -> tuple[list[AuthorRecord], bool]:
    """Authors from a BibTeX name list; `and others` is dropped and reported as a flag."""
    authors: list[AuthorRecord] = []
    others = False
    # bibtexparser's splitter drops a backslash that follows ` and ` (`and \v{S}koda`): hide them
    for name in split_multiple_persons_names(value.replace("\\", "\ue000")):
        name = name.replace("\ue000", "\\").strip().rstrip(",")
        if not name:
            continue
        if name.lower() == "others":
            others = True
        elif _braced_whole(name):
            literal = tidy_line(decode_tex(name))
            if literal:
                authors.append(AuthorRecord(literal=literal))
        else:
            person = _person(name)
            if person is not None:
                authors.append(person)
    return authors, others


def entry_people(values: dict[str, str]) -> tuple[list[AuthorRecord], bool, dict[str, str]]:
    """The entry's authors and its other people by role (`editor`: `Family, Given; …`, as the
    other formats keep them in `extra`), their fields taken out of `values`. With no author,
    the people of the first role that has any stand in as the authors (the role is kept)."""
    authors, others = parse_names(values.pop("author", ""))
    roles: dict[str, str] = {}
    for role in ROLES:
        if role not in values:
            continue
        people, more = parse_names(values.pop(role))
        if people:
            roles[role] = names_text(people)
            if not authors:
                authors, others = people, more
    return authors, others, roles


def role_people(value: str) -> list[AuthorRecord]:
    """The people of a role kept in `extra` (`A, B; C, D`; older libraries: `A, B and C, D`)."""
    if ";" not in value and re.search(r"\sand\s", value):
        return parse_names(value)[0]
    return names_from_text(value)


def stands_in(authors: list[AuthorRecord], extra: dict[str, str]) -> bool:
    """Whether `authors` are only the people of a role field in `extra` (read as authors)."""
    for role in ROLES:
        if extra.get(role):
            return role_people(extra[role]) == authors
    return False


def role_field(value: str) -> str:
    """A role kept in `extra` as a BibTeX name list."""
    return " and ".join(name_field(person) for person in role_people(value))


def name_field(author: AuthorRecord) -> str:
    """One BibTeX name: `Family, Given`, `Family, Jr, Given`, `Family`, or `{Literal Name}`."""

    def part(text: str) -> str:
        escaped = escape_tex(text)
        risky = "," in text or text.lower() == "others" or re.search(r"\band\b", text, re.I)
        return "{" + escaped + "}" if risky else escaped

    if author.literal or not author.family:
        return "{" + escape_tex(author.display) + "}"
    if not author.given:
        if " " in author.family:  # it would read back as given + family: keep it whole
            return "{" + escape_tex(author.family) + "}"
        if author.family.lower() == "others":  # not the `and others` keyword
            return "{" + escape_tex(author.family[0]) + "}" + escape_tex(author.family[1:])
        return part(author.family)
    suffixed = _SUFFIXED.match(author.given)
    if suffixed and "," not in author.family:
        first, suffix = suffixed.groups()
        return f"{part(author.family)}, {part(suffix)}, {part(first)}"
    return f"{part(author.family)}, {part(author.given)}"
