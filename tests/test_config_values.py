"""Configuration values: numbers finite and within their ranges, booleans real booleans, and
a `pyproject.toml` that cannot be read is an error, not passed over. Every error is one line
(exit 2) that names the file and the key."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli


def _check(tmp_path, monkeypatch, capsys, *args):
    (tmp_path / "a.md").write_text("Hello.\n")
    code, _, err = run_cli(["check", *args, "a.md"], cwd=tmp_path, monkeypatch=monkeypatch, capsys=capsys)
    assert "Traceback" not in err and "internal error" not in err, err
    return code, err


def test_invalid_pyproject_found_upwards_is_an_error_with_its_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "site"\nversion = 1.0.0\n')
    (tmp_path / "site").mkdir()
    code, err = _check(tmp_path / "site", monkeypatch, capsys)
    assert code == 2 and str(tmp_path / "pyproject.toml") in err and "invalid TOML" in err and "line 3" in err, err
    assert err.count("\n") == 1
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "site"\nversion = "1.0.0"\n')  # the control
    assert _check(tmp_path / "site", monkeypatch, capsys)[0] == 0


@pytest.mark.parametrize(
    "pyproject, found",
    [
        ('[tool]\npagelint = "x"\n', "tool.pagelint: expected a table"),
        ("[tool.pagelint]\nmax-file-size = 0\n", "max-file-size"),  # the control: [tool.pagelint] is read
    ],
)
def test_pyproject_tool_pagelint_must_be_a_table(tmp_path, monkeypatch, capsys, pyproject, found):
    (tmp_path / "pyproject.toml").write_text(pyproject)
    code, err = _check(tmp_path, monkeypatch, capsys)
    assert code == 2 and "pyproject.toml" in err and found in err, err


def test_pyproject_whose_tool_is_no_table_does_not_configure_pagelint(tmp_path, monkeypatch, capsys):
    (tmp_path / "pyproject.toml").write_text('tool = "pagelint"\n')
    assert _check(tmp_path, monkeypatch, capsys)[0] == 0
    code, err = _check(tmp_path, monkeypatch, capsys, "--config", "pyproject.toml")  # named: it must be one
    assert code == 2 and "pyproject.toml: tool: expected a table" in err, err


def _config_error(tmp_path, monkeypatch, capsys, config: str) -> str:
    (tmp_path / ".pagelint.toml").write_text(config)
    code, err = _check(tmp_path, monkeypatch, capsys)
    assert code == 2 and err.startswith(f"pagelint: configuration error: {tmp_path / '.pagelint.toml'}: ") and err.count("\n") == 1, err
    return err


@pytest.mark.parametrize(
    "config, key",
    [
        ("max-file-size = 1_000_000_000_000_000_000_000_000_000_000\n", "max-file-size"),
        ("max-file-size = true\n", "max-file-size"),
        ("max-file-size = 1.5\n", "max-file-size"),
        ("max-file-size = 0\n", "max-file-size"),
        ("[online]\ntimeout = nan\n", "online.timeout"),
        ("[online]\ntimeout = inf\n", "online.timeout"),
        ("[online]\ntimeout = 0\n", "online.timeout"),
        ("[online]\nbudget = inf\n", "online.budget"),
        ("[online]\nttl-ok = nan\n", "online.ttl-ok"),
        ("[online]\nretry-delay = -1\n", "online.retry-delay"),
        ("[online]\nretry-after-max = 1e300\n", "online.retry-after-max"),
        ("[online]\nretries = true\n", "online.retries"),
        ("[online]\nconcurrency = 1_000_000_000_000_000_000_000\n", "online.concurrency"),
        ("[online]\nmax-body = 0\n", "online.max-body"),
        ("[online]\nmax-redirects = -1\n", "online.max-redirects"),
        ("[online]\nenabled = 1\n", "online.enabled"),
        ("[online]\naccept-status = [99]\n", "online.accept-status"),
        ("[online]\naccept-status = [true]\n", "online.accept-status"),
        ("[online]\nallow-private = 1\n", "online.allow-private"),
        ('[online.hosts."x.org"]\nper-host = 100_000\n', "online.hosts.x.org.per-host"),
        ('[online.hosts."x.org"]\nskip-head = "yes"\n', "online.hosts.x.org.skip-head"),
        ('[online.hosts."x.org"]\nexclude = 0\n', "online.hosts.x.org.exclude"),
    ],
)
def test_bad_numbers_and_booleans_are_configuration_errors_naming_the_key(tmp_path, monkeypatch, capsys, config, key):
    err = _config_error(tmp_path, monkeypatch, capsys, config)
    assert f": {key}: expected" in err, err


@pytest.mark.parametrize(
    "config",
    [
        "max-file-size = 1\n",
        "max-file-size = 1_000_000_000\n",
        "[online]\ntimeout = 0.5\nbudget = 1\nretries = 0\nretry-delay = 0\nttl-failure = 0\nmax-redirects = 0\n",
        '[online]\naccept-status = [100, 599]\nenabled = false\n[online.hosts."x.org"]\nper-host = 0\nskip-head = true\n',
    ],
)
def test_numbers_and_booleans_within_their_ranges_are_accepted(tmp_path, monkeypatch, capsys, config):
    (tmp_path / ".pagelint.toml").write_text(config)
    code, err = _check(tmp_path, monkeypatch, capsys)
    assert code in (0, 1) and err == "", err  # with max-file-size = 1, a.md is reported E901


def _numeric_settings():
    """Every number of the configuration, as (TOML table, dataclass field): none goes unbounded."""
    from dataclasses import fields

    from pagelint.config import HostSettings, OnlineSettings, Settings

    tables = [("", Settings), ("[online]\n", OnlineSettings), ('[online.hosts."x.org"]\n', HostSettings)]
    return [
        pytest.param(table, setting, id=f"{cls.__name__}.{setting.name}")
        for table, cls in tables
        for setting in fields(cls)
        if type(setting.default) in (int, float)
    ]


@pytest.mark.parametrize("table, setting", _numeric_settings())
def test_every_number_has_a_range_and_its_ends_are_the_bounds(tmp_path, monkeypatch, capsys, table, setting):
    key = setting.name.replace("_", "-")
    low, high = setting.metadata["range"]
    whole = type(setting.default) is int
    step = 1 if whole else (high - low) / 1000 or 1
    for value in (low, high):
        (tmp_path / ".pagelint.toml").write_text(f"{table}{key} = {value!r}\n")
        assert _check(tmp_path, monkeypatch, capsys)[0] in (0, 1), (key, value)
    for value in (low - step, high + step, "true", *(() if whole else ("nan", "inf"))):
        shown = value if isinstance(value, str) else repr(value)
        err = _config_error(tmp_path, monkeypatch, capsys, f"{table}{key} = {shown}\n")
        assert f"{key}: expected" in err, (key, value, err)
