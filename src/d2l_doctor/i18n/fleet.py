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
}
