"""smoke-gpu payload: the tests on one device (cuda:N, cpu or mps). Python 3.6 syntax, stdlib + torch."""

import math
import re

from smoke_common import (
    GIB,
    MIB,
    SEED,
    TOL,
    Ctx,
    Failed,
    Skipped,
    StrictFp32,
    allocated,
    capability,
    check_close,
    cpu_inputs,
    device_name,
    measure,
    memory_info,
    progress,
    rel_err,
    run_test,
)


def t_ones_add(ctx, data):
    torch = ctx.torch
    # The seeds' check, verbatim: torch.ones((3,1)).cuda(0) + torch.ones((3,1)).cuda(0)
    x = torch.ones((3, 1)).to(ctx.device) + torch.ones((3, 1)).to(ctx.device)
    ctx.sync()
    data["repr"] = re.sub(r"\n\s*", "", repr(x))
    if not bool(torch.equal(x.cpu(), torch.full((3, 1), 2.0))):
        raise Failed("mismatch", "ones + ones gave %s" % data["repr"])


def t_matmul_fp32(ctx, data):
    torch = ctx.torch
    n = ctx.size
    a, b = cpu_inputs(torch, (n, n), (n, n))
    ref = reference(torch, ("mm", n), lambda: a.double() @ b.double())
    data["size"] = n
    with StrictFp32(torch):
        c = torch.mm(a.to(ctx.device), b.to(ctx.device))
        ctx.sync()
    check_close(data, "rel_err", rel_err(torch, c, ref), TOL["float32"])


def autocast_test(dtype_name):
    def test(ctx, data):
        torch = ctx.torch
        dtype = getattr(torch, dtype_name)
        autocast_supported(ctx, dtype_name)
        n = ctx.size
        a, b = cpu_inputs(torch, (n, n), (n, n))
        ref = reference(torch, ("mm", n), lambda: a.double() @ b.double())
        a, b = a.to(ctx.device), b.to(ctx.device)
        try:
            with torch.autocast(ctx.kind, dtype=dtype):
                c = torch.mm(a, b)
        except RuntimeError as exc:
            if "support" not in str(exc).lower():
                raise
            raise Skipped("autocast-unsupported", detail=str(exc).splitlines()[0]) from None
        ctx.sync()
        data["size"] = n
        data["dtype"] = str(c.dtype).replace("torch.", "")
        if c.dtype != dtype:
            raise Skipped("autocast-no-effect")
        check_close(data, "rel_err", rel_err(torch, c, ref), TOL[dtype_name])

    return test


def autocast_supported(ctx, dtype_name):
    """Raise Skipped when this device cannot run autocast in dtype_name."""
    torch = ctx.torch
    if not hasattr(torch, "autocast"):
        raise Skipped("no-autocast")
    if ctx.kind == "cuda" and dtype_name == "bfloat16":
        try:  # emulated bf16 (pre-Ampere) is slow and not what d2l's mixed-precision chapters mean
            native = torch.cuda.is_bf16_supported(including_emulation=False)
        except TypeError:
            native = torch.cuda.is_bf16_supported()
        if not native:
            raise Skipped("bf16-unsupported", capability=capability(torch, ctx.index))
    if ctx.kind == "cuda" and dtype_name == "float16" and not torch.version.hip:
        if torch.cuda.get_device_capability(ctx.index) < (5, 3):  # no half arithmetic before sm_53
            raise Skipped("fp16-unsupported", capability=capability(torch, ctx.index))


def t_conv(ctx, data):
    torch = ctx.torch
    F = torch.nn.functional
    x, w, bias, grad_out = cpu_inputs(torch, (16, 3, 32, 32), (32, 3, 3, 3), (32,), (16, 32, 32, 32))
    ref = conv_fwd_bwd(torch, F, [t.double() for t in (x, w, bias)], grad_out.double())
    data["backend"] = conv_backend(ctx)
    if ctx.kind == "cuda":
        torch.backends.cudnn.enabled = True
        if not torch.backends.cudnn.is_available():
            raise Failed("cudnn-unavailable", "torch.backends.cudnn.is_available() is False on a CUDA build")
    with StrictFp32(torch):
        got = conv_fwd_bwd(torch, F, [t.to(ctx.device) for t in (x, w, bias)], grad_out.to(ctx.device))
        ctx.sync()
    worst = 0.0
    for name, g, r in zip(("output", "grad_input", "grad_weight", "grad_bias"), got, ref):
        err = rel_err(torch, g, r)
        data["rel_err_" + name] = err
        worst = max(worst, err)
    check_close(data, "rel_err", worst, TOL["conv"])


def conv_fwd_bwd(torch, F, tensors, grad_out):
    x, w, b = [t.clone().requires_grad_(True) for t in tensors]
    y = F.conv2d(x, w, b, padding=1)
    y.backward(grad_out)
    return y, x.grad, w.grad, b.grad


def conv_backend(ctx):
    torch = ctx.torch
    if ctx.kind == "cuda":
        if torch.version.hip:
            return "MIOpen"
        version = torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None
        return "cuDNN %s" % version if version else "no cuDNN"
    if ctx.kind == "mps":
        return "MPS"
    return "oneDNN" if torch.backends.mkldnn.is_available() else "native"


