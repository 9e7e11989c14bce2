"""A lens for reading: the same index on a read-only connection of its own, for a worker."""

from __future__ import annotations

import threading

import pytest

from voc_desktop.domain.findings import FindingFilter
from voc_desktop.store.archive_index import ArchiveIndexError

QUESTION = ("version-added-later", "q-added", "guide", "Guide", "Section", "", "Text?", 1)


def test_a_reading_lens_reads_what_the_lens_reads_and_sees_later_writes(lens):
    """It counts as the lens does, and what the lens writes later shows in it at once."""
    reading = lens.for_reading()
    try:
        everything = FindingFilter()
        assert reading.count(everything) == lens.count(everything) > 0
        assert reading.choices() == lens.choices()
        assert reading.store.guide_questions(["version-added-later"]) == {}
        lens.store.add_guide_questions([QUESTION])
        assert list(reading.store.guide_questions(["version-added-later"])) == [
            ("version-added-later", "q-added")]
    finally:
        reading.close()


def test_a_reading_lens_cannot_write(lens):
    """Its connection refuses every write, so it never holds up the lens's writes."""
    reading = lens.for_reading()
    try:
        with pytest.raises(ArchiveIndexError):
            reading.store.add_guide_questions([QUESTION])
        assert reading.written() == 0
        assert lens.store.guide_questions(["version-added-later"]) == {}
    finally:
        reading.close()


def test_a_reading_lens_may_be_used_from_another_thread(lens):
    """A worker reads with it, then this thread does: one at a time, as a reader's worker."""
    reading = lens.for_reading()
    got = []
    worker = threading.Thread(target=lambda: got.append(reading.count(FindingFilter())))
    worker.start()
    worker.join(10)
    got.append(reading.count(FindingFilter()))
    reading.close()
    assert got == [lens.count(FindingFilter())] * 2
