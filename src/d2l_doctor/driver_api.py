"""What the CUDA driver's version integers mean (stdlib only: the probes and the report reader both need it)."""


def cuda_from_driver_api(value: int) -> str:
    """The newest CUDA a driver runs, from cuDriverGetVersion / nvmlSystemGetCudaDriverVersion / torch's "found
    version NNNNN": 1000*major + 10*minor, so 12040 -> "12.4", 9020 -> "9.2" (CUDA driver API docs:
    "CUDA 9.2 would be represented by 9020")."""
    return f"{value // 1000}.{value % 1000 // 10}"
