"""Yardstick: Papershelf's parsers measured against what Zotero produces for the same files."""
