"""Facts about the Python environment this file runs in: d2l-doctor runs it inside the user's interpreter.

Stdlib only, and Python 3.6 syntax (CI checks it with `vermin -t=3.6-`): learners run old Pythons. It prints
exactly one JSON object on stdout. While it imports packages, stdout (the Python object and file descriptor 1)
points at stderr, so a chatty package cannot corrupt that object.

Each import runs in a phase framed on stderr by marker lines:
    @@d2l-doctor:begin NAME SECONDS      (seconds since the payload started)
    @@d2l-doctor:end NAME {json}         (the phase's result)
so that when the interpreter dies in an import (a segfault) or hangs, the doctor knows which phase did it,
keeps what was already streamed, and can run the payload again with `--skip NAME[,NAME...]`.
With `--nonce N` (the doctor passes a fresh one each run) the markers read `@@d2l-doctor:N:begin ...` and the
result carries `"nonce": N`: a program that merely prints something JSON-shaped cannot pass for this payload.
"""

import json
import os
import platform
import struct
import sys
import time
import warnings

MARK = "@@d2l-doctor:"
PROTOCOL = 1

# Canonical names (lower case, dashes), as in the Snapshot's `packages`.
PACKAGES = (
    "torch",
    "torchvision",
    "torchaudio",
    "pillow",
    "numpy",
    "d2l",
    "jupyter",
    "notebook",
    "jupyterlab",
    "ipykernel",
    "nbconvert",
    "jinja2",
    "matplotlib",
    "pandas",
    "nb-conda-kernels",
    "scipy",
    "requests",
    "matplotlib-inline",
    "ipython",
)

# The safe imports first, torch and what needs it last: a hang in torch then costs nothing already known.
PHASES = ("numpy", "PIL", "nbconvert", "torch", "torch.cuda", "torchvision", "torchaudio")

_START = time.time()


def _mark(kind, name, data=""):
    # A leading newline: the package before us may have left a partial line on stderr.
    sys.stderr.write("\n%s%s %s %s\n" % (MARK, kind, name, data))
    sys.stderr.flush()


def _first_lines(text, lines=5, limit=1500):
    text = "\n".join(str(text).strip().splitlines()[:lines])
    return text[:limit]


def python_facts():
    base_prefix = getattr(sys, "base_prefix", sys.prefix)
    return {
        "executable": sys.executable,
        "version": platform.python_version(),
        "implementation": platform.python_implementation().lower(),
        "bits": struct.calcsize("P") * 8,
        "machine": platform.machine(),
        "platform": sys.platform,
        "prefix": sys.prefix,
        "base_prefix": base_prefix,
        "is_venv": sys.prefix != base_prefix or hasattr(sys, "real_prefix"),
    }


def _version_lookup():
    """name -> installed version or None: importlib.metadata, its backport, or pkg_resources (3.6/3.7)."""
    metadata = None
    try:
        from importlib import metadata  # novermin (Python 3.8+; older ones take the except branch)
    except ImportError:
        try:
            import importlib_metadata as metadata  # the backport, often present on 3.6/3.7
        except ImportError:
            metadata = None
    if metadata is not None:

        def lookup(name):
            try:
                return metadata.version(name)
            except Exception:  # PackageNotFoundError, or metadata damaged beyond reading
                return None

        return lookup
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pkg_resources
    except Exception:
        return lambda name: None

    def lookup_pkg_resources(name):
        try:
            return pkg_resources.get_distribution(name).version
        except Exception:
            return None

    return lookup_pkg_resources


def package_versions():
    lookup = _version_lookup()
    found = {}
    for name in PACKAGES:
        # Folders spell "-" as "_"; not every metadata reader (old backports, egg-info) normalises names.
        version = lookup(name) or (lookup(name.replace("-", "_")) if "-" in name else None)
        if version:
            found[name] = str(version)
    return found


# Distributions whose declared requirements the doctor reads from their installed metadata: a torchvision or
# torchaudio release names the torch it was built for (`Requires-Dist: torch==2.x.y`). That holds for releases
# newer than the doctor's matrix too.
REQUIRES_OF = ("torch", "torchvision", "torchaudio")


