"""Words of `d2l-doctor smoke-gpu`: the tables, the figures, the causes of failures, usage errors.

Causes are keyed `smoke.cause.<kind>` (smoke/classify.py); tests `smoke.test.<name>`; skip reasons
`smoke.skip.<code>` (codes from the payload).
"""

from __future__ import annotations

_CHECK_HW = {
    "en": "update the driver, look for memory errors and overheating with "
    "`nvidia-smi -q -d ECC,TEMPERATURE,POWER` (and Xid errors in the system log), then run the test again",
    "zh": "请更新驱动，用 `nvidia-smi -q -d ECC,TEMPERATURE,POWER` 查看显存错误与过热（并在系统日志里找 Xid "
    "错误），"
    "然后再运行一次测试",
}

MESSAGES: dict[str, dict[str, str]] = {
    # Header and tables
    # Texts whose facts the payload may not report mark them [[as clauses]] (render/wording.py): left out
    # when not known, never shown as "?".
    "smoke.header": {
        "en": "d2l-doctor {version} smoke-gpu: {python} ({chosen})[[, torch {torch}]]",
        "zh": "d2l-doctor {version} smoke-gpu：{python}（{chosen}）[[，torch {torch}]]",
    },
    "smoke.device": {
        "en": "{device}: {name}[[ (compute capability {cc})]]",
        "zh": "{device}：{name}[[（计算能力 {cc}）]]",
    },
    "smoke.device.multi": {"en": "Across GPUs and processes: {devices}", "zh": "跨 GPU 与进程：{devices}"},
    "smoke.col.test": {"en": "test", "zh": "测试"},
    "smoke.col.result": {"en": "result", "zh": "结果"},
    "smoke.col.time": {"en": "time", "zh": "耗时"},
    "smoke.col.figure": {"en": "figure", "zh": "数据"},
    "smoke.status.passed": {"en": "passed", "zh": "通过"},
    "smoke.status.failed": {"en": "FAILED", "zh": "失败"},
    "smoke.status.skipped": {"en": "skipped", "zh": "跳过"},
    "smoke.status.info": {"en": "measured", "zh": "已测量"},
    "smoke.seconds": {"en": "{s} s", "zh": "{s} 秒"},
    # Tests
    "smoke.test.ones_add": {"en": "ones + ones (the notes' check)", "zh": "ones + ones（笔记中的验证）"},
    "smoke.test.matmul_fp32": {"en": "float32 matmul vs CPU", "zh": "float32 矩阵乘法（对照 CPU）"},
    "smoke.test.autocast_fp16": {"en": "float16 autocast matmul", "zh": "float16 自动混合精度矩阵乘法"},
    "smoke.test.autocast_bf16": {"en": "bfloat16 autocast matmul", "zh": "bfloat16 自动混合精度矩阵乘法"},
    "smoke.test.conv": {"en": "convolution forward + backward", "zh": "卷积前向与反向"},
    "smoke.test.train": {"en": "LeNet training steps", "zh": "LeNet 训练若干步"},
    "smoke.test.memory": {"en": "allocate and free memory", "zh": "分配并释放内存"},
    "smoke.test.matmul_tflops_fp32": {"en": "matmul throughput, float32", "zh": "矩阵乘法吞吐（float32）"},
    "smoke.test.matmul_tflops_fp16": {"en": "matmul throughput, float16", "zh": "矩阵乘法吞吐（float16）"},
    "smoke.test.copy_bandwidth": {"en": "copy bandwidth on the device", "zh": "设备内复制带宽"},
    "smoke.test.p2p": {"en": "peer-to-peer copy {pair}", "zh": "点对点复制 {pair}"},
    "smoke.test.allreduce": {"en": "all-reduce", "zh": "all-reduce（全归约）"},
    # Progress on a terminal while the payload runs (smoke/progress.py)
    "smoke.progress.import": {"en": "Importing torch…", "zh": "正在导入 torch…"},
    "smoke.progress.cuda_init": {"en": "Initialising CUDA…", "zh": "正在初始化 CUDA…"},
    "smoke.progress.test": {"en": "Testing {device} · {test}…", "zh": "正在测试 {device} · {test}…"},
    "smoke.progress.multi": {"en": "Testing across devices · {test}…", "zh": "正在跨设备测试 · {test}…"},
    # Figures
    "smoke.fig.rel_err": {
        "en": "rel. error {err}[[ (tolerance {tol})]]",
        "zh": "相对误差 {err}[[（容差 {tol}）]]",
    },
    "smoke.fig.conv": {
        "en": "rel. error {err}[[ (tolerance {tol})]][[, {backend}]]",
        "zh": "相对误差 {err}[[（容差 {tol}）]][[，{backend}]]",
    },
    "smoke.fig.loss": {
        "en": "loss [[{first} -> ]]{last}[[ in {steps} steps]]",
        "zh": "损失 [[{first} -> ]]{last}[[（{steps} 步）]]",
    },
    "smoke.fig.memory": {
        "en": "{free} free of {total}; {asked} allocated and freed",
        "zh": "共 {total}，空闲 {free}；分配并释放了 {asked}",
    },
    "smoke.fig.memory_total": {
        "en": "{total} in all; {asked} allocated and freed",
        "zh": "共 {total}；分配并释放了 {asked}",
    },
    "smoke.fig.tflops": {"en": "{value} TFLOP/s[[ (n={size})]]", "zh": "{value} TFLOP/s[[（n={size}）]]"},
    "smoke.fig.gbps": {"en": "{value} GB/s", "zh": "{value} GB/s"},
    "smoke.fig.peak": {
        "en": "{figure}, {pct} of the nominal {peak}",
        "zh": "{figure}，为标称值 {peak} 的 {pct}",
    },
    "smoke.fig.p2p": {
        "en": "{value} GB/s, peer access: {access}",
        "zh": "{value} GB/s，点对点访问：{access}",
    },
    "smoke.fig.allreduce": {
        "en": "[[{backend}, ]][[{world} processes, ]]bus {value} GB/s",
        "zh": "[[{backend}，]][[{world} 个进程，]]总线带宽 {value} GB/s",
    },
    "smoke.fig.crash": {"en": "the process died[[ ({signal})]]", "zh": "进程崩溃[[（{signal}）]]"},
    "smoke.fig.timeout": {"en": "stopped[[ after {seconds}]] (timeout)", "zh": "[[{seconds}后]]超时终止"},
    "smoke.yes": {"en": "yes", "zh": "是"},
    "smoke.no": {"en": "no (through the host)", "zh": "否（经主机内存中转）"},
    # Why a test was skipped (codes from the payload)
    "smoke.skip.basic-check-failed": {
        "en": "not run: the first check failed",
        "zh": "未运行：第一项检查已失败",
    },
    "smoke.skip.no-autocast": {
        "en": "torch.autocast needs torch 1.10 or newer",
        "zh": "torch.autocast 需要 torch 1.10 或更新版本",
    },
    "smoke.skip.bf16-unsupported": {
        "en": "no native bfloat16 on [[compute capability {capability}||this GPU]]",
        "zh": "[[计算能力 {capability} 的 GPU||这块 GPU]]不原生支持 bfloat16",
    },
    "smoke.skip.fp16-unsupported": {
        "en": "no float16 arithmetic on [[compute capability {capability}||this GPU]]",
        "zh": "[[计算能力 {capability} 的 GPU||这块 GPU]]不支持 float16 运算",
    },
    "smoke.skip.autocast-unsupported": {
        "en": "autocast does not support it in this torch[[: {detail}]]",
        "zh": "此 torch 的 autocast 不支持[[：{detail}]]",
    },
    "smoke.skip.autocast-no-effect": {
        "en": "autocast leaves this device in float32 in this torch",
        "zh": "此 torch 的 autocast 在该设备上仍按 float32 计算",
    },
    "smoke.skip.no-distributed": {
        "en": "torch.distributed is not in this build",
        "zh": "此 torch 构建不含 torch.distributed",
    },
    # Failures
    "smoke.label.failures": {"en": "What failed, and why", "zh": "失败项及原因"},
    "smoke.label.cause": {"en": "Cause: ", "zh": "原因："},
    "smoke.label.error": {"en": "Error: ", "zh": "错误："},
    "smoke.label.fix_plain": {"en": "Fix:", "zh": "修复："},
    "smoke.label.fix": {"en": "Fix ({finding}): ", "zh": "修复（{finding}）："},
    "smoke.label.see_check": {
        "en": "Fix: run `d2l-doctor check` and apply the fix of {finding}",
        "zh": "修复：运行 `d2l-doctor check`，按 {finding} 的修复建议处理",
    },
    "smoke.label.trace": {"en": "Trace:", "zh": "调用栈："},
    "smoke.label.stderr": {
        "en": "Output of the test process (last lines):",
        "zh": "测试进程的输出（最后几行）：",
    },
    "smoke.failure": {"en": "{test} on {device}", "zh": "{device} 上的 {test}"},
    "smoke.cause.gpu-arch-unsupported": {
        "en": "this torch build has no GPU code for this card's compute capability[[ (it was built for: "
        "{arch_list})]]; install a torch build that supports the card",
        "zh": "此 torch 构建不含适用于这块显卡计算能力的 GPU 代码[[（它支持：{arch_list}）]]；请安装支持该显卡的 "
        "torch 构建",
    },
    "smoke.cause.driver-too-old": {
        "en": "the NVIDIA driver is too old for [[the CUDA {torch_cuda} of ]]this torch build[[ (the driver "
        "supports CUDA {driver_cuda} at most)]]; update the driver, or install a torch build for an older CUDA",
        "zh": "NVIDIA 驱动太旧，不支持此 torch 构建[[所用的 CUDA {torch_cuda}]][[（驱动最高支持 CUDA "
        "{driver_cuda}）]]；请更新驱动，或安装面向较旧 CUDA 的 torch 构建",
    },
    "smoke.cause.torch-cpu-only": {
        "en": "this torch[[ ({version})]] is a CPU-only build and cannot use a GPU; install a CUDA build of "
        "torch",
        "zh": "此 torch[[（{version}）]]是仅 CPU 的构建，无法使用 GPU；请安装 CUDA 版 torch",
    },
    "smoke.cause.nvidia-driver-missing": {
        "en": "torch found no NVIDIA driver; install the driver for your GPU (or test with --device cpu)",
        "zh": "torch 找不到 NVIDIA 驱动；请为显卡安装驱动（或用 --device cpu 测试）",
    },
    "smoke.cause.no-nvidia-gpu": {
        "en": "there is no NVIDIA GPU on this machine, so there is no CUDA device to test",
        "zh": "这台机器上没有 NVIDIA GPU，因此没有可测试的 CUDA 设备",
    },
    "smoke.cause.torch-missing": {
        "en": "torch is not installed in this interpreter",
        "zh": "此解释器中没有安装 torch",
    },
    "smoke.cause.module-missing": {
        "en": "a module torch needs is not installed[[: {module}]]; torch was installed without its "
        "dependencies",
        "zh": "torch 需要的模块没有安装[[：{module}]]；torch 安装时缺少了它的依赖",
    },
    "smoke.cause.payload-error": {
        "en": "the tests could not run[[ ({stage})]][[: {error}]]; this torch may be broken or very old: run "
        "`d2l-doctor check`",
        "zh": "测试无法运行[[（{stage}）]][[：{error}]]；此 torch 可能已损坏或版本过旧：请运行 `d2l-doctor check`",
    },
    "smoke.cause.torch-import-error": {
        "en": "`import torch` failed[[: {error}]]",
        "zh": "`import torch` 失败[[：{error}]]",
    },
    "smoke.cause.out-of-memory": {
        "en": "out of memory on {device}[[: {asked} was asked for while {free} was free||: {asked} was asked "
        "for||: {free} was free]]; close other programs that use the GPU (see nvidia-smi) or use a smaller "
        "--size",
        "zh": "{device} 内存不足[[：申请 {asked}，当时空闲 {free}||：申请 {asked}||：当时空闲 {free}]]；"
        "请关闭占用 GPU 的其他程序（见 nvidia-smi），或使用更小的 --size",
    },
    "smoke.cause.device-fault": {
        "en": "the GPU reported a fault[[ in {test}]] on {device}[[ ({error})]]; this points at the driver or "
        "the hardware: " + _CHECK_HW["en"],
        "zh": "{device}[[ 在 {test} 中]]报告了故障[[（{error}）]]；这通常是驱动或硬件问题："
        + _CHECK_HW["zh"],
    },
    "smoke.cause.cudnn-error": {
        "en": "cuDNN failed[[ ({status})]][[ in {test}]] on {device}: often a cuDNN that does not match "
        "torch's CUDA, or too little GPU memory; reinstall torch from the official index (it brings its own "
        "cuDNN)",
        "zh": "cuDNN 在 {device}[[ 的 {test} 中]]出错[[（{status}）]]：常见原因是 cuDNN 与 torch 的 CUDA 不匹配，"
        "或显存不足；请从官方源重装 torch（它自带 cuDNN）",
    },
    "smoke.cause.collective-error": {
        "en": "NCCL failed in the all-reduce[[ ({error})]]; check how the GPUs are connected (`nvidia-smi topo "
        "-m`) "
        "and try again with NCCL_P2P_DISABLE=1 to see whether peer-to-peer is the culprit",
        "zh": "all-reduce 中 NCCL 出错[[（{error}）]]；请用 `nvidia-smi topo -m` 查看 GPU 互连，"
        "并设置 NCCL_P2P_DISABLE=1 再试，判断是否是点对点通信的问题",
    },
    "smoke.cause.mps-op-missing": {
        "en": "an operation is not implemented on MPS in this torch[[ ({error})]]; update torch, or set "
        "PYTORCH_ENABLE_MPS_FALLBACK=1 to run it on the CPU",
        "zh": "此 torch 的 MPS 后端未实现某个算子[[（{error}）]]；请更新 torch，或设置 "
        "PYTORCH_ENABLE_MPS_FALLBACK=1 让它在 CPU 上运行",
    },
    "smoke.cause.wrong-numbers": {
        "en": "{test} on {device} computed wrong numbers: relative error {error} against the CPU, tolerance "
        "{tolerance}; wrong arithmetic points at the driver or the hardware: " + _CHECK_HW["en"],
        "zh": "{device} 上的 {test} 算错了：与 CPU 结果的相对误差为 {error}，容差 {tolerance}；"
        "算错通常是驱动或硬件问题：" + _CHECK_HW["zh"],
    },
    "smoke.cause.tf32-override": {
        "en": "NVIDIA_TF32_OVERRIDE={value} makes float32 matmuls use TF32 (relative error about 1e-3), so "
        "{test} on {device} missed the float32 tolerance; unset it to compare float32 exactly",
        "zh": "NVIDIA_TF32_OVERRIDE={value} 让 float32 矩阵乘法改用 TF32（相对误差约 1e-3），"
        "因此 {device} 上的 {test} 超出了 float32 容差；取消该变量即可按 float32 精确比较",
    },
    "smoke.cause.wrong-result": {
        "en": "{test} on {device} gave a wrong result[[ ({message})]]; " + _CHECK_HW["en"],
        "zh": "{device} 上的 {test} 结果错误[[（{message}）]]；" + _CHECK_HW["zh"],
    },
    "smoke.cause.no-learning": {
        "en": "training on {device} did not reduce the loss[[ ({first} -> {last})]]: the arithmetic or the "
        "optimizer "
        "step goes wrong on this device; compare with --device cpu, and " + _CHECK_HW["en"],
        "zh": "在 {device} 上训练时损失没有下降[[（{first} -> {last}）]]：该设备上的运算或优化器步骤有误；"
        "请与 --device cpu 的结果对比，并" + _CHECK_HW["zh"],
    },
    "smoke.cause.crash": {
        "en": "the test process died[[ ({signal})]] during {step}; a crash inside torch usually means a broken "
        "install or driver: reinstall torch, update the driver, and run `d2l-doctor check`",
        "zh": "测试进程在 {step} 时崩溃[[（{signal}）]]；torch 内部崩溃通常说明安装或驱动有问题："
        "请重装 torch、更新驱动，并运行 `d2l-doctor check`",
    },
    "smoke.cause.timeout": {
        "en": "the test process was stopped[[ after {seconds} s]] during {step}; a hang there usually means a "
        "driver "
        "or GPU in a bad state, or another program holding the GPU: check nvidia-smi, or allow more time "
        "with "
        "--timeout",
        "zh": "测试进程在 {step} 时[[运行了 {seconds} 秒后]]被终止；卡住通常说明驱动或 GPU 状态异常，"
        "或有其他程序占用 GPU："
        "请查看 nvidia-smi，或用 --timeout 给出更多时间",
    },
    "smoke.cause.leak": {
        "en": "{test} on {device}: memory stayed allocated after it was freed[[ ({message})]]",
        "zh": "{device} 上的 {test}：释放后内存仍被占用[[（{message}）]]",
    },
    "smoke.cause.cudnn-unavailable": {
        "en": "torch cannot load cuDNN on {device}: the cuDNN libraries of this CUDA build are missing or "
        "broken; "
        "reinstall torch",
        "zh": "torch 在 {device} 上无法加载 cuDNN：此 CUDA 构建的 cuDNN 库缺失或损坏；请重装 torch",
    },
    "smoke.cause.world-size": {
        "en": "the all-reduce could not run[[: {message}]]",
        "zh": "all-reduce 无法运行[[：{message}]]",
    },
    "smoke.cause.unknown": {
        "en": "[[{test} on ]]{device} failed[[: {error}]]; run `d2l-doctor check`, and see the trace with -v",
        "zh": "{device}[[ 上的 {test}]] 失败[[：{error}]]；请运行 `d2l-doctor check`，并用 -v 查看调用栈",
    },
    "smoke.cause.no-such-device": {
        "en": "there is no {device}[[: torch sees {count} CUDA device(s)]]",
        "zh": "没有 {device}[[：torch 只看到 {count} 个 CUDA 设备]]",
    },
    "smoke.cause.mps-not-built": {
        "en": "this torch was built without MPS support",
        "zh": "此 torch 构建不支持 MPS",
    },
    "smoke.cause.mps-not-available": {
        "en": "MPS is not available on this machine (torch.backends.mps.is_available() is False)",
        "zh": "这台机器上 MPS 不可用（torch.backends.mps.is_available() 为 False）",
    },
    "smoke.cause.cuda-hidden": {
        "en": "CUDA_VISIBLE_DEVICES={value} hides every GPU from torch; unset it",
        "zh": "CUDA_VISIBLE_DEVICES={value} 让 torch 看不到任何 GPU；请取消该变量",
    },
    "smoke.cause.no-cuda-device": {
        "en": "torch sees no CUDA device ({error})",
        "zh": "torch 看不到任何 CUDA 设备（{error}）",
    },
    "smoke.cause.not-started": {
        "en": "the interpreter could not be started[[: {error}]]",
        "zh": "无法启动解释器[[：{error}]]",
    },
    "smoke.cause.no-output": {
        "en": "the test process ended[[ (exit code {code})]] without a result[[: {error}]]",
        "zh": "测试进程结束[[（退出码 {code}）]]但没有给出结果[[：{error}]]",
    },
    # No device, summary, hints
    "smoke.nodevice": {"en": "No device could be tested ({device}).", "zh": "没有可测试的设备（{device}）。"},
    "smoke.related": {"en": "What `check` finds:", "zh": "`check` 的诊断："},
    "smoke.hint.cpu": {
        "en": "The tests can still run on the CPU: d2l-doctor smoke-gpu --device cpu",
        "zh": "仍可在 CPU 上运行这些测试：d2l-doctor smoke-gpu --device cpu",
    },
    "smoke.hint.mps": {
        "en": "This Mac's GPU is reached through MPS: d2l-doctor smoke-gpu --device mps",
        "zh": "这台 Mac 的 GPU 通过 MPS 使用：d2l-doctor smoke-gpu --device mps",
    },
    "smoke.hint.verbose": {"en": "Run with -v to see the error traces.", "zh": "加 -v 可查看错误的调用栈。"},
    "smoke.summary": {
        "en": "{passed} passed, {failed} failed, {skipped} skipped, {info} measured on {devices}.",
        "zh": "在 {devices} 上：{passed} 项通过，{failed} 项失败，{skipped} 项跳过，{info} 项测量。",
    },
    "smoke.verdict.ok": {"en": "Every test passed.", "zh": "全部测试通过。"},
    "smoke.verdict.failed": {"en": "Some tests failed: see above.", "zh": "部分测试失败：见上文。"},
    "smoke.verdict.nodevice": {"en": "Nothing was tested.", "zh": "没有进行任何测试。"},
    "smoke.diagnose_failed": {
        "en": "(the probes of `check` could not run: {error})",
        "zh": "（`check` 的探测无法运行：{error}）",
    },
    "smoke.internal_error": {
        "en": "smoke-gpu stopped on an internal error: {error} (run with -v for the trace)",
        "zh": "smoke-gpu 因内部错误停止：{error}（加 -v 查看调用栈）",
    },
    # Usage errors (one line, exit 2)
    "smoke.usage.device": {
        "en": "--device {value}: use all, cpu, mps, cuda or cuda:N",
        "zh": "--device {value}：请使用 all、cpu、mps、cuda 或 cuda:N",
    },
    "smoke.usage.size": {
        "en": "--size {value}: use a matrix size from {low} to {high}",
        "zh": "--size {value}：矩阵大小应在 {low} 到 {high} 之间",
    },
    "smoke.usage.world_size": {
        "en": "--world-size {value}: use a number of processes from 1 to {high}",
        "zh": "--world-size {value}：进程数应在 1 到 {high} 之间",
    },
    "smoke.usage.world_size_device": {
        "en": "--world-size needs --device all (one process per GPU) or --device cpu (gloo), not {device}",
        "zh": "--world-size 需要 --device all（每块 GPU 一个进程）或 --device cpu（gloo），而不是 {device}",
    },
}
