"""The book's first cell, run inside the user's interpreter: can this Python run Dive into Deep Learning?

Stdlib only besides what it tests, Python 3.6 syntax (CI runs vermin). It starts beside probe_env.py, not after
it. First the requirements of every installed distribution (dist_requirements.py), then, when d2l is installed,
the cell a learner runs first:
    from d2l import torch as d2l        (imports torchvision, matplotlib, pandas...)
    a tensor on d2l.try_gpu()           (torch.ones((3, 1)) + itself)
    one optimizer step                  (torch.optim.SGD: it imports torch._dynamo, which needs sympy)
    a matplotlib figure saved with Agg
Each result is streamed to stderr as a marker line, `@@d2l-doctor:book NAME {json}`, before the next step
begins (`@@d2l-doctor:book-begin NAME`), so a step that kills or hangs the interpreter is known by name. The
final JSON object on stdout repeats them all.
"""

import json
import os
import sys
import time

MARK = "@@d2l-doctor:"
STEPS = ("import d2l", "tensor", "optimizer step", "plot")

_HERE = os.path.dirname(os.path.abspath(__file__))


def _mark(kind, name, data=""):
    sys.stderr.write("\n%s%s %s %s\n" % (MARK, kind, name.replace(" ", "_"), data))
    sys.stderr.flush()


def _with_nonce(nonce):
    """Markers read `@@d2l-doctor:NONCE:kind ...` and the answer carries the nonce, as probe_env.py's do."""
    global MARK
    if nonce:
        MARK = "%s%s:" % (MARK, nonce)


def _first_lines(text, lines=5, limit=1500):
    return "\n".join(str(text).strip().splitlines()[:lines])[:limit]


def _sibling(name):
    """A module of this folder, imported without leaving the folder on the user's sys.path."""
    sys.path.insert(0, _HERE)
    try:
        return __import__(name)
    finally:
        if sys.path and sys.path[0] == _HERE:
            del sys.path[0]


def _installed(module):
    try:
        import importlib.util

        return importlib.util.find_spec(module) is not None
    except Exception:
        return True  # half-broken: let the step itself say what is wrong


class _Cell(object):
    def __init__(self):
        self.d2l = None
        self.torch = None
        self.device = None
        self.x = None

    def import_d2l(self):
        from d2l import torch as d2l

        self.d2l = d2l

    def tensor(self):
        import torch

        self.torch = torch
        self.device = self.d2l.try_gpu()
        self.x = torch.ones((3, 1), device=self.device)
        total = float((self.x + self.x).sum())
        if total != 6.0:
            raise RuntimeError("torch.ones((3, 1)) + itself summed to %r, not 6" % total)
        return {"device": str(self.device)}

    def optimizer_step(self):
        torch = self.torch
        net = torch.nn.Linear(1, 1).to(self.device)
        trainer = torch.optim.SGD(net.parameters(), lr=0.03)
        loss = ((net(self.x) - 1.0) ** 2).mean()
        trainer.zero_grad()
        loss.backward()
        trainer.step()

    def plot(self):
        import io

        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig = plt.figure(figsize=(2, 2))
        plt.plot([1, 2, 3], [1, 4, 9])
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
        if not buffer.getvalue():
            raise RuntimeError("the figure saved as an empty file")


def _step(name, body):
    _mark("book-begin", name)
    started = time.time()
    result = {"name": name, "ok": True}
    try:
        extra = body()
        if extra:
            result.update(extra)
    except (Exception, SystemExit) as exc:  # some packages call sys.exit() when an import fails
        result.update(ok=False, error_type=type(exc).__name__, error=_first_lines(exc))
    result["seconds"] = round(time.time() - started, 3)
    _mark("book", name, json.dumps(result, sort_keys=True))
    return result


def run_cell():
    """The steps' results; a failed step skips the ones that need it."""
    cell = _Cell()
    bodies = (cell.import_d2l, cell.tensor, cell.optimizer_step, cell.plot)
    results = []
    failed = None
    for name, body in zip(STEPS, bodies):
        if failed is not None and name != "plot":
            results.append({"name": name, "ok": False, "skipped": "after " + failed})
            continue
        result = _step(name, body)
        results.append(result)
        if not result["ok"] and failed is None:
            failed = name
    return results


def main(argv):
    if sys.path and os.path.abspath(sys.path[0] or os.curdir) == _HERE:
        del sys.path[0]  # the user's sessions do not have our folder on their path
    try:
        import faulthandler

        faulthandler.enable()
    except Exception:
        pass
    probe_env = _sibling("probe_env")
    nonce = probe_env._parse_nonce(argv)
    _with_nonce(nonce)
    saved = probe_env._redirect_stdout()  # chatty imports write to stderr, never into our JSON
    result = {"protocol": 1, "requirements": None, "steps": [], "errors": []}
    if nonce:
        result["nonce"] = nonce
    try:
        result["requirements"] = _sibling("dist_requirements").unmet()
    except Exception as exc:
        result["errors"].append("requirements: %s: %s" % (type(exc).__name__, _first_lines(exc)))
    _mark("requirements", "-", json.dumps(result["requirements"], sort_keys=True))
    if "--no-cell" not in argv:
        if _installed("d2l"):
            result["steps"] = run_cell()
        else:
            result["skipped"] = "d2l is not installed"
    probe_env._write_result(saved, result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
