"""Titles and details of every finding (`finding.<id>.title`, `finding.<id>.detail`), and the texts of the
manual fix steps the rules attach (`finding.manual.<step>`). Templates are str.format over the params, with
the clause markup of render/wording.py: `[[…]]` is left out, and `[[a||b]]` says b, where a field in it is not
known (a report from another machine leaves many facts unknown); `{how:@finding.how}` takes a word from here.

The Chinese is written for learners of the Chinese edition of d2l (《动手学深度学习》): plain words, the terms
they meet in the book and in pip/conda output.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ---- crashes -----------------------------------------------------------------------------------------
    "finding.rule-crashed.title": {"en": "The check {rule} crashed", "zh": "检查项 {rule} 自身出错了"},
    "finding.rule-crashed.detail": {
        "en": "This is a bug in d2l-doctor, not in your set-up: {error}. The other checks ran; run with -v "
        "for the traceback and please report it.",
        "zh": "这是 d2l-doctor 自身的缺陷，并不是你的环境有问题：{error}。其他检查照常完成；加 -v 可以看到完"
        "整的出错信息，欢迎反馈给我们。",
    },
    # ---- GPU & driver ------------------------------------------------------------------------------------
    "finding.nvidia-driver-missing.title": {
        "en": "[[{seen:@finding.nodriver_title}||NVIDIA GPU found, but no NVIDIA driver is running it]]",
        "zh": "[[{seen:@finding.nodriver_title}||检测到 NVIDIA 显卡，但没有可用的 NVIDIA 驱动]]",
    },
    "finding.nvidia-driver-missing.detail": {
        "en": "[[The PCI bus shows {gpus}||{seen:@finding.nodriver_detail}]][[ (kernel driver: {kernel_driver})]][[, "
        "but the NVIDIA driver does not answer (NVML / nvidia-smi). Without it PyTorch cannot use {gpus}: "
        "torch.cuda.is_available() is False. Install the driver from NVIDIA's download page, reboot, then run "
        "d2l-doctor check again.]]",
        "zh": "[[PCI 总线上有 {gpus}||{seen:@finding.nodriver_detail}]][[（当前内核驱动：{kernel_driver}）]][[，但 "
        "NVIDIA 驱动没有响应（NVML / nvidia-smi 都不可用）。没有驱动，PyTorch 就用不了 {gpus}，"
        "torch.cuda.is_available() 会返回 False。请从 NVIDIA 官网下载安装驱动，重启后再运行一次 d2l-doctor "
        "check。]]",
    },
    # Reached from a paste: torch, nvidia-smi or collect_env found no driver; a GPU may or may not be there.
    "finding.nodriver_title.other": {
        "en": "No NVIDIA driver answers: no NVIDIA GPU, or a GPU without a running driver",
        "zh": "没有可用的 NVIDIA 驱动：要么没有 NVIDIA 显卡，要么显卡的驱动没有运行",
    },
    "finding.nodriver_detail.other": {
        "en": "{value:@finding.nodriver_seen} The paste cannot tell whether this machine has no NVIDIA GPU or an "
        "NVIDIA GPU whose driver is not running. Check on that machine: run nvidia-smi (it lists the GPU when "
        "the driver works); in a container, start it with GPUs (docker run --gpus all, or nvidia-docker); under "
        "WSL, install the NVIDIA driver in Windows, not in Linux; a laptop with an AMD or Intel GPU only cannot "
        "use CUDA: use the CPU build of torch. If there is an NVIDIA GPU, install its driver from NVIDIA and "
        "reboot.",
        "zh": "{value:@finding.nodriver_seen}仅凭贴出的内容无法判断：这台机器是没有 NVIDIA 显卡，还是有显卡但驱动没有"
        "运行。请在那台机器上检查：运行 nvidia-smi（驱动正常时会列出显卡）；如果在容器里，启动时要带上 GPU（docker "
        "run --gpus all，或用 nvidia-docker）；如果在 WSL 里，驱动要装在 Windows 上，而不是 Linux 里；只有 AMD 或 "
        "Intel 显卡的笔记本用不了 CUDA，请安装 CPU 版 torch。如果确实有 NVIDIA 显卡，请从 NVIDIA 官网安装驱动并"
        "重启。",
    },
    "finding.nodriver_seen.torch": {
        "en": 'torch says "Found no NVIDIA driver on your system".',
        "zh": "torch 提示“Found no NVIDIA driver on your system”。",
    },
    "finding.nodriver_seen.smi": {
        "en": "nvidia-smi cannot reach the NVIDIA driver (or is not there at all).",
        "zh": "nvidia-smi 无法连接 NVIDIA 驱动（或者根本没有 nvidia-smi）。",
    },
    "finding.nodriver_seen.collect_env": {
        "en": "torch is a CUDA build but CUDA is not available, and collect_env found no GPU and no driver "
        '("Could not collect" / "No CUDA").',
        "zh": "torch 是 CUDA 版，但 CUDA 不可用，collect_env 也没有找到显卡和驱动（显示“Could not collect”或"
        "“No CUDA”）。",
    },
    "finding.nodriver_seen.other": {"en": "No NVIDIA driver answered.", "zh": "没有 NVIDIA 驱动响应。"},
    "finding.no-nvidia-gpu.title": {
        "en": "No NVIDIA GPU: PyTorch will run on the CPU",
        "zh": "没有 NVIDIA 显卡：PyTorch 将使用 CPU 运行",
    },
    "finding.no-nvidia-gpu.detail": {
        "en": "No NVIDIA GPU or driver was found. That is fine for most chapters of d2l: they run on the "
        "CPU, only more slowly. Install the CPU build of torch (it is much smaller than the CUDA builds). "
        "On Apple silicon, PyTorch can also use the GPU through MPS.",
        "zh": "没有找到 NVIDIA 显卡或驱动。这不影响学习《动手学深度学习》的大部分章节：代码可以在 CPU 上运行"
        "，只是慢一些。建议安装 CPU 版的 torch（比 CUDA 版小得多）。如果是 Apple 芯片的 Mac，PyTorch 还可以"
        "通过 MPS 使用 GPU。",
    },
    "finding.driver-too-old.title": {
        "en": "The NVIDIA driver[[ {driver}]] is too old for torch[[ {torch}]] (CUDA {torch_cuda})",
        "zh": "NVIDIA 驱动[[ {driver} ]]版本太旧，无法运行 torch[[ {torch}]]（CUDA {torch_cuda}）",
    },
    "finding.driver-too-old.detail": {
        "en": '[[Your driver runs CUDA up to {driver_cuda} (the "CUDA Version" that nvidia-smi shows; it '
        "is the newest CUDA the driver supports, not an installed toolkit). ]]This torch is built with CUDA "
        "{torch_cuda} and needs [[driver {needed} or newer||a newer driver]], so torch.cuda.is_available() "
        'is False ("The NVIDIA driver on your system is too old"). Either update the driver, or install a '
        "torch built for a CUDA your driver runs[[: {recommended} from {index_url}|| (choose one on "
        "{selector_url})]].",
        "zh": "[[你的驱动最高支持 CUDA {driver_cuda}（即 nvidia-smi 或 NVIDIA 控制面板“系统信息 → 组件”里显"
        "示的 CUDA 版本，它表示驱动能支持的最高 CUDA，不是你安装的 CUDA 工具包）。]]当前 torch 用 CUDA "
        "{torch_cuda} 编译，需要[[ {needed} 或更新的驱动||更新版本的驱动]]，所以 torch.cuda.is_available() "
        "为 False（报错“The NVIDIA driver on your system is too old”）。两种办法任选其一：升级显卡驱动；或者"
        "安装与驱动匹配的 torch[[：从 {index_url} 安装 {recommended}||（可在 {selector_url} 上选择）]]。",
    },
    "finding.gpu-arch-unsupported.title": {
        "en": "torch {torch} has no kernels for {gpu} (compute capability {cc})",
        "zh": "torch {torch} 不支持显卡 {gpu}（计算能力 {cc}）",
    },
    "finding.gpu-arch-unsupported.detail": {
        "en": "[[{gpu} is a {arch} GPU (compute capability {cc}, {sm}).||{gpu} has compute capability {cc} ("
        "{sm}).]] No GPU code in torch {torch} runs on it[[ (its architectures: {archs})]], so every CUDA "
        'operation fails with "no kernel image is available for execution on the device". Where a torch '
        "build covers this GPU, the fix below installs it. [[No PyTorch build carries code for a GPU older "
        "than compute capability {oldest}: for such a GPU, use||Where none does, use]] the CPU build of "
        "torch (the d2l chapters run on the CPU) or a newer GPU.",
        "zh": "[[{gpu} 属于 {arch} 架构（计算能力 {cc}，{sm}）。||{gpu} 的计算能力是 {cc}（{sm}）。]]torch "
        "{torch} 里没有能在它上面运行的 GPU 代码[[（它支持的架构：{archs}）]]，所以一旦在 GPU 上计算就会报错"
        "“no kernel image is available for execution on the device”。如果有支持这块显卡的 torch 版本，下面的"
        "修复命令会安装它。[[计算能力低于 {oldest} 的显卡没有任何 PyTorch 版本支持，这时||如果没有，]]请使用 "
        "CPU 版 torch（《动手学深度学习》的代码都可以在 CPU 上运行），或者换一块更新的显卡。",
    },
    "finding.gpu-arch-unknown.title": {
        "en": "Cannot tell whether torch {torch} supports {gpu}",
        "zh": "无法判断 torch {torch} 是否支持显卡 {gpu}",
    },
    "finding.gpu-arch-unknown.detail": {
        "en": "The compute capability of {gpu} is not known (the report gives only its name, and "
        "d2l-doctor's list of NVIDIA GPUs does not have it), so it cannot be checked against the "
        "architectures this torch carries: {archs}. Run d2l-doctor check on that machine itself to settle "
        "it.",
        "zh": "不知道 {gpu} 的计算能力（报告里只有显卡名称，d2l-doctor 的 NVIDIA 显卡列表里也没有它），所以"
        "无法与这个 torch 支持的架构（{archs}）进行比对。请在那台机器上直接运行 d2l-doctor check 来确认。",
    },
    # ---- CUDA & cuDNN ------------------------------------------------------------------------------------
    "finding.cuda-toolkit-newer-than-driver.title": {
        "en": "The CUDA toolkit {toolkit} is newer than your driver supports[[ (CUDA {driver_cuda})]]",
        "zh": "已安装的 CUDA 工具包 {toolkit} 比驱动支持的版本[[（CUDA {driver_cuda}）]]更新",
    },
    "finding.cuda-toolkit-newer-than-driver.detail": {
        "en": "The toolkit[[ in {path}]] [[needs driver {needed} or newer; you have {driver}||needs a newer "
        "driver than your {driver}]]. This matters only when you compile CUDA code yourself (nvcc, C++/CUDA "
        "extensions): torch installed with pip or conda carries its own CUDA runtime[[ (CUDA {torch_cuda})]] "
        "and does not use this toolkit. To compile, update the driver[[ or use a toolkit no newer than CUDA "
        "{driver_cuda}]].",
        "zh": "[[{path} 下的||这个]] CUDA 工具包[[需要 {needed} 或更新的驱动，而你的驱动是 {driver}||需要比"
        "你的驱动 {driver} 更新的驱动]]。这只影响自己编译 CUDA 代码（nvcc、C++/CUDA 扩展）的情况：用 pip 或 "
        "conda 安装的 torch 自带 CUDA 运行库[[（CUDA {torch_cuda}）]]，并不使用这个工具包，也不需要单独安装 "
        "CUDA 和 cuDNN。如果确实要编译，请升级驱动[[，或改用不高于 CUDA {driver_cuda} 的工具包]]。",
    },
    "finding.cudnn-mismatch.title": {
        "en": "torch {torch} loads cuDNN {loaded}, not the cuDNN {expected} it was built for",
        "zh": "torch {torch} 加载的 cuDNN（{loaded}）不是它对应的 cuDNN {expected}",
    },
    "finding.cudnn-mismatch.detail": {
        "en": "torch.backends.cudnn.version() reports {loaded} (major {loaded_major}); this torch build "
        "ships with cuDNN {expected}. Another cuDNN was found first, usually a different nvidia-cudnn wheel "
        "in this environment or a system cuDNN on the library path[[ (system cuDNN: {system})]]. "
        "Convolutions may fail or run slowly. Reinstall the cuDNN this torch expects.",
        "zh": "torch.backends.cudnn.version() 返回 {loaded}（主版本 {loaded_major}），而这个 torch 版本配套"
        "的是 cuDNN {expected}。说明先加载到了别的 cuDNN，通常是环境里装了另一个版本的 nvidia-cudnn 包，或者"
        "库路径上有系统安装的 cuDNN[[（系统 cuDNN：{system}）]]。卷积运算可能出错或变慢。请重新安装这个 "
        "torch 对应的 cuDNN。",
    },
    # ---- Python & conda ----------------------------------------------------------------------------------
    "finding.conda-32bit.title": {
        "en": "conda is the 32-bit ({platform}) version: PyTorch has no 32-bit packages",
        "zh": "安装的是 32 位 conda（{platform}）：PyTorch 没有 32 位版本",
    },
    "finding.conda-32bit.detail": {
        "en": "This conda installs packages for {platform} (x86). No torch release exists for it, so "
        'installing torch keeps failing ("No matching distribution found for torch"). Uninstall it and '
        "install the 64-bit (x86_64) Miniconda from {url} (mirror in China: {mirror_url}), then create the "
        "environment again.",
        "zh": "这个 conda 安装的是 {platform}（x86，32 位）的软件包，而 PyTorch 没有任何 32 位版本，所以安装"
        " torch 会一直失败（“No matching distribution found for torch”）。请卸载它，改装 64 位（文件名带 "
        "x86_64）的 Miniconda：{url}（国内可用清华镜像：{mirror_url}），然后重新创建环境。",
    },
    "finding.python-32bit.title": {
        "en": "Python {python} is 32-bit: PyTorch has no 32-bit packages",
        "zh": "Python {python} 是 32 位的：PyTorch 没有 32 位版本",
    },
    "finding.python-32bit.detail": {
        "en": "[[{executable} is||This Python is]] a 32-bit interpreter[[ ({machine})]]. pip finds no torch "
        'for it ("No matching distribution found for torch" or "not a supported wheel on this platform"). '
        'Install the 64-bit Python from {url} (the installer named "64-bit" / amd64) and create your '
        "environment with it.",
        "zh": "[[{executable} 是||这个 Python 是]] 32 位解释器[[（{machine}）]]，pip 找不到适合它的 torch（"
        "报“No matching distribution found for torch”或“not a supported wheel on this platform”）。请从 "
        "{url} 下载安装 64 位 Python（安装包名称带 64-bit 或 amd64），再用它创建环境。",
    },
    "finding.python-x86-on-arm64.title": {
        "en": "An Intel (x86_64) Python on an Apple-silicon Mac[[: torch stops at {last_torch}]]",
        "zh": "在 Apple 芯片的 Mac 上运行的是 Intel（x86_64）版 Python[[：torch 最高只能装到 {last_torch}]]",
    },
    "finding.python-x86-on-arm64.detail": {
        "en": "Python {python} runs under Rosetta[[ (conda platform: {conda_platform})]]. PyTorch stopped "
        "releasing macOS x86_64 wheels[[ after {last_torch}]], and under Rosetta it cannot use the Apple GPU "
        "(MPS). Install the arm64 Miniconda or Python and recreate the environment.",
        "zh": "Python {python} 通过 Rosetta 转译运行[[（conda 平台：{conda_platform}）]]。PyTorch [[在 "
        "{last_torch} 之后]]不再发布 macOS x86_64 版本，而且转译模式下用不了 Apple GPU（MPS）。请安装 arm64 "
        "版的 Miniconda 或 Python，并重新创建环境。",
    },
    "finding.python-unsupported.title": {
        "en": "No PyTorch release supports Python {python} on {platform}",
        "zh": "没有任何 PyTorch 版本支持 {platform} 上的 Python {python}",
    },
    "finding.python-unsupported.detail": {
        "en": 'pip will find no torch for this Python ("from versions: none").[[ The newest torch, '
        "{newest_torch}, supports Python {newest_range}.]][[ Use Python {suggested}: it works with the "
        "newest torch and with the d2l package's pinned dependencies.|| Use a Python that PyTorch "
        "supports.]]",
        "zh": "pip 找不到适合这个 Python 版本的 torch（报“from versions: none”）。[[最新的 torch "
        "{newest_torch} 支持 Python {newest_range}。]][[建议改用 Python {suggested}，它既能安装最新的 torch，"
        "也能顺利安装 d2l 包固定的依赖版本，例如 conda create -n d2l python={suggested}。||请改用 PyTorch "
        "支持的 Python 版本。]]",
    },
    # ---- PyTorch stack -----------------------------------------------------------------------------------
    "finding.torch-missing.title": {"en": "PyTorch is not installed", "zh": "没有安装 PyTorch"},
    "finding.torch-missing.detail": {
        "en": "torch is not installed in this Python[[ ({python})]]. [[The command below installs "
        "{recommended} from {index_url}: the newest build for this Python, operating system, driver and "
        "GPU.||Choose the build for this computer on {selector_url}.]][[ Jupyter kernels on this machine start "
        "Pythons that have torch: {elsewhere}; to examine one of them, run `d2l-doctor check --python PATH` "
        "(or activate its environment first).]]",
        "zh": "这个 Python 环境[[（Python {python}）]]里没有安装 torch。[[下面的命令会从 {index_url} 安装 "
        "{recommended}：这是适合当前 Python、操作系统、显卡驱动和显卡的最新版本。||请在 {selector_url} 上选择"
        "适合这台电脑的版本。]][[这台机器上的 Jupyter 内核所用的这些 Python 装有 torch：{elsewhere}；"
        "要检查其中一个，请运行 `d2l-doctor check --python 路径`（或先激活它的环境）。]]",
    },
    "finding.torch-import-crashed.title": {
        "en": "import torch {how:@finding.how}",
        "zh": "导入 torch 时{how:@finding.how}",
    },
    "finding.torch-import-crashed.detail": {
        "en": "Importing torch[[ {torch}]] {how:@finding.how}. Common causes: a damaged or "
        "partial install, a build for another CPU or OS, or conflicting native libraries in this "
        "environment. Reinstall torch; if it still crashes, create a fresh environment.",
        "zh": "导入 torch[[ {torch}]] 时{how:@finding.how}。常见原因：安装文件损坏或不完整"
        "、装了不适合当前 CPU 或系统的版本、环境里有相互冲突的底层库。请重新安装 torch；如果仍然崩溃，建议新"
        "建一个干净的环境。",
    },
    "finding.torch-import-failed.title": {"en": "import torch fails", "zh": "import torch 失败"},
    "finding.torch-import-failed.detail": {
        "en": 'torch[[ {torch}]] is installed but importing it [[raises: {error}||fails]]. On Windows "DLL '
        'load failed" usually means a damaged install, a torch that does not match the rest of the stack, '
        "or a missing Microsoft Visual C++ runtime. Reinstall torch.",
        "zh": "已安装 torch[[ {torch}]]，但导入时[[报错：{error}||出错]]。在 Windows 上，“DLL load failed”通"
        "常是安装文件损坏、torch 与其他库版本不匹配，或缺少 Microsoft Visual C++ 运行库。请重新安装 torch。",
    },
    "finding.cuda-not-available.title": {
        "en": "torch[[ {torch}]] says CUDA is not available[[ on a machine with {gpu}]]",
        "zh": "torch[[ {torch}]] 报告 CUDA 不可用[[（本机有 {gpu}）]]",
    },
    "finding.cuda-not-available.detail": {
        "en": "What is shown does not say which torch build is installed, and the two usual causes need "
        "different fixes. Run `python -c \"import torch; print(torch.version.cuda or 'cpu-only')\"` in the "
        "same environment: cpu-only means a CPU-only build (on Windows, `pip install torch` from PyPI or a "
        "PyPI mirror always gives one): [[install {recommended} from {index_url}||choose a CUDA build on "
        "{selector_url}]]. A CUDA version means the build is right and the NVIDIA driver is not answering or "
        "too old: run `nvidia-smi` and `d2l-doctor check` on that machine.",
        "zh": "从现有信息看不出装的是哪个 torch 版本，而两种常见原因的修法不同。请在同一个环境里运行 "
        "`python -c \"import torch; print(torch.version.cuda or 'cpu-only')\"`：输出 cpu-only 说明是 "
        "CPU 版（在 Windows 上，直接从 PyPI 或清华等 PyPI 镜像 pip install torch 装到的总是 CPU 版），"
        "[[请从 {index_url} 安装 {recommended}||请在 {selector_url} 上选择 CUDA 版本]]；输出一个 CUDA "
        "版本号则说明 torch 没装错，是 NVIDIA 驱动没有响应或版本太旧：请在那台机器上运行 `nvidia-smi` 和 "
        "`d2l-doctor check`。",
    },
    "finding.torch-cpu-only.title": {
        "en": "torch[[ {torch}]] is a CPU-only build[[{check:@finding.cpu_title}||, but this machine has an NVIDIA "
        "GPU]]",
        "zh": "torch[[ {torch}]] 是 CPU 版[[{check:@finding.cpu_title}||，无法使用本机的 NVIDIA 显卡]]",
    },
    "finding.torch-cpu-only.detail": {
        "en": "[[{gpu} and its driver are ready, but this||This]] torch has no CUDA support, so .cuda() fails "
        'with "Torch not compiled with CUDA enabled".[[ {check:@finding.cpu_check}]] On Windows, `pip install '
        "torch` from PyPI (or a PyPI mirror) always gives the CPU build, and conda picks the CPU build when no "
        "CUDA build matches (cpuonly, py3.9_cpu_0); CUDA builds come from the PyTorch index. [[Install "
        "{recommended} from {index_url}.||Choose a CUDA build on {selector_url}.]]",
        "zh": "[[显卡 {gpu} 和驱动都正常，但||]]这个 torch 不支持 CUDA，调用 .cuda() 会报“Torch not compiled "
        "with CUDA enabled”。[[{check:@finding.cpu_check}]]在 Windows 上，直接 pip install torch（包括通过清华等 "
        "PyPI 镜像）装到的总是 CPU 版；conda 找不到匹配的 CUDA 版时也会装 CPU 版（cpuonly、py3.9_cpu_0）；CUDA "
        "版要从 PyTorch 官方的下载源安装。[[请从 {index_url} 安装 {recommended}。||请在 {selector_url} 上选择 "
        "CUDA 版本。]]",
    },
    "finding.cpu_title.gpu_unknown": {
        "en": ": it cannot use an NVIDIA GPU",
        "zh": "，无法使用 NVIDIA 显卡",
    },
    "finding.cpu_check.gpu_unknown": {
        "en": "The paste does not show whether this machine has an NVIDIA GPU: run nvidia-smi there. If it "
        "lists a GPU, install a CUDA build of torch; if it has none (or an AMD/Intel GPU only), the CPU build "
        "is the right one.",
        "zh": "贴出的内容看不出这台机器有没有 NVIDIA 显卡：请在那台机器上运行 nvidia-smi。如果列出了显卡，请安装 "
        "CUDA 版 torch；如果没有 NVIDIA 显卡（或只有 AMD/Intel 显卡），CPU 版就是对的。",
    },
    "finding.torchvision-missing.title": {"en": "torchvision is not installed", "zh": "没有安装 torchvision"},
    "finding.torchvision-missing.detail": {
        "en": "d2l's PyTorch code (from d2l import torch as d2l) imports torchvision. [[The torchvision "
        "that matches torch {torch} is {expected}, from the same index as torch.||Install the torchvision "
        "release made for torch {torch}, from the same index as torch.]]",
        "zh": "d2l 的 PyTorch 代码（from d2l import torch as d2l）需要导入 torchvision。[[与 torch {torch}"
        " 配套的是 torchvision {expected}，应与 torch 从同一个下载源安装。||请安装与 torch {torch} 配套的 "
        "torchvision，并与 torch 从同一个下载源安装。]]",
    },
    "finding.torchvision-mismatch.title": {
        "en": "torchvision {version} does not match torch {torch}",
        "zh": "torchvision {version} 与 torch {torch} 不匹配",
    },
    "finding.torchvision-mismatch.detail": {
        "en": "torchvision must be built for the exact torch installed. [[This one is for torch "
        "{paired_torch}||This one was built for another torch]][[ (build {variant})]]; torch is {torch}[[ "
        '(build {torch_variant})]]. Typical errors: "operator torchvision::nms does not exist", "compiled '
        'with different CUDA major versions". [[Install torchvision {expected} from the same index as '
        "torch.||Install the torchvision release made for torch {torch}, from the same index as torch.]]",
        "zh": "torchvision 必须与已安装的 torch 版本、构建严格对应。当前这个 torchvision[[（{variant} 构建）"
        "|| ]]是给[[ torch {paired_torch} ||另一个版本的 torch ]]用的，而 torch 是 {torch}[[（"
        "{torch_variant} 构建）]]。常见报错：“operator torchvision::nms does not exist”、“compiled with "
        "different CUDA major versions”。[[请从与 torch 相同的下载源安装 torchvision {expected}。||请从与 "
        "torch 相同的下载源安装与 torch {torch} 配套的 torchvision。]]",
    },
    "finding.torchaudio-mismatch.title": {
        "en": "torchaudio {version} does not match torch {torch}",
        "zh": "torchaudio {version} 与 torch {torch} 不匹配",
    },
    "finding.torchaudio-mismatch.detail": {
        "en": "torchaudio must be built for the exact torch installed. [[This one is for torch "
        "{paired_torch}||This one was built for another torch]][[ (build {variant})]]; torch is {torch}[[ "
        "(build {torch_variant})]]. The d2l chapters do not need torchaudio: [[install the matching release "
        "({expected}), or uninstall it.||uninstall it.]]",
        "zh": "torchaudio 必须与已安装的 torch 严格对应。当前这个 torchaudio[[（{variant} 构建）|| ]]是给[[ "
        "torch {paired_torch} ||另一个版本的 torch ]]用的，而 torch 是 {torch}[[（{torch_variant} 构建）]]。"
        "《动手学深度学习》用不到 torchaudio：[[请安装配套的版本（{expected}），或者直接卸载它。||直接卸载它"
        "即可。]]",
    },
    "finding.pillow-broken.title": {
        "en": "Pillow (PIL) is broken[[: torchvision {torchvision} cannot load it]]",
        "zh": "Pillow（PIL）损坏[[，torchvision {torchvision} 无法加载]]",
    },
    "finding.pillow-broken.detail": {
        "en": "Importing Pillow[[ {pillow}]] fails[[: {error}]].[[ torchvision {torchvision} imports Pillow, so "
        '`import torchvision` fails too (on Windows often as "DLL load failed"), although torchvision itself '
        "is fine; reinstalling torchvision does not help.]] Uninstall Pillow and install it again.",
        "zh": "导入 Pillow[[ {pillow}]] 失败[[：{error}]]。[[torchvision {torchvision} 依赖 Pillow，所以 import "
        "torchvision 也会失败（在 Windows 上常见报错是“DLL load failed”），其实 torchvision 本身没有问题，重装 "
        "torchvision 也没用。]]请先卸载 Pillow 再重新安装（pip uninstall pillow，然后 pip install pillow）。",
    },
    "finding.torchvision-pillow-version.title": {
        "en": "Pillow[[ {pillow}]] is too new for torchvision[[ {torchvision}]]",
        "zh": "Pillow[[ {pillow}]] 对 torchvision[[ {torchvision}]] 来说太新了",
    },
    "finding.torchvision-pillow-version.detail": {
        "en": 'torchvision before 0.5 imports PILLOW_VERSION, which Pillow 7 removed: "cannot import name '
        "'PILLOW_VERSION' from 'PIL'\". Install Pillow older than {pillow_below}, or a newer torch and "
        "torchvision.",
        "zh": "0.5 之前的 torchvision 会导入 PILLOW_VERSION，而 Pillow 7 删除了它，于是报错“cannot import "
        "name 'PILLOW_VERSION' from 'PIL'”。请安装低于 {pillow_below} 的 Pillow，或者升级 torch 和 "
        "torchvision。",
    },
    "finding.numpy-abi-mismatch.title": {
        "en": "NumPy[[ {numpy}]] is too new for torch[[ {torch}]]",
        "zh": "NumPy[[ {numpy}]] 对 torch[[ {torch}]] 来说太新了",
    },
    "finding.numpy-abi-mismatch.detail": {
        "en": "This torch was compiled against NumPy 1.x (torch 2.2 and older; on Windows also 2.3 and "
        '2.4.0), so with NumPy 2 it warns "_ARRAY_API not found" and converting between tensors and arrays '
        "fails. Install numpy<{numpy_below}, or a newer torch.",
        "zh": "这个 torch 是基于 NumPy 1.x 编译的（torch 2.2 及更早版本；Windows 上还包括 2.3 和 2.4.0），遇"
        "到 NumPy 2 会提示“_ARRAY_API not found”，张量与数组之间的转换也会出错。请安装 numpy<{numpy_below}，"
        "或者升级 torch。",
    },
    "finding.torchvision-image-extension.title": {
        "en": "torchvision[[ {torchvision}]] cannot load its image extension",
        "zh": "torchvision[[ {torchvision}]] 无法加载图像扩展",
    },
    "finding.torchvision-image-extension.detail": {
        "en": "Importing torchvision warns that its image extension did not load[[: {error}]]. torchvision "
        "works, but torchvision.io cannot read JPEG or PNG files, so the d2l sections that load images with "
        "torchvision.io.read_image (the banana detection and Pascal VOC data sets) fail. This is not Pillow: "
        "usually the torchvision was built for another torch[[ than the installed {torch}]], or libjpeg/libpng "
        "cannot load. Install the torchvision that matches torch.",
        "zh": "导入 torchvision 时警告其图像扩展未能加载[[：{error}]]。torchvision 本身可用，但 torchvision.io "
        "无法读取 JPEG 或 PNG 文件，因此 d2l 中用 torchvision.io.read_image 读取图像的章节（香蕉检测数据集和 "
        "Pascal VOC 数据集）会出错。这与 Pillow 无关：通常是 torchvision 与[[已安装的 torch {torch}||torch]] "
        "不匹配，或者 libjpeg/libpng 无法加载。请安装与 torch 匹配的 torchvision。",
    },
    "finding.import-failed.title": {"en": "import {module} fails", "zh": "import {module} 失败"},
    "finding.import-failed.detail": {
        "en": "{module} {version} is installed but importing it {how:@finding.how}[[: {error}]]. "
        "Reinstalling it usually helps.",
        "zh": "已安装 {module} {version}，但导入时{how:@finding.how}[[：{error}]]。通常重新安装即可解决。",
    },
    # ---- Jupyter -----------------------------------------------------------------------------------------
    "finding.jupyter-kernel-missing.title": {
        "en": "This environment is not registered as a Jupyter kernel",
        "zh": "当前环境没有注册为 Jupyter 内核",
    },
    "finding.jupyter-kernel-missing.detail": {
        "en": "[[{installed} is installed here, but no Jupyter kernel starts {python}.||Jupyter runs from "
        "{jupyter}, but this environment has no ipykernel, so no Jupyter kernel starts {python}.]] A notebook "
        "opened from another environment (e.g. conda's base) will not list this one, and `import torch` or "
        '`import d2l` fails there with ModuleNotFoundError. Register it as the kernel "{display_name}" (name '
        "{name}); check with `jupyter kernelspec list`.[[ With conda, `conda install -n base {conda_alt}` "
        "instead shows every conda environment that has ipykernel.]]",
        "zh": "[[这个环境里装了 {installed}，但没有任何 Jupyter 内核会启动 {python}。||Jupyter 运行在 "
        "{jupyter}，而这个环境没有 ipykernel，所以没有任何 Jupyter 内核会启动 {python}。]]从其他环境（比如 "
        "conda 的 base）打开的 Jupyter 看不到这个环境，在笔记本里 import torch 或 import d2l 会报 "
        "ModuleNotFoundError。请把它注册为内核“{display_name}”（名称 {name}），之后可以用 jupyter "
        "kernelspec list 查看。[[使用 conda 时，也可以改为 `conda install -n base {conda_alt}`，"
        "它会列出所有装有 ipykernel 的 conda 环境。]]",
    },
    "finding.jupyter-kernel-stale.title": {
        "en": 'The Jupyter kernel "{display_name}" points to a Python that no longer exists',
        "zh": "Jupyter 内核“{display_name}”指向的 Python 已经不存在",
    },
    "finding.jupyter-kernel-stale.detail": {
        "en": "The kernel {name} ({resource_dir}) starts [[{argv0}, which is gone||an interpreter that is "
        "gone]] (its environment was probably deleted). Jupyter still lists it, and it never starts. Remove "
        "the kernel.",
        "zh": "内核 {name}（{resource_dir}）要启动的[[ {argv0} ||解释器]]已经不存在（对应的环境可能被删除了"
        "）。Jupyter 仍会列出它，但永远启动不了。请删除这个内核。",
    },
    "finding.matplotlib-ipython-backend2gui.title": {
        "en": "matplotlib[[ {matplotlib}]] cannot plot in Jupyter with IPython[[ {ipython}]]",
        "zh": "matplotlib[[ {matplotlib}]] 在 IPython[[ {ipython}]] 的 Jupyter 中无法绘图",
    },
    "finding.matplotlib-ipython-backend2gui.detail": {
        "en": "matplotlib before {fixed} imports backend2gui from IPython when pyplot is imported in a kernel, and "
        "IPython {removed} removed it: \"cannot import name 'backend2gui' from 'IPython.core.pylabtools'\". "
        "The book imports in a terminal, and its first plot fails in the notebook. d2l 1.0.3 pins matplotlib "
        "3.7.2, so install an IPython older than {removed}.",
        "zh": "{fixed} 之前的 matplotlib 在内核中导入 pyplot 时会从 IPython 导入 backend2gui，而 IPython "
        "{removed} 删除了它：“cannot import name 'backend2gui' from 'IPython.core.pylabtools'”。在终端里一切"
        "正常，到了笔记本里第一张图就失败。d2l 1.0.3 固定了 matplotlib 3.7.2，所以请安装 {removed} 之前的 "
        "IPython。",
    },
    "finding.nbconvert-jinja2-contextfilter.title": {
        "en": "nbconvert[[ {nbconvert}]] does not work with Jinja2[[ {jinja2}]]",
        "zh": "nbconvert[[ {nbconvert}]] 与 Jinja2[[ {jinja2}]] 不兼容",
    },
    "finding.nbconvert-jinja2-contextfilter.detail": {
        "en": 'Jinja2 {jinja2_from} removed contextfilter, which nbconvert before {fixed} imports: "cannot '
        "import name 'contextfilter' from 'jinja2'\". Jupyter then answers notebook pages with error "
        "500. Upgrade nbconvert to {fixed} or newer (in the environment that runs the Jupyter server).",
        "zh": "Jinja2 {jinja2_from} 删除了 contextfilter，而 {fixed} 之前的 nbconvert "
        "会导入它，于是报错“cannot import name 'contextfilter' from 'jinja2'”，打开笔记本时 Jupyter 返回 "
        "500 错误。请把 nbconvert 升级到 {fixed} 或更新版本（在运行 Jupyter 服务的那个环境里，相当于 conda "
        "update nbconvert）。",
    },
    # ---- d2l ---------------------------------------------------------------------------------------------
    "finding.d2l-pins-unsatisfiable.title": {
        "en": "`pip install d2l` fails on Python {python}",
        "zh": "在 Python {python} 上 pip install d2l 会失败",
    },
    "finding.d2l-pins-unsatisfiable.detail": {
        "en": "pip picks d2l {d2l}, which pins exact versions ({pins}) that have no ready-made wheels for "
        'this Python, so pip tries to build them from source and fails (e.g. "pkgutil has no attribute '
        'ImpImporter").[[ d2l {d2l} installs cleanly on Python {works_on}: either use such a Python, or|| '
        "Either use another Python, or]] install current versions of its dependencies first and then d2l "
        "{d2l} without its pins (the commands below).",
        "zh": "pip 会选择 d2l {d2l}，它把依赖固定在特定版本（{pins}），这些版本没有适合当前 Python 的预编译"
        "安装包，pip 只能从源码编译，结果失败（例如报“pkgutil has no attribute ImpImporter”）。[[d2l {d2l} "
        "在 Python {works_on} 上可以顺利安装。解决办法：换用这些 Python 版本；||解决办法：换用其他 Python 版"
        "本；]]或者按下面的命令，先安装这些依赖的新版本，再用 --no-deps 安装 d2l {d2l}。",
    },
    "finding.d2l-missing.title": {"en": "The d2l package is not installed", "zh": "没有安装 d2l 包"},
    "finding.d2l-missing.detail": {
        "en": "The book's code imports it (from d2l import torch as d2l). d2l {d2l} installs on Python "
        "{python}.",
        "zh": "书中的代码需要导入它（from d2l import torch as d2l）。d2l {d2l} 可以在 Python {python} 上安装"
        "。",
    },
    # ---- a label in the facts (`-v`): what an import printed, one line each ----------------------------------
    "finding.label.import_warning": {"en": "import {module} warned", "zh": "import {module} 时的警告"},
    # ---- how an import went wrong ({how:@finding.how}): "timeout", a signal name, or "error" ---------------
    "finding.how.timeout": {"en": "hung and was stopped", "zh": "卡住，被强制终止"},
    "finding.how.error": {"en": "fails", "zh": "出错"},
    "finding.how.other": {"en": "crashed the interpreter ({value})", "zh": "导致 Python 崩溃（{value}）"},
    # ---- manual fix steps --------------------------------------------------------------------------------
    "finding.manual.install-driver": {
        "en": "Install or update the NVIDIA driver from NVIDIA's download page, then restart the computer.",
        "zh": "从 NVIDIA 官网下载并安装（或升级）显卡驱动，然后重启电脑。",
    },
    "finding.manual.install-miniconda64": {
        "en": "Uninstall the 32-bit Miniconda and install the 64-bit (x86_64) one, then recreate your "
        "environment.",
        "zh": "卸载 32 位 Miniconda，安装 64 位（x86_64）版本，然后重新创建环境。",
    },
    "finding.manual.install-miniconda-arm64": {
        "en": "Install the arm64 (Apple silicon) Miniconda or Python, then recreate your environment.",
        "zh": "安装 arm64（Apple 芯片）版的 Miniconda 或 Python，然后重新创建环境。",
    },
    "finding.manual.install-python64": {
        "en": "Install the 64-bit Python and create your environment with it.",
        "zh": "安装 64 位 Python，并用它重新创建环境。",
    },
    "finding.manual.use-python": {
        "en": "Install a Python version that PyTorch supports and create your environment with it.",
        "zh": "安装 PyTorch 支持的 Python 版本，并用它重新创建环境。",
    },
    "finding.manual.gpu-too-old": {
        "en": "No PyTorch build runs on this GPU: install the CPU build of torch (the d2l chapters run on "
        "the CPU), or use a newer NVIDIA GPU.",
        "zh": "没有任何 PyTorch 版本能在这块显卡上运行：请安装 CPU 版 torch（《动手学深度学习》的代码都可以"
        "在 CPU 上运行），或者换一块更新的 NVIDIA 显卡。",
    },
    "finding.manual.msvc-redist": {
        "en": "Install the Microsoft Visual C++ Redistributable (x64).",
        "zh": "安装 Microsoft Visual C++ 运行库（x64）。",
    },
}
