"""`make bench`: every benchmark, one after the other, each printing its figures.

Run on a quiet machine: these are timings, not tests. Within one run, compare figures as
ratios (e.g. SQLite vs PostgreSQL); across runs on a shared machine they vary.
"""

from __future__ import annotations

import sys

from bench import inntak, oppgjor, regelverk


def main() -> None:
    argv = sys.argv
    try:
        sys.argv = [argv[0]]
        inntak.main()
        print()
        regelverk.main()
        print()
        oppgjor.main()
    finally:
        sys.argv = argv


if __name__ == "__main__":
    main()
