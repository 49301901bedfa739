"""No read is unbounded: standard input is read up to max-file-size, as pages are."""

from __future__ import annotations

import io
import json

import pytest

from tests.conftest import run_cli

LIMIT = 1000
SMALL_LIMIT = f"max-file-size = {LIMIT}\n"


class EndlessInput(io.RawIOBase):
    """Text without end, as `< /dev/zero` gives; fails the test once far more was asked of it
    than any limit of the test allows, instead of growing for ever."""

    def __init__(self, ceiling: int = 1_000_000):
        self.ceiling = ceiling
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        assert self.given <= self.ceiling, f"{self.given:,} bytes of an endless input read"
        buffer[:] = b"a" * len(buffer)
        self.given += len(buffer)
        return len(buffer)


def _stdin(monkeypatch, stream: io.RawIOBase) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BufferedReader(stream)))


def _check_stdin(tmp_path, monkeypatch, capsys, stream, *args):
    (tmp_path / ".pagelint.toml").write_text(SMALL_LIMIT)
    _stdin(monkeypatch, stream)
    return run_cli(["check", *args, "-"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)


def test_endless_stdin_is_read_up_to_max_file_size_and_reported_as_too_large(tmp_path, monkeypatch, capsys):
    endless = EndlessInput()
    code, out, err = _check_stdin(tmp_path, monkeypatch, capsys, endless, "--format", "json")
    assert code == 1 and err == "", err
    [finding] = json.loads(out)["diagnostics"]
    assert (finding["path"], finding["code"]) == ("-", "E901") and f"max-file-size ({LIMIT:,})" in finding["message"]
    assert endless.given <= 64 * 1024  # what one buffered read asks for, not the whole input


@pytest.mark.parametrize("size, codes", [(LIMIT, ["M001"]), (LIMIT + 1, ["E901"])], ids=["at-the-limit", "one-byte-over"])
def test_stdin_at_the_limit_is_checked_and_one_byte_over_is_not(tmp_path, monkeypatch, capsys, size, codes):
    page = b"<font>x</font>\n".ljust(size, b"a")
    code, out, _ = _check_stdin(tmp_path, monkeypatch, capsys, io.BytesIO(page), "--format", "json", "--select", "M001,E901")
    assert code == 1 and [d["code"] for d in json.loads(out)["diagnostics"]] == codes


def test_fixing_an_oversized_stdin_prints_nothing_and_exits_2(tmp_path, monkeypatch, capsys):
    code, out, err = _check_stdin(tmp_path, monkeypatch, capsys, EndlessInput(), "--fix")
    assert code == 2 and out == "" and err.count("\n") == 1 and "max-file-size" in err, err
