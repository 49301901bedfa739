"""The pool's tasks: runs of one site's files, so that each site's shared state is built by one worker."""

from __future__ import annotations

from pagelint.run import pool
from pagelint.run.linter import Linter


def _sites(tmp_path, sizes: dict[str, int]) -> None:
    for name, count in sizes.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "_config.yml").write_text("title: T\n")
        for index in range(count):
            (tmp_path / name / f"page{index:03}.md").write_text("# Page\n")


def test_a_task_holds_the_files_of_one_site_and_a_large_site_is_shared_out(tmp_path, monkeypatch):
    monkeypatch.setattr(pool, "CHUNK_SIZE", 4)
    _sites(tmp_path, {"alpha": 3, "beta": 9, "gamma": 1})
    linter = Linter()
    targets = list(linter.discover([str(tmp_path)]))
    chunks = list(pool._chunks_by_site(linter, iter(targets)))
    assert [target for chunk in chunks for target in chunk] == targets  # every file, in order
    roots = [{linter.sites.site_for(target.path).root.name for target in chunk} for chunk in chunks]
    pages = [sum(target.path.suffix == ".md" for target in chunk) for chunk in chunks]
    assert all(len(names) == 1 for names in roots)
    assert [names.pop() for names in roots] == ["alpha", "beta", "beta", "beta", "gamma"]
    assert all(len(chunk) <= 4 for chunk in chunks) and sum(pages) == 13
