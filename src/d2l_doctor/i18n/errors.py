"""Bad usage and bad input: the one line printed before exit code 2."""

MESSAGES = {
    "error.lang": {
        "en": "unknown --lang {given!r}: use one of {langs}",
        "zh": "未知的 --lang {given!r}：可选 {langs}",
    },
    "error.shell": {
        "en": "unknown --shell {shell!r}: use one of {shells}",
        "zh": "未知的 --shell {shell!r}：可选 {shells}",
    },
    "error.timeout": {
        "en": "--timeout {given}: give a number of seconds from 1 to {most}",
        "zh": "--timeout {given}：请给出 1 到 {most} 之间的秒数",
    },
    "error.matrix_missing": {
        "en": "--matrix {path}: no such file",
        "zh": "--matrix {path}：文件不存在",
    },
    "error.report_missing": {
        "en": "--from-report {path}: no such file",
        "zh": "--from-report {path}：文件不存在",
    },
    "error.json_markdown": {
        "en": "--json and --markdown cannot be used together: choose one",
        "zh": "--json 和 --markdown 不能同时使用：请选其一",
    },
    "error.python_missing": {
        "en": "--python {python}: no such file or folder",
        "zh": "--python {python}：文件或文件夹不存在",
    },
    "error.python_folder": {
        "en": "--python {python}: a folder with no Python interpreter (looked for {looked})",
        "zh": "--python {python}：这个文件夹里没有 Python 解释器（找过 {looked}）",
    },
    "error.python_name": {
        "en": "--python {python}: not a Python interpreter (expected a file named python…)",
        "zh": "--python {python}：不是 Python 解释器（应是名为 python… 的文件）",
    },
    "error.python_exec": {
        "en": "--python {python}: not executable",
        "zh": "--python {python}：没有执行权限",
    },
    "error.python_broken": {
        "en": "--python {python}: this is not a Python the doctor could examine ({why})",
        "zh": "--python {python}：这不是 d2l-doctor 能检查的 Python 解释器（{why}）",
    },
}
