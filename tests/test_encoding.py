"""Encoding rules: mojibake found where it stands and repaired exactly, correct text left alone."""

from __future__ import annotations

import codecs

import ftfy.bad_codecs  # noqa: F401

from pagelint.text.mojibake import find
from tests.conftest import run_cli


def garble(text: str, codec: str) -> str:
    return text.encode("utf-8").decode({"cp1252": "sloppy-windows-1252"}.get(codec, codec))


def test_mojibake_everywhere_on_a_page(found):
    name = garble("赵美玲", "mac_roman")
    page = (
        f"---\ntitle: \"{garble('Zürich', 'cp1252')} notes\"\n---\n"
        f"# {garble('Café', 'cp1252')} talk\n\n"
        f"[{garble('Łódź', 'cp1252')} slides](https://example.org)\n\n"
        f"| Name | Place |\n|---|---|\n| {name} | {garble('Kraków', 'cp1252')} |\n"
    )
    assert found(page, "E001") == [
        (2, 10, 12, "E001", "ü"),
        (4, 6, 8, "E001", "é"),
        (6, 2, 6, "E001", "Łó"),
        (6, 7, 9, "E001", "ź"),
        (10, 3, 12, "E001", "赵美玲"),
        (10, 19, 21, "E001", "ó"),
    ]


def test_correct_text_is_left_alone(found):
    page = (
        "Ångström, √π ≈ 1.77, NESTLÉ®, Αλέξανδρος, Дмитрий, 山田太郎, Nguyễn Thị Hương, Łukasz, "
        "👩‍💻 🇨🇳 ❤️ “quotes” – dashes — ©®™ 10\u00a0km, İstanbul, Þórunn, Søren\n"
    )
    assert found(page, "E") == []
    column = page.index("Søren") + 2
    assert found(page.replace("Søren", garble("Søren", "cp1252")), "E") == [(1, column, column + 2, "E001", "ø")]


def test_code_blocks_are_not_checked(found):
    garbled = garble("Zürich", "cp1252")
    assert found("```\n" + garbled + "\n```\n", "E001") == []
    assert found("```\nx\n```\n" + garbled + "\n", "E001") == [(4, 2, 4, "E001", "ü")]


def test_lost_lead_byte_is_restored_when_only_one_character_fits():
    spans = find("\u00fc\u00ee\u00e7 hiring")  # 🔍 read as Mac Roman, its first byte dropped
    assert [(span.original, span.lost_byte) for span in spans] == [("🔍", True)]


def test_lost_last_byte_is_reported_without_a_fix():
    spans = find("Hi " + "😍".encode()[:3].decode("cp1252") + " there")
    assert [(span.original, span.lost_byte) for span in spans] == [(None, True)]


def repaired(text: str) -> str:
    for span in reversed(find(text)):
        text = text[: span.start] + (span.original or "?") + text[span.end :]
    return text


def test_correct_ukrainian_is_not_read_as_windows_1251_mojibake():
    line = "Віталій Гнатюк, Відділ кібернетики, Д. І. Менделєєв"
    assert find(line) == []
    # `Ві` and `лєє` alone are valid UTF-8 under Windows-1251 (`³`, `뺺`); garbled whole,
    # the line is repaired.
    assert repaired(garble(line, "cp1251")) == line


def test_the_codec_whose_letters_make_one_language_wins_a_tie():
    # `ĂĄ` is `á` through ISO-8859-2 and `å` through Windows-1250: the rest of the line decides.
    assert repaired(garble("Bjørn Ødegård", "sloppy-windows-1250")) == "Bjørn Ødegård"
    assert repaired(garble("Zoltán Horáková", "iso8859_2")) == "Zoltán Horáková"


def test_an_initial_alone_is_enough():
    assert repaired("Joint work with " + garble("Ş. Demir", "cp1252")) == "Joint work with Ş. Demir"
    assert find("Joint work with S. Demir and Åke") == []


def test_cyrillic_read_as_windows_1254():
    [span] = find("Advisor: " + garble("Смирнов", "cp1254"))
    assert span.original == "Смирнов" and span.chain == ("Windows-1254",)


def test_twice_garbled_initial_is_unwound_twice():
    line = "С. Лебедев – visiting researcher"
    assert repaired(garble(garble(line, "cp1251"), "cp1251")) == line


