"""Bad input: one line on stderr naming the problem and the way out, exit 2, nothing written."""

from __future__ import annotations

import pytest

from clihelp import assert_one_line_error, invoke

FAST = ("--no-tui", "-q", "--steps", "3")


def test_unknown_activation_suggests_the_closest(tmp_path):
    out = tmp_path / "run"
    result = invoke(*FAST, "--activation", "tanhh", "--out", str(out))
    assert_one_line_error(result, "unknown activation 'tanhh'", "did you mean 'tanh'")
    assert not out.exists()


def test_unknown_activation_in_a_per_layer_list(tmp_path):
    result = invoke(*FAST, "--depth", "2", "--activation", "tanh,sigmoyd")
    assert_one_line_error(result, "sigmoyd", "did you mean 'sigmoid'")


def test_unknown_preset_suggests_the_closest():
    assert_one_line_error(invoke(*FAST, "--preset", "fig2-tanx"), "unknown preset 'fig2-tanx'",
                          "did you mean 'fig2-tanh'")


def test_missing_preset_file(tmp_path):
    assert_one_line_error(invoke(*FAST, "--preset", str(tmp_path / "nope.toml")), "does not exist")


def test_unknown_key_in_a_preset_file_suggests_the_closest(tmp_path):
    preset = tmp_path / "mine.toml"
    preset.write_text('activation = "tanh"\nwidht = 10\n')
    assert_one_line_error(invoke(*FAST, "--preset", str(preset)), str(preset), "unknown key 'widht'",
                          "did you mean 'width'")


def test_toml_syntax_error_names_file_and_line(tmp_path):
    preset = tmp_path / "broken.toml"
    preset.write_text('activation = "tanh"\nwidth = = 3\n')
    assert_one_line_error(invoke(*FAST, "--preset", str(preset)), str(preset), "TOML syntax error",
                          "line 2")


def test_wrong_type_in_a_preset_file_names_the_key(tmp_path):
    preset = tmp_path / "typed.toml"
    preset.write_text('width = "ten"\n')
    assert_one_line_error(invoke(*FAST, "--preset", str(preset)), "width must be a whole number")


def test_unknown_expect_key_in_a_preset_file(tmp_path):
    preset = tmp_path / "expects.toml"
    preset.write_text('[expect]\nline = 1\n')
    assert_one_line_error(invoke(*FAST, "--preset", str(preset)), "expect has unknown key 'line'",
                          "did you mean 'lines'")


@pytest.mark.parametrize("flag,value,fragment", [
    ("--width", "0", "width = 0 is out of range; allowed 1 to 100000"),
    ("--lr", "-1", "lr = -1.0 is out of range"),
    ("--multiplicity", "12", "multiplicity = 12 is out of range; allowed 1 to 9"),
    ("--optimizer", "sgd", "'--optimizer': 'sgd' is not one of 'adam', 'flow', 'gd'"),  # a choice flag (an enum)
    ("--sampling", "gridd", "'--sampling': 'gridd' is not one of 'uniform', 'grid'"),
])
def test_out_of_range_or_unknown_value_names_the_key_and_range(flag, value, fragment):
    assert_one_line_error(invoke(*FAST, flag, value), fragment)


def test_wrong_type_on_the_command_line_is_one_line():
    assert_one_line_error(invoke(*FAST, "--width", "abc"), "--width")


def test_unknown_flag_is_one_line():
    assert_one_line_error(invoke(*FAST, "--widht", "3"), "--widht")


def test_unsafe_target_expression():
    result = invoke(*FAST, "--target", "__import__('os').system('echo unsafe')")
    assert_one_line_error(result, "target expression may only call")


def test_target_that_needs_more_inputs_than_input_dim():
    assert_one_line_error(invoke(*FAST, "--target", "sin(x3)"), "target uses x3 but input_dim is 1")


def test_existing_output_dir_is_never_overwritten_without_force(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "metrics.jsonl").write_text("precious\n")
    assert_one_line_error(invoke(*FAST, "--out", str(out)), "is not empty", "--force")
    assert (out / "metrics.jsonl").read_text() == "precious\n"
    assert sorted(p.name for p in out.iterdir()) == ["metrics.jsonl"]


def test_force_replaces_a_previous_run(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / "metrics.jsonl").write_text("old\n")
    result = invoke(*FAST, "--out", str(out), "--force")
    assert result.exit_code == 0, result.stderr
    assert (out / "metrics.jsonl").read_text().splitlines()[0].startswith('{"step": 0')


def test_unwritable_output_dir(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = invoke(*FAST, "--out", str(blocker / "run"))
    assert_one_line_error(result, "not writable")
    assert blocker.read_text() == ""


def test_output_dir_that_is_a_file(tmp_path):
    target = tmp_path / "file"
    target.write_text("keep")
    assert_one_line_error(invoke(*FAST, "--out", str(target)), "is a file")
    assert target.read_text() == "keep"


def test_cuda_without_a_gpu(tmp_path):
    pytest.importorskip("torch")
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    out = tmp_path / "run"
    assert_one_line_error(invoke(*FAST, "--device", "cuda", "--out", str(out)), "no CUDA GPU",
                          "--device cpu")
    assert not out.exists()


def test_headless_flags_need_no_tui(tmp_path):
    assert_one_line_error(invoke("--out", str(tmp_path / "x")), "--out works with --no-tui only")


def test_tui_flags_are_refused_headless():
    assert_one_line_error(invoke(*FAST, "--fps", "2"), "--fps is a TUI flag")
