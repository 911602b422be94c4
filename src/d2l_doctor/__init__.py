"""d2l-doctor: diagnose and repair PyTorch set-ups for Dive into Deep Learning."""

__version__ = "0.1.0"


def load_ipython_extension(ipython: object) -> None:
    """`%load_ext d2l_doctor` in a notebook: adds `%d2l_doctor`, which examines the kernel's own Python."""
    from d2l_doctor.notebook.magic import register

    register(ipython)
