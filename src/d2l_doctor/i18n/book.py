"""Messages about running the book: its first cell, the installed packages' requirements, kernels, the
notebook check and setup."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "finding.book-cell-failed.title": {
        "en": "The book's first cell {how:@finding.how} at: {step}",
        "zh": "本书的第一个代码单元在“{step}”这一步{how:@finding.how}",
    },
    "finding.book-cell-failed.detail": {
        "en": "d2l-doctor ran the cell a learner runs first (from d2l import torch as d2l, a tensor on "
        "d2l.try_gpu(), one optimizer step, a figure saved with matplotlib) in this Python[[: {error}]]. "
        "[[The fix is under {see}.||Install what it names, then run the check again.]]",
        "zh": "d2l-doctor 在这个 Python 中运行了学习者最先运行的代码（from d2l import torch as d2l、在 "
        "d2l.try_gpu() 上建张量、一步优化器更新、用 matplotlib 保存一张图）[[：{error}]]。"
        "[[修复方法见 {see}。||请安装报错中提到的包，然后重新检查。]]",
    },
    "finding.requirements-missing.title": {
        "en": "Packages that installed packages need are missing: {missing}",
        "zh": "已安装的包所依赖的包缺失：{missing}",
    },
    "finding.requirements-missing.detail": {
        "en": "[[{needed_by} need(s) {missing}, which is not installed (as `pip check` would say). ||]]"
        "This happens after `pip install --no-deps` or an interrupted install; the code that needs it "
        "fails only when it runs (torch's optimizers import sympy).",
        "zh": "[[{needed_by} 依赖 {missing}，但它没有安装（与 `pip check` 的结论相同）。||]]"
        "通常是 `pip install --no-deps` 或安装中断造成的；用到它的代码运行时才会出错（torch 的优化器需要 sympy）。",
    },
    "finding.requirements-conflict.title": {
        "en": "Installed versions that other packages do not accept",
        "zh": "有已安装包的版本不符合其他包的要求",
    },
    "finding.requirements-conflict.detail": {
        "en": "As `pip check` would say[[: {conflicts}]]. It may work, but pip's next install can change these "
        "versions.",
        "zh": "与 `pip check` 的结论相同[[：{conflicts}]]。也许仍能运行，但下次用 pip 安装时这些版本可能被改动。",
    },
    "finding.jupyter-kernel-no-torch.title": {
        "en": 'The Jupyter kernel "{display_name}" starts a Python without torch',
        "zh": "Jupyter 内核“{display_name}”启动的 Python 没有安装 torch",
    },
    "finding.jupyter-kernel-no-torch.detail": {
        "en": "The kernel {name} starts[[ {python}]], which has no torch: `from d2l import torch as d2l` fails "
        "in a notebook on that kernel. Pick the kernel of your d2l environment (Kernel → Change kernel), or "
        "install torch for that Python.",
        "zh": "内核 {name} 启动的[[ {python} ]]没有安装 torch：在使用该内核的笔记本里 from d2l import torch "
        "as d2l 会失败。请在笔记本中选择 d2l 环境的内核（Kernel → Change kernel），或为那个 Python 安装 torch。",
    },
    "ui.ev.kernel_python": {"en": "the kernel's Python", "zh": "内核的 Python"},
    "ui.ev.jupyter_runs_from": {"en": "Jupyter runs from", "zh": "Jupyter 所在的 Python"},
    # check: which probe it waits for
    "progress.waiting": {
        "en": "Checking… waiting for {probes} ({seconds} s)",
        "zh": "检查中… 正在等待{probes}（{seconds} 秒）",
    },
    "progress.probe.target": {"en": "your Python (importing torch)", "zh": "你的 Python（导入 torch）"},
    "progress.probe.book": {"en": "the book's first cell", "zh": "本书的第一个代码单元"},
    "progress.probe.jupyter": {"en": "the Jupyter kernels", "zh": "Jupyter 内核"},
    "progress.probe.nvml": {"en": "the NVIDIA driver", "zh": "NVIDIA 驱动"},
    "progress.probe.pci": {"en": "the PCI bus", "zh": "PCI 总线"},
    "progress.probe.cuda": {"en": "the CUDA toolkits", "zh": "CUDA 工具包"},
    "progress.probe.host": {"en": "the system", "zh": "系统信息"},
    "progress.probe.conda": {"en": "conda", "zh": "conda"},
    # smoke-notebook
    "notebook.header": {
        "en": "d2l-doctor smoke-notebook: the book's checks in the kernel {kernel}[[ ({python})]]",
        "zh": "d2l-doctor smoke-notebook：在内核 {kernel}[[（{python}）]]中运行本书的检查",
    },
    "notebook.progress.kernel": {
        "en": "Starting the kernel {kernel}…",
        "zh": "正在启动内核 {kernel}…",
    },
    "notebook.progress.cell": {"en": "Cell {n}/{total}: {name}…", "zh": "单元 {n}/{total}：{name}…"},
    "notebook.skipped": {"en": "not run (after {after} failed)", "zh": "未运行（{after} 已失败）"},
    "notebook.kernel_failed": {"en": "the kernel {kernel} did not start", "zh": "内核 {kernel} 没有启动"},
    "notebook.summary": {
        "en": "{passed} of {total} cells ran",
        "zh": "{total} 个单元中有 {passed} 个运行成功",
    },
    "notebook.see_check": {
        "en": "Fix: `d2l-doctor check[[ --python {python}]]` shows the fix of {finding}",
        "zh": "修复：`d2l-doctor check[[ --python {python}]]` 会给出 {finding} 的修复命令",
    },
    "notebook.cause.no-ipykernel": {
        "en": "the kernel's Python[[ ({python})]] has no ipykernel, so Jupyter cannot start a kernel there",
        "zh": "内核的 Python[[（{python}）]]没有安装 ipykernel，Jupyter 无法在其中启动内核",
    },
    "notebook.cause.no-nbclient": {
        "en": "nbclient, which runs the notebook, is installed neither beside d2l-doctor nor in the kernel's "
        "Python; install it with pip install nbclient",
        "zh": "运行笔记本所需的 nbclient 既不在 d2l-doctor 所在环境中，也不在内核的 Python 中；"
        "请用 pip install nbclient 安装",
    },
    "notebook.cause.kernel-failed": {
        "en": "the kernel died or did not answer while starting; run `jupyter kernelspec list` and "
        "`d2l-doctor check` for the kernel's Python",
        "zh": "内核在启动时退出或没有响应；请运行 `jupyter kernelspec list`，并对内核的 Python 运行 "
        "`d2l-doctor check`",
    },
    "notebook.cause.no-torch": {
        "en": "the kernel's Python[[ ({python})]] has no torch: the notebook runs on a kernel other than "
        "your d2l environment, or torch is not installed there",
        "zh": "内核的 Python[[（{python}）]]没有安装 torch：笔记本使用的不是 d2l 环境的内核，或那里没有安装 torch",
    },
    "notebook.cause.no-d2l": {
        "en": "the kernel's Python[[ ({python})]] has no d2l package",
        "zh": "内核的 Python[[（{python}）]]没有安装 d2l 包",
    },
    "notebook.cause.no-torchvision": {
        "en": "the kernel's Python[[ ({python})]] has no torchvision, which `from d2l import torch as d2l` "
        "imports",
        "zh": "内核的 Python[[（{python}）]]没有安装 torchvision，而 from d2l import torch as d2l 需要它",
    },
    "notebook.cause.cell-timeout": {
        "en": "the cell did not finish[[ within {seconds} s]] and the kernel was stopped; a hang in an "
        "import or on the GPU: run `d2l-doctor check` and `d2l-doctor smoke-gpu`, or allow more with --timeout",
        "zh": "该单元[[在 {seconds} 秒内]]没有结束，内核已被停止；导入或 GPU 卡住了：请运行 `d2l-doctor check` 和 "
        "`d2l-doctor smoke-gpu`，或用 --timeout 给出更多时间",
    },
    "notebook.cause.message": {
        "en": "{title} ({finding}): `d2l-doctor fix --python {python}` shows the fix",
        "zh": "{title}（{finding}）：`d2l-doctor fix --python {python}` 会给出修复方法",
    },
    "notebook.cause.cell-error": {
        "en": "the cell raised an error that no check explains; see it above, and run `d2l-doctor check`",
        "zh": "该单元报错，且没有检查项能解释；请查看上面的错误，并运行 `d2l-doctor check`",
    },
    "error.notebook_python_and_kernel": {
        "en": "give --python or --kernel, not both",
        "zh": "--python 与 --kernel 只能给出一个",
    },
    "error.notebook_no_kernel": {
        "en": "there is no Jupyter kernel named {kernel} (kernels: {kernels})",
        "zh": "没有名为 {kernel} 的 Jupyter 内核（现有内核：{kernels}）",
    },
    "ui.ev.torch_elsewhere": {"en": "torch in other Pythons", "zh": "装有 torch 的其他 Python"},
    # Where the matrix took a fact from: its source tags in words (render/view.py source_words).
    "ui.src.pypi-arch": {
        "en": "the GPU list inside PyPI's torch wheel:",
        "zh": "PyPI 上 torch 安装包内的 GPU 列表：",
    },
    "ui.src.pypi-meta": {"en": "the packages' metadata on PyPI:", "zh": "PyPI 上的包元数据："},
    "ui.src.pypi-ver": {"en": "PyPI's list of releases:", "zh": "PyPI 的版本列表："},
    "ui.src.release.md": {
        "en": "PyTorch's release notes (RELEASE.md):",
        "zh": "PyTorch 的发布说明（RELEASE.md）：",
    },
    "ui.src.builder": {
        "en": "PyTorch's build scripts (pytorch/builder):",
        "zh": "PyTorch 的构建脚本（pytorch/builder）：",
    },
    "ui.src.test-infra": {
        "en": "PyTorch's build matrix (pytorch/test-infra):",
        "zh": "PyTorch 的构建矩阵（pytorch/test-infra）：",
    },
    "ui.src.prev-versions": {
        "en": "pytorch.org's previous-versions page:",
        "zh": "pytorch.org 的历史版本页面：",
    },
    "ui.ev.book_step": {"en": "step of the book's cell", "zh": "本书代码单元的步骤"},
    "ui.ev.book_error": {"en": "error", "zh": "错误"},
    "ui.ev.missing_requirements": {"en": "missing requirements", "zh": "缺失的依赖"},
    "ui.ev.version_conflicts": {"en": "version conflicts", "zh": "版本冲突"},
}
