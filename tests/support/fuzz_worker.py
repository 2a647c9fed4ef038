"""Mutation fuzzer for the reader, the pixel decoders and the writer, run in a child process
by test_fuzz.py (so an interpreter crash or a hang is caught as the child's failure).

Usage: python -m tests.support.fuzz_worker SEED SECONDS FILE...

Each round takes a corpus file and applies a few mutations: bit flips, random bytes, a
length field set to 0, 0xFFFFFFFF or 0xFFFFFFF0, truncation, a duplicated or deleted span;
half of them aimed at the encapsulated pixel data (RLE segment tables, JPEG marker
segments, JPEG 2000 SIZ, fragment and offset table lengths) and some at the Image Pixel
size fields (Rows, Columns, Number of Frames, Bits Allocated set to 0, 1, 65535 ...). The
mutant is read; if it reads, every value is decoded, the first frame, every frame and the
whole pixel array are decoded, and the data set is written. Any exception that is not an
``authoring`` error is a failure (a MemoryError too: the address space is limited), and so
is one input taking more than ``PER_INPUT_LIMIT`` seconds. Prints one summary line (the
count of inputs and of each outcome); exits 1 on failure.
"""

from __future__ import annotations

import random
import resource
import struct
import sys
import time
import traceback
import warnings
from pathlib import Path

import authoring
from authoring.errors import AuthoringError

PER_INPUT_LIMIT = 5.0
ADDRESS_SPACE = 3 << 30  # a runaway allocation fails here instead of taking the machine
INTERESTING_LENGTHS = [b"\x00\x00\x00\x00", b"\xff\xff\xff\xff", b"\xf0\xff\xff\xff",
                       b"\x01\x00\x00\x00", b"\xff\xff\x00\x00"]
INTERESTING_US = [b"\x00\x00", b"\x01\x00", b"\xff\xff", b"\x00\x80", b"\x10\x00",
                  b"\x40\x00", b"\x08\x00"]
#: Image Pixel size fields (explicit VR little endian tag bytes) and their value offset
SIZE_FIELDS = [b"\x28\x00\x10\x00US\x02\x00", b"\x28\x00\x11\x00US\x02\x00",
               b"\x28\x00\x00\x01US\x02\x00", b"\x28\x00\x01\x01US\x02\x00",
               b"\x28\x00\x02\x00US\x02\x00"]
FRAMES_FIELD = b"\x28\x00\x08\x00IS"
PIXEL_DATA = b"\xe0\x7f\x10\x00"


def _pixel_region(data: bytearray) -> tuple[int, int]:
    start = data.rfind(PIXEL_DATA)
    return (start, len(data)) if start >= 0 else (0, len(data))


def mutate(data: bytearray, rng: random.Random) -> bytearray:
    """Apply one to four random mutations."""
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        choice = rng.random()
        low, high = (0, len(data))
        if rng.random() < 0.5:
            low, high = _pixel_region(data)
        position = rng.randrange(low, high) if high > low else rng.randrange(len(data))
        if choice < 0.25:
            data[position] ^= 1 << rng.randrange(8)
        elif choice < 0.4:
            data[position] = rng.randrange(256)
        elif choice < 0.55:
            data[position:position + 4] = rng.choice(INTERESTING_LENGTHS)
        elif choice < 0.65:
            _size_field(data, rng)
        elif choice < 0.72:
            del data[rng.randrange(len(data)):]
        elif choice < 0.86:
            end = min(len(data), position + rng.randint(1, 64))
            data[position:position] = data[position:end]
        else:
            end = min(len(data), position + rng.randint(1, 64))
            del data[position:end]
    return data


def _size_field(data: bytearray, rng: random.Random) -> None:
    """Set Rows, Columns, Bits Allocated/Stored, Samples per Pixel or Number of Frames to
    an interesting value."""
    if rng.random() < 0.2:
        at = data.find(FRAMES_FIELD)
        if at >= 0:
            length = struct.unpack_from("<H", data, at + 6)[0]
            text = rng.choice([b"0", b"1", b"2", b"65535", b"2147483647", b"-1", b"99999999"])
            text = (text + b" " * length)[:length]
            data[at + 8:at + 8 + length] = text
        return
    field = rng.choice(SIZE_FIELDS)
    at = data.find(field)
    if at >= 0:
        data[at + 8:at + 10] = rng.choice(INTERESTING_US)


def exercise(data: bytes) -> str:
    """Read, decode every value and every frame, write; return what happened."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            dataset = authoring.read(data)
        except AuthoringError:
            return "rejected"
        outcome = "round-tripped"
        try:
            for _, element in dataset.walk():
                element.value
        except AuthoringError:
            outcome = "value rejected"
        if "PixelData" in dataset or "FloatPixelData" in dataset:
            for step in (lambda: dataset.frame(0), lambda: list(dataset.iter_frames()),
                         lambda: dataset.pixel_array):
                try:
                    step()
                except AuthoringError:
                    outcome = "pixels rejected"
                    break
        try:
            authoring.to_bytes(dataset, validation="ignore")
        except AuthoringError:
            return "write rejected"
        return outcome


def main(argv: list[str]) -> int:
    """Run the fuzzer; see the module docstring."""
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
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
        except BaseException:  # noqa: BLE001 - anything else is the bug we look for
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
