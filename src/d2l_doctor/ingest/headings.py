"""The headings of `python -m torch.utils.collect_env` as data: every spelling since torch 1.0 -> a field.

The script's format (torch/utils/collect_env.py, `env_info_fmt`) grew over the years:
  1.0-1.6   PyTorch version, Is debug build (Yes/No), CUDA used to build PyTorch, OS, GCC version,
            CMake version, Python version ("3.7"), Is CUDA available (Yes/No), CUDA runtime version,
            GPU models and configuration, Nvidia driver version, cuDNN version,
            Versions of relevant libraries ([pip]/[pip3]/[conda] lines)
  1.7       + ROCM used to build PyTorch, Clang version, "(64-bit runtime)", True/False for Yes/No,
            HIP runtime version, MIOpen runtime version
  1.8-1.12  + Libc version, Python platform, Is XNNPACK available
  1.13-2.0  + CUDA_MODULE_LOADING set to, CPU: (lscpu / wmic output)
  2.4+      + Is XPU available, XPU used to build PyTorch; 2.6+ Caching allocator config
vLLM ships a copy (vllm/collect_env.py) that adds ROCM Version, Neuron SDK Version, vLLM Version,
vLLM Build Flags, GPU Topology and environment variables; since 2025 it aligns "Heading    : value" under
===== banners. Matching is case-insensitive (hand-edited reports write "Os:" and "PyTorch Version").
"""

from __future__ import annotations

# field -> every spelling of its heading. Headings we do not read still end the previous field's block.
HEADINGS: dict[str, tuple[str, ...]] = {
    "torch_version": ("PyTorch version",),
    "debug_build": ("Is debug build",),
    "cuda_build": ("CUDA used to build PyTorch",),
    "rocm_build": ("ROCM used to build PyTorch",),
    "xpu_build": ("XPU used to build PyTorch",),
    "os": ("OS",),
    "gcc": ("GCC version",),
    "clang": ("Clang version",),
    "cmake": ("CMake version",),
    "libc": ("Libc version",),
    "python_version": ("Python version",),
    "python_platform": ("Python platform",),
    "cuda_available": ("Is CUDA available",),
    "cuda_runtime": ("CUDA runtime version",),
    "cuda_module_loading": ("CUDA_MODULE_LOADING set to",),
    "gpu_models": ("GPU models and configuration",),
    "driver": ("Nvidia driver version",),
    "cudnn": ("cuDNN version",),
    "xpu_available": ("Is XPU available",),
    "intel_gpu": ("Intel GPU driver version", "Intel GPU models onboard", "Intel GPU models detected"),
    "hip_runtime": ("HIP runtime version",),
    "miopen": ("MIOpen runtime version",),
    "xnnpack": ("Is XNNPACK available",),
    "caching_allocator": ("Caching allocator config",),
    "cpu": ("CPU", "CPU Info"),
    "libraries": ("Versions of relevant libraries", "Version of relevant libraries"),
    # vLLM's additions
    "rocm_version": ("ROCM Version",),
    "neuron": ("Neuron SDK Version",),
    "vllm_version": ("vLLM Version",),
    "vllm_build_flags": ("vLLM Build Flags",),
    "gpu_topology": ("GPU Topology",),
    "environment": ("Environment Variables",),
}

# Section titles that vLLM's script prints alone on a line between ===== banners (no colon).
BANNER_FIELDS = frozenset({"cpu", "libraries", "environment"})

# The headings that only collect_env prints: a text must show some of them to count as a report.
CORE_FIELDS = frozenset(
    {
        "torch_version",
        "cuda_build",
        "python_version",
        "cuda_available",
        "cuda_runtime",
        "gpu_models",
        "driver",
        "cudnn",
        "libraries",
        "os",
    }
)

# The first line collect_env prints (main()); "Collecting`environment" has been seen in pasted reports.
START_MARKERS = ("collecting environment information", "collecting`environment information")

# Values collect_env prints in place of a fact (pretty_str): what each means.
NOT_COLLECTED = "could not collect"  # None: the command failed or found nothing
NOT_APPLICABLE = (
    "n/a"  # not this kind of build (ROCm fields on CUDA, CUDA fields on ROCm), or torch not importable
)
NO_CUDA = (
    "no cuda"  # torch imported, CUDA not available, and nvcc, nvidia-smi and the GPU query all found nothing
)
NONE = "none"  # torch.version.cuda of a CPU build (when the other CUDA fields were missing)
TRUE_WORDS = ("true", "yes")
FALSE_WORDS = ("false", "no")
