"""Messages of `fix --apply` and `fix --undo` as transactions: the preflight, the run's table, rollbacks,
interruptions, the lock; and the plan's reasons in words (str.format templates)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- the plan: where each step downloads from ---------------------------------------------------
    "fix.plan.source": {"en": "downloads from: {hosts}", "zh": "下载来源：{hosts}"},
    "fix.plan.own_config": {"en": "pip's own configuration", "zh": "pip 自己的配置"},
    "fix.plan.official_under_mirror": {
        "en": "still needs download.pytorch.org: the mirror {mirror} has no PyTorch wheels for {variant}",
        "zh": "仍需访问 download.pytorch.org：镜像 {mirror} 没有 {variant} 版本的 PyTorch 轮子",
    },
    "fix.plan.unverified": {
        "en": "verified: false ({url}: the matrix could not confirm this mirror's layout from its own documentation)",
        "zh": "verified: false（{url}：兼容矩阵未能从该镜像自己的文档确认其目录结构）",
    },
    "fix.plan.pip_bounds": {
        "en": "pip runs with --timeout {timeout} --retries {retries}: a host that does not answer costs seconds.",
        "zh": "pip 以 --timeout {timeout} --retries {retries} 运行：无响应的主机只会耽误几秒钟。",
    },
    "fix.mirror.torch_timings_title": {
        "en": "PyTorch-wheel mirrors (the cpu page) and the official index",
        "zh": "PyTorch 轮子镜像（cpu 页面）与官方索引",
    },
    # --- preflight --------------------------------------------------------------------------------
    "fix.preflight.title": {
        "en": "Preflight: asking every download host ({seconds} s)",
        "zh": "预检：逐一询问下载主机（用时 {seconds} 秒）",
    },
    "fix.preflight.ok": {"en": "{host}: answered in {ms} ms", "zh": "{host}：{ms} 毫秒内响应"},
    "fix.preflight.dead": {"en": "{host}: failed ({error})", "zh": "{host}：失败（{error}）"},
    "fix.preflight.blocked": {
        "en": "{host} cannot serve it ({error})",
        "zh": "{host} 无法提供（{error}）",
    },
    "fix.preflight.way_mirror": {
        "en": "way round: --mirror {name} (PyTorch wheels from {url}, {mode}{unverified})",
        "zh": "绕行办法：--mirror {name}（PyTorch 轮子来自 {url}，{mode}{unverified}）",
    },
    "fix.preflight.way_pypi": {
        "en": "way round: PyPI's own torch is the build this machine needs; install the same versions without "
        "the PyTorch index, through {index}",
        "zh": "绕行办法：PyPI 上的 torch 正是本机需要的版本；去掉 PyTorch 索引，通过 {index} 安装相同版本",
    },
    "fix.preflight.no_way": {
        "en": "no way round is known: try again later or from another network",
        "zh": "没有已知的绕行办法：请稍后重试，或换一个网络",
    },
    "fix.preflight.unverified_tag": {"en": ", verified: false", "zh": "，verified: false"},
    # --- the run ----------------------------------------------------------------------------------
    "fix.run.title": {"en": "Result of each fix", "zh": "各项修复的结果"},
    "fix.run.fixed": {"en": "fixed", "zh": "已修复"},
    "fix.run.not_fixed": {"en": "not fixed", "zh": "未修复"},
    "fix.run.rolled_back": {"en": "rolled back", "zh": "已回滚"},
    "fix.run.rollback_failed": {"en": "not fixed, rollback failed", "zh": "未修复，回滚失败"},
    "fix.run.skipped": {"en": "skipped", "zh": "已跳过"},
    "fix.run.still_there": {
        "en": "the steps ran, but the re-check still finds it",
        "zh": "步骤已执行，但复查仍发现该问题",
    },
    "fix.run.needs": {"en": "needs {ids}, which did not succeed", "zh": "依赖的 {ids} 未成功"},
    "fix.run.stopped": {"en": "the run was stopped (Ctrl-C)", "zh": "运行已被中止（Ctrl-C）"},
    "fix.run.interrupted": {"en": "interrupted (Ctrl-C)", "zh": "被中断（Ctrl-C）"},
    "fix.run.step_failed": {
        "en": "a step failed (exit status {code}): {line}",
        "zh": "某个步骤失败（退出状态 {code}）：{line}",
    },
    "fix.run.step_failed_quiet": {
        "en": "a step failed (exit status {code})",
        "zh": "某个步骤失败（退出状态 {code}）",
    },
    "fix.run.step_timed_out": {"en": "a step timed out: {command}", "zh": "某个步骤超时：{command}"},
    "fix.run.unmeasured": {
        "en": "pip freeze failed: what changed could not be measured",
        "zh": "pip freeze 失败：无法测量发生了哪些改动",
    },
    "fix.run.left_out": {"en": "left out (--only / --skip)", "zh": "未选中（--only / --skip）"},
    "fix.run.declined": {"en": "optional, not chosen", "zh": "可选步骤，未选择执行"},
    "fix.run.rolling_back": {
        "en": "A step of {id} failed after changing the environment: putting back what it changed "
        "(Ctrl-C again to stop)",
        "zh": "{id} 的某个步骤在改动环境后失败：正在恢复它改动的内容（再按 Ctrl-C 可停止）",
    },
    "fix.run.changed_title": {
        "en": "What changed in the environment (measured with pip freeze):",
        "zh": "环境中的改动（用 pip freeze 测得）：",
    },
    "fix.run.nothing_changed": {
        "en": "Nothing in the environment changed (measured with pip freeze).",
        "zh": "环境没有任何改动（用 pip freeze 测得）。",
    },
    "fix.run.not_put_back": {"en": "{id}: not put back: {lines}", "zh": "{id}：未能恢复：{lines}"},
    "fix.run.undo_hint": {
        "en": "To go back to the environment as it was before this run: d2l-doctor fix --undo",
        "zh": "要回到本次运行之前的环境：d2l-doctor fix --undo",
    },
    "fix.run.interrupted_title": {
        "en": "Interrupted: pip was stopped before d2l-doctor exited.",
        "zh": "已中断：d2l-doctor 退出前已停止 pip。",
    },
    "fix.run.summary": {
        "en": "{fixed} fixed, {not_fixed} not fixed, {rolled_back} rolled back, {skipped} skipped",
        "zh": "已修复 {fixed} 项，未修复 {not_fixed} 项，已回滚 {rolled_back} 项，已跳过 {skipped} 项",
    },
    "fix.run.unknown_id": {
        "en": "{option} {id}: no fix in this plan has that id (the plan's: {ids})",
        "zh": "{option} {id}：本计划中没有这个编号的修复（本计划的编号：{ids}）",
    },
    "fix.error.only_needs_apply": {
        "en": "--only and --skip choose among the fixes that --apply runs: add --apply",
        "zh": "--only 和 --skip 用于在 --apply 要执行的修复中挑选：请加上 --apply",
    },
    # --- one run at a time, and a run that never finished -------------------------------------------
    "fix.lock.busy": {
        "en": "Another d2l-doctor run (pid {pid}) is changing {python} right now: wait for it to finish.",
        "zh": "另一个 d2l-doctor 进程（pid {pid}）正在修改 {python}：请等它结束。",
    },
    "fix.lock.unfinished": {
        "en": "An earlier `fix` on {python} did not finish (started {started}; killed?): the environment may be "
        "half-changed. `d2l-doctor fix --undo` goes back to the snapshot taken before it.",
        "zh": "之前对 {python} 的 `fix` 没有正常结束（开始于 {started}；可能被强行终止）：环境可能只改了一半。"
        "`d2l-doctor fix --undo` 可回到它开始前保存的快照。",
    },
    # --- undo as a transaction ----------------------------------------------------------------------
    "fix.undo.fetch_failed": {
        "en": "Could not fetch what the way back needs ({line}); nothing was changed.",
        "zh": "无法获取恢复所需的软件包（{line}）；环境没有任何改动。",
    },
    "fix.undo.failed": {
        "en": "The way back failed at: {command}",
        "zh": "恢复在此处失败：{command}",
    },
    # --- the plan's reasons, as the rules word them in English (matched, then said in the language) ---
    "fix.reason.reinstall_damaged_pillow": {"en": "reinstall a damaged Pillow", "zh": "重新安装损坏的 Pillow"},
    "fix.reason.reinstall_pillow": {"en": "reinstall Pillow", "zh": "重新安装 Pillow"},
    "fix.reason.kernel_needs_ipykernel": {"en": "needed to register the kernel", "zh": "注册内核需要它"},
    "fix.reason.ipython_backend2gui": {
        "en": "an IPython that matplotlib before 3.9 works with",
        "zh": "能与 3.9 之前的 matplotlib 配合的 IPython",
    },
    "fix.reason.nbconvert_jinja2": {
        "en": "nbconvert that works with Jinja2 3.1",
        "zh": "能与 Jinja2 3.1 配合的 nbconvert",
    },
    "fix.reason.seeds_conda_update": {
        "en": "the seeds' `conda update nbconvert`",
        "zh": "学习笔记中的 `conda update nbconvert`",
    },
    "fix.reason.d2l_imports": {"en": "current versions of what d2l imports", "zh": "d2l 所导入的包的当前版本"},
    "fix.reason.d2l_no_pins": {"en": "d2l without its pins", "zh": "不带版本锁定的 d2l"},
    "fix.reason.match_torch": {"en": "match torch {version}", "zh": "与 torch {version} 匹配"},
    "fix.reason.cudnn_for_torch": {"en": "cuDNN for torch {version}", "zh": "torch {version} 所需的 cuDNN"},
}
