"""Writing files is never surprising (``authoring.io.output``): links stay links, devices and
pipes are streams, special permission bits are dropped, any name the file system takes can
be written, temporary files are hidden, short and removed on errors and signals, scans skip
them, and an existing file is replaced only when asked."""

from __future__ import annotations

import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import authoring
from authoring.errors import WriteError
from authoring.io.output import TEMPORARY_PREFIX, visible_files, write_bytes
from tests.conftest import REPO


def _dataset() -> authoring.Dataset:
    return authoring.Dataset(SOPClassUID="1.2.840.10008.5.1.4.1.1.7",
                             SOPInstanceUID="1.2.3.4.5", PatientName="Doe^Jane", Modality="OT")


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMPORARY_PREFIX)]


def test_a_symlink_stays_a_link_and_its_target_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "real.dcm"
    target.write_bytes(b"old")
    link = tmp_path / "link.dcm"
    link.symlink_to(target)
    authoring.write(_dataset(), link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == authoring.to_bytes(_dataset())
    assert not _leftovers(tmp_path)


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.dcm"
    link.symlink_to(tmp_path / "new.dcm")
    authoring.write(_dataset(), link)
    assert link.is_symlink() and (tmp_path / "new.dcm").is_file()


def test_a_fifo_is_written_as_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    authoring.write(_dataset(), fifo)
    reader.join(timeout=30)
    assert received == [authoring.to_bytes(_dataset())]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a FIFO


def test_character_devices_are_streams_never_replaced() -> None:
    authoring.write(_dataset(), "/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    if os.path.exists("/dev/full"):
        with pytest.raises(WriteError, match="No space left on device") as caught:
            authoring.write(_dataset(), "/dev/full")
        assert caught.value.path == "/dev/full"
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_stdout_works_as_a_target() -> None:
    script = ("import authoring; ds = authoring.Dataset(SOPClassUID='1.2.840.10008.5.1.4.1.1.7',"
              " SOPInstanceUID='1.2.3'); authoring.write(ds, '/dev/stdout')")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr
    assert result.stdout[128:132] == b"DICM"


def test_sockets_and_directories_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "socket"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
        with pytest.raises(WriteError, match="socket"):
            authoring.write(_dataset(), path)
        assert stat.S_ISSOCK(os.stat(path).st_mode)
    finally:
        server.close()
    with pytest.raises(WriteError, match="directory"):
        authoring.write(_dataset(), tmp_path)


def test_special_bits_are_dropped_and_permissions_kept(tmp_path: Path) -> None:
    target = tmp_path / "x.dcm"
    target.write_bytes(b"old")
    os.chmod(target, 0o6755)
    authoring.write(_dataset(), target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o755
    os.chmod(target, 0o640)
    authoring.write(_dataset(), target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640


def test_a_new_file_gets_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        authoring.write(_dataset(), tmp_path / "new.dcm")
        write_bytes(tmp_path / "new.png", b"png")
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.dcm").st_mode) == 0o644
    assert stat.S_IMODE(os.stat(tmp_path / "new.png").st_mode) == 0o644


def test_the_longest_names_can_be_written(tmp_path: Path) -> None:
    for length in (242, 250, 255):
        name = "a" * (length - 4) + ".dcm"
        authoring.write(_dataset(), tmp_path / name)
        assert (tmp_path / name).stat().st_size > 0
    assert not _leftovers(tmp_path)


def test_no_overwrite_refuses_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "x.dcm"
    target.write_bytes(b"mine")
    with pytest.raises(WriteError, match="exists"):
        authoring.write(_dataset(), target, overwrite=False)
    assert target.read_bytes() == b"mine" and not _leftovers(tmp_path)
    authoring.write(_dataset(), tmp_path / "y.dcm", overwrite=False)
    assert (tmp_path / "y.dcm").exists()


def test_a_failed_write_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "x.dcm"
    target.write_bytes(b"keep")

    def broken(descriptor: int) -> None:
        os.write(descriptor, b"partial")
        raise OSError(28, "No space left on device")

    from authoring.io.output import write_file

    with pytest.raises(WriteError, match="No space left"):
        write_file(target, broken)
    assert target.read_bytes() == b"keep" and not _leftovers(tmp_path)


_SLOW_WRITER = """
import os, sys, time
from authoring.io.output import write_file
def slow(descriptor):
    os.write(descriptor, b"x" * 100)
    print("writing", flush=True)
    time.sleep(60)
write_file(sys.argv[1], slow)
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_signal_removes_the_temporary_file(signum: int, tmp_path: Path) -> None:
    process = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(tmp_path / "x.dcm")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    assert process.stdout is not None
    assert process.stdout.readline().strip() == b"writing"
    assert len(_leftovers(tmp_path)) == 1
    name = _leftovers(tmp_path)[0]
    assert name.startswith(".") and len(name) <= 32  # hidden and short
    process.send_signal(signum)
    process.wait(timeout=30)
    assert process.returncode != 0
    assert not _leftovers(tmp_path) and not (tmp_path / "x.dcm").exists()


def test_scans_skip_hidden_files(tmp_path: Path) -> None:
    """What a killed writer (kill -9) leaves is hidden, and every folder command skips it."""
    from typer.testing import CliRunner

    from authoring.cli.app import app

    folder = tmp_path / "FILES"
    (folder / "SUB").mkdir(parents=True)
    authoring.write(_dataset(), folder / "SUB" / "IM1")
    (folder / "SUB" / f"{TEMPORARY_PREFIX}0123456789ab.tmp").write_bytes(b"half a file")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "junk").write_bytes(b"junk")
    assert [p.name for p in visible_files(folder)] == ["IM1"]
    runner = CliRunner()
    assert runner.invoke(app, ["validate", str(folder)]).exit_code in (0, 1)  # read, not 2
    result = runner.invoke(app, ["codify", str(folder), "-o", str(tmp_path / "scripts")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "scripts").rglob("*.py")) == ["IM1.py"]
    result = runner.invoke(app, ["convert", str(folder), str(tmp_path / "out"), "-t", "big"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").rglob("*") if p.is_file()) == ["IM1"]


def test_killed_writer_leftovers_do_not_break_dicomdir(tmp_path: Path) -> None:
    from authoring import synth
    from authoring.io.dicomdir import write_dicomdir

    synth.generate(synth.SynthOptions(iod="CTImage", instances=2, rows=8, columns=8,
                                      dicomdir=True), tmp_path, workers=1)
    series = tmp_path / "P0001" / "ST0001" / "SE0001"
    (series / f"{TEMPORARY_PREFIX}deadbeef0000.tmp").write_bytes(b"\x00" * 100)
    target = write_dicomdir(tmp_path)
    assert len(authoring.read(target).DirectoryRecordSequence) == 5
