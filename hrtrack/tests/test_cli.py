"""The `hrtrack` console script, run as a user runs it."""

import os
import subprocess
import sys

import pytest

from hrtrack.cli import COMMANDS


def hrtrack(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "hrtrack.cli", *args], capture_output=True, text=True, timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_help_lists_the_commands():
    result = hrtrack("--help")
    assert result.returncode == 0
    for name, _summary in COMMANDS:
        assert f"  {name} " in result.stdout
    assert "taxonomy" in result.stdout and "dialogues" in result.stdout and "worker" in result.stdout


def in_process_help(*args, capsys) -> str:
    """What `hrtrack ARGS --help` prints, by the path ``hrtrack.cli.main`` takes once Django is set
    up (a process each would start Django anew: the start is tested above and below)."""
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_status:
        ManagementUtility(["hrtrack", *args, "--help"]).execute()
    assert exit_status.value.code in (0, None)
    return capsys.readouterr().out


@pytest.mark.parametrize("command", ["taxonomy", "dialogues", "demo", "serve", "worker", "migrate", "import",
                                     "search", "similar"])
def test_each_command_has_help(command, capsys):
    assert in_process_help(command, capsys=capsys).startswith(f"usage: hrtrack {command}")


@pytest.mark.parametrize("command", [("taxonomy", "load"), ("dialogues", "load")])
def test_subcommands_have_help(command, capsys):
    assert "usage: hrtrack " + " ".join(command) in in_process_help(*command, capsys=capsys)


def test_a_command_run_as_a_user_runs_it_has_help():
    result = hrtrack("worker", "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: hrtrack worker")


def test_a_failing_command_exits_non_zero_with_one_clear_line(tmp_path):
    result = hrtrack("taxonomy", "load", str(tmp_path), env={"HRTRACK_VAR_DIR": str(tmp_path / "var")})
    assert result.returncode != 0
    assert "no .csv files" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_command_is_refused():
    result = hrtrack("frobnicate")
    assert result.returncode != 0
    assert "Unknown command" in result.stderr


def test_every_listed_command_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for name, _summary in COMMANDS:
        if name in ("createsuperuser", "changepassword", "check"):
            continue  # Django's own, documented by Django
        assert f"`hrtrack {name}" in readme, f"hrtrack {name} is not in the README"
