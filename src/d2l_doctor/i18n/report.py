"""Words of `--from-report`: why a report file cannot be read (one line, exit 2), and how its gaps are named.

The facts a report leaves out are listed in `Snapshot.unknown` by section name; `report.section.<name>`
says each name in words, so a renderer can write "not in the report: the NVIDIA driver, Jupyter".
"""

from __future__ import annotations

_EXPECTED_EN = (
    "nothing in it that d2l-doctor reads. It reads a d2l-doctor JSON report, the output of python -m "
    "torch.utils.collect_env, error messages and tracebacks (torch, torchvision, NumPy, pip, conda, Jupyter), "
    "pip show / pip list / conda list, nvidia-smi, an app's start-up log, or versions written by hand "
    '("torch 2.3.1, torchvision 0.18.1, Python 3.12, Windows 11")'
)
_EXPECTED_ZH = (
    "其中没有 d2l-doctor 能识别的内容。可以识别：d2l-doctor 的 JSON 报告、python -m torch.utils.collect_env 的输出、"
    "报错信息和 Traceback（torch、torchvision、NumPy、pip、conda、Jupyter）、pip show / pip list / conda list、"
    "nvidia-smi 的输出、程序启动日志，或手写的版本信息（如“torch 2.3.1，torchvision 0.18.1，Python 3.12，Windows 11”）"
)

MESSAGES: dict[str, dict[str, str]] = {
    # Bad input: each is the whole one-line error (the CLI prefixes "d2l-doctor: error: ").
    "report.error.not_a_report": {"en": "{path}: " + _EXPECTED_EN, "zh": "{path}：" + _EXPECTED_ZH},
    "report.error.empty": {"en": "{path} is empty: " + _EXPECTED_EN, "zh": "{path} 是空的：" + _EXPECTED_ZH},
    "report.error.unreadable": {"en": "cannot read {path}: {reason}", "zh": "无法读取 {path}：{reason}"},
    "report.error.bad_json": {
        "en": "{path}: looks like JSON but cannot be parsed ({reason}); " + _EXPECTED_EN,
        "zh": "{path}：看起来是 JSON，但无法解析（{reason}）；" + _EXPECTED_ZH,
    },
    "report.error.json_not_report": {
        "en": "{path}: this JSON has no 'snapshot' object; " + _EXPECTED_EN,
        "zh": "{path}：这个 JSON 没有 'snapshot' 对象；" + _EXPECTED_ZH,
    },
    "report.error.schema_version": {
        "en": "{path}: unknown schema_version {found} (this d2l-doctor reads schema_version {expected}); "
        "create the report again with this version of d2l-doctor",
        "zh": "{path}：未知的 schema_version {found}"
        "（此版本的 d2l-doctor 只能读取 schema_version {expected}）；"
        "请用此版本的 d2l-doctor 重新生成报告",
    },
    "report.error.bad_snapshot": {
        "en": "{path}: the report's snapshot does not fit the schema: {reason}",
        "zh": "{path}：报告中的 snapshot 不符合格式：{reason}",
    },
    "report.stdin": {"en": "<stdin>", "zh": "<标准输入>"},
    # Naming what a report does not contain.
    "report.not_in_report": {"en": "not in the report: {sections}", "zh": "报告中没有：{sections}"},
    "report.section.host": {"en": "the operating system", "zh": "操作系统"},
    "report.section.driver": {"en": "the NVIDIA driver", "zh": "NVIDIA 驱动"},
    "report.section.gpus": {"en": "the GPUs", "zh": "GPU"},
    "report.section.pci_gpus": {"en": "GPUs without a driver", "zh": "没有驱动的 GPU"},
    "report.section.cuda_toolkits": {"en": "CUDA toolkits", "zh": "CUDA 工具包"},
    "report.section.cudnn_system": {"en": "the system cuDNN", "zh": "系统中的 cuDNN"},
    "report.section.python": {"en": "the Python interpreter", "zh": "Python 解释器"},
    "report.section.conda": {"en": "conda", "zh": "conda"},
    "report.section.packages": {"en": "the installed packages", "zh": "已安装的包"},
    "report.section.torch": {"en": "PyTorch", "zh": "PyTorch"},
    "report.section.imports": {"en": "import tests", "zh": "导入测试"},
    "report.section.jupyter": {"en": "Jupyter kernels", "zh": "Jupyter 内核"},
    "report.section.shell": {"en": "the shell", "zh": "命令行 shell"},
}
