"""d2l-doctor: diagnose and repair PyTorch set-ups for Dive into Deep Learning."""

__version__ = "0.1.0"
