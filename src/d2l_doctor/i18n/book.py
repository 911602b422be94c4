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
    "ui.ev.book_step": {"en": "step of the book's cell", "zh": "本书代码单元的步骤"},
    "ui.ev.book_error": {"en": "error", "zh": "错误"},
    "ui.ev.missing_requirements": {"en": "missing requirements", "zh": "缺失的依赖"},
    "ui.ev.version_conflicts": {"en": "version conflicts", "zh": "版本冲突"},
}
