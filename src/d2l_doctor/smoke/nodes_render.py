"""Words for the multi-node smoke test: rank 0's table of every rank, the other ranks' one line, and each
rendezvous failure explained (a rank that never came, nothing listening, a firewall, a wrong MASTER_ADDR,
different torch/NCCL builds on the nodes)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from d2l_doctor.i18n import t
from d2l_doctor.render.columns import rows as columns
from d2l_doctor.smoke.nodes import Launch


def _clean(value: Any) -> str:
    from d2l_doctor.textsafe import visible

    return visible(str(value))


def lines(doc: dict[str, Any], launch: Launch, lang: str, seconds: float) -> Iterator[str]:
    error = doc.get("error")
    if isinstance(error, dict):
        yield t("nodes.failed", lang, rank=launch.rank, world=launch.world)
        yield "  " + explain(error, launch, lang, seconds)
        return
    results = doc.get("results") or []
    if launch.rank != 0:
        yield t("nodes.rank_ok", lang, rank=launch.rank, world=launch.world)
        return
    facts = {f.get("rank"): f for f in doc.get("all_facts") or [] if isinstance(f, dict)}
    first = facts.get(0, {})
    mib = results[0]["bytes"] // (1024 * 1024) if results else 0
    yield t("nodes.title", lang, world=launch.world, launcher=launch.launcher, backend=first.get("backend"), mib=mib)
    names = ("rank", "host", "device", "torch", "nccl", "time", "bandwidth", "result")
    heads = [t(f"nodes.col.{c}", lang) for c in names]
    rows = []
    for r in results:
        f = facts.get(r.get("rank"), {})
        rows.append([
            str(r.get("rank")), _clean(f.get("host") or ""), _clean(f.get("device") or ""),
            _clean(f.get("torch") or ""), _clean(f.get("nccl") or "-"), f"{1000 * float(r['seconds']):.1f}",
            f"{float(r['bus_gbps']):.2f}", t("nodes.ok" if r.get("ok") else "nodes.wrong", lang),
        ])
    yield from columns([heads, *rows])
    bad = [r for r in results if not r.get("ok")]
    if bad:
        yield t("nodes.mismatch", lang, rank=bad[0].get("rank"), got=bad[0].get("got"), expected=bad[0].get("expected"))
    else:
        yield t("nodes.all_ok", lang, world=launch.world)


def explain(error: dict[str, Any], launch: Launch, lang: str, seconds: float) -> str:
    kind = error.get("kind")
    raw = error.get("data")
    data: dict[str, Any] = raw if isinstance(raw, dict) else {}
    message = _clean(error.get("message") or "")
    where = {"addr": _clean(launch.addr or ""), "port": launch.port, "rank": launch.rank}
    if kind == "missing-ranks":
        ranks = ", ".join(str(r) for r in data.get("ranks", []))
        return t("nodes.why.missing", lang, ranks=ranks, seconds=f"{data.get('seconds', seconds):g}", **where)
    if kind == "version-mismatch":
        fields = data.get("fields") or {}
        detail = "; ".join(
            f"{field} " + ", ".join(f"{_clean(v)} ({t('nodes.ranks', lang, ranks=', '.join(map(str, rs)))})"
                                    for v, rs in values.items())
            for field, values in fields.items()
        )
        return t("nodes.why.versions", lang, detail=detail)
    if kind == "rendezvous":
        if data.get("serve"):
            return t("nodes.why.serve", lang, message=message, **where)
        probe = str(data.get("probe") or "")
        key = probe if probe in ("refused", "timeout", "unresolved", "unreachable", "open") else "other"
        return t(f"nodes.why.{key}", lang, message=message, seconds=f"{seconds:g}", **where)
    if kind == "no-verdict":
        return t("nodes.why.no_verdict", lang, seconds=f"{seconds:g}", **where)
    if kind == "no-output":
        return t("nodes.why.no_output", lang, message=message, **where)
    if kind == "no-distributed":
        return t("nodes.why.no_distributed", lang)
    return t("nodes.why.collective", lang, message=message, **where)
