"""Stand-ins for NVIDIA's software, shared by the tests: a fake `pynvml` module and a fake `nvidia-smi`."""
