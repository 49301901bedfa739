"""Machine formats: JUnit XML, GitLab Code Quality and SARIF (validated against the SARIF
2.1.0 JSON Schema, shipped as test data from the OASIS specification)."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import jsonschema
import pytest

from tests.conftest import ROOT, run_cli

# M001 (no fix), S001 (a safe fix) and a control character E004 reports (its fix removes it).
PAGE = "---\ntitle: T\n---\nHi <font>x</font>, it was accpeted.\n\nTab\x0bhere.\n"
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def site(tmp_path, monkeypatch, capsys):
    (tmp_path / "a.md").write_text(PAGE)
    (tmp_path / "clean.md").write_text("Hello.\n")

    def output(format_name: str, *paths: str) -> str:
        code, out, _ = run_cli(["check", "--format", format_name, *(paths or (".",))], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
        assert code == 1
        return out

    output.root = tmp_path
    return output


def test_junit_has_one_testcase_per_file_and_a_failure_per_finding(site):
    suites = ElementTree.fromstring(site("junit").encode())
    suite = suites.find("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == ["a.md", "clean.md"]
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    assert cases["clean.md"].findall("failure") == []
    failures = cases["a.md"].findall("failure")
    assert [failure.get("type") for failure in failures] == ["M001", "S001", "E004"]
    assert failures[0].get("message").startswith("4:4: M001 `<font>`")
    assert failures[1].text.startswith("a.md:4:27: warning: S001 [misspelling]") and failures[1].text.endswith("severity: warning")


def test_junit_escapes_characters_xml_cannot_carry(site):
    page = site.root / "a.md"
    page.write_text("<font>\x1b</font> ]]> & \"q\"\n")
    out = site("junit", "a.md")
    ElementTree.fromstring(out.encode())  # well-formed despite the escape character and markup
    assert "\x1b" not in out


def test_gitlab_code_quality_fields(site):
    issues = json.loads(site("gitlab"))
    first = issues[0]
    assert set(first) == {"description", "check_name", "fingerprint", "severity", "location"}
    assert first["check_name"] == "M001" and first["description"].startswith("M001 [deprecated-html] `<font>`")
    assert first["location"] == {"path": "a.md", "lines": {"begin": 4, "end": 4}}
    assert [issue["severity"] for issue in issues] == ["minor", "minor", "minor"]


def test_gitlab_fingerprints_are_stable_across_runs_and_line_moves_and_unique(site):
    page = site.root / "a.md"
    page.write_text("<font>x</font> <font>y</font>\n")
    first = [issue["fingerprint"] for issue in json.loads(site("gitlab", "a.md"))]
    again = [issue["fingerprint"] for issue in json.loads(site("gitlab", "a.md"))]
    page.write_text("New first line.\n\n<font>x</font> <font>y</font>\n")
    moved = [issue["fingerprint"] for issue in json.loads(site("gitlab", "a.md"))]
    assert first == again == moved and len(set(first)) == 2


def test_sarif_validates_against_the_sarif_2_1_0_schema_with_fixes_and_help(site):
    sarif = json.loads(site("sarif"))
    jsonschema.Draft7Validator.check_schema(SARIF_SCHEMA)
    jsonschema.validate(sarif, SARIF_SCHEMA, cls=jsonschema.Draft7Validator)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    assert "Bad:" in by_id["M001"]["help"]["text"] and by_id["M001"]["help"]["markdown"].startswith(by_id["M001"]["fullDescription"]["text"])
    misspelling = next(result for result in run["results"] if result["ruleId"] == "S001")
    [change] = misspelling["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "a.md"
    assert change["replacements"] == [
        {"deletedRegion": {"startLine": 4, "startColumn": 27, "endLine": 4, "endColumn": 35}, "insertedContent": {"text": "accepted"}}
    ]
    assert "fixes" not in next(result for result in run["results"] if result["ruleId"] == "M001")


def test_sarif_rule_help_lists_the_options_with_their_help(site):
    from pagelint.rules import find_rule

    by_id = {rule["id"]: rule for rule in json.loads(site("sarif"))["runs"][0]["tool"]["driver"]["rules"]}
    help_text, help_markdown = by_id["L005"]["help"]["text"], by_id["L005"]["help"]["markdown"]
    for name, option in find_rule("L005").options.items():
        assert f"  {name} (default []): {option.help}" in help_text.splitlines()
        assert f"- `{name}` (default `[]`): {option.help}" in help_markdown.splitlines()
    assert "Options" not in by_id["M001"]["help"]["text"] and "Options" not in by_id["M001"]["help"]["markdown"]


def test_sarif_uris_are_uri_references(site):
    (site.root / "a.md").rename(site.root / "my page #1.md")
    sarif = json.loads(site("sarif"))
    [uri] = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in sarif["runs"][0]["results"]}
    assert uri == "my%20page%20%231.md"


def _validated_sarif(out: str) -> dict:
    sarif = json.loads(out)
    jsonschema.validate(sarif, SARIF_SCHEMA, cls=jsonschema.Draft7Validator)
    return sarif


def _locations(sarif: dict) -> list[dict]:
    return [result["locations"][0]["physicalLocation"]["artifactLocation"] for result in sarif["runs"][0]["results"]]


def test_sarif_uris_are_relative_to_the_repository_root_when_paths_are_absolute(tmp_path, monkeypatch, capsys):
    """GitHub code scanning places a result by its path from the repository root: run from a
    subfolder of the repository, given an absolute path, the URI is still `site/a.md`."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.md").write_text(PAGE)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.md"
    outside.write_text(PAGE)
    code, out, _ = run_cli(["check", "--format", "sarif", str(tmp_path / "site" / "a.md"), str(outside)], cwd=tmp_path / "site", monkeypatch=monkeypatch, capsys=capsys)
    sarif = _validated_sarif(out)
    locations = _locations(sarif)
    assert code == 1 and {"uri": "site/a.md", "uriBaseId": "%SRCROOT%"} in locations
    assert {"uri": outside.as_uri()} in locations  # the control: a file outside the repository keeps its absolute URI
    assert sarif["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.as_uri() + "/"}}
    fixes = [change["artifactLocation"] for result in sarif["runs"][0]["results"] for fix in result.get("fixes", []) for change in fix["artifactChanges"]]
    assert fixes and all(location in locations for location in fixes)


def test_sarif_fingerprints_follow_a_finding_across_line_moves_and_path_spellings(site):
    def fingerprints(*paths: str) -> list[str]:
        results = _validated_sarif(site("sarif", *paths))["runs"][0]["results"]
        return [result["partialFingerprints"]["pagelintFindingHash/v1"] for result in results]

    page = site.root / "a.md"
    page.write_text("<font>x</font> <font>y</font>\n")
    first = fingerprints("a.md")
    page.write_text("A new first line.\n\n<font>x</font> <font>y</font>\n")
    assert fingerprints("a.md") == first == fingerprints(str(page)) and len(set(first)) == 2
    page.write_text("<center>x</center> <font>y</font>\n")
    assert fingerprints("a.md")[0] != first[0]  # the control: another finding, another fingerprint