def t_train(ctx, data):
    """20 Adam steps of a d2l LeNet (ReLU variant) memorising one fixed random batch: the loss must drop 10 %.

    On the CPU it falls from 2.30 to about 1.3, so the threshold leaves room for other devices' rounding."""
    torch = ctx.torch
    nn = torch.nn
    torch.manual_seed(SEED)
    net = nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, kernel_size=5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    ).to(ctx.device)
    gen = torch.Generator().manual_seed(SEED)
    x = torch.randn(64, 1, 28, 28, generator=gen).to(ctx.device)
    y = torch.randint(0, 10, (64,), generator=gen).to(ctx.device)
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    loss_fn = nn.CrossEntropyLoss()
    losses = []
    for _ in range(20):
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        losses.append(float(loss.item()))
    data["losses"] = [round(v, 5) for v in losses]
    data["loss_first"], data["loss_last"] = losses[0], losses[-1]
    if not all(math.isfinite(v) for v in losses):
        raise Failed("no-learning", "the loss became NaN or infinite: %s" % data["losses"])
    if not losses[-1] < 0.9 * losses[0]:
        raise Failed("no-learning", "the loss did not go down: %.4f -> %.4f" % (losses[0], losses[-1]))


def t_memory(ctx, data):
    torch = ctx.torch
    total, free = memory_info(ctx)
    data["total_bytes"], data["free_bytes"] = total, free
    ask = 256 * MIB if free is None else max(16 * MIB, min(free // 4, 2 * GIB))
    if ctx.kind == "cpu" and free is not None:
        ask = max(16 * MIB, min(free // 8, 512 * MIB))
    ask -= ask % MIB
    data["asked_bytes"] = ask
    before = allocated(ctx)
    block = torch.empty(ask // 4, dtype=torch.float32, device=ctx.device)
    block.fill_(3.0)
    ok = float(block.min()) == 3.0 == float(block.max())  # reductions: no second block-sized temporary
    ctx.sync()
    data["free_during_bytes"] = memory_info(ctx)[1]
    del block
    if ctx.kind == "cuda":
        torch.cuda.empty_cache()
    elif ctx.kind == "mps" and hasattr(torch.mps, "empty_cache"):
        torch.mps.empty_cache()
    after = allocated(ctx)
    data["free_after_bytes"] = memory_info(ctx)[1]
    if not ok:
        raise Failed("mismatch", "a %d MiB block filled with 3.0 did not read back as 3.0" % (ask // MIB))
    if before is not None and after is not None and after > before:
        raise Failed("leak", "%d bytes stayed allocated after the block was freed" % (after - before))


def matmul_throughput(dtype_name):
    def test(ctx, data):
        torch = ctx.torch
        dtype = getattr(torch, dtype_name)
        n = ctx.tsize
        data["size"], data["dtype"] = n, dtype_name
        gen = torch.Generator().manual_seed(SEED)
        a = torch.randn(n, n, generator=gen).to(ctx.device, dtype)
        b = torch.randn(n, n, generator=gen).to(ctx.device, dtype)
        c = torch.empty(n, n, dtype=dtype, device=ctx.device)
        with StrictFp32(torch):  # the figure is strict FP32, comparable with the card's FP32 peak
            per_call = measure(ctx, lambda: torch.mm(a, b, out=c), data)
        data["tflops"] = 2.0 * n**3 / per_call / 1e12
        return "info"

    return test


def t_copy_bandwidth(ctx, data):
    torch = ctx.torch
    free = memory_info(ctx)[1]
    nbytes = {"cuda": 256 * MIB, "mps": 128 * MIB, "cpu": 64 * MIB}[ctx.kind]
    if free is not None:
        nbytes = max(MIB, min(nbytes, (free // 8) - (free // 8) % MIB))
    src = torch.empty(nbytes, dtype=torch.uint8, device=ctx.device).fill_(7)
    dst = torch.empty_like(src)
    per_call = measure(ctx, lambda: dst.copy_(src), data)
    if not bool(torch.equal(dst, src)):
        raise Failed("mismatch", "a copy of %d MiB on the device did not match its source" % (nbytes // MIB))
    data["bytes"] = nbytes
    data["gbps"] = 2.0 * nbytes / per_call / 1e9  # a copy reads and writes each byte, like the peak figure
    return "info"


def device_tests(ctx):
    """The tests in order: the seeds' check first (if it fails, nothing else can work), figures last."""
    tests = [
        ("ones_add", t_ones_add),
        ("matmul_fp32", t_matmul_fp32),
        ("autocast_fp16", autocast_test("float16")),
        ("autocast_bf16", autocast_test("bfloat16")),
        ("conv", t_conv),
        ("train", t_train),
        ("memory", t_memory),
        ("matmul_tflops_fp32", matmul_throughput("float32")),
    ]
    if ctx.kind != "cpu":  # half-precision GEMM on a CPU says nothing about the set-up and is slow
        tests.append(("matmul_tflops_fp16", matmul_throughput("float16")))
    tests.append(("copy_bandwidth", t_copy_bandwidth))
    return tests


_REFERENCES = {}  # float64 CPU results shared by the devices and tests that compare with them


def reference(torch, key, compute):
    if key not in _REFERENCES:
        _REFERENCES[key] = compute()
    return _REFERENCES[key]


def run_device(torch, kind, index, size, tsize):
    ctx = Ctx(torch, kind, index, size, tsize)
    record = {"device": ctx.label, "kind": kind, "name": device_name(torch, kind, index), "tests": []}
    if kind == "cuda":
        record["capability"] = capability(torch, index)
    progress("device", device=ctx.label, name=record["name"])
    guard = torch.cuda.device(index) if kind == "cuda" else None  # events, bf16 checks use the current device
    if guard is not None:
        guard.__enter__()
    try:
        for name, fn in device_tests(ctx):
            if record["tests"] and record["tests"][0]["status"] == "failed":
                # The first test failing means the device cannot run anything: say it once, not ten times.
                record["tests"].append(
                    {
                        "name": name,
                        "status": "skipped",
                        "seconds": 0.0,
                        "data": {"reason": "basic-check-failed"},
                    }
                )
                continue
            record["tests"].append(run_test(ctx, name, fn))
    finally:
        if guard is not None:
            guard.__exit__(None, None, None)
    return record
