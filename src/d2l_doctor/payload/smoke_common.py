"""smoke-gpu payload, shared parts: the test harness, tolerances, timing, memory facts. Python 3.6 syntax."""

import json
import math
import os
import platform
import sys
import time
import traceback

PROGRESS = "@@d2l-smoke "
MIB = 1 << 20
GIB = 1 << 30

# Relative errors ||result - reference||_F / ||reference||_F against a float64 CPU reference. float32 with
# TF32 off lands near 1e-7..1e-6; TF32 (10-bit mantissa) would give ~4e-4, so 1e-4 also catches a TF32 leak
# (NVIDIA_TF32_OVERRIDE=1) as well as broken hardware. Autocast rounds the inputs: fp16 ~4e-4, bf16 ~3e-3.
# cuDNN may pick Winograd or FFT convolutions, whose float32 error exceeds a direct convolution's: "conv"
# leaves room for them while still catching garbage.
TOL = {"float32": 1e-4, "conv": 5e-4, "float16": 5e-3, "bfloat16": 2e-2}
SEED = 0


class Failed(Exception):
    """The operation ran but its result is wrong: kind says how (mismatch, no-learning, ...)."""

    def __init__(self, kind, message):
        Exception.__init__(self, message)
        self.kind = kind


class Skipped(Exception):
    """The test does not apply here: a reason code (the doctor words it) and the facts behind it."""

    def __init__(self, reason, **facts):
        Exception.__init__(self, reason)
        self.reason = reason
        self.facts = facts


# ------------------------------------------------------------------------------------------------------------
# The harness: progress markers on stderr, one timed test at a time


def progress(event, **fields):
    fields["event"] = event
    sys.stderr.write(PROGRESS + json.dumps(fields, sort_keys=True) + "\n")
    sys.stderr.flush()


def error_of(exc):
    text = str(exc) or exc.__class__.__name__
    return {
        "kind": getattr(exc, "kind", "exception"),
        "type": exc.__class__.__name__,
        "message": text[:4000],
        "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-8000:],
    }


def run_test(ctx, name, fn):
    """Run fn(ctx, data) as one timed test; errors raised later by asynchronous kernels surface in sync()."""
    progress("start", device=ctx.label, test=name)
    data = {}
    record = {"name": name, "status": "passed", "data": data}
    start = time.perf_counter()
    try:
        ctx.sync()  # the device is idle when the clock starts
        start = time.perf_counter()
        status = fn(ctx, data)
        ctx.sync()
        if status:
            record["status"] = status
    except Skipped as exc:
        record["status"] = "skipped"
        data["reason"] = exc.reason
        data.update(exc.facts)
    except Exception as exc:  # every failure is a result: the doctor classifies it
        record["status"] = "failed"
        record["error"] = error_of(exc)
    record["seconds"] = time.perf_counter() - start
    progress("done", device=ctx.label, test=name, record=record)
    return record


class Ctx(object):
    """One device under test: sync() waits for its queued work, so errors and times land on the right test."""

    def __init__(self, torch, kind, index, size, tsize):
        self.torch = torch
        self.kind = kind  # cuda | cpu | mps
        self.index = index
        self.device = torch.device(kind, index) if kind == "cuda" else torch.device(kind)
        self.label = "%s:%d" % (kind, index) if kind == "cuda" else kind
        self.size = size
        self.tsize = tsize

    def sync(self):
        if self.kind == "cuda":
            self.torch.cuda.synchronize(self.device)
        elif self.kind == "mps":
            self.torch.mps.synchronize()


def rel_err(torch, got, ref):
    """Relative Frobenius error in float64 on the CPU; NaN/inf in the result give inf."""
    got = got.detach().to("cpu", torch.float64)
    ref = ref.detach().to("cpu", torch.float64)
    if not bool(torch.isfinite(got).all()):
        return float("inf")
    denom = float(ref.norm())
    return float((got - ref).norm()) / (denom if denom else 1.0)


def check_close(data, key, err, tol):
    data[key] = err
    data["tolerance"] = tol
    if not err <= tol:  # also catches NaN
        raise Failed("mismatch", "%s: relative error %.3g exceeds the tolerance %.0e" % (key, err, tol))


def cpu_inputs(torch, *shapes):
    gen = torch.Generator().manual_seed(SEED)
    return [torch.randn(*shape, generator=gen) for shape in shapes]


