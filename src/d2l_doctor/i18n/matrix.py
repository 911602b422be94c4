"""Messages about the matrix itself: the maintainers' refresh diff, and what the doctor says when an installed
package is newer than the matrix (facts then come from the packages' own metadata)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "matrix.refresh.reviewed": {"en": "reviewed {date}", "zh": "审核于 {date}"},
    "matrix.refresh.declared": {"en": "what the packages declare", "zh": "软件包自身声明的内容"},
    "matrix.refresh.none": {"en": "(nothing)", "zh": "（无）"},
    "matrix.refresh.from": {"en": "from", "zh": "来源"},
    "matrix.refresh.differences": {
        "en": "{count} differences, {contradictions} of them contradicting the matrix: check each against its "
        "source and edit compat_matrix.yaml by hand.",
        "zh": "{count} 处不同，其中 {contradictions} 处与矩阵矛盾：请逐条对照来源核实，再手动修改 compat_matrix.yaml。",
    },
    "matrix.refresh.only_new": {
        "en": "{count} releases the matrix does not list yet (no fact of it is contradicted): add them by hand, "
        "with their sources.",
        "zh": "有 {count} 个版本矩阵尚未收录（没有与矩阵矛盾的事实）：请连同来源手动补充。",
    },
    "matrix.refresh.agrees": {
        "en": "No differences: the matrix agrees with what the packages declare.",
        "zh": "没有不同：矩阵与软件包自身声明的一致。",
    },
    # check -v: which table the diagnosis used.
    "matrix.verbose": {
        "en": "Compatibility table: {file}, reviewed {reviewed}; the newest torch it knows is {newest_torch}",
        "zh": "兼容性表：{file}，审核于 {reviewed}；其中最新的 torch 是 {newest_torch}",
    },
    # The finding: installed things newer than the table.
    "finding.matrix-behind.title": {
        "en": "d2l-doctor's compatibility table (reviewed {reviewed}) is older than what is installed",
        "zh": "d2l-doctor 的兼容性表（审核于 {reviewed}）比这里安装的软件更旧",
    },
    "finding.matrix-behind.detail": {
        "en": "The table knows torch up to {newest_torch}. Newer than it here:[[ torch {torch_new};]][[ "
        "torchvision {torchvision_new};]][[ torchaudio {torchaudio_new};]][[ driver {driver_new} (CUDA "
        "{driver_cuda_new});]][[ GPU compute capability {gpu_cc_new};]] the checks that need the table cannot "
        "judge these.[[ What {declared_by} declares in its own metadata (the torch it was built for) was used "
        "instead.]] A newer d2l-doctor carries a newer table.",
        "zh": "这张表只收录到 torch {newest_torch}。这里比它新的有：[[torch {torch_new}；]][[torchvision "
        "{torchvision_new}；]][[torchaudio {torchaudio_new}；]][[驱动 {driver_new}（CUDA {driver_cuda_new}）；]]"
        "[[显卡计算能力 {gpu_cc_new}；]]依赖这张表的检查无法判断它们。[[已改用 {declared_by} 自身元数据中"
        "声明的信息（它对应的 torch 版本）。]]更新版本的 d2l-doctor 带有更新的表。",
    },
    # Evidence labels of the findings that read the packages' own metadata.
    "ui.ev.matrix_reviewed": {"en": "table reviewed", "zh": "兼容性表审核日期"},
    "ui.ev.newest_torch_in_the_matrix": {"en": "newest torch in the table", "zh": "表中最新的 torch"},
    "ui.ev.from_metadata": {
        "en": "from the packages' own metadata",
        "zh": "取自软件包自身元数据",
    },
    "ui.ev.torchvision_declares": {
        "en": "torchvision declares (its metadata)",
        "zh": "torchvision 自身元数据的声明",
    },
    "ui.ev.torchaudio_declares": {
        "en": "torchaudio declares (its metadata)",
        "zh": "torchaudio 自身元数据的声明",
    },
}
