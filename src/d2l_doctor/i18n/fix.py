"""Messages of `d2l-doctor fix`: the plan, the mirrors, applying, undoing (str.format templates)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- the plan ---------------------------------------------------------------------------------
    "fix.plan.title": {
        "en": "Plan for {python} (mirror: {mirror}, shell: {shell})",
        "zh": "修复计划：{python}（镜像：{mirror}，命令行：{shell}）",
    },
    "fix.plan.empty": {
        "en": "Nothing to fix: no finding asks for a change.",
        "zh": "无需修复：没有需要改动的问题。",
    },
    "fix.plan.fixes": {"en": "fixes: {ids}", "zh": "修复：{ids}"},
    "fix.plan.optional": {"en": "optional", "zh": "可选"},
    "fix.plan.optional_header": {
        "en": "Optional: point conda's channels at the mirror (you may skip these):",
        "zh": "可选：把 conda 的频道指向该镜像（可以跳过）：",
    },
    "fix.plan.manual_header": {
        "en": "Do these yourself (d2l-doctor cannot do them for you):",
        "zh": "以下步骤需要你亲自完成（d2l-doctor 无法代劳）：",
    },
    "fix.plan.manual_default": {"en": "See", "zh": "参见"},
    "fix.plan.how_to_apply": {
        "en": "Nothing has been changed. Run the same command with --apply to carry out this plan "
        "(a snapshot is saved first; `d2l-doctor fix --undo` goes back).",
        "zh": "尚未做任何改动。加上 --apply 重新运行即可执行此计划（执行前会先保存快照；"
        "`d2l-doctor fix --undo` 可以撤销）。",
    },
    # --- mirrors ----------------------------------------------------------------------------------
    "fix.mirror.unknown": {
        "en": "unknown --mirror {name!r}: use one of {names}, or an https://…/simple URL",
        "zh": "未知的 --mirror {name!r}：请使用 {names} 之一，或一个 https://…/simple 地址",
    },
    "fix.mirror.bad_url": {
        "en": "--mirror {url!r} is not a package index URL (expected https://host/…/simple); "
        "known names: {names}",
        "zh": "--mirror {url!r} 不是软件包索引地址（应为 https://主机/…/simple）；已知镜像：{names}",
    },
    "fix.mirror.http_remote": {
        "en": "--mirror {url!r}: plain http is allowed only for this machine (127.0.0.1, ::1, localhost); "
        "use https; known names: {names}",
        "zh": "--mirror {url!r}：只有本机地址（127.0.0.1、::1、localhost）可以用 http，请改用 https；"
        "已知镜像：{names}",
    },
    "fix.mirror.timings_title": {"en": "Mirror response times", "zh": "镜像响应时间"},
    "fix.mirror.col_name": {"en": "mirror", "zh": "镜像"},
    "fix.mirror.col_time": {"en": "time", "zh": "耗时"},
    "fix.mirror.col_result": {"en": "result", "zh": "结果"},
    "fix.mirror.failed": {"en": "failed: {error}", "zh": "失败：{error}"},
    "fix.mirror.redirected": {"en": "redirected to {url}", "zh": "重定向到 {url}"},
    "fix.mirror.auto_chosen": {"en": "Fastest mirror: {name}", "zh": "最快的镜像：{name}"},
    "fix.mirror.auto_none": {
        "en": "No mirror answered: using your own pip configuration ({name}).",
        "zh": "没有镜像响应：使用你自己的 pip 配置（{name}）。",
    },
    # --- applying ---------------------------------------------------------------------------------
    "fix.apply.confirm": {"en": "Run these {n} step(s) now?", "zh": "现在执行这 {n} 个步骤吗？"},
    "fix.apply.confirm_optional": {
        "en": "Also run the {n} optional step(s) that set conda's channels to the mirror?",
        "zh": "同时执行 {n} 个可选步骤，把 conda 频道设为该镜像吗？",
    },
    "fix.apply.yes_no": {"en": "[y/N]", "zh": "[y/N]"},
    "fix.apply.no_tty": {
        "en": "{option} needs confirmation and there is no terminal to ask on: add --yes to go ahead",
        "zh": "{option} 需要确认，但当前没有可交互的终端：请加上 --yes 继续",
    },
    "fix.apply.declined": {"en": "Nothing was changed.", "zh": "没有做任何改动。"},
    "fix.apply.nothing": {
        "en": "There is nothing that d2l-doctor can run for you.",
        "zh": "没有 d2l-doctor 可以替你执行的步骤。",
    },
    "fix.apply.snapshot_saved": {
        "en": "Saved the environment as it is now: {path}",
        "zh": "已保存当前环境的快照：{path}",
    },
    "fix.apply.snapshot_failed": {
        "en": "Could not save a snapshot of the environment, so nothing was changed: {error}",
        "zh": "无法保存环境快照，因此没有做任何改动：{error}",
    },
    "fix.apply.running": {"en": "Applying the plan", "zh": "正在执行计划"},
    "fix.apply.step_ok": {"en": "done in {seconds} s", "zh": "完成，用时 {seconds} 秒"},
    "fix.apply.step_failed": {
        "en": "FAILED after {seconds} s (exit status {code})",
        "zh": "失败，用时 {seconds} 秒（退出状态 {code}）",
    },
    "fix.apply.downloaded": {"en": "downloaded {percent}%", "zh": "已下载 {percent}%"},
    "fix.apply.timed_out": {"en": "timed out", "zh": "超时"},
    # --- before -> after ---------------------------------------------------------------------
    "fix.after.title": {
        "en": "Checked again: problems {before} {arrow} {after}",
        "zh": "重新检查：问题数 {before} {arrow} {after}",
    },
    "fix.after.gone": {"en": "fixed: {id}", "zh": "已修复：{id}"},
    "fix.after.remains": {"en": "still there: {id} ({severity})", "zh": "仍然存在：{id}（{severity}）"},
    "fix.after.new": {"en": "new: {id} ({severity})", "zh": "新出现：{id}（{severity}）"},
    "fix.after.healthy": {
        "en": "The plan worked: no error remains.",
        "zh": "计划奏效：没有剩余的错误。",
    },
    "fix.after.still_broken": {
        "en": "Still broken ({ids}). Run `d2l-doctor check` for details, "
        "or `d2l-doctor fix --undo` to go back.",
        "zh": "仍有问题（{ids}）。运行 `d2l-doctor check` 查看详情，或用 `d2l-doctor fix --undo` 恢复。",
    },
    # --- undo -------------------------------------------------------------------------------------
    "fix.undo.title": {
        "en": "Undo: back to snapshot {id} ({created}) of {python}",
        "zh": "撤销：恢复到 {python} 的快照 {id}（{created}）",
    },
    "fix.undo.none": {
        "en": "No snapshot to go back to (snapshots live in {where}).",
        "zh": "没有可以恢复的快照（快照保存在 {where}）。",
    },
    "fix.undo.python_gone": {
        "en": "snapshot {id} is for {python}, which no longer exists",
        "zh": "快照 {id} 对应的 {python} 已不存在",
    },
    "fix.undo.condarc": {
        "en": "restore {path} as it was",
        "zh": "把 {path} 恢复原样",
    },
    "fix.undo.skipped": {
        "en": "cannot restore an editable install, left as it is: {line}",
        "zh": "无法恢复可编辑安装，保持原样：{line}",
    },
    "fix.undo.nothing": {
        "en": "The environment already matches the snapshot.",
        "zh": "环境已经与快照一致。",
    },
    "fix.undo.confirm": {"en": "Restore the environment now?", "zh": "现在恢复环境吗？"},
    "fix.undo.restored": {
        "en": "Restored: the {n} packages are exactly as they were.",
        "zh": "已恢复：{n} 个软件包与之前完全一致。",
    },
    "fix.undo.differs": {
        "en": "The environment still differs from the snapshot (- missing, + extra):",
        "zh": "环境仍与快照不同（- 缺少，+ 多出）：",
    },
    "fix.undo.list_title": {"en": "Saved snapshots (newest first)", "zh": "已保存的快照（最新的在前）"},
    "fix.undo.list_python": {
        "en": "python: {python}; mirror: {mirror}",
        "zh": "解释器：{python}；镜像：{mirror}",
    },
    "fix.undo.list_findings": {"en": "problems it was taken for: {ids}", "zh": "针对的问题：{ids}"},
    "fix.undo.state_active": {"en": "can be undone", "zh": "可撤销"},
    "fix.undo.state_undone": {"en": "undone {when}", "zh": "已于 {when} 撤销"},
    # --- usage errors -----------------------------------------------------------------------------
    "fix.error.list_needs_undo": {
        "en": "--list goes with --undo: d2l-doctor fix --undo --list",
        "zh": "--list 需要与 --undo 一起使用：d2l-doctor fix --undo --list",
    },
    "fix.error.undo_and_apply": {
        "en": "--undo and --apply cannot be used together: choose one",
        "zh": "--undo 与 --apply 不能同时使用：请选择其一",
    },
    "fix.error.undo_report": {
        "en": "--undo cannot use --from-report: it restores this machine's own snapshot, not a report's",
        "zh": "--undo 不能与 --from-report 一起使用：它恢复的是本机保存的快照，而不是报告",
    },
    "fix.error.state_unwritable": {
        "en": "cannot write d2l-doctor's state folder {where}: {error}",
        "zh": "无法写入 d2l-doctor 的状态文件夹 {where}：{error}",
    },
    "fix.error.apply_report": {
        "en": "--apply cannot run a plan made from --from-report: that report describes another machine",
        "zh": "--apply 不能执行基于 --from-report 的计划：该报告描述的是另一台机器",
    },
}