def test_a_line_garbled_through_two_different_codecs_keeps_one_second_codec():
    # Alone, `Х` is `С` through ISO-8859-2 and `Х` through Windows-1250; the surname decides.
    line = "Joint work with С. Смирнов (ETH Zurich)."
    assert repaired(garble(garble(line, "iso8859_2"), "mac_roman")) == line
    # `Ö` is ISO-8859-2 for sure (a C1 control), so `ö` is read through it too, not as `Ü`.
    line = "Ödön Șerban"
    assert repaired(garble(garble(line, "iso8859_2"), "cp1252")) == line


def test_twice_garbled_text_names_both_steps():
    [span] = find(garble(garble("Zürich", "cp1252"), "cp1252"))
    assert span.original == "ü" and span.chain == ("Windows-1252", "Windows-1252")


def test_fix_restores_the_page_and_a_second_fix_changes_nothing(tmp_path, monkeypatch, capsys):
    correct = "---\ntitle: \"Mei-Ling Zhao\"\n---\nMei-Ling Zhao (赵美玲)\n\nHi!😊 🔍🔍 Pop SOTA！List\n"
    garbled = (
        "---\ntitle: \"Mei-Ling Zhao\"\n---\n"
        f"Mei-Ling Zhao ({garble('赵美玲', 'mac_roman')})\n\n"
        f"Hi!{garble('😊', 'cp1252')} {garble('🔍', 'mac_roman')[1:] * 2} Pop SOTA{garble('！', 'mac_roman')}List\n"
    )
    page = tmp_path / "about.md"
    page.write_bytes(garbled.replace("\n", "\r\n").encode("utf-8"))
    page.chmod(0o640)
    code, out, _ = run_cli(["check", "--fix", "--select", "E", "about.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and "Fixed 5 findings" in out
    assert page.read_bytes() == correct.replace("\n", "\r\n").encode("utf-8")
    assert page.stat().st_mode & 0o777 == 0o640
    before = page.read_bytes()
    code, out, _ = run_cli(["check", "--fix", "--select", "E", "about.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert code == 0 and page.read_bytes() == before and "Fixed" not in out


def test_invalid_utf8_guess_and_safe_fix(lint, tmp_path):
    raw = "Université de Montréal et Genève\n".encode("cp1252")
    [diagnostic] = lint({"p.md": raw}, "--select", "E002", paths=["p.md"])
    assert diagnostic["message"] == "not valid UTF-8: byte e9 at byte offset 9; it looks like Windows-1252"
    assert diagnostic["fix"]["replacement"] == "Université de Montréal et Genève\n"


def test_replacement_character(found):
    assert found("Universit\ufffd de Montr\ufffd\ufffdal\n", "E003") == [(1, 10, 11, "E003", None), (1, 20, 22, "E003", None)]


def test_invisible_characters(lint):
    page = "ada\u200b@uni.edu pro\u00adceedings 👩\u200d💻 ok\u200dno \u202eevil\u202c\n"
    result = lint({"p.md": page}, "--select", "E004", paths=["p.md"])
    assert [(d["column"], d["severity"]) for d in result] == [(4, "warning"), (17, "warning"), (33, "warning"), (37, "error"), (42, "error")]
    assert result[0]["fix"]["replacement"] == ""


def test_joiners_in_scripts_that_need_them_are_kept(found):
    assert found("می\u200cخواهم and क्\u200dष\n", "E004") == []
    assert [f.column for f in found("mi\u200cxwaham and k\u200dsa\n", "E004")] == [3, 16]  # the same joiners in Latin words


def test_byte_order_mark_is_removed_by_fix(tmp_path, monkeypatch, capsys):
    page = tmp_path / "p.md"
    page.write_bytes(codecs.BOM_UTF8 + b"---\ntitle: x\n---\nHi\n")
    _, out, _ = run_cli(["check", "--fix", "--select", "E005", "p.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert page.read_bytes() == b"---\ntitle: x\n---\nHi\n" and "Fixed 1 finding" in out


def test_html_entities_for_text(found):
    page = "Universit&eacute; &#233;&#x00E9; &amp; &lt;b&gt; &nbsp; `&eacute;`\n"
    assert found(page, "E006") == [(1, 10, 18, "E006", "é"), (1, 19, 25, "E006", "é"), (1, 25, 33, "E006", "é")]


def test_a_replacement_character_in_code_is_quoted_output(found):
    assert found("The tool printed `caf\ufffd` here.\n", "E003") == []
    assert [f.code for f in found("The caf\ufffd is open.\n", "E003")] == ["E003"]
