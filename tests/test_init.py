"""`pagelint init` and the GitHub composite action."""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import tomllib

import yaml

from pagelint import __version__
from pagelint.config import load_file
from pagelint.scaffold import GITHUB_ACTIONS, PRE_COMMIT, REPOSITORY
from tests.conftest import FIXTURES, ROOT


def uncommented(text: str) -> str:
    """The configuration with every commented-out setting switched on."""
    lines = []
    for line in text.splitlines():
        body = line[2:] if line.startswith("# ") else line
        settable = body.startswith("[") or ("=" in body and not body.startswith(("pagelint", "Every")))
        lines.append(body if line.startswith("# ") and settable else line)
    return "\n".join(lines) + "\n"


def test_init_writes_a_config_for_the_academicpages_template_and_prints_snippets(tmp_path, cli):
    shutil.copytree(FIXTURES / "site", tmp_path / "site")
    code, out, _ = cli("init", "site")
    config = tmp_path / "site" / ".pagelint.toml"
    text = config.read_text()
    assert code == 0 and "(an academicpages site)" in text
    assert 'extend-exclude = ["markdown_generator/", "talkmap/"]' in text
    settings = load_file(config)
    assert settings.fail_on == "warning"
    config.write_text(uncommented(text))
    assert load_file(config).select is not None  # the commented examples are valid settings too
    assert "rev: main" in out and "pre-commit autoupdate" in out and "- id: pagelint" in out
    assert "uses: pagelint/pagelint@main" in out


def test_init_pre_commit_snippet_names_the_shipped_hook(cli, tmp_path):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    _, out, _ = cli("init")
    assert f"- id: {hooks[0]['id']}" in out


def test_init_detects_al_folio(tmp_path, cli):
    (tmp_path / "_config.yml").write_text("title: x\nscholar:\n  style: apa\n")
    (tmp_path / "_news").mkdir()
    assert cli("init")[0] == 0
    text = (tmp_path / ".pagelint.toml").read_text()
    assert "(an al-folio site)" in text and '"lighthouse_results/"' in text
    load_file(tmp_path / ".pagelint.toml")


def test_init_detects_hugo_blox_and_plain_hugo(tmp_path, cli):
    (tmp_path / "config" / "_default").mkdir(parents=True)
    (tmp_path / "config" / "_default" / "module.yaml").write_text("imports:\n  - path: github.com/HugoBlox/hugo-blox-builder/modules/blox-tailwind\n")
    assert cli("init")[0] == 0
    text = (tmp_path / ".pagelint.toml").read_text()
    assert "(a Hugo Blox (Wowchemy, hugo-academic) site)" in text and "content/authors/admin" in text
    load_file(tmp_path / ".pagelint.toml")
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "hugo.toml").write_text('title = "x"\n')
    assert cli("init", "plain")[0] == 0
    assert "(a Hugo site with no template pagelint knows)" in (plain / ".pagelint.toml").read_text()


def test_init_refuses_to_overwrite_unless_forced(tmp_path, cli):
    config = tmp_path / ".pagelint.toml"
    config.write_text("ignore = ['M007']\n")
    code, out, err = cli("init")
    assert code == 2 and out == "" and "exists; use --force" in err and config.read_text() == "ignore = ['M007']\n"
    assert cli("init", "--force")[0] == 0 and "(a Jekyll site with no template pagelint knows)" in config.read_text()
    load_file(config)


def test_action_is_a_composite_that_installs_itself_and_annotates(tmp_path):
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    steps = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite"
    assert steps[0]["uses"].startswith("actions/setup-python@")
    assert '"$GITHUB_ACTION_PATH"' in steps[1]["run"] and "pip install" in steps[1]["run"]
    assert steps[2]["run"].startswith("pagelint check --format github")
    assert "${{" not in steps[2]["run"]  # inputs arrive through the environment, not pasted into the script
    assert set(action["inputs"]) == {"paths", "args", "python-version"}


def _readme_yaml_blocks() -> list[dict]:
    readme = (ROOT / "README.md").read_text()
    use = readme[readme.index("## Use it on your site") : readme.index("## Set-up\n")]
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", use, re.DOTALL)]


def test_readme_and_init_pin_what_exists():
    """No tag exists that a user can see: the pins name the branch, which `pre-commit autoupdate`
    turns into a commit hash, and the README says so."""
    pre_commit, workflow = _readme_yaml_blocks()
    hook_repo = pre_commit["repos"][0]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook_repo["repo"] == REPOSITORY and hook_repo["rev"] == "main" and hook_repo["hooks"] == [{"id": hooks[0]["id"]}]
    assert yaml.safe_load(PRE_COMMIT) == pre_commit
    uses = [step["uses"] for step in workflow["jobs"]["pagelint"]["steps"]]
    assert uses[-1] == "pagelint/pagelint@main" and yaml.safe_load(GITHUB_ACTIONS)["jobs"]["pagelint"]["steps"][-1]["uses"] == uses[-1]
    assert "pre-commit autoupdate" in (ROOT / "README.md").read_text() and "pre-commit autoupdate" in PRE_COMMIT
    assert not re.search(r"pagelint@v\d|rev: v\d", (ROOT / "README.md").read_text() + (ROOT / "action.yml").read_text())


def test_the_version_has_one_source():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "pagelint.__version__"}
    assert importlib.metadata.version("pagelint") == __version__
