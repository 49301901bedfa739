"""No read is unbounded: standard input, configuration files, the site word list and
`_config.yml` are read up to a stated size, and only regular files are read at all."""

from __future__ import annotations

import io
import json
import os

import pytest

from tests.conftest import run_cli

LIMIT = 1000
SMALL_LIMIT = f"max-file-size = {LIMIT}\n"
needs_dev_zero = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")


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


# Configuration files --------------------------------------------------------------------


def _check(tmp_path, monkeypatch, capsys, *args):
    (tmp_path / "a.md").write_text("Hello.\n")
    return run_cli(["check", *args, "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)


@pytest.mark.parametrize("name", [".pagelint.toml", "pyproject.toml"])
def test_oversized_configuration_file_is_an_error_naming_it(tmp_path, monkeypatch, capsys, name):
    header = "[tool.pagelint]\n" if name == "pyproject.toml" else ""
    (tmp_path / name).write_text(header + "# padding\n" * 110_000)  # over 1 MB of valid TOML
    code, _, err = _check(tmp_path, monkeypatch, capsys)
    assert code == 2 and name in err and "1,000,000" in err and err.count("\n") == 1, err
    (tmp_path / name).write_text(header + "# padding\n" * 90_000)  # the control: under 1 MB is read
    assert _check(tmp_path, monkeypatch, capsys)[0] == 0


@needs_dev_zero
@pytest.mark.parametrize("name", [".pagelint.toml", "pyproject.toml"])
def test_discovered_configuration_that_is_not_a_regular_file_is_an_error(tmp_path, monkeypatch, capsys, name):
    os.symlink("/dev/zero", tmp_path / name)
    code, _, err = _check(tmp_path, monkeypatch, capsys)
    assert code == 2 and name in err and "not a regular file" in err, err


@needs_dev_zero
def test_config_option_naming_a_device_is_an_error(tmp_path, monkeypatch, capsys):
    code, _, err = _check(tmp_path, monkeypatch, capsys, "--config", "/dev/zero")
    assert code == 2 and "/dev/zero" in err and "not a regular file" in err, err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_config_option_naming_a_pipe_is_an_error_without_waiting_for_a_writer(tmp_path, monkeypatch, capsys):
    os.mkfifo(tmp_path / "config.toml")
    code, _, err = _check(tmp_path, monkeypatch, capsys, "--config", "config.toml")
    assert code == 2 and "config.toml" in err and "not a regular file" in err, err


# Files read beside a page ---------------------------------------------------------------

UNKNOWN = "The Galvatorn method.\n"


def _unknown_words(tmp_path, monkeypatch, capsys, word_list: str | None, config: str = "") -> list[str]:
    (tmp_path / "_config.yml").write_text("title: T\n")
    (tmp_path / ".pagelint.toml").write_text(config)
    (tmp_path / "page.md").write_text(UNKNOWN)
    if word_list is not None:
        (tmp_path / ".pagelint-words.txt").write_text(word_list)
    code, out, err = run_cli(
        ["check", "--format", "json", "--select", "S006", "page.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys
    )
    assert code in (0, 1), err
    return [d["message"].split("`")[1] for d in json.loads(out)["diagnostics"]]


def test_word_list_over_max_file_size_is_not_read(tmp_path, monkeypatch, capsys):
    listed = "Galvatorn\n"
    assert _unknown_words(tmp_path, monkeypatch, capsys, listed, SMALL_LIMIT) == []  # the control: the list is read
    assert _unknown_words(tmp_path, monkeypatch, capsys, listed + "#\n" * LIMIT, SMALL_LIMIT) == ["Galvatorn"]


@needs_dev_zero
def test_word_list_that_is_a_device_is_not_read(tmp_path, monkeypatch, capsys):
    os.symlink("/dev/zero", tmp_path / ".pagelint-words.txt")
    assert _unknown_words(tmp_path, monkeypatch, capsys, None) == ["Galvatorn"]


def test_words_add_unknown_refuses_a_word_list_it_cannot_read_whole(tmp_path, monkeypatch, capsys):
    (tmp_path / ".pagelint.toml").write_text(SMALL_LIMIT)
    (tmp_path / "page.md").write_text(UNKNOWN)
    oversized = "# ours\n" + "#\n" * LIMIT
    (tmp_path / ".pagelint-words.txt").write_text(oversized)
    code, out, err = run_cli(["words", "--add-unknown", "page.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 2 and ".pagelint-words.txt" in err and err.count("\n") == 1, err
    assert (tmp_path / ".pagelint-words.txt").read_text() == oversized  # left as it was, not truncated


def test_site_config_over_the_page_limit_is_not_read(tmp_path):
    from pagelint.model.generators.jekyll import Jekyll
    from pagelint.model.site import Site

    config = "title: T\ncollections: [notes]\n"
    (tmp_path / "_config.yml").write_text(config)
    assert Site(tmp_path, Jekyll(), max_file_size=LIMIT).config["collections"] == ["notes"]  # the control
    (tmp_path / "_config.yml").write_text(config + "#\n" * LIMIT)
    assert Site(tmp_path, Jekyll(), max_file_size=LIMIT).config == {}


def test_site_config_is_read_with_the_max_file_size_of_its_folder(tmp_path):
    """A page in `_notes` is of the `notes` kind only when `_config.yml` (which declares the
    collection) is read: not with a `max-file-size` below its size."""
    from pagelint.run.linter import Linter

    (tmp_path / "_config.yml").write_text("title: T\ncollections: [notes]\n" + "#\n" * 200)
    page = tmp_path / "_notes" / "a.md"
    page.parent.mkdir()
    page.write_text("---\ntitle: A\n---\nHello.\n")
    assert Linter().sites.site_for(page).kind_of(page) == "notes"  # the control
    (tmp_path / ".pagelint.toml").write_text("max-file-size = 100\n")
    assert Linter().sites.site_for(page).kind_of(page) == "page"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
@pytest.mark.parametrize(
    "pipe, reported",
    [("notes.txt", set()), ("notes.md", {("notes.md", "E900")})],
    ids=["looked-into-for-front-matter", "read-for-the-site-permalinks"],
)
def test_pipe_with_a_page_name_is_not_waited_on(tmp_path, monkeypatch, capsys, pipe, reported):
    (tmp_path / "_config.yml").write_text("title: T\n")
    (tmp_path / "index.md").write_text("---\ntitle: Home\n---\nSee [the slides](/files/missing.pdf).\n")  # L006: the site's URLs were read
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "paper.pdf").write_text("%PDF")
    os.mkfifo(tmp_path / pipe)
    code, out, err = run_cli(["check", "--format", "json", "--select", "E,L", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    found = {(d["path"], d["code"]) for d in json.loads(out)["diagnostics"]}
    assert ("index.md", "L006") in found and {item for item in found if item[0] == pipe} == reported, (found, err)
