"""`d2l-doctor fix`'s domain: findings -> plan (planner) -> transactions (transaction) -> preflight of the
download hosts (preflight) -> run, each transaction measured and rolled back on failure (run, executor,
progress), with a snapshot before (state), one run per environment (lock) and a way back (undo).

commands: a FixAction as argv; shell: that argv quoted for bash, PowerShell or cmd; conda_steps: conda's share
of a plan; render / render_run: how plans, runs and outcomes are shown. The commands live in d2l_doctor.commands.
"""
