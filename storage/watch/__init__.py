"""Noticing commits other connections made to a library's database (another process or window)."""

from storage.watch.data_version import ChangeWatch

__all__ = ["ChangeWatch"]
