"""smoke-gpu across nodes: one rank of a job started by torchrun (or srun, or by hand with RANK/WORLD_SIZE),
run INSIDE the target interpreter. Standard library + torch, Python 3.6 syntax; prints one JSON object.

Each rank first checks in at MASTER_ADDR:MASTER_PORT through torch's TCPStore with its own facts (host, torch,
NCCL, Python). Rank 0 waits for every rank and compares the facts before any collective starts: a rank that
never comes and mismatched torch/NCCL builds (which hang or crash a collective instead of failing) are named
there. Then the process group (NCCL on GPUs, gloo on CPUs) runs a timed all-reduce, and every rank leaves its
result in the store for rank 0's table.

Usage: python smoke_nodes.py --rank R --world W --addr A --port P --local-rank L --timeout S
       [--agent-store] [--run-id ID] [--mib N]
"""

import argparse
import datetime
import json
import os
import platform
import socket
import sys
import time

PREFIX = "d2l-doctor/smoke-nodes/"


def protect_stdout():
    """Point fd 1 at stderr so NCCL/gloo chatter cannot corrupt the JSON; return a file on the real stdout."""
    sys.stdout.flush()
    real = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(real, "w")


class Stop(Exception):
    """A failure with a kind the doctor explains (rendezvous, missing-ranks, version-mismatch…)."""

    def __init__(self, kind, message, data=None):
        Exception.__init__(self, message)
        self.kind = kind
        self.data = data or {}


def facts_of(torch, rank, local_rank, backend, device):
    facts = {
        "rank": rank,
        "host": socket.gethostname(),
        "python": platform.python_version(),
        "torch": getattr(torch, "__version__", None),
        "cuda": getattr(torch.version, "cuda", None),
        "backend": backend,
        "device": str(device),
        "nccl": None,
    }
    if backend == "nccl":
        try:
            version = torch.cuda.nccl.version()
            facts["nccl"] = ".".join(str(v) for v in version) if isinstance(version, tuple) else str(version)
        except Exception:
            pass
    return facts


def version_mismatch(all_facts):
    """The fields whose values differ between ranks: {field: {value: [ranks]}} (torch, CUDA, NCCL, backend)."""
    out = {}
    for field in ("torch", "cuda", "nccl", "backend"):
        seen = {}
        for facts in all_facts:
            seen.setdefault(str(facts.get(field)), []).append(facts["rank"])
        if len(seen) > 1:
            out[field] = seen
    return out


def connect(torch, args):
    """The TCPStore at MASTER_ADDR:MASTER_PORT; rank 0 serves it unless torchrun's agent already does."""
    from torch.distributed import TCPStore

    timeout = datetime.timedelta(seconds=args.timeout)
    serve = args.rank == 0 and not args.agent_store
    try:
        return TCPStore(args.addr, args.port, None, serve, timeout)
    except Exception as exc:  # refused, timed out, a name that does not resolve, a port in use
        data = {"addr": args.addr, "port": args.port, "serve": serve}
        if not serve:
            data["probe"] = probe(args.addr, args.port)
        raise Stop("rendezvous", first_line(str(exc) or exc.__class__.__name__), data) from None


def first_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0][:1000] if lines else text


def probe(addr, port, seconds=3.0):
    """What a plain TCP connection to the rendezvous address meets: open, refused (nothing listens there),
    timeout (packets dropped: a firewall, or an address nobody answers), unreachable, or unresolved."""
    import errno

    try:
        infos = socket.getaddrinfo(addr, port, 0, socket.SOCK_STREAM)
    except socket.gaierror:
        return "unresolved"
    family, kind, proto, _, where = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.settimeout(seconds)
    try:
        sock.connect(where)
        return "open"
    except socket.timeout:
        return "timeout"
    except OSError as exc:
        if exc.errno == errno.ECONNREFUSED:
            return "refused"
        if exc.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
            return "unreachable"
        return "error: %s" % exc
    finally:
        sock.close()


def wait_keys(store, keys, seconds):
    """The keys that did not appear within seconds (the store's own wait raises on the first timeout)."""
    deadline = time.time() + seconds
    missing = list(keys)
    while missing and time.time() < deadline:
        missing = [k for k in missing if not store.check([k])]
        if missing:
            time.sleep(0.2)
    return missing


