"""smoke-gpu payload: across devices, peer-to-peer copies and an all-reduce through torch.distributed.

The all-reduce runs in spawned processes (NCCL on GPUs, gloo on the CPU), bootstrapped over loopback on a free
port. Python 3.6 syntax, stdlib + torch.
"""

import os
import socket
import time

from smoke_common import MIB, Ctx, Failed, Skipped, error_of, measure, run_test


def run_p2p(torch, src, dst):
    class PairCtx(Ctx):
        def sync(self):
            torch.cuda.synchronize(src)
            torch.cuda.synchronize(dst)

    ctx = PairCtx(torch, "cpu", 0, 0, 0)
    ctx.label = "multi"

    def test(ctx, data):
        data["peer_access"] = bool(torch.cuda.can_device_access_peer(src, dst))
        n = 16 * MIB  # int32 elements: 64 MiB
        a = torch.arange(n, dtype=torch.int32, device="cuda:%d" % src) % 251
        b = torch.empty(n, dtype=torch.int32, device="cuda:%d" % dst)
        ctx.sync()
        b.copy_(a)
        ctx.sync()
        if not bool(torch.equal(b, torch.arange(n, dtype=torch.int32, device="cuda:%d" % dst) % 251)):
            raise Failed("mismatch", "the copy from cuda:%d to cuda:%d did not match its source" % (src, dst))
        per_call = measure(ctx, lambda: b.copy_(a), data, budget=0.1)
        data["bytes"] = 4 * n
        data["gbps"] = 4.0 * n / per_call / 1e9  # one direction across the link
        return "info"

    return run_test(ctx, "p2p cuda:%d->cuda:%d" % (src, dst), test)


def allreduce_worker(rank, world, kind, init_method, timeout_s, queue):
    """One rank of the all-reduce (spawned: must be a top-level function of this file)."""
    try:
        import datetime

        import torch
        import torch.distributed as dist

        backend = "gloo"
        device = torch.device("cpu")
        if kind == "cuda":
            torch.cuda.set_device(rank)
            device = torch.device("cuda", rank)
            backend = "nccl" if dist.is_nccl_available() else "gloo"
        dist.init_process_group(
            backend,
            init_method=init_method,
            rank=rank,
            world_size=world,
            timeout=datetime.timedelta(seconds=timeout_s),
        )
        warm = torch.ones(1, device=device)
        dist.all_reduce(warm)  # the first call builds the communicator: keep it out of the timing
        n = (8 if kind == "cuda" else 1) * MIB  # float32 elements
        x = torch.full((n,), float(rank + 1), device=device)
        if kind == "cuda":
            torch.cuda.synchronize(device)
        dist.barrier(device_ids=[rank]) if backend == "nccl" else dist.barrier()
        t0 = time.perf_counter()
        dist.all_reduce(x)
        if kind == "cuda":
            torch.cuda.synchronize(device)
        seconds = time.perf_counter() - t0
        expected = world * (world + 1) / 2.0
        ok = bool((x == expected).all())
        got = float(x[0].item())
        dist.destroy_process_group()
        queue.put(
            {
                "rank": rank,
                "ok": ok,
                "got": got,
                "expected": expected,
                "seconds": seconds,
                "bytes": 4 * n,
                "backend": backend,
            }
        )
    except Exception as exc:
        queue.put({"rank": rank, "error": error_of(exc)})


def run_allreduce(torch, kind, world, timeout_s):
    ctx = Ctx(torch, "cpu", 0, 0, 0)
    ctx.label = "multi"

    def test(ctx, data):
        import multiprocessing

        dist = getattr(torch, "distributed", None)
        if dist is None or not dist.is_available():
            raise Skipped("no-distributed")
        if kind == "cuda" and world > torch.cuda.device_count():
            raise Failed(
                "world-size",
                "--world-size %d needs %d CUDA devices; torch sees %d"
                % (world, world, torch.cuda.device_count()),
            )
        loopback_only()
        data["world_size"] = world
        data["backend"] = ("nccl" if dist.is_nccl_available() else "gloo") if kind == "cuda" else "gloo"
        mp = multiprocessing.get_context("spawn")
        queue = mp.Queue()
        init = "tcp://127.0.0.1:%d" % free_port()
        procs = [
            mp.Process(target=allreduce_worker, args=(r, world, kind, init, timeout_s, queue))
            for r in range(world)
        ]
        for p in procs:
            p.start()
        results = collect(queue, procs, world, timeout_s + 30)
        for p in procs:
            stop(p)
        data["ranks"] = results
        crashed = [p.exitcode for p in procs if p.exitcode is not None and p.exitcode < 0]
        errors = [r for r in results if "error" in r]
        if errors:
            first = errors[0]
            raise Failed(first["error"]["kind"], "rank %d: %s" % (first["rank"], first["error"]["message"]))
        if len(results) < world:
            if crashed:
                raise Failed("crash", "an all-reduce rank died with signal %d" % -crashed[0])
            raise Failed("timeout", "the all-reduce did not finish in %d s" % (timeout_s + 30))
        wrong = [r for r in results if not r["ok"]]
        if wrong:
            raise Failed(
                "mismatch",
                "rank %d got %s instead of %s" % (wrong[0]["rank"], wrong[0]["got"], wrong[0]["expected"]),
            )
        slowest = max(r["seconds"] for r in results)
        data["seconds"] = slowest
        # NCCL's "bus bandwidth": what each link carried, comparable across world sizes.
        data["bus_gbps"] = results[0]["bytes"] / slowest / 1e9 * 2.0 * (world - 1) / world
        return None

    return run_test(ctx, "allreduce", test)


def collect(queue, procs, world, timeout_s):
    """Results from the ranks until all answered, all died, or the deadline passed."""
    import queue as queue_mod

    results = []
    deadline = time.time() + timeout_s
    while len(results) < world and time.time() < deadline:
        try:
            results.append(queue.get(timeout=0.5))
        except queue_mod.Empty:
            if not any(p.is_alive() for p in procs):
                try:  # a last result may have raced with the process exit
                    results.append(queue.get(timeout=1.0))
                except queue_mod.Empty:
                    break
    return sorted(results, key=lambda r: r["rank"])


def stop(proc):
    proc.join(5)
    if proc.is_alive():
        proc.terminate()
        proc.join(5)
    if proc.is_alive() and hasattr(proc, "kill"):
        proc.kill()
        proc.join(5)


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def loopback_only():
    """Bootstrap gloo/NCCL on the loopback interface (offline machines, no firewall prompt), unless set."""
    if not hasattr(socket, "if_nameindex"):
        return
    try:
        names = [name for _, name in socket.if_nameindex()]
    except OSError:
        return
    lo = next((n for n in names if n in ("lo", "lo0")), None)
    if lo:
        os.environ.setdefault("GLOO_SOCKET_IFNAME", lo)
        os.environ.setdefault("NCCL_SOCKET_IFNAME", lo)