class StrictFp32(object):
    """Turn TF32 off for comparisons (matmul and cuDNN), restoring the user's settings afterwards."""

    def __init__(self, torch):
        self.torch = torch
        self.saved = None

    def __enter__(self):
        b = self.torch.backends
        if hasattr(b.cudnn, "allow_tf32"):  # torch < 1.7 has no TF32 at all
            self.saved = (b.cuda.matmul.allow_tf32, b.cudnn.allow_tf32)
            b.cuda.matmul.allow_tf32 = False
            b.cudnn.allow_tf32 = False
        return self

    def __exit__(self, *exc):
        if self.saved is not None:
            b = self.torch.backends
            b.cuda.matmul.allow_tf32, b.cudnn.allow_tf32 = self.saved
        return False


# ------------------------------------------------------------------------------------------------------------
# Timing and memory facts


def elapsed(ctx, fn, iters):
    """Seconds for iters calls of fn, fully synchronized; CUDA events time the GPU work, not the launches."""
    torch = ctx.torch
    if ctx.kind == "cuda":
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(iters):
            fn()
        end.record()
        end.synchronize()
        return start.elapsed_time(end) / 1000.0
    ctx.sync()
    t0 = time.perf_counter()
    for _ in range(iters):
        fn()
    ctx.sync()
    return time.perf_counter() - t0


def measure(ctx, fn, data, budget=0.25):
    """Warm up (cuBLAS handles, kernel choice, lazy loading), then time enough calls to fill `budget` s."""
    for _ in range(3):
        fn()
    one = elapsed(ctx, fn, 3) / 3
    iters = int(min(200, max(5, math.ceil(budget / max(one, 1e-6)))))
    seconds = elapsed(ctx, fn, iters)
    data["iterations"] = iters
    data["timed_seconds"] = seconds
    return seconds / iters


def memory_info(ctx):
    """(total, free) bytes of the device; None where neither torch nor the OS says."""
    torch = ctx.torch
    if ctx.kind == "cuda":
        if hasattr(torch.cuda, "mem_get_info"):
            free, total = torch.cuda.mem_get_info(ctx.device)
            return int(total), int(free)
        return int(torch.cuda.get_device_properties(ctx.index).total_memory), None
    if ctx.kind == "mps":
        total = torch.mps.recommended_max_memory() if hasattr(torch.mps, "recommended_max_memory") else None
        if total is not None and hasattr(torch.mps, "driver_allocated_memory"):
            return int(total), int(total - torch.mps.driver_allocated_memory())
        return total, None
    return host_memory()


def host_memory():
    """(total, available) bytes of RAM without psutil: /proc/meminfo, sysconf or GlobalMemoryStatusEx."""
    try:
        with open("/proc/meminfo") as f:
            info = dict(line.split(":", 1) for line in f if ":" in line)
        kib = lambda key: int(info[key].split()[0]) * 1024 if key in info else None  # noqa: E731
        return kib("MemTotal"), kib("MemAvailable") or kib("MemFree")
    except (OSError, ValueError):
        pass
    if os.name == "nt":
        import ctypes

        class MemStatus(ctypes.Structure):
            _fields_ = [("dwLength", ctypes.c_ulong), ("dwMemoryLoad", ctypes.c_ulong)] + [
                (name, ctypes.c_ulonglong)
                for name in ("total", "avail", "totalPage", "availPage", "totalVirt", "availVirt", "availExt")
            ]

        status = MemStatus()
        status.dwLength = ctypes.sizeof(MemStatus)
        if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
            return int(status.total), int(status.avail)
        return None, None
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None, None
    return int(total), None


def allocated(ctx):
    torch = ctx.torch
    if ctx.kind == "cuda":
        return torch.cuda.memory_allocated(ctx.device)
    if ctx.kind == "mps" and hasattr(torch.mps, "current_allocated_memory"):
        return torch.mps.current_allocated_memory()
    return None


def device_name(torch, kind, index):
    if kind == "cuda":
        return torch.cuda.get_device_name(index)
    if kind == "mps":
        return "Apple %s (MPS)" % platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "CPU"


def capability(torch, index):
    """ "8.6" for an NVIDIA GPU; the gfx target ("gfx942") on ROCm, where torch's capability means little."""
    try:
        if getattr(torch.version, "hip", None):
            arch = getattr(torch.cuda.get_device_properties(index), "gcnArchName", None)
            if arch:
                return arch.split(":")[0]
        return "%d.%d" % torch.cuda.get_device_capability(index)
    except Exception:
        return None
