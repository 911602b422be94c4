"""Messages of `d2l-doctor setup`: the choice and its reasons, the steps, the run, the verdict, undo."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- bad usage ---------------------------------------------------------------------------------
    "setup.error.book_version": {
        "en": "--book-version {version}: not a d2l release the matrix knows ({known})",
        "zh": "--book-version {version}：兼容矩阵中没有这个 d2l 版本（已知：{known}）",
    },
    "setup.error.no_fit": {
        "en": "no Python fits d2l {book} on this machine: its pins install from wheels on Python {pythons}, "
        "and none of those has a torch build for this platform",
        "zh": "这台机器上没有适合 d2l {book} 的 Python：它固定的依赖只在 Python {pythons} 上有现成的 wheel，"
        "而这些版本在本平台都没有可用的 torch",
    },
    "setup.error.python_pins": {
        "en": "--python-version {python}: d2l {book} pins packages that have wheels only for Python {pythons} "
        "(pip would try to build them from source and fail); usable here: {fits}",
        "zh": "--python-version {python}：d2l {book} 固定的依赖只在 Python {pythons} 上有现成的 wheel"
        "（否则 pip 会尝试从源码编译并失败）；本机可用：{fits}",
    },
    "setup.error.python_torch": {
        "en": "--python-version {python}: no torch build for this machine has wheels for it; usable here: {fits}",
        "zh": "--python-version {python}：没有适合本机的 torch 版本提供该 Python 的 wheel；本机可用：{fits}",
    },
    "setup.error.undo_and_apply": {
        "en": "--undo and --apply cannot be used together",
        "zh": "--undo 与 --apply 不能同时使用",
    },
    "setup.error.path_and_conda": {
        "en": "give either a PATH (a venv) or --conda NAME, not both",
        "zh": "请只给出 PATH（venv）或 --conda NAME 之一，不要同时给出",
    },
    "setup.error.conda_name": {
        "en": "--conda {name!r}: not a conda environment name (no spaces, slashes, colons or #)",
        "zh": "--conda {name!r}：不是合法的 conda 环境名（不能含空格、斜杠、冒号或 #）",
    },
    "setup.error.no_conda": {
        "en": "--conda: conda is not installed or not on PATH (install Miniconda, or leave out --conda for a venv)",
        "zh": "--conda：未安装 conda 或它不在 PATH 中（请安装 Miniconda，或去掉 --conda 改用 venv）",
    },
    "setup.error.foreign": {
        "en": "{path} exists and was not made by d2l-doctor setup: choose another folder "
        "(for an environment you made yourself, use d2l-doctor check/fix --python)",
        "zh": "{path} 已存在且不是 d2l-doctor setup 创建的：请换一个目录"
        "（自己建的环境请用 d2l-doctor check/fix --python）",
    },
    "setup.error.cannot_create": {
        "en": "cannot create the environment at {path}: {error}",
        "zh": "无法在 {path} 创建环境：{error}",
    },
    "setup.error.undo_foreign": {
        "en": "{path} was not made by d2l-doctor setup: --undo leaves it alone",
        "zh": "{path} 不是 d2l-doctor setup 创建的：--undo 不会动它",
    },
    "setup.progress.looking": {
        "en": "Looking for Python interpreters and the GPU…",
        "zh": "正在查找 Python 解释器和显卡……",
    },
    # --- the plan --------------------------------------------------------------------------------
    "setup.plan.title": {
        "en": "Setup of a d2l {book} environment in {path}",
        "zh": "在 {path} 搭建 d2l {book} 环境",
    },
    "setup.why.python_pins": {
        "en": "d2l {book} pins packages that have wheels for Python {pythons}",
        "zh": "d2l {book} 固定的依赖在 Python {pythons} 上有现成的 wheel",
    },
    "setup.why.fits": {
        "en": "with a torch build for this machine: {fits}",
        "zh": "其中有适合本机的 torch 的：{fits}",
    },
    "setup.why.base": {
        "en": "Python {python}: {path} (found via {how})",
        "zh": "Python {python}：{path}（通过 {how} 找到）",
    },
    "setup.why.no_base": {
        "en": "Python {python}: not found on this machine",
        "zh": "Python {python}：本机未找到",
    },
    "setup.why.torch": {
        "en": "{torch} ({gpu}), from {index}",
        "zh": "{torch}（{gpu}），来源：{index}",
    },
    "setup.why.gpu": {"en": "{gpus} (driver {driver})", "zh": "{gpus}（驱动 {driver}）"},
    "setup.why.no_gpu": {"en": "no NVIDIA GPU with a working driver", "zh": "没有驱动正常的 NVIDIA 显卡"},
    "setup.why.cpu_driver": {
        "en": "an NVIDIA GPU is on the bus but no driver answers: the CPU build now; install the driver and run "
        "setup again to move to the CUDA build",
        "zh": "检测到 NVIDIA 显卡但驱动没有响应：先装 CPU 版；装好驱动后再运行一次 setup 即可换成 CUDA 版",
    },
    "setup.python.not_cpython": {
        "en": "{python} is not CPython: torch has no wheels for it",
        "zh": "{python} 不是 CPython：torch 没有它的 wheel",
    },
    "setup.python.32bit": {
        "en": "{python} is a 32-bit Python: torch has no wheels for it",
        "zh": "{python} 是 32 位 Python：torch 没有它的 wheel",
    },
    "setup.python.no_venv": {
        "en": "{python} cannot make a venv (no ensurepip; on Debian/Ubuntu install the python{version}-venv package)",
        "zh": "{python} 无法创建 venv（缺少 ensurepip；Debian/Ubuntu 上请安装 python{version}-venv 包）",
    },
    "setup.plan.get_python": {
        "en": "Install Python {python} first, one of these ways, then run setup again:",
        "zh": "请先用下列任一方式安装 Python {python}，然后再运行一次 setup：",
    },
    "setup.plan.uv_mirror": {
        "en": "uv downloads Python from GitHub; where that is slow, first run: {setting} "
        "(a mirror the matrix has not verified)",
        "zh": "uv 从 GitHub 下载 Python；下载慢时可先运行：{setting}（兼容矩阵未核实的镜像）",
    },
    "setup.plan.steps": {"en": "Steps:", "zh": "步骤："},
    "setup.step.environment": {"en": "the environment", "zh": "创建环境"},
    "setup.step.torch": {"en": "torch and torchvision", "zh": "torch 与 torchvision"},
    "setup.step.d2l": {"en": "d2l with its pins", "zh": "d2l 及其固定依赖"},
    "setup.step.notebook": {"en": "Jupyter and ipykernel", "zh": "Jupyter 与 ipykernel"},
    "setup.step.kernel": {"en": "the Jupyter kernel", "zh": "注册 Jupyter 内核"},
    "setup.step.done": {"en": "done", "zh": "已完成"},
    "setup.step.todo": {"en": "to do", "zh": "待执行"},
    "setup.step.verify": {
        "en": "then: d2l-doctor check in the new environment, and the book's notebook through its kernel",
        "zh": "随后：在新环境中运行 d2l-doctor check，并通过其内核运行书中的检查笔记本",
    },
    "setup.plan.blocked": {
        "en": "Nothing was changed: a Python must be installed first (see above).",
        "zh": "未做任何改动：需要先安装 Python（见上文）。",
    },
    "setup.plan.how_to_apply": {
        "en": "Nothing has been changed. Run the same command with --apply to build it "
        "(re-running resumes; `d2l-doctor setup --undo` removes what it made).",
        "zh": "尚未做任何改动。加上 --apply 重新运行即可搭建（中断后再次运行会接着做；"
        "`d2l-doctor setup --undo` 可删除它创建的一切）。",
    },
    "setup.plan.all_done": {
        "en": "Every step is done already: nothing to change.",
        "zh": "所有步骤都已完成：无需改动。",
    },
    # --- the run ---------------------------------------------------------------------------------
    "setup.apply.blocked": {
        "en": "Nothing was changed: a download host did not answer (see the preflight above).",
        "zh": "未做任何改动：有下载主机没有响应（见上方预检）。",
    },
    "setup.apply.interrupted": {
        "en": "Stopped. The step that was interrupted was put back; run the same command again to resume.",
        "zh": "已中止。被中断的步骤已恢复原状；再次运行同一命令即可接着做。",
    },
    "setup.apply.failed": {
        "en": "A step failed (it was put back); what finished stays. Fix the cause and run setup again to resume.",
        "zh": "有步骤失败（已恢复原状）；已完成的部分保留。排除原因后再次运行 setup 即可接着做。",
    },
    "setup.status.done": {"en": "done", "zh": "完成"},
    "setup.status.failed": {"en": "failed", "zh": "失败"},
    "setup.status.rolled-back": {"en": "failed, put back", "zh": "失败，已恢复"},
    "setup.status.rollback-failed": {"en": "failed, not put back", "zh": "失败，未能恢复"},
    "setup.status.skipped": {"en": "not run", "zh": "未执行"},
    "setup.status.blocked": {"en": "not run (host)", "zh": "未执行（主机）"},
    "setup.status.interrupted": {"en": "interrupted", "zh": "被中断"},
    # --- the verdict -----------------------------------------------------------------------------
    "setup.verify.check": {
        "en": "Checking the new environment…",
        "zh": "正在检查新环境……",
    },
    "setup.verify.notebook": {
        "en": "Running the book's notebook through the kernel {kernel}…",
        "zh": "正在通过内核 {kernel} 运行书中的检查笔记本……",
    },
    "setup.verify.cells": {
        "en": "notebook: {ran} of {total} cells ran in the kernel {kernel}",
        "zh": "笔记本：{total} 个单元格中有 {ran} 个在内核 {kernel} 中运行成功",
    },
    "setup.verify.bad": {
        "en": "The environment is built but the book does not run yet: see `d2l-doctor check --python {python}`.",
        "zh": "环境已建好，但书中代码还不能运行：请看 `d2l-doctor check --python {python}`。",
    },
    "setup.verify.good": {
        "en": "Ready: in Jupyter choose the kernel “{display}” ({kernel}); in a terminal activate it with:",
        "zh": "已就绪：在 Jupyter 中选择内核“{display}”（{kernel}）；在终端中这样激活：",
    },
    # --- undo ------------------------------------------------------------------------------------
    "setup.undo.title": {"en": "setup --undo removes:", "zh": "setup --undo 将删除："},
    "setup.undo.kernel": {"en": "the Jupyter kernel", "zh": "Jupyter 内核"},
    "setup.undo.environment": {"en": "the environment", "zh": "环境"},
    "setup.undo.nothing": {
        "en": "Nothing to undo: setup has made nothing at {path}.",
        "zh": "无需撤销：setup 没有在 {path} 创建任何东西。",
    },
    "setup.undo.confirm": {"en": "Remove these {n} item(s)?", "zh": "删除这 {n} 项吗？"},
    "setup.undo.removed": {"en": "removed {what}: {path}", "zh": "已删除{what}：{path}"},
    "setup.undo.failed": {
        "en": "could not remove {what} {path}: {error}",
        "zh": "无法删除{what} {path}：{error}",
    },
}
