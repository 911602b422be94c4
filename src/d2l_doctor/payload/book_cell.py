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

Where the interpreter can fork (Linux, forked.py), the requirements scan runs in a child from the start, and
the optimizer step in a child forked as soon as torch is imported: its import of torch._dynamo (with sympy,
about as long as the rest of `import d2l`) then overlaps `import d2l` instead of following it. This process
reports the step's result in its place (a child that dies is reported with its signal, one that hangs leaves
the step open, as a step of this process would).
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


def _timed(name, body):
    started = time.time()
    result = {"name": name, "ok": True}
    try:
        extra = body()
        if extra:
            result.update(extra)
    except (Exception, SystemExit) as exc:  # some packages call sys.exit() when an import fails
        result.update(ok=False, error_type=type(exc).__name__, error=_first_lines(exc))
    result["seconds"] = round(time.time() - started, 3)
    return result


def _step(name, body):
    _mark("book-begin", name)
    result = _from_child(body) if hasattr(body, "result") else _timed(name, body)
    _mark("book", name, json.dumps(result, sort_keys=True))
    return result


def _alone_step():
    """The optimizer step without d2l: on the device d2l.try_gpu() picks (the first GPU, else the CPU)."""
    import torch

    cell = _Cell()
    cell.torch = torch
    cell.device = torch.device("cuda:0") if torch.cuda.device_count() >= 1 else torch.device("cpu")
    cell.x = torch.ones((3, 1), device=cell.device)
    cell.optimizer_step()


def fork_optimizer_step():
    """The optimizer step started in a child (torch imported, CUDA not yet initialised), or None."""
    return _sibling("forked").start(lambda: _timed("optimizer step", _alone_step))


def fork_requirements():
    """The requirements scan started in a child, or None."""
    return _sibling("forked").start(_requirements)


def _requirements():
    try:
        return {"unmet": _sibling("dist_requirements").unmet()}
    except Exception as exc:
        return {"error": "requirements: %s: %s" % (type(exc).__name__, _first_lines(exc))}


def _from_child(child):
    """What the child said, or its death as the step's failure."""
    value, death = child.result()
    if value is not None:
        return value
    return {"name": "optimizer step", "ok": False, "signal": death, "error": "the interpreter died: " + death}


def _torch_first():
    """import torch here, so a forked child shares it; the step's child when that could start."""
    if not _installed("d2l"):
        return None
    try:
        import torch  # noqa: F401
    except BaseException:
        return None  # `import d2l` will say what is wrong with it
    return fork_optimizer_step()


def run_cell(forked=None):
    """The steps' results; a failed step skips the ones that need it."""
    cell = _Cell()
    bodies = (cell.import_d2l, cell.tensor, forked or cell.optimizer_step, cell.plot)
    results = []
    failed = None
    try:
        for name, body in zip(STEPS, bodies):
            if failed is not None and name != "plot":
                results.append({"name": name, "ok": False, "skipped": "after " + failed})
                continue
            result = _step(name, body)
            if body is forked:
                forked = None
            results.append(result)
            if not result["ok"] and failed is None:
                failed = name
    finally:
        if forked is not None:
            forked.cancel()
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
    cell = "--no-cell" not in argv
    requirements = fork_requirements()
    probe_env._write_result(saved, answer(nonce, _torch_first() if cell else None, cell, requirements))
    return 0


def answer(nonce, forked=None, cell=True, requirements=None):
    """The requirements, then the cell (when d2l is installed): the answer's object, each part streamed first.
    Also called by probe_env.py --book, after its own answer, with the children it forked."""
    result = {"protocol": 1, "requirements": None, "steps": [], "errors": []}
    if nonce:
        result["nonce"] = nonce
    found, death = requirements.result() if requirements is not None else (_requirements(), None)
    if found is None:
        found = {"error": "requirements: the interpreter died: %s" % death}
    if "error" in found:
        result["errors"].append(found["error"])
    else:
        result["requirements"] = found.get("unmet")
    _mark("requirements", "-", json.dumps(result["requirements"], sort_keys=True))
    if cell and _installed("d2l"):
        result["steps"] = run_cell(forked)
    else:
        if cell:
            result["skipped"] = "d2l is not installed"
        if forked is not None:
            forked.cancel()
    return result


if __name__ == "__main__":
    _sibling("probe_env").leave(main(sys.argv[1:]))
