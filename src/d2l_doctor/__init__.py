"""d2l-doctor: diagnose and repair PyTorch set-ups for Dive into Deep Learning."""

from d2l_doctor.version import __version__

__all__ = ["__version__", "load_ipython_extension"]


def load_ipython_extension(ipython: object) -> None:
    """`%load_ext d2l_doctor` in a notebook: adds `%d2l_doctor`, which examines the kernel's own Python."""
    from d2l_doctor.notebook.magic import register

    register(ipython)