def _requires_lookup():
    """name -> its Requires-Dist lines (a list) or None: importlib.metadata, its backport, or pkg_resources."""
    try:
        from importlib import metadata  # novermin (Python 3.8+; older ones take the except branch)
    except ImportError:
        try:
            import importlib_metadata as metadata  # the backport, often present on 3.6/3.7
        except ImportError:
            metadata = None
    if metadata is not None:

        def lookup(name):
            try:
                return list(metadata.metadata(name).get_all("Requires-Dist") or [])
            except Exception:  # not installed, or metadata damaged beyond reading
                return None

        return lookup
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import pkg_resources
    except Exception:
        return lambda name: None

    def lookup_pkg_resources(name):
        try:
            dist = pkg_resources.get_distribution(name)
            for kind in ("METADATA", "PKG-INFO"):
                if dist.has_metadata(kind):
                    lines = dist.get_metadata_lines(kind)
                    return [ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("Requires-Dist:")]
        except Exception:
            pass
        return None

    return lookup_pkg_resources


def package_requires(names=REQUIRES_OF):
    """name -> the Requires-Dist lines its installed metadata declares (installed distributions only)."""
    lookup = _requires_lookup()
    found = {}
    for name in names:
        lines = lookup(name)
        if lines is not None:
            found[name] = [str(line) for line in lines][:200]
    return found


# How much of what an import says we keep: enough to recognise a known message, not a whole traceback.
MAX_NOTES = 5
NOTE_CHARS = 300
# Categories a plain `python` session does not show: noise that would crowd out the warnings that matter.
_QUIET = (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning)


class _StderrTee(object):
    """Stands in for sys.stderr during an import: passes everything through (the doctor still sees it) and
    keeps a copy of what Python code wrote. C code writing to fd 2 bypasses it, as it should."""

    def __init__(self, stream):
        self._stream = stream
        self._parts = []
        self._size = 0
        self.recording = False

    def start(self):
        self._parts, self._size, self.recording = [], 0, True

    def write(self, text):
        if self.recording and self._size < 20000:  # a chatty package must not fill our memory
            self._parts.append(str(text))
            self._size += len(text)
        return self._stream.write(text)

    def flush(self):
        return self._stream.flush()

    def text(self):
        return "".join(self._parts)

    def __getattr__(self, name):  # encoding, isatty, fileno, buffer...
        return getattr(self._stream, name)


def _paragraphs(text):
    """Stderr text as messages: a paragraph (lines up to a blank one) joined into one line; of a traceback only
    its exception line (the frames are paths)."""
    found, lines, in_traceback = [], [], False

    def close():
        if lines:
            found.append(" ".join(lines))
            del lines[:]

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith(MARK):
            continue
        if line.startswith("Traceback (most recent call last)"):
            close()
            in_traceback = True
            continue
        if in_traceback:
            # A traceback ends with its exception line, the first line that is not indented: keep that one.
            if not line or raw[:1].isspace():
                continue
            in_traceback = False
            found.append(line)
            continue
        if line:
            lines.append(line)
        else:
            close()
    close()
    return found


def _notes(caught, stderr_text):
    """The first few distinct, short messages: warnings as "Category: first line", then stderr paragraphs."""
    notes = []
    for w in caught:
        if issubclass(w.category, _QUIET):
            continue
        first = (str(w.message).strip().splitlines() or [""])[0]
        notes.append("%s: %s" % (w.category.__name__, first))
    notes.extend(_paragraphs(stderr_text))
    kept = []
    for note in notes:
        note = note[:NOTE_CHARS]
        if note and note not in kept:
            kept.append(note)
        if len(kept) >= MAX_NOTES:
            break
    return kept


_TEE = []  # the one stand-in, reused: a logging handler made in one import then records into the next


def _capturing(body):
    """Run body(); return (its value or None, the exception or None, the messages it printed)."""
    if not _TEE or _TEE[0]._stream is not sys.stderr:
        _TEE[:] = [_StderrTee(sys.stderr)]
    tee = _TEE[0]
    tee.start()
    value, error = None, None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # also the warnings a module already issued once
        sys.stderr = tee
        try:
            value = body()
        except (Exception, SystemExit) as exc:  # some packages call sys.exit() when their import fails
            error = exc
        finally:
            tee.recording = False  # between imports, what goes through it belongs to no import
            if sys.stderr is tee:
                sys.stderr = tee._stream
    return value, error, _notes(caught, tee.text())


