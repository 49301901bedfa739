"""`--fix` never loses data: what a fix is written through (links, hard links), what the fixed file
keeps (owner, group, mode), a page changed while it was fixed, the temporary files a killed run
left, and the pool's workers of a killed run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from pagelint.run import fixer
from tests.conftest import run_subprocess
from tests.test_fixes import FIXED, FLAGS, PAGE

as_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root gives a file to another user")
STRANGER = (54321, 54322)  # an owner and a group that are not the test's


def beside(folder) -> list[str]:
    return sorted(os.listdir(folder))


def test_a_symlinked_page_is_fixed_in_the_file_it_points_to_and_stays_a_link(tmp_path, cli):
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "a.md"
    real.write_text(PAGE)
    (tmp_path / "a.md").symlink_to(os.path.join("real", "a.md"))
    code, _, err = cli("check", "--fix", *FLAGS, "a.md")
    assert code == 1, err
    assert (tmp_path / "a.md").is_symlink() and os.readlink(tmp_path / "a.md") == os.path.join("real", "a.md")
    assert real.read_text() == FIXED
    assert beside(tmp_path) == ["a.md", "real"] and beside(tmp_path / "real") == ["a.md"]


@as_root
def test_owner_group_and_mode_are_kept(tmp_path, cli):
    page = tmp_path / "a.md"
    page.write_text(PAGE)
    os.chown(page, *STRANGER)
    page.chmod(0o6754)  # set-id bits that a change of owner clears, when it comes after the mode
    cli("check", "--fix", *FLAGS, "a.md")
    info = page.stat()
    assert page.read_text() == FIXED
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (*STRANGER, 0o6754)


@as_root
def test_a_file_whose_owner_cannot_be_given_to_a_new_file_is_rewritten_in_place(tmp_path, cli, monkeypatch):
    """As a user who may write another's file but not give a file away: the file keeps its inode, so its owner."""
    page = tmp_path / "a.md"
    page.write_text(PAGE)
    os.chown(page, *STRANGER)
    before = page.stat()

    def not_permitted(*args):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(fixer.os, "chown", not_permitted)
    code, _, err = cli("check", "--fix", *FLAGS, "a.md")
    after = page.stat()
    assert code == 1, err
    assert page.read_text() == FIXED and after.st_ino == before.st_ino and (after.st_uid, after.st_gid) == STRANGER
    assert beside(tmp_path) == ["a.md"]


def test_a_hard_linked_page_is_rewritten_in_place_so_every_name_sees_the_fix(tmp_path, cli):
    page = tmp_path / "a.md"
    page.write_text(PAGE)
    (tmp_path / "elsewhere").mkdir()
    other = tmp_path / "elsewhere" / "same.md"
    os.link(page, other)
    code, _, err = cli("check", "--fix", *FLAGS, "a.md")
    assert code == 1, err
    assert page.read_text() == other.read_text() == FIXED
    assert page.stat().st_ino == other.stat().st_ino and page.stat().st_nlink == 2
    assert beside(tmp_path) == ["a.md", "elsewhere"]  # the copy of the original is gone


