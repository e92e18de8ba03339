"""Process settings shared by everything that runs the service: the server, the CLI's
rebuild, the demo and the benchmarks (so a benchmark measures the process it stands for)."""

from __future__ import annotations

import gc


def still_inn_prosessen() -> None:
    """Garbage-collector settings for a process that projects or answers reads.

    A quarter of 5,000 vedtak allocates ~100,000 short-lived objects, and a catch-up
    millions; with the default thresholds the collector walked the long-lived heap so
    often that it doubled a quarter's computation and took a third of a catch-up's Python
    time (17,900 against 24,300 events/s on the ten-year mix). Objects alive when this is
    called are frozen out of collection, and young collections run less often. Reference
    counting still frees everything that is not in a cycle at once.
    """
    gc.freeze()
    gc.set_threshold(200_000, 50, 100)