def _installed(module):
    try:
        import importlib.util

        return importlib.util.find_spec(module) is not None
    except Exception:  # a half-broken package: let the import itself tell what is wrong
        return True


def _import_result(name, started, exc=None):
    result = {"module": name, "ok": exc is None, "seconds": round(time.time() - started, 3)}
    if exc is not None:
        result["error_type"] = type(exc).__name__
        result["error"] = _first_lines(exc)
    return result


def _run_import(name, top, body):
    """Import `top` via body(); the ImportResult as a dict, plus body's extra facts."""
    if not _installed(top):
        return {
            "import": {
                "module": name,
                "ok": False,
                "error_type": "ModuleNotFoundError",
                "error": "No module named '%s'" % top,
                "skipped": "not installed",
            }
        }
    started = time.time()
    extra, exc, notes = _capturing(body)
    data = {"import": _import_result(name, started, exc)}
    if notes:
        data["import"]["warnings"] = notes
    if exc is None:
        data.update(extra or {})
    return data


def _import_numpy():
    import numpy  # noqa: F401


def _import_pil():
    from PIL import (
        Image,  # noqa: F401
        _imaging,  # noqa: F401  (Image loads its C extension lazily on some Pillow versions)
    )


def _import_nbconvert():
    import nbconvert  # noqa: F401


def _import_torch():
    import torch

    version = getattr(torch, "version", None)
    info = {
        "version": str(torch.__version__),
        "cuda": getattr(version, "cuda", None),
        "hip": getattr(version, "hip", None),
    }
    # What the build was compiled for; get_arch_list() answers [] whenever no GPU is usable.
    flags = getattr(torch._C, "_cuda_getArchFlags", None)
    try:
        info["arch_list"] = (flags() or "").split() if flags is not None else []
    except Exception:
        info["arch_list"] = []
    return {"torch": info}


def _import_torchvision():
    import torchvision  # noqa: F401


def _import_torchaudio():
    import torchaudio  # noqa: F401


def _torch_cuda():
    """CUDA as torch sees it. Runs after a successful torch import; may load the driver and cuDNN."""
    import torch

    info = {}
    messages = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            info["cuda_available"] = bool(torch.cuda.is_available())
        # e.g. "The NVIDIA driver on your system is too old (found version 11040)"
        messages.extend(_first_lines(w.message) for w in caught)
    except Exception as exc:
        messages.append("%s: %s" % (type(exc).__name__, _first_lines(exc)))
    try:
        info["device_count"] = int(torch.cuda.device_count())
    except Exception as exc:
        messages.append("%s: %s" % (type(exc).__name__, _first_lines(exc)))
    if info.get("cuda_available"):
        try:
            info["device_capabilities"] = [
                "%d.%d" % tuple(torch.cuda.get_device_capability(i))
                for i in range(info.get("device_count", 0))
            ]
        except Exception as exc:
            messages.append("%s: %s" % (type(exc).__name__, _first_lines(exc)))
        try:
            arch_list = torch.cuda.get_arch_list()
            if arch_list:
                info["arch_list"] = list(arch_list)
        except Exception:
            pass
    try:
        info["cudnn"] = torch.backends.cudnn.version()
    except Exception as exc:  # "cuDNN version incompatibility: PyTorch was compiled against ..."
        messages.append("cuDNN: %s: %s" % (type(exc).__name__, _first_lines(exc)))
    if messages:
        info["init_warning"] = _first_lines("\n".join(messages), lines=8)
    return {"torch": info}


_BODIES = {
    "numpy": ("numpy", _import_numpy),
    "PIL": ("PIL", _import_pil),
    "nbconvert": ("nbconvert", _import_nbconvert),
    "torch": ("torch", _import_torch),
    "torchvision": ("torchvision", _import_torchvision),
    "torchaudio": ("torchaudio", _import_torchaudio),
}


def run_phase(name):
    if name == "torch.cuda":
        return _torch_cuda()
    top, body = _BODIES[name]
    return _run_import(name, top, body)


def _parse_nonce(argv):
    for i, arg in enumerate(argv):
        if arg == "--nonce" and i + 1 < len(argv):
            return argv[i + 1]
    return None


def _parse_skip(argv):
    skip = set()
    for i, arg in enumerate(argv):
        if arg == "--skip" and i + 1 < len(argv):
            skip.update(s for s in argv[i + 1].split(",") if s)
        elif arg.startswith("--skip="):
            skip.update(s for s in arg[len("--skip=") :].split(",") if s)
    return skip


