"""The doctor's version, in a module of its own: the package's __init__ holds the IPython extension's entry,
which imports the notebook magic, so the modules below it must not import the package for its version."""

__version__ = "0.1.0"
