"""Readers: a notice file (text, web page, Word, PDF, Excel, CSV) into a ``NoticeDocument``.

One module per format, each with one ``read_…(data, filename)`` function; :func:`read_notice`
chooses among them by the file's content, with its extension as a hint. Refusal messages and
size limits live in :mod:`~geo.notices.readers.messages`.
"""

from geo.notices.readers.dispatch import read_notice, sniff

__all__ = ["read_notice", "sniff"]
