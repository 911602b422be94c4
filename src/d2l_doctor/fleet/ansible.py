"""`fleet run --ansible INVENTORY`: `check --json` on every host through Ansible's command module.

Per host, the environment examined is `d2l_doctor_python` when the inventory sets it, else
`ansible_python_interpreter` (else the doctor's own choice); the doctor run is `d2l_doctor_command` (split like
a shell line: `/opt/venv/bin/python -m d2l_doctor` works) else `d2l-doctor` on the host's PATH. Forks, become
and connections are Ansible's own configuration. The results come back through a JSON stdout callback shipped
beside this module; unreachable hosts and hosts where the doctor did not run are recorded with the reason.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Optional

from d2l_doctor.errors import UsageError
from d2l_doctor.fleet.collected import Collected, check_document, find_program, last_line
from d2l_doctor.i18n import t

CALLBACK = "d2l_doctor_json"
PLUGINS = Path(__file__).resolve().parent / "ansible_plugins"
PLAYBOOK = Path(__file__).resolve().parent / "playbook.yml"
GRACE_S = 60  # connections and module start-up around the check's own timeout


def command_template(timeout: float) -> str:
    """The command module's `cmd`, templated by Ansible with each host's variables."""
    return (
        "{{ d2l_doctor_command | default('d2l-doctor') }} check --json --timeout " + f"{timeout:g}"
        + "{% if d2l_doctor_python is defined %} --python {{ d2l_doctor_python | quote }}"
        + "{% elif ansible_python_interpreter is defined %} --python {{ ansible_python_interpreter | quote }}"
        + "{% endif %}"
    )


def ansible_argv(ansible: str, inventory: Path, limit: Optional[str], timeout: float) -> list[str]:
    argv = [ansible, "all", "-i", str(inventory)]
    if limit is not None:
        argv += ["--limit", limit]
    args = json.dumps({"cmd": command_template(timeout)})
    return [*argv, "-m", "ansible.builtin.command", "-a", args, "--task-timeout", f"{int(timeout) + GRACE_S}"]


def ansible_env() -> dict[str, str]:
    env = dict(os.environ)
    plugins = [str(PLUGINS), *filter(None, env.get("ANSIBLE_CALLBACK_PLUGINS", "").split(os.pathsep))]
    env.update(
        ANSIBLE_CALLBACK_PLUGINS=os.pathsep.join(plugins),
        ANSIBLE_STDOUT_CALLBACK=CALLBACK,
        ANSIBLE_LOAD_CALLBACK_PLUGINS="1",  # ad-hoc `ansible` uses the stdout callback only with this
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_HOST_KEY_CHECKING=env.get("ANSIBLE_HOST_KEY_CHECKING", "True"),
        ANSIBLE_RETRY_FILES_ENABLED="0",
    )
    return env


def collect(inventory: Path, limit: Optional[str], out_dir: Path, timeout: float, lang: str) -> Collected:
    from d2l_doctor import runner

    ansible = find_program("ansible")
    if ansible is None:
        raise UsageError(t("fleet.usage.engine_missing", lang, program="ansible"))
    # A whole inventory of slow hosts runs in batches of Ansible's forks: the engine gets a generous guard.
    result = runner.run(
        ansible_argv(ansible, inventory, limit, timeout), timeout=max(600.0, 10 * timeout), env=ansible_env()
    )
    done = Collected(out_dir, "ansible")
    hosts = parse_hosts(result.stdout)
    if hosts is None:
        rc = result.returncode if result.returncode is not None else "?"
        detail = last_line(result.stderr or result.stdout or result.error or "")
        why = t("fleet.why.timeout", lang, seconds=f"{max(600.0, 10 * timeout):g}") if result.timed_out else t(
            "fleet.why.engine_failed", lang, engine="ansible", rc=rc, stderr=f": {detail}" if detail else ""
        )
        done.failure("ansible", why)
        return done
    for name, host in sorted(hosts.items()):
        record(done, name, host, timeout, lang)
    return done


def parse_hosts(stdout: str) -> Optional[dict[str, dict[str, Any]]]:
    """The callback's object from ansible's stdout (warnings may come before it)."""
    for line in reversed(stdout.splitlines()):
        if line.startswith('{"d2l_doctor_hosts"'):
            try:
                hosts = json.loads(line)["d2l_doctor_hosts"]
            except (ValueError, KeyError):
                return None
            return hosts if isinstance(hosts, dict) else None
    return None


def record(done: Collected, name: str, host: dict[str, Any], timeout: float, lang: str) -> None:
    stdout = host.get("stdout") if isinstance(host.get("stdout"), str) else ""
    if host.get("status") in ("ok", "failed") and check_document(stdout or "") is not None:
        done.report(name, stdout or "")  # `check` exits 1 when it finds a problem: Ansible calls that failed
        return
    msg = last_line(str(host.get("msg") or ""))
    if host.get("status") == "unreachable":
        done.failure(name, t("fleet.why.unreachable", lang, message=msg or "?"))
        return
    if "timed out" in msg.lower() or "timeout" in msg.lower():
        done.failure(name, t("fleet.why.timeout", lang, seconds=f"{int(timeout) + GRACE_S}"))
        return
    stderr = last_line(str(host.get("stderr") or ""))
    done.failure(name, t("fleet.why.failed", lang, message=stderr or msg or f"rc={host.get('rc')}"))