def check_in(store, args, facts):
    base = PREFIX + args.run_id + "/"
    store.set(base + "facts/%d" % args.rank, json.dumps(facts))
    if args.rank == 0:
        keys = [base + "facts/%d" % r for r in range(args.world)]
        missing = wait_keys(store, keys, args.timeout)
        if missing:
            ranks = sorted(int(k.rsplit("/", 1)[1]) for k in missing)
            verdict = {"kind": "missing-ranks", "ranks": ranks, "seconds": args.timeout}
        else:
            all_facts = [json.loads(store.get(k).decode("utf-8")) for k in keys]
            mismatch = version_mismatch(all_facts)
            verdict = {"kind": "version-mismatch", "fields": mismatch} if mismatch else {"kind": "go"}
            verdict["facts"] = all_facts
        store.set(base + "verdict", json.dumps(verdict))
        if verdict["kind"] != "go":
            # The store lives in this process, which stops now: the ranks that came read the verdict first (each
            # says so), or they would report the store's end instead of the reason.
            came = [r for r in range(1, args.world) if base + "facts/%d" % r not in missing]
            wait_keys(store, [base + "seen/%d" % r for r in came], 5)
    else:
        if wait_keys(store, [base + "verdict"], args.timeout + 5):
            raise Stop("no-verdict", "rank 0 gave no verdict within %d s" % args.timeout, {"seconds": args.timeout})
        verdict = json.loads(store.get(base + "verdict").decode("utf-8"))
        store.set(base + "seen/%d" % args.rank, "1")
    if verdict["kind"] == "missing-ranks":
        raise Stop("missing-ranks", "ranks %s never joined" % verdict["ranks"], verdict)
    if verdict["kind"] == "version-mismatch":
        raise Stop("version-mismatch", "the ranks run different builds", verdict)
    return verdict.get("facts")


def allreduce(torch, dist, store, args, backend, device):
    from torch.distributed import PrefixStore

    base = PREFIX + args.run_id + "/"
    dist.init_process_group(
        backend,
        store=PrefixStore(base + "pg", store),
        rank=args.rank,
        world_size=args.world,
        timeout=datetime.timedelta(seconds=args.timeout),
    )
    try:
        warm = torch.ones(1, device=device)
        dist.all_reduce(warm)  # builds the communicator: kept out of the timing
        n = args.mib * 1024 * 1024 // 4
        x = torch.full((n,), float(args.rank + 1), device=device)
        rounds = 3
        best = None
        for _ in range(rounds):
            x.fill_(float(args.rank + 1))
            if device.type == "cuda":
                torch.cuda.synchronize(device)
            dist.barrier()
            start = time.perf_counter()
            dist.all_reduce(x)
            if device.type == "cuda":
                torch.cuda.synchronize(device)
            took = time.perf_counter() - start
            best = took if best is None else min(best, took)
        expected = args.world * (args.world + 1) / 2.0
        ok = bool((x == expected).all())
        result = {
            "rank": args.rank,
            "ok": ok,
            "got": float(x[0].item()),
            "expected": expected,
            "seconds": best,
            "bytes": 4 * n,
            # NCCL's "bus bandwidth": what each rank's link carried, comparable across world sizes
            "bus_gbps": 4.0 * n / best / 1e9 * 2.0 * (args.world - 1) / args.world,
        }
        store.set(base + "result/%d" % args.rank, json.dumps(result))
        dist.barrier()
    finally:
        dist.destroy_process_group()
    if args.rank != 0:
        return [result]
    keys = [base + "result/%d" % r for r in range(args.world)]
    missing = wait_keys(store, keys, 10)
    results = [json.loads(store.get(k).decode("utf-8")) for k in keys if k not in missing]
    return results


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--rank", type=int, required=True)
    parser.add_argument("--world", type=int, required=True)
    parser.add_argument("--local-rank", type=int, default=0)
    parser.add_argument("--addr", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--agent-store", action="store_true")
    parser.add_argument("--run-id", default="default")
    parser.add_argument("--mib", type=int, default=0)
    args = parser.parse_args(argv)
    out = protect_stdout()
    doc = {"payload": "smoke-nodes", "rank": args.rank, "world": args.world, "ok": False}
    try:
        import torch
        import torch.distributed as dist

        if not dist.is_available():
            raise Stop("no-distributed", "this torch was built without torch.distributed")
        cuda = torch.cuda.is_available()
        device = torch.device("cuda", args.local_rank) if cuda else torch.device("cpu")
        if cuda:
            torch.cuda.set_device(device)
        backend = "nccl" if cuda and dist.is_nccl_available() else "gloo"
        if args.mib <= 0:
            args.mib = 64 if cuda else 16
        facts = facts_of(torch, args.rank, args.local_rank, backend, device)
        doc["facts"] = facts
        store = connect(torch, args)
        doc["all_facts"] = check_in(store, args, facts)
        doc["results"] = allreduce(torch, dist, store, args, backend, device)
        doc["ok"] = all(r.get("ok") for r in doc["results"]) and len(doc["results"]) >= (
            args.world if args.rank == 0 else 1
        )
    except Stop as exc:
        doc["error"] = {"kind": exc.kind, "message": str(exc), "data": exc.data}
    except Exception as exc:
        doc["error"] = {"kind": "exception", "type": exc.__class__.__name__, "message": first_line(str(exc))}
    out.write(json.dumps(doc) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
