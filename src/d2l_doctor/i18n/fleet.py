"""Words of `fleet run` and `fleet report`: the summary, the groups, the tables, why a machine could not be
checked, and the usage errors (one line each, exit 2)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "fleet.title": {"en": "d2l-doctor fleet report", "zh": "d2l-doctor 多机报告"},
    "fleet.summary": {
        "en": "{machines} machines checked: {healthy} healthy, {problems} with problems; {unreadable} could not "
        "be checked",
        "zh": "已检查 {machines} 台机器：{healthy} 台正常，{problems} 台有问题；{unreadable} 台无法检查",
    },
    "fleet.groups": {"en": "Groups, largest first", "zh": "分组（按机器数从多到少）"},
    "fleet.group.machines": {"en": "{n} machines", "zh": "{n} 台机器"},
    "fleet.group.machine": {"en": "1 machine", "zh": "1 台机器"},
    "fleet.group.healthy": {"en": "healthy", "zh": "正常"},
    "fleet.group.fix": {"en": "fix", "zh": "修复"},
    "fleet.group.no_fix": {
        "en": "no command: see each machine's report",
        "zh": "没有可直接运行的命令：请查看各机器的报告",
    },
    "fleet.group.stack": {"en": "stack", "zh": "环境"},
    "fleet.group.names": {"en": "machines", "zh": "机器"},
    "fleet.python_note": {
        "en": "'python' in a fix stands for the Python environment each machine's report examined.",
        "zh": "修复命令中的 'python' 指各机器报告所检查的 Python 环境。",
    },
    "fleet.stack.driver": {"en": "driver", "zh": "驱动"},
    "fleet.stack.gpu": {"en": "GPU", "zh": "GPU"},
    "fleet.stack.torch": {"en": "torch", "zh": "torch"},
    "fleet.stack.python": {"en": "Python", "zh": "Python"},
    "fleet.stack.os": {"en": "OS", "zh": "操作系统"},
    "fleet.unknown": {"en": "not known", "zh": "未知"},
    "fleet.none": {"en": "none", "zh": "无"},
    "fleet.counts": {"en": "Findings (machines with each)", "zh": "问题统计（出现该问题的机器数）"},
    "fleet.machines": {"en": "Machines", "zh": "机器列表"},
    "fleet.col.name": {"en": "machine", "zh": "机器"},
    "fleet.col.status": {"en": "status", "zh": "状态"},
    "fleet.col.findings": {"en": "findings", "zh": "问题"},
    "fleet.col.count": {"en": "machines", "zh": "机器数"},
    "fleet.col.finding": {"en": "finding", "zh": "问题"},
    "fleet.col.severity": {"en": "severity", "zh": "严重程度"},
    "fleet.col.why": {"en": "why", "zh": "原因"},
    "fleet.status.ok": {"en": "healthy", "zh": "正常"},
    "fleet.status.problem": {"en": "problems", "zh": "有问题"},
    "fleet.status.unchecked": {"en": "not checked", "zh": "未检查"},
    "fleet.no_findings": {"en": "none", "zh": "无"},
    "fleet.unreadable": {"en": "Could not be checked", "zh": "无法检查的机器"},
    "fleet.severity.error": {"en": "error", "zh": "错误"},
    "fleet.severity.crash": {"en": "crash", "zh": "检查崩溃"},
    "fleet.severity.warning": {"en": "warning", "zh": "警告"},
    "fleet.severity.info": {"en": "info", "zh": "提示"},
    "fleet.html.filter": {"en": "Filter machines…", "zh": "筛选机器…"},
    "fleet.html.show": {"en": "show", "zh": "显示"},
    "fleet.html.all": {"en": "all", "zh": "全部"},
    "fleet.html.sort": {"en": "Click a column to sort.", "zh": "点击列标题排序。"},
    # fleet run
    "fleet.run.done": {
        "en": "{written} reports in {out}: {checked} machines checked, {failed} could not be checked",
        "zh": "{out} 中有 {written} 份报告：{checked} 台机器已检查，{failed} 台无法检查",
    },
    "fleet.run.next": {"en": "Next: d2l-doctor fleet report {out}", "zh": "下一步：d2l-doctor fleet report {out}"},
    "fleet.why.timeout": {"en": "timed out after {seconds} s", "zh": "{seconds} 秒后超时"},
    "fleet.why.no_report": {
        "en": "the node printed no report (exit code {rc}){stderr}",
        "zh": "该节点没有输出报告（退出码 {rc}）{stderr}",
    },
    "fleet.why.unreachable": {"en": "unreachable: {message}", "zh": "无法连接：{message}"},
    "fleet.why.failed": {"en": "the check did not run: {message}", "zh": "检查未能运行：{message}"},
    "fleet.why.engine_failed": {
        "en": "{engine} failed before this machine reported (exit code {rc}){stderr}",
        "zh": "{engine} 在该机器报告前失败（退出码 {rc}）{stderr}",
    },
    # usage errors
    "fleet.usage.no_paths": {
        "en": "fleet report needs at least one report file or folder",
        "zh": "fleet report 至少需要一个报告文件或文件夹",
    },
    "fleet.usage.missing": {"en": "no such file or folder: {path}", "zh": "没有这个文件或文件夹：{path}"},
    "fleet.usage.empty": {"en": "no report files in {paths}", "zh": "{paths} 中没有报告文件"},
    "fleet.usage.formats": {
        "en": "choose one of --json, --markdown and --html",
        "zh": "--json、--markdown 和 --html 只能选一个",
    },
    "fleet.usage.engine": {
        "en": "fleet run needs exactly one of --slurm and --ansible INVENTORY",
        "zh": "fleet run 需要且只能指定 --slurm 或 --ansible INVENTORY 之一",
    },
    "fleet.usage.srun_args": {
        "en": "arguments after -- are passed to srun: only with --slurm",
        "zh": "-- 之后的参数会传给 srun：只能与 --slurm 一起使用",
    },
    "fleet.usage.limit": {"en": "--limit goes with --ansible", "zh": "--limit 只能与 --ansible 一起使用"},
    "fleet.usage.inventory": {"en": "no such inventory: {path}", "zh": "没有这个清单文件：{path}"},
    "fleet.usage.out": {"en": "--out {path} is a file, not a folder", "zh": "--out {path} 是文件，不是文件夹"},
    "fleet.usage.engine_missing": {
        "en": "{program} is not installed or not on PATH",
        "zh": "未安装 {program}，或它不在 PATH 中",
    },
    "fleet.usage.html_out": {"en": "cannot write {path}: {reason}", "zh": "无法写入 {path}：{reason}"},
    # smoke-gpu across nodes (torchrun / srun)
    "nodes.title": {
        "en": "smoke-gpu across {world} ranks ({launcher}, {backend}): all-reduce of {mib} MiB per rank",
        "zh": "smoke-gpu 跨 {world} 个进程（{launcher}，{backend}）：每个进程 all-reduce {mib} MiB",
    },
    "nodes.col.rank": {"en": "rank", "zh": "进程"},
    "nodes.col.host": {"en": "host", "zh": "主机"},
    "nodes.col.device": {"en": "device", "zh": "设备"},
    "nodes.col.torch": {"en": "torch", "zh": "torch"},
    "nodes.col.nccl": {"en": "NCCL", "zh": "NCCL"},
    "nodes.col.time": {"en": "time (ms)", "zh": "耗时（毫秒）"},
    "nodes.col.bandwidth": {"en": "bus GB/s", "zh": "总线带宽 GB/s"},
    "nodes.col.result": {"en": "result", "zh": "结果"},
    "nodes.ok": {"en": "ok", "zh": "正确"},
    "nodes.wrong": {"en": "WRONG", "zh": "错误"},
    "nodes.ranks": {"en": "ranks {ranks}", "zh": "进程 {ranks}"},
    "nodes.all_ok": {
        "en": "All {world} ranks joined and the all-reduce gave the right sum on every one.",
        "zh": "全部 {world} 个进程均已加入，all-reduce 在每个进程上的结果都正确。",
    },
    "nodes.mismatch": {
        "en": "rank {rank} got {got} instead of {expected}: the collective returned a wrong sum",
        "zh": "进程 {rank} 得到 {got}，应为 {expected}：集合通信的结果错误",
    },
    "nodes.rank_ok": {
        "en": "rank {rank} of {world}: all-reduce ok (rank 0 prints the table)",
        "zh": "进程 {rank}/{world}：all-reduce 正常（表格由进程 0 打印）",
    },
    "nodes.failed": {
        "en": "rank {rank} of {world}: the multi-node smoke test failed",
        "zh": "进程 {rank}/{world}：多节点冒烟测试失败",
    },
    "nodes.why.missing": {
        "en": "rank {ranks} never joined within {seconds} s. Each rank checks in at {addr}:{port}; a missing rank's "
        "node did not start it (see that node's launcher log), cannot reach {addr}:{port} (a firewall, or a "
        "MASTER_ADDR that is not rank 0's address on that network), or was started with another world size.",
        "zh": "进程 {ranks} 在 {seconds} 秒内没有加入。每个进程都在 {addr}:{port} 报到；缺少的进程要么没有在其节点上"
        "启动（查看该节点启动器的日志），要么连不上 {addr}:{port}（防火墙，"
        "或 MASTER_ADDR 不是进程 0 在该网络上的地址），"
        "要么启动时的进程总数不同。",
    },
    "nodes.why.versions": {
        "en": "the ranks run different builds, which hang or crash a collective instead of failing: {detail}. "
        "Install the same torch build (and NCCL) on every node.",
        "zh": "各进程使用的版本不同，这会让集合通信卡住或崩溃而不是报错：{detail}。请在每个节点上安装相同的 torch"
        "（及 NCCL）版本。",
    },
    "nodes.why.refused": {
        "en": "rank {rank} could not reach the rendezvous at {addr}:{port}: the connection was refused, so nothing "
        "listens there. Rank 0 has not started (or has already failed), or MASTER_ADDR/MASTER_PORT do not point "
        "at rank 0's machine.",
        "zh": "进程 {rank} 连不上 {addr}:{port} 的集合点：连接被拒绝，"
        "说明那里没有程序在监听。进程 0 尚未启动（或已失败），"
        "或 MASTER_ADDR/MASTER_PORT 没有指向进程 0 所在的机器。",
    },
    "nodes.why.timeout": {
        "en": "rank {rank} got no answer from {addr}:{port} within {seconds} s: a firewall drops the packets "
        "(open that port on rank 0's machine), or MASTER_ADDR is an address nobody answers on.",
        "zh": "进程 {rank} 在 {seconds} 秒内没有收到 {addr}:{port} 的应答："
        "防火墙丢弃了数据包（请在进程 0 的机器上开放该端口），"
        "或 MASTER_ADDR 是一个无人应答的地址。",
    },
    "nodes.why.unresolved": {
        "en": "rank {rank}: MASTER_ADDR {addr} does not resolve on this node; use an IP address, or a host name "
        "every node can resolve (port {port}).",
        "zh": "进程 {rank}：本节点无法解析 MASTER_ADDR {addr}；"
        "请使用 IP 地址，或每个节点都能解析的主机名（端口 {port}）。",
    },
    "nodes.why.unreachable": {
        "en": "rank {rank}: {addr} is unreachable from this node (no route), so MASTER_ADDR is wrong or the nodes "
        "are on different networks (port {port}).",
        "zh": "进程 {rank}：本节点无法到达 {addr}（没有路由），MASTER_ADDR 有误，"
        "或各节点不在同一网络（端口 {port}）。",
    },
    "nodes.why.open": {
        "en": "rank {rank}: {addr}:{port} answers, but the rendezvous failed ({message}); another program may "
        "hold that port, or the ranks were given different MASTER_PORT values.",
        "zh": "进程 {rank}：{addr}:{port} 有应答，但集合失败（{message}）；该端口可能被其他程序占用，或各进程的 "
        "MASTER_PORT 不同。",
    },
    "nodes.why.other": {
        "en": "rank {rank} could not join the rendezvous at {addr}:{port}: {message}",
        "zh": "进程 {rank} 无法加入 {addr}:{port} 的集合点：{message}",
    },
    "nodes.why.serve": {
        "en": "rank {rank} could not serve the rendezvous on port {port} ({message}): the port is in use on "
        "{addr}; choose another MASTER_PORT.",
        "zh": "进程 {rank} 无法在端口 {port} 上提供集合点（{message}）"
        "：{addr} 上该端口已被占用；请换一个 MASTER_PORT。",
    },
    "nodes.why.no_verdict": {
        "en": "rank {rank} joined at {addr}:{port}, but rank 0 gave no verdict within {seconds} s: rank 0 failed "
        "or was stopped; see its output.",
        "zh": "进程 {rank} 已在 {addr}:{port} 报到，但进程 0 在 {seconds} 秒内没有给出结论：进程 0 失败或被终止，"
        "请查看它的输出。",
    },
    "nodes.why.no_output": {
        "en": "rank {rank}: the smoke test printed no result ({message}); rendezvous at {addr}:{port}.",
        "zh": "进程 {rank}：冒烟测试没有输出结果（{message}）；集合点 {addr}:{port}。",
    },
    "nodes.why.no_distributed": {
        "en": "this torch was built without torch.distributed: install a build with it (the PyPI wheels have it).",
        "zh": "此 torch 构建不含 torch.distributed：请安装包含它的版本（PyPI 的 wheel 都包含）。",
    },
    "nodes.why.collective": {
        "en": "rank {rank}: the all-reduce failed after the rendezvous at {addr}:{port}: {message}. The ranks also "
        "connect to each other directly on other ports: a firewall between the nodes, or the wrong network "
        "interface (set GLOO_SOCKET_IFNAME or NCCL_SOCKET_IFNAME).",
        "zh": "进程 {rank}：在 {addr}:{port} 集合之后 all-reduce 失败：{message}。各进程之间还会在其他端口直接相连："
        "可能是节点之间的防火墙，或网卡选错了（设置 GLOO_SOCKET_IFNAME 或 NCCL_SOCKET_IFNAME）。",
    },
    "nodes.usage.master": {
        "en": "smoke-gpu was started by {launcher} as one of {world} ranks, but MASTER_ADDR and MASTER_PORT are not "
        "set: export rank 0's node address and a free port before starting the ranks",
        "zh": "smoke-gpu 由 {launcher} 作为 {world} 个进程之一启动，但没有设置 MASTER_ADDR 和 MASTER_PORT："
        "请在启动各进程前导出进程 0 所在节点的地址和一个空闲端口",
    },
}
