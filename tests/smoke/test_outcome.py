"""Reading what the payload reported: its JSON, or its progress markers when it crashed or hung."""

from __future__ import annotations

import json
import signal

from d2l_doctor.runner import CmdResult
from d2l_doctor.smoke.classify import classify_unavailable
from d2l_doctor.smoke.outcome import MULTI, parse
from tests.smoke.support import cmd_result, marker, payload_report, record_of


def test_the_final_json_wins_and_chatter_is_ignored() -> None:
    report = payload_report(
        devices=[{"device": "cpu", "kind": "cpu", "name": "Some CPU", "tests": [record_of("ones_add")]}],
        multi=[record_of("allreduce", data={"world_size": 2})],
    )
    stdout = "a library printed this\n" + json.dumps(report) + "\n"
    run = parse(cmd_result(stdout, stderr=marker(event="start", device="cpu", test="ones_add")), "python")
    assert [d.device for d in run.devices] == ["cpu", MULTI]
    assert run.devices[0].tests[0].ok and run.devices[1].tests[0].data == {"world_size": 2}
    assert run.aborted is None and run.torch["cuda"] == "12.6"


def crashed_in_conv() -> CmdResult:
    stderr = "\n".join(
        [
            marker(event="facts", torch={"version": "2.13.0+cu126", "cuda": "12.6"}),
            marker(event="device", device="cuda:0", name="NVIDIA GeForce RTX 3060"),
            marker(event="start", device="cuda:0", test="ones_add"),
            marker(event="done", device="cuda:0", test="ones_add", record=record_of("ones_add")),
            marker(event="start", device="cuda:0", test="conv"),
            "Fatal Python error: Segmentation fault",
            '@@d2l-smoke {"event": "done", "dev',  # cut short by the crash
        ]
    )
    return cmd_result(stderr=stderr, returncode=-signal.SIGSEGV)


def test_a_crash_keeps_the_finished_tests_and_fails_the_running_one() -> None:
    run = parse(crashed_in_conv(), "python")
    (device,) = run.devices
    assert (device.device, device.name) == ("cuda:0", "NVIDIA GeForce RTX 3060")
    assert [(t.name, t.status) for t in device.tests] == [("ones_add", "passed"), ("conv", "failed")]
    error = device.tests[1].error
    assert error is not None and (error.kind, error.type) == ("crash", "SIGSEGV")
    assert run.aborted is not None and run.aborted.step == "conv on cuda:0"
    assert run.torch["version"] == "2.13.0+cu126"
    assert "Segmentation fault" in run.stderr and "@@d2l-smoke" not in run.stderr


def test_a_hang_while_importing_torch_is_a_timeout_outside_the_tests() -> None:
    result = cmd_result(
        stderr=marker(event="start", device="", test="import torch"), returncode=None, timed_out=True
    )
    run = parse(result, "python")
    assert run.devices == () and run.error is not None and run.error.kind == "timeout"
    cause = classify_unavailable(run)
    assert (cause.kind, cause.params["step"]) == ("timeout", "import torch")


def test_an_interpreter_that_cannot_start_is_said() -> None:
    result = CmdResult(("/nope/python",), None, "", "", 0.0, not_found=True, error="not found")
    cause = classify_unavailable(parse(result, "/nope/python"))
    assert (cause.kind, cause.params["error"]) == ("not-started", "not found")


def test_an_interpreter_that_exits_without_a_result_gives_its_last_words() -> None:
    result = cmd_result(stderr="  File 'smoke.py', line 3\nSyntaxError: invalid syntax\n", returncode=1)
    cause = classify_unavailable(parse(result, "python2"))
    assert (cause.kind, cause.params) == ("no-output", {"code": "1", "error": "SyntaxError: invalid syntax"})


def test_a_windows_crash_status_counts_as_a_crash() -> None:
    stderr = (
        marker(event="device", device="cpu", name="CPU")
        + "\n"
        + marker(event="start", device="cpu", test="train")
    )
    run = parse(cmd_result(stderr=stderr, returncode=0xC0000005), "python.exe")
    assert run.aborted is not None and (run.aborted.how, run.aborted.signal) == ("crash", "0xC0000005")
