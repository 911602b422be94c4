#!/usr/bin/env bash
# Issue 11's speed targets, measured with bench/paired.py in alternating rounds (A B A B …, the ratio pair by pair):
#   check in a torch-only venv       <= 1.10 x  python -c "import torch"                 (same venv)
#   check in a d2l environment       <= 1.10 x  python -c "from d2l import torch as d2l"  (same env)
#   d2l-doctor --help                <  0.15 s;   the doctor's own process < 80 MiB (bench_check.py measures it)
# Usage: bench/bench_book.sh TORCH_VENV D2L_ENV [RUNS]   (each an environment folder with bin/python)
# Jupyter's folders are empty temporary ones, so the kernels of the machine running it do not count.
set -euo pipefail
torch_env=${1:?torch-only venv}; d2l_env=${2:?d2l environment}; runs=${3:-7}
# The console script itself: a version manager's shim in front of it (pyenv's is a shell script that costs about
# 0.1 s) is the machine's, not the doctor's. DOCTOR overrides.
doctor=${DOCTOR:-$(python -c 'import os, sys; print(os.path.join(os.path.dirname(sys.executable), "d2l-doctor"))')}
here=$(cd "$(dirname "$0")" && pwd)
jupyter=$(mktemp -d)
export JUPYTER_DATA_DIR="$jupyter" JUPYTER_PATH="" NO_COLOR=1
echo "## check vs import torch (torch-only venv)"
python "$here/paired.py" -n "$runs" --vs "$torch_env/bin/python -c 'import torch'" -- \
  "$doctor" check --python "$torch_env/bin/python"
echo "## check vs from d2l import torch as d2l (d2l environment)"
python "$here/paired.py" -n "$runs" --vs "$d2l_env/bin/python -c 'from d2l import torch as d2l'" -- \
  "$doctor" check --python "$d2l_env/bin/python"
echo "## --help"
python "$here/paired.py" -n "$runs" -- "$doctor" --help
rm -rf "$jupyter"
