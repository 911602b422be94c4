"""Run a notebook through a real Jupyter kernel with nbclient, cell by cell: the script `smoke-notebook` starts.

It runs in an interpreter that has nbclient (the doctor's own, or the kernel's Jupyter environment), never in
the doctor's process: a kernel that hangs or dies is then a fact about this process. It prints marker lines on
stderr as it goes, `@@d2l-notebook {json}` (kernel started, cell begins, cell ends), so the doctor shows
progress and keeps what happened before a hang; the last line on stdout is one JSON object.

Usage: python run.py NOTEBOOK KERNEL_NAME CELL_TIMEOUT STARTUP_TIMEOUT
"""

import json
import sys
import time

MARK = "@@d2l-notebook "


def _say(event):
    sys.stderr.write("\n" + MARK + json.dumps(event, sort_keys=True) + "\n")
    sys.stderr.flush()


def _error_text(cell, exc):
    """The cell's own error (ename: evalue) when the kernel reported one, else the exception's first line."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            return "{}: {}".format(output.get("ename", ""), output.get("evalue", ""))
    text = str(exc).strip().splitlines()
    return "{}: {}".format(type(exc).__name__, text[-1] if text else "")


def _has_display(cell):
    return any(o.get("output_type") in ("display_data", "execute_result") for o in cell.get("outputs", []))


def main(argv):
    path, kernel, cell_timeout, startup_timeout = argv[0], argv[1], float(argv[2]), float(argv[3])
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=cell_timeout,
        startup_timeout=startup_timeout,
        allow_errors=False,
        record_timing=False,
    )
    result: dict = {"kernel": {"name": kernel, "ok": False}, "cells": []}
    names = [
        c.get("metadata", {}).get("d2l_doctor", {}).get("name", f"cell {i}") for i, c in enumerate(nb.cells)
    ]
    started = time.time()
    try:
        with client.setup_kernel():
            result["kernel"].update(ok=True, seconds=round(time.time() - started, 3))
            _say({"event": "kernel", "ok": True, "cells": len(nb.cells)})
            failed = None
            for index, cell in enumerate(nb.cells):
                entry = {"name": names[index], "index": index}
                if failed is not None:
                    entry.update(ok=False, skipped="after " + failed)
                    result["cells"].append(entry)
                    continue
                _say({"event": "begin", "name": names[index], "index": index})
                began = time.time()
                try:
                    client.execute_cell(cell, index)
                    entry.update(ok=True, display=_has_display(cell))
                except CellTimeoutError:
                    entry.update(ok=False, timed_out=True, error=f"no answer within {cell_timeout:g} s")
                except Exception as exc:  # CellExecutionError, DeadKernelError…: a fact about this cell
                    entry.update(ok=False, error=_error_text(cell, exc), error_type=type(exc).__name__)
                entry["seconds"] = round(time.time() - began, 3)
                _say(dict(entry, event="end"))
                result["cells"].append(entry)
                if not entry["ok"]:
                    failed = names[index]
                    if entry.get("timed_out"):
                        break  # the kernel is busy for good: the rest cannot run
    except (
        Exception
    ) as exc:  # the kernel never started (no ipykernel, a dead interpreter) or died at shutdown
        if not result["kernel"]["ok"]:
            text = str(exc).strip().splitlines()
            kernel_error = "{}: {}".format(type(exc).__name__, text[-1] if text else "")
            result["kernel"].update(error=kernel_error)
            _say({"event": "kernel", "ok": False, "error": kernel_error})
    sys.stdout.write(json.dumps(result, sort_keys=True) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