def _redirect_stdout():
    """Point fd 1 and sys.stdout at stderr; return the saved fd 1 (or None where it cannot be duplicated)."""
    sys.stdout.flush()
    saved = None
    try:
        saved = os.dup(1)
        os.dup2(2, 1)
    except OSError:
        saved = None
    sys.stdout = sys.stderr
    return saved


def _write_result(saved_fd, result, more=False):
    """The answer on the real stdout; with more, fd 1 stays on stderr for what runs after (the book cell)."""
    text = json.dumps(result, sort_keys=True) + "\n"  # ASCII only: no console code page can garble it
    sys.stderr.flush()
    if saved_fd is not None:
        if not more:
            os.dup2(saved_fd, 1)
        data = text.encode("ascii")
        while data:
            data = data[os.write(saved_fd if more else 1, data) :]
    else:
        sys.__stdout__.write(text)
        sys.__stdout__.flush()


def _book_cell(nonce):
    """payload/book_cell.py, for --book: imported from this folder without leaving it on sys.path."""
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    try:
        import book_cell
    finally:
        if sys.path and sys.path[0] == here:
            del sys.path[0]
    book_cell._with_nonce(nonce)
    return book_cell


def main(argv):
    # Running a file puts its folder first on sys.path; the user's own sessions do not have it.
    here = os.path.dirname(os.path.abspath(__file__))
    if sys.path and os.path.abspath(sys.path[0] or os.curdir) == here:
        del sys.path[0]
    try:
        import faulthandler

        faulthandler.enable()  # a segfault then leaves a Python traceback on stderr: evidence for the report
    except Exception:
        pass
    global MARK
    skip = _parse_skip(argv)
    nonce = _parse_nonce(argv)
    if nonce:
        MARK = "%s%s:" % (MARK, nonce)
    saved_fd = _redirect_stdout()
    result = {"protocol": PROTOCOL, "python": python_facts(), "packages": {}, "phases": {}, "errors": []}
    if nonce:
        result["nonce"] = nonce
    try:
        result["packages"] = package_versions()
    except Exception as exc:
        result["errors"].append("packages: %s: %s" % (type(exc).__name__, _first_lines(exc)))
    try:
        result["requires"] = package_requires()
    except Exception as exc:
        result["errors"].append("requires: %s: %s" % (type(exc).__name__, _first_lines(exc)))
    facts = {"python": result["python"], "packages": result["packages"], "requires": result.get("requires", {})}
    _mark("facts", "-", json.dumps(facts, sort_keys=True))
    # --book: the book's first cell runs in this process once the answer is out (a crash in it cannot cost a
    # fact), sharing the torch imported here; its optimizer step starts in a child as soon as torch is in.
    cell = _book_cell(nonce) if "--book" in argv else None
    forked = None
    requirements = cell.fork_requirements() if cell is not None else None  # beside the imports below
    for name in PHASES:
        if name in skip:
            continue
        if name == "torch.cuda" and not result["phases"].get("torch", {}).get("import", {}).get("ok"):
            continue
        _mark("begin", name, "%.3f" % (time.time() - _START))
        try:
            data = run_phase(name)
        except Exception as exc:  # a bug here must not cost the other facts
            result["errors"].append("%s: %s: %s" % (name, type(exc).__name__, _first_lines(exc)))
            data = {}
        result["phases"][name] = data
        _mark("end", name, json.dumps(data, sort_keys=True))
        if name == "torch" and cell is not None and data.get("import", {}).get("ok") and _installed("d2l"):
            forked = cell.fork_optimizer_step()
    if cell is None:
        _write_result(saved_fd, result)
        return 0
    _write_result(saved_fd, result, more=True)
    _write_result(saved_fd, cell.answer(nonce, forked, True, requirements), more=True)
    return 0


def leave(code):
    """End the process once the answer is written, without the interpreter's teardown: with torch loaded that
    takes a third of a second, with d2l's matplotlib and pandas more than half of one, and it adds no fact."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.flush()
        except Exception:  # closed, or replaced by something without flush: nothing left to write there
            pass
    os._exit(code)


if __name__ == "__main__":
    leave(main(sys.argv[1:]))
