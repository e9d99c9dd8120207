"""The README documents every setting and every command, as the code has them."""

from __future__ import annotations

from click.testing import CliRunner

from api.cli import main
from api.settings import ROOT, Settings

README = (ROOT / "README.md").read_text()


def test_every_setting_is_in_the_readme() -> None:
    missing = [f"CLEARPATH_{name.upper()}" for name in Settings.model_fields
               if f"CLEARPATH_{name.upper()}" not in README]
    assert missing == []


def test_every_command_is_in_the_readme() -> None:
    runner = CliRunner()
    names = []
    for name, command in main.commands.items():
        sub = getattr(command, "commands", None)
        names += [f"clearpath {name} {s}" for s in sub] if sub else [f"clearpath {name}"]
    assert runner.invoke(main, ["--help"]).exit_code == 0
    missing = [n for n in names if n not in README]
    assert missing == []


def test_the_two_commands_come_first() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert "make serve" in first_block and "make test" in first_block
