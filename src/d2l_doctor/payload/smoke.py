"""smoke-gpu payload: real tensor work on each device, run INSIDE the target interpreter.

Standard library + torch only, Python 3.6 syntax (CI runs `vermin -t=3.6-` on this folder). Prints exactly
one JSON object on stdout; all else (torch warnings, NCCL chatter, our progress markers) goes to stderr.
Progress markers (`@@d2l-smoke {...}` lines on stderr) let the doctor say which step was running if this
process crashes or hangs before the JSON is written. The tests live in smoke_device.py and smoke_multi.py.

Usage: python smoke.py --device all|cpu|mps|cuda:N [--size N] [--world-size N] [--collective-timeout S]
"""

import argparse
import json
import os
import platform
import sys
import warnings

# The sibling modules, even where sys.path[0] is not the script's folder (python -P, PYTHONSAFEPATH).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from smoke_common import error_of, progress  # noqa: E402
from smoke_device import run_device  # noqa: E402
from smoke_multi import run_allreduce, run_p2p  # noqa: E402

ENV_VARS = (
    "CUDA_VISIBLE_DEVICES",
    "HIP_VISIBLE_DEVICES",
    "NVIDIA_TF32_OVERRIDE",
    "PYTORCH_ENABLE_MPS_FALLBACK",
)
DEFAULT_SIZE = {"cuda": 2048, "mps": 2048, "cpu": 512}  # the CPU float64 reference dominates the time
THROUGHPUT_SIZE = {"cuda": 4096, "mps": 2048, "cpu": 512}  # keeps a GPU busy; ~0.1 s a call on a laptop GPU


def protect_stdout():
    """Point fd 1 at stderr so chatty libraries cannot corrupt the JSON; return a file on the real stdout."""
    sys.stdout.flush()
    real = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(real, "w")


def torch_facts(torch):
    facts = {"version": getattr(torch, "__version__", None)}
    for key, get in (
        ("cuda", lambda: torch.version.cuda),
        ("hip", lambda: getattr(torch.version, "hip", None)),
        ("cudnn", lambda: torch.backends.cudnn.version()),
        ("device_count", lambda: torch.cuda.device_count()),
        ("arch_list", lambda: torch.cuda.get_arch_list()),
        ("mps_built", lambda: torch.backends.mps.is_built()),
        ("mps_available", lambda: torch.backends.mps.is_available()),
        ("num_threads", lambda: torch.get_num_threads()),
    ):
        try:
            facts[key] = get()
        except Exception:
            facts[key] = None
    return facts


def cuda_state(torch):
    """Is CUDA usable, and if not, the words torch uses to say why (warnings included)."""
    state = {"available": False, "warnings": [], "error": None}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            state["available"] = bool(torch.cuda.is_available()) and torch.cuda.device_count() > 0
            if not state["available"]:
                torch.cuda.init()  # raises with the reason: CPU-only build, no driver, driver too old...
        except Exception as exc:
            state["error"] = error_of(exc)
    state["warnings"] = [str(w.message)[:2000] for w in caught]
    return state


def select(torch, device, facts, report):
    """The (kind, index) pairs to test; an empty list with report["unavailable"] set when none can be."""
    if device == "cpu":
        return [("cpu", 0)]
    if device == "mps":
        if not facts.get("mps_available"):
            why = "not-built" if not facts.get("mps_built") else "not-available"
            report["unavailable"] = {"device": "mps", "reason": why}
            return []
        return [("mps", 0)]
    state = cuda_state(torch)
    report["cuda_state"] = state
    if not state["available"]:
        report["unavailable"] = {"device": device, "reason": "no-cuda"}
        return []
    count = torch.cuda.device_count()
    if device == "all":
        return [("cuda", i) for i in range(count)]
    index = int(device.split(":")[1]) if ":" in device else 0
    if index >= count:
        report["unavailable"] = {"device": device, "reason": "no-such-device", "count": count}
        return []
    return [("cuda", index)]


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="all")
    parser.add_argument("--size", type=int, default=0)
    parser.add_argument("--world-size", type=int, default=0)
    parser.add_argument("--collective-timeout", type=float, default=60.0)
    args = parser.parse_args(argv)
    out = protect_stdout()
    report = {"payload": "smoke", "version": 1, "python": sys.executable, "devices": [], "multi": []}
    report["python_version"] = platform.python_version()
    # Settings that change what torch sees or computes: an empty CUDA_VISIBLE_DEVICES hides every GPU.
    report["env"] = dict((k, os.environ.get(k)) for k in ENV_VARS)
    stage = "import torch"
    try:
        progress("start", device="", test=stage)
        import torch

        progress("done", device="", test=stage)
        report["torch"] = facts = torch_facts(torch)
        progress("facts", torch=facts)  # for the header, should this process die before the end
        stage = "cuda init"
        progress("start", device="", test=stage)  # a broken driver can kill the process right here
        chosen = select(torch, args.device, facts, report)
        progress("done", device="", test=stage)
        stage = "tests"
        for kind, index in chosen:
            size = args.size or DEFAULT_SIZE[kind]
            report["devices"].append(run_device(torch, kind, index, size, args.size or THROUGHPUT_SIZE[kind]))
        cuda_ids = [i for kind, i in chosen if kind == "cuda"]
        if args.device == "all" and len(cuda_ids) > 1:
            for src in cuda_ids:
                for dst in cuda_ids:
                    if src != dst:
                        report["multi"].append(run_p2p(torch, src, dst))
        world = args.world_size or (len(cuda_ids) if args.device == "all" else 0)
        if chosen and world > 1 and chosen[0][0] in ("cpu", "cuda"):
            report["multi"].append(run_allreduce(torch, chosen[0][0], world, args.collective_timeout))
    except Exception as exc:  # import torch failed, or something outside a test: still one JSON object
        report["error"] = error_of(exc)
        report["error"]["stage"] = stage
    out.write(json.dumps(report, default=str) + "\n")
    out.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: CUDA/NCCL destructors can hang or crash at exit; the answer is already out.
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
