"""Entry types across BibTeX/biblatex, CSL and RIS.

Each kept as written where the target format knows it, mapped through BibTeX's types (the pivot)
where it does not."""

from __future__ import annotations

import rispy

from storage.records import PaperRecord

# BibTeX's entry types and biblatex's (the aliases included).
BIBTEX_TYPES = frozenset({
    "article", "book", "booklet", "inbook", "incollection", "inproceedings", "conference",
    "manual", "mastersthesis", "misc", "phdthesis", "proceedings", "techreport", "unpublished",
    "online", "report", "thesis", "software", "dataset", "electronic", "www", "collection",
    "mvbook", "mvcollection", "mvproceedings", "mvreference", "periodical", "suppbook",
    "suppcollection", "suppperiodical", "patent", "standard", "reference", "inreference",
    "letter", "review", "artwork", "audio", "image", "movie", "music", "performance", "video",
    "legislation", "jurisdiction", "legal", "commentary",
})  # fmt: skip
# CSL 1.0.2 item types.
CSL_TYPES = frozenset({
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing",
    "interview", "legal_case", "legislation", "manuscript", "map", "motion_picture",
    "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review",
    "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
})  # fmt: skip
# RIS `TY` values (the RIS specification's list, as rispy has it); stored upper-case.
RIS_TYPES = frozenset(rispy.TYPE_OF_REFERENCE_MAPPING)

_CSL_TO_BIBTEX = {
    "article": "misc",  # CSL's `article` is a preprint or working paper, not a journal's
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "paper-conference": "inproceedings",
    "chapter": "incollection",
    "entry": "inreference",
    "entry-dictionary": "inreference",
    "entry-encyclopedia": "inreference",
    "manuscript": "unpublished",
    "pamphlet": "booklet",
    "webpage": "online",
    "post": "online",
    "post-weblog": "online",
    "personal_communication": "letter",
    "graphic": "artwork",
    "motion_picture": "movie",
    "song": "audio",
    "musical_score": "music",
    "review-book": "review",
    "legal_case": "jurisdiction",
    "bill": "legislation",
    "regulation": "legislation",
    "treaty": "legislation",
}
_BIBTEX_TO_CSL = {
    "article": "article-journal",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "mvproceedings": "book",
    "incollection": "chapter",
    "inbook": "chapter",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "mvbook": "book",
    "mvcollection": "book",
    "collection": "book",
    "booklet": "pamphlet",
    "techreport": "report",
    "manual": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "unpublished": "manuscript",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "reference": "book",
    "mvreference": "book",
    "inreference": "entry-encyclopedia",
    "letter": "personal_communication",
    "artwork": "graphic",
    "image": "graphic",
    "audio": "song",
    "music": "musical_score",
    "movie": "motion_picture",
    "video": "motion_picture",
    "jurisdiction": "legal_case",
    "legal": "regulation",
    "suppperiodical": "article-journal",
    "commentary": "book",
    "misc": "article",
}
_SAME_IN_CSL = CSL_TYPES - {"article", "collection"}  # these two mean other things in BibTeX
_RIS_TO_BIBTEX = {
    "JOUR": "article", "EJOUR": "article", "MGZN": "article", "NEWS": "article",
    "INPR": "article", "JFULL": "periodical", "SER": "periodical", "CONF": "inproceedings",
    "CPAPER": "inproceedings", "BOOK": "book", "EBOOK": "book", "EDBOOK": "collection",
    "CLSWK": "book", "CHAP": "incollection", "ECHAP": "incollection", "DICT": "reference",
    "ENCYC": "reference", "RPRT": "techreport", "GOVDOC": "report", "THES": "phdthesis",
    "UNPB": "unpublished", "MANSCPT": "unpublished", "ELEC": "online", "BLOG": "online",
    "ICOMM": "online", "DATA": "dataset", "DBASE": "dataset", "AGGR": "dataset",
    "COMP": "software", "PAT": "patent", "STAND": "standard", "PCOMM": "letter",
    "PAMP": "booklet", "ART": "artwork", "FIGURE": "image", "CHART": "image",
    "SOUND": "audio", "MUSIC": "music", "MPCT": "movie", "VIDEO": "video", "ADVS": "video",
    "MULTI": "video", "BILL": "legislation", "STAT": "legislation", "LEGAL": "legal",
    "CASE": "jurisdiction", "GEN": "misc",
}  # fmt: skip
_RIS_TO_CSL = {
    "MGZN": "article-magazine", "NEWS": "article-newspaper", "BLOG": "post-weblog",
    "ICOMM": "post", "MANSCPT": "manuscript", "MAP": "map", "HEAR": "hearing",
    "CASE": "legal_case", "BILL": "bill", "LEGAL": "regulation", "ENCYC": "entry-encyclopedia",
    "DICT": "entry-dictionary", "PCOMM": "personal_communication", "PAMP": "pamphlet",
    "MPCT": "motion_picture", "SOUND": "song", "MUSIC": "musical_score", "FIGURE": "figure",
    "ART": "graphic", "SLIDE": "speech", "UNPB": "manuscript",
}  # fmt: skip
_CSL_TO_RIS = {
    "article": "GEN", "article-journal": "JOUR", "article-magazine": "MGZN",
    "article-newspaper": "NEWS", "paper-conference": "CPAPER", "chapter": "CHAP",
    "post-weblog": "BLOG", "post": "ICOMM", "webpage": "ELEC", "manuscript": "MANSCPT",
    "legal_case": "CASE", "legislation": "STAT", "regulation": "LEGAL", "hearing": "HEAR",
    "entry-encyclopedia": "ENCYC", "entry-dictionary": "DICT", "entry": "GEN",
    "personal_communication": "PCOMM", "motion_picture": "MPCT", "song": "SOUND",
    "musical_score": "MUSIC", "graphic": "ART", "speech": "SLIDE",
}  # fmt: skip
_BIBTEX_TO_RIS = {
    "article": "JOUR", "inproceedings": "CPAPER", "conference": "CPAPER", "proceedings": "CONF",
    "mvproceedings": "CONF", "book": "BOOK", "mvbook": "BOOK", "booklet": "PAMP",
    "collection": "EDBOOK", "mvcollection": "EDBOOK", "incollection": "CHAP", "inbook": "CHAP",
    "suppbook": "CHAP", "suppcollection": "CHAP", "techreport": "RPRT", "report": "RPRT",
    "manual": "RPRT", "phdthesis": "THES", "mastersthesis": "THES", "thesis": "THES",
    "unpublished": "UNPB", "online": "ELEC", "electronic": "ELEC", "www": "ELEC",
    "dataset": "DATA", "software": "COMP", "patent": "PAT", "standard": "STAND",
    "periodical": "JFULL", "suppperiodical": "JOUR", "reference": "ENCYC",
    "mvreference": "ENCYC", "inreference": "ENCYC", "letter": "PCOMM", "review": "JOUR",
    "artwork": "ART", "image": "FIGURE", "audio": "SOUND", "music": "MUSIC", "movie": "MPCT",
    "video": "VIDEO", "legislation": "STAT", "jurisdiction": "CASE", "legal": "LEGAL",
    "commentary": "BOOK", "misc": "GEN",
}  # fmt: skip


