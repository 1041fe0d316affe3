"""record_to_file: a ``record`` callable for ``TracesSampler`` that appends traffic lines
(JSONL) to a file, for ``tracesieve simulate`` and ``diff``."""

import os
import threading
from typing import Union

DEFAULT_MAX_BYTES = 64 * 1024 * 1024


class RecordToFile:
    """Appends each line it is called with to ``path``. ``record_rate`` (default 1) is the
    share of roots the sampler records; past ``max_bytes`` (the file's size when opened
    included) nothing more is written. Thread-safe; ``close()`` closes the file."""

    def __init__(
        self,
        path: "Union[str, os.PathLike[str]]",
        record_rate: float = 1.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        if not 0.0 <= record_rate <= 1.0:
            raise ValueError("record_rate must be in [0, 1]")
        self.record_rate = record_rate
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._file = open(path, "ab")
        self._size = self._file.tell()

    def __call__(self, line: str) -> None:
        data = line.encode("utf-8") + b"\n"
        with self._lock:
            if self._file.closed or self._size + len(data) > self.max_bytes:
                return
            self._file.write(data)
            self._file.flush()
            self._size += len(data)

    def close(self) -> None:
        with self._lock:
            self._file.close()


def record_to_file(
    path: "Union[str, os.PathLike[str]]",
    record_rate: float = 1.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> RecordToFile:
    """``TracesSampler(policy, record=record_to_file("roots.jsonl", record_rate=0.1))``."""
    return RecordToFile(path, record_rate=record_rate, max_bytes=max_bytes)
