"""A wrong ``--param`` stops the build with one line naming the parameter and the fix (issue 13)."""
from __future__ import annotations

import pytest

from scripts.build.cli import main
from scripts.build.plan import ParamError, check_param_value, parse_params

TOP_N = {"name": "top_n", "default": "10", "help": "terms per episode in the figures and tables"}


@pytest.mark.parametrize("value", ["abc", 2.5, True, [1, 2]])
def test_a_value_of_the_wrong_type_names_the_parameter_the_chapter_and_the_fix(value):
    with pytest.raises(ParamError) as err:
        check_param_value("chapters/02_terms.ipynb", "top_n", value, TOP_N)
    msg = str(err.value)
    assert "\n" not in msg
    assert msg.startswith(f"--param top_n={value!r}: chapters/02_terms.ipynb expects a whole number")
    assert msg.endswith("write e.g. --param top_n=10")


@pytest.mark.parametrize("default, value", [("10", 15), ("0.05", 1), ("0.05", 0.1), ('"bh"', "by"), ("None", "x"),
                                            ("true", False), ("[1, 2]", [3])])
def test_values_of_the_default_type_pass(default, value):
    check_param_value("c.ipynb", "p", value, {"default": default, "help": ""})


def test_text_where_a_number_is_expected_is_refused_and_a_number_where_text_is_expected_too():
    with pytest.raises(ParamError, match=r"expects a number"):
        check_param_value("c.ipynb", "alpha", "high", {"default": "0.05"})
    with pytest.raises(ParamError, match=r"expects text"):
        check_param_value("c.ipynb", "correction", 5, {"default": '"bh"'})


def test_parse_params_reads_yaml_values_and_refuses_a_pair_without_equals():
    assert parse_params(["top_n=15", "alpha=0.1", "correction=by"]) == {"top_n": 15, "alpha": 0.1, "correction": "by"}
    with pytest.raises(ParamError, match="NAME=VALUE"):
        parse_params(["top_n"])


def test_the_command_line_prints_one_error_line_and_exits_2_before_running_anything(tmp_path, capsys):
    assert main(["--out", str(tmp_path / "book"), "--param", "top_n=abc"]) == 2
    printed = capsys.readouterr()
    err = printed.err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("error: --param top_n='abc': chapters/") and "--param top_n=" in err[0].split("write e.g.")[1]
    assert not (tmp_path / "book" / "html").exists()
    assert "[seeds]" not in printed.out and not (tmp_path / "book" / "analysis").exists()   # not even the analysis stage ran


def test_printed_hints_name_the_virtualenv_python(monkeypatch, tmp_path):
    from scripts.build import console

    venv_python = tmp_path / ".venv" / "bin" / "python"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(console.sys, "executable", str(venv_python))
    assert console.python_cmd() == ".venv/bin/python"
    monkeypatch.setattr(console.sys, "executable", "/usr/bin/python3")
    assert console.python_cmd() == "python"


def test_one_document_and_one_episode_are_singular(capsys):
    from pathlib import Path

    from scripts import seeds

    seeds.check(Path(__file__).parent / "fixtures" / "one_episode")
    out = capsys.readouterr().out
    assert "1 document (" in out and "1 episode," in out and "1 documents" not in out and "1 episodes" not in out