def stored_type(kind: str | None) -> str | None:
    """A type as the library keeps it: a BibTeX/biblatex or CSL type in lower case, a RIS
    type in upper case; None for anything else (or nothing)."""
    text = (kind or "").strip()
    if text.lower() in BIBTEX_TYPES or text.lower() in CSL_TYPES:
        return text.lower()
    if text.upper() in RIS_TYPES:
        return text.upper()
    return None


def from_csl(kind: str | None) -> str | None:
    """The type to keep for a CSL item's type: as written, except CSL's `article` (a preprint
    or working paper), kept as `misc`, since a stored `article` is a journal article."""
    return "misc" if (kind or "").strip().lower() == "article" else kind


def bibtex_type(record: PaperRecord) -> str:
    """The record's type as a BibTeX (or biblatex) entry type, whatever format it came from."""
    kind = (record.entry_type or "").strip()
    if kind.lower() in BIBTEX_TYPES:
        return kind.lower()
    mapped = _CSL_TO_BIBTEX.get(kind.lower()) or _RIS_TO_BIBTEX.get(kind.upper())
    if mapped:
        return mapped
    return "article" if record.venue else "misc"


def csl_type(record: PaperRecord) -> str:
    """The record's type as a CSL item type (a stored `article` or `collection` has its
    BibTeX meaning)."""
    kind = (record.entry_type or "").strip()
    if kind.lower() in _SAME_IN_CSL:
        return kind.lower()
    if kind.upper() in _RIS_TO_CSL and kind.lower() not in BIBTEX_TYPES:
        return _RIS_TO_CSL[kind.upper()]
    pivot = bibtex_type(record)
    return _BIBTEX_TO_CSL.get(pivot) or (pivot if pivot in _SAME_IN_CSL else "article")


def ris_type(record: PaperRecord) -> str:
    """The record's type as a RIS `TY` value."""
    kind = (record.entry_type or "").strip()
    if kind.upper() in RIS_TYPES:
        return kind.upper()
    if kind.lower() in BIBTEX_TYPES:
        return _BIBTEX_TO_RIS.get(kind.lower(), "GEN")
    if kind.lower() in _CSL_TO_RIS:
        return _CSL_TO_RIS[kind.lower()]
    return _BIBTEX_TO_RIS.get(bibtex_type(record), "GEN")
