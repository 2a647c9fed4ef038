"""Mutation fuzzer for the reader and writer, run in a child process by test_fuzz.py.

Usage: python -m tests.support.fuzz_worker SEED SECONDS FILE...

Each round takes a corpus file and applies a few mutations (bit flips, random bytes, a
length field set to 0, 0xFFFFFFFF or 0xFFFFFFF0, truncation, a duplicated or deleted span).
The mutant is read; if it reads, every value is decoded and the data set is written. Any
exception that is not an ``authoring`` error is a failure, and so is one input taking more
than ``PER_INPUT_LIMIT`` seconds. Prints one summary line; exits 1 on failure.
"""

from __future__ import annotations

import random
import sys
import time
import traceback
import warnings
from pathlib import Path

import authoring
from authoring.errors import AuthoringError

PER_INPUT_LIMIT = 5.0
INTERESTING_LENGTHS = [b"\x00\x00\x00\x00", b"\xff\xff\xff\xff", b"\xf0\xff\xff\xff",
                       b"\x01\x00\x00\x00", b"\xff\xff\x00\x00"]


def mutate(data: bytearray, rng: random.Random) -> bytearray:
    """Apply one to four random mutations."""
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        if not data:
            break
        position = rng.randrange(len(data))
        if choice < 0.3:
            data[position] ^= 1 << rng.randrange(8)
        elif choice < 0.5:
            data[position] = rng.randrange(256)
        elif choice < 0.7:
            data[position:position + 4] = rng.choice(INTERESTING_LENGTHS)
        elif choice < 0.8:
            del data[rng.randrange(len(data)):]
        elif choice < 0.9:
            end = min(len(data), position + rng.randint(1, 64))
            data[position:position] = data[position:end]
        else:
            end = min(len(data), position + rng.randint(1, 64))
            del data[position:end]
    return data


def exercise(data: bytes) -> str:
    """Read, decode everything, write; return what happened."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            dataset = authoring.read(data)
        except AuthoringError:
            return "rejected"
        try:
            for _, element in dataset.walk():
                element.value
            authoring.to_bytes(dataset, validation="ignore")
        except AuthoringError:
            return "read, value or write rejected"
        return "round-tripped"


def main(argv: list[str]) -> int:
    """Run the fuzzer; see the module docstring."""
    seed, seconds = int(argv[0]), float(argv[1])
    corpus = [Path(p).read_bytes() for p in argv[2:]]
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    counts: dict[str, int] = {}
    rounds = 0
    while time.monotonic() < deadline:
        source = rng.choice(corpus)
        mutant = bytes(mutate(bytearray(source), rng))
        started = time.monotonic()
        try:
            outcome = exercise(mutant)
        except Exception:  # noqa: BLE001 - anything else is the bug we look for
            print(f"round {rounds}: unexpected exception\n{traceback.format_exc()}")
            Path("fuzz-failure.dcm").write_bytes(mutant)
            return 1
        if time.monotonic() - started > PER_INPUT_LIMIT:
            print(f"round {rounds}: took {time.monotonic() - started:.1f} s")
            Path("fuzz-failure.dcm").write_bytes(mutant)
            return 1
        counts[outcome] = counts.get(outcome, 0) + 1
        rounds += 1
    print(f"{rounds} mutants (seed {seed}): {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
