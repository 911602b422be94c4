"""An Ansible stdout callback that prints one JSON object when the run ends: every host's result.

Loaded by `d2l-doctor fleet run --ansible` (ANSIBLE_CALLBACK_PLUGINS points here), because ansible-core ships no
JSON stdout callback of its own (the `json` one lives in the ansible.posix collection). The shape:
`{"d2l_doctor_hosts": {HOST: {"status": ok|failed|unreachable|skipped, "rc", "stdout", "stderr", "msg"}}}`.
"""

from __future__ import annotations

import json
from typing import Any

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
    name: d2l_doctor_json
    type: stdout
    short_description: one JSON object with every host's result, for d2l-doctor fleet run
    description: Prints, when the run ends, each host's status, rc, stdout, stderr and msg as one JSON object.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "d2l_doctor_json"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hosts: dict[str, dict[str, Any]] = {}

    def _record(self, result: Any, status: str) -> None:
        host = getattr(result, "_host", None)
        name = host.get_name() if host is not None else "?"
        data = getattr(result, "_result", None) or {}
        self.hosts[name] = {
            "status": status,
            "rc": data.get("rc"),
            "stdout": data.get("stdout"),
            "stderr": data.get("stderr"),
            "msg": str(data.get("msg")) if data.get("msg") is not None else None,
        }

    def v2_runner_on_ok(self, result: Any, **kwargs: Any) -> None:
        self._record(result, "ok")

    def v2_runner_on_failed(self, result: Any, ignore_errors: bool = False, **kwargs: Any) -> None:
        self._record(result, "failed")

    def v2_runner_on_unreachable(self, result: Any, **kwargs: Any) -> None:
        self._record(result, "unreachable")

    def v2_runner_on_skipped(self, result: Any, **kwargs: Any) -> None:
        self._record(result, "skipped")

    def v2_playbook_on_stats(self, stats: Any) -> None:
        self._display.display(json.dumps({"d2l_doctor_hosts": self.hosts}, ensure_ascii=False))
