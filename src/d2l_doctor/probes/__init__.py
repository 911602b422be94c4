"""Facts about the machine and one Python environment, gathered into a Snapshot (probes.collect). No judgement
here. The package itself imports nothing: `check` starts its target from probes.resolve and probes.launch
before the rest of the doctor is imported (see probes/launch.py).
"""
