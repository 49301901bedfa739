"""`--format text` without colour: each line names its severity, and findings come grouped by
file in path order, the site-wide ones (duplicate permalinks) beside their file's others."""

from __future__ import annotations

from tests.conftest import run_cli

PAGE = "---\ntitle: {title}\npermalink: {permalink}\n---\n\nText {title}.\n"


def test_lines_name_their_severity_and_come_grouped_by_file(tmp_path, monkeypatch, capsys):
    (tmp_path / "_config.yml").write_text("title: Site\n")
    (tmp_path / ".pagelint.toml").write_text('[severity]\nM001 = "error"\n')
    (tmp_path / "a.md").write_text(PAGE.format(title="A", permalink="/same/") + "\n<font>x</font>\n")
    (tmp_path / "b.md").write_text(PAGE.format(title="B", permalink="/same/") + "\nSee [the slides](http://slides.lab.org).\n")
    (tmp_path / "c.md").write_text(PAGE.format(title="C", permalink="/c/") + "\n<font>z</font>\n")
    code, out, err = run_cli(["check", "--no-color", "."], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 1, err
    findings = [line for line in out.splitlines() if line.startswith(("a.md", "b.md", "c.md"))]
    assert [line.split(" [")[0] for line in findings] == [
        "a.md:3:12: warning: J005",  # a site rule's finding, printed with its file's, not after c.md
        "a.md:8:1: error: M001",
        "b.md:3:12: warning: J005",
        "b.md:8:18: info: L004",
        "c.md:8:1: error: M001",
    ]