CRASH_WHILE_REWRITING_IN_PLACE = textwrap.dedent(
    """
    import os, sys
    real_fsync = os.fsync
    calls = []

    def dies_on_the_second(fd):
        calls.append(fd)
        if len(calls) == 1:
            return real_fsync(fd)  # the copy of the original
        os.ftruncate(fd, 10)  # the page, half rewritten, when the process dies
        os._exit(9)

    os.fsync = dies_on_the_second
    from pagelint.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def test_a_crash_while_rewriting_in_place_leaves_the_original_beside_the_page(tmp_path):
    page = tmp_path / "a.md"
    page.write_text(PAGE)
    os.link(page, tmp_path / "b.txt")
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH_WHILE_REWRITING_IN_PLACE, "check", "--fix", *FLAGS, "a.md"],
        cwd=tmp_path, capture_output=True, timeout=60,
    )
    assert crashed.returncode == 9 and len(page.read_bytes()) == 10
    [copy] = [name for name in beside(tmp_path) if name not in ("a.md", "b.txt")]
    assert copy.startswith(".a.md.") and copy.endswith(".pagelint-orig")
    assert (tmp_path / copy).read_text() == PAGE
    past = time.time() - 3600
    os.utime(tmp_path / copy, (past, past))
    run_subprocess(["check", "--fix", *FLAGS, "a.md"], cwd=tmp_path)
    assert (tmp_path / copy).exists()  # not a temporary file: a later run leaves the original to the user


def test_a_failed_rewrite_in_place_puts_the_original_back(tmp_path, cli, monkeypatch):
    page = tmp_path / "a.md"
    page.write_text(PAGE)
    os.link(page, tmp_path / "b.txt")
    real_fsync = os.fsync
    calls = []

    def full_disk_on_the_second(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(fixer.os, "fsync", full_disk_on_the_second)
    code, _, err = cli("check", "--fix", *FLAGS, "a.md")
    assert code == 2 and err == "pagelint: a.md: fixes not written: No space left on device\n"
    assert page.read_text() == PAGE and beside(tmp_path) == ["a.md", "b.txt"]


# A page changed between the read that the fixes were computed from and their write.
ADDED = "A line added meanwhile.\n"


def append_a_line(page):
    with page.open("a") as out:
        out.write(ADDED)


def rewrite_with_the_same_size_and_time(page):
    """Only the content tells: the same size, and the time put back."""
    before = page.stat()
    page.write_text(PAGE.replace("Neurips", "NEURIPS"))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize(
    ("change", "changed"), [(append_a_line, PAGE + ADDED), (rewrite_with_the_same_size_and_time, PAGE.replace("Neurips", "NEURIPS"))]
)
def test_a_page_changed_while_it_is_fixed_is_left_alone_and_reported(tmp_path, cli, monkeypatch, change, changed):
    page = tmp_path / "a.md"
    page.write_text(PAGE)
    real_fix_document = fixer.fix_document

    def change_meanwhile(*args, **kwargs):
        fixed = real_fix_document(*args, **kwargs)
        change(page)
        return fixed

    monkeypatch.setattr(fixer, "fix_document", change_meanwhile)
    code, out, err = cli("check", "--fix", *FLAGS, "a.md")
    assert code == 2 and err == "pagelint: a.md: changed while being fixed; not written\n"
    assert page.read_text() == changed and beside(tmp_path) == ["a.md"]
    assert "Fixed" not in out


def test_safe_and_unsafe_fixes_run_at_once_keep_both_runs_fixes(tmp_path, cli, monkeypatch):
    """Two runs on one page: the one that writes second read the page before the first wrote it,
    and its write would undo the first's fixes: it is refused, and the page keeps them."""
    from pagelint.cli import main

    page = tmp_path / "a.md"
    unused_suppression = "<!-- pagelint-disable-next-line M001 -->\nplain\n"  # its removal (M100) is an unsafe fix
    with_m100 = ("--select", FLAGS[1] + ",M100")
    page.write_text(PAGE + unused_suppression)
    real_fix_document = fixer.fix_document
    interleaved = []

    def other_run_writes_first(*args, **kwargs):
        fixed = real_fix_document(*args, **kwargs)
        if not interleaved:
            interleaved.append(True)
            assert main(["check", "--fix", "--unsafe-fixes", *with_m100, "a.md"]) == 1
        return fixed

    monkeypatch.setattr(fixer, "fix_document", other_run_writes_first)
    code, _, err = cli("check", "--fix", *with_m100, "a.md")
    assert code == 2 and err == "pagelint: a.md: changed while being fixed; not written\n"
    assert page.read_text() == FIXED + "\nplain\n"  # the other run's fixes, all of them


def test_a_page_changed_before_its_online_fixes_are_written_is_left_alone(tmp_path, monkeypatch):
    """The online fixes (a redirect's target) are written after the links were checked: the page
    is read again then, and left alone if it changes before they are written."""
    from pagelint.diagnostics import RunResult, Target
    from pagelint.rules.online import PermanentRedirect
    from pagelint.run.linter import Linter
    from pagelint.run.options import RunOptions
    from pagelint.run.runner import _fix_online

    monkeypatch.chdir(tmp_path)
    page = tmp_path / "a.md"
    page.write_text("See <http://example.org/old>.\n")
    doc = Linter().load(Target(page, "a.md"), page.read_bytes())
    start = doc.text.index("http")
    redirect = PermanentRedirect().diagnostic(doc, start, start + 22, "moved", replacement="http://example.org/new")
    real_select_edits = fixer.select_edits

    def append_meanwhile(*args, **kwargs):
        append_a_line(page)
        return real_select_edits(*args, **kwargs)

    for interfere, expected in ((False, "See <http://example.org/new>.\n"), (True, "See <http://example.org/old>.\n" + ADDED)):
        page.write_text("See <http://example.org/old>.\n")
        monkeypatch.setattr(fixer, "select_edits", append_meanwhile if interfere else real_select_edits)
        linter = Linter()
        left = _fix_online(linter, [redirect], RunOptions(fix=True), RunResult())
        assert page.read_text() == expected
        assert (left, linter.internal_errors) == (([redirect], ["a.md: changed while being fixed; not written"]) if interfere else ([], []))


@pytest.mark.parametrize("step", ["fsync", "chmod", "replace"])
def test_a_write_that_fails_at_any_step_leaves_no_temporary_file(tmp_path, cli, monkeypatch, step):
    page = tmp_path / "a.md"
    page.write_text(PAGE)

    def fail(*args):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(fixer.os, step, fail)
    code, _, err = cli("check", "--fix", *FLAGS, "a.md")
    assert code == 2 and err == "pagelint: a.md: fixes not written: Input/output error\n"
    assert page.read_text() == PAGE and beside(tmp_path) == ["a.md"]


def test_temporary_files_a_killed_run_left_are_removed_from_the_folders_it_fixes(tmp_path, cli):
    (tmp_path / "a.md").write_text(PAGE)
    (tmp_path / "unfixed").mkdir()
    (tmp_path / "unfixed" / "b.md").write_text("Nothing to fix.\n")
    stale = [".a.md.k3j_x9q2.pagelint-tmp", ".gone.md.abcdefgh.pagelint-tmp"]
    not_pagelints = [".a.md.abc.pagelint-tmp", "a.md.k3j_x9q2.pagelint-tmp", ".a.md.k3j_x9q2.pagelint-tmpx"]
    original_kept = ".a.md.k3j_x9q2.pagelint-orig"  # a rewrite in place interrupted: the user's to compare
    files = [*stale, *not_pagelints, original_kept, "unfixed/.b.md.k3j_x9q2.pagelint-tmp"]
    for name in files:
        (tmp_path / name).write_text("half a page")
    a_folder = ".c.md.abcdefgh.pagelint-tmp"
    (tmp_path / a_folder).mkdir()
    an_hour_ago = time.time() - 3600
    for name in [*files, a_folder]:
        os.utime(tmp_path / name, (an_hour_ago, an_hour_ago))
    (tmp_path / ".d.md.zzzzzzzz.pagelint-tmp").write_text("being written by a run going on now")
    everything = beside(tmp_path)
    cli("check", *FLAGS, ".")
    assert beside(tmp_path) == everything  # only a run that fixes files cleans their folders
    cli("check", "--fix", *FLAGS, ".")
    assert beside(tmp_path) == sorted(set(everything) - set(stale))
    assert beside(tmp_path / "unfixed") == [".b.md.k3j_x9q2.pagelint-tmp", "b.md"]  # nothing fixed there


PARK_THE_WORKERS = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    import pagelint.run.pool as pool
    import pagelint.workers as workers

    markers, how = Path(sys.argv[1]), sys.argv[2]

    def park(*args):
        (markers / str(os.getpid())).touch()
        time.sleep(3600)  # busy with a chunk when the main process is killed

    pool.check_file = park
    if how == "asking the kernel":  # and the kernel alone
        workers._exit_when_orphaned = lambda parent: None
    else:
        workers._kernel_ends_worker_with_parent = lambda: False
    from pagelint.cli import main
    sys.exit(main(sys.argv[3:]))
    """
)


def running(pid: int) -> bool:
    """Not ended, nor a zombie left for its new parent to reap."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the processes in /proc")
@pytest.mark.parametrize("how", ["asking the kernel", "without the kernel's help"])
def test_the_pools_workers_end_when_the_main_process_is_killed(tmp_path, how):
    from pagelint.run.runner import PARALLEL_THRESHOLD

    for index in range(PARALLEL_THRESHOLD + 10):
        (tmp_path / f"p{index:03d}.md").write_text("A page.\n")
    markers = tmp_path / "markers"
    markers.mkdir()
    main = subprocess.Popen(
        [sys.executable, "-c", PARK_THE_WORKERS, str(markers), how, "check", "--jobs", "2", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    workers: list[int] = []
    try:
        for _ in range(600):  # both workers busy: a bound on the wait, not on how fast they start
            workers = [int(name) for name in os.listdir(markers)]
            if len(workers) == 2:
                break
            time.sleep(0.1)
        assert len(workers) == 2
        main.kill()
        main.wait()
        for _ in range(600):
            if not any(running(pid) for pid in workers):
                break
            time.sleep(0.1)
        assert not [pid for pid in workers if running(pid)]
    finally:
        if main.poll() is None:
            main.kill()
            main.wait()
        for pid in workers:
            if running(pid):
                os.kill(pid, signal.SIGKILL)
