"""`d2l-doctor fix`'s domain: findings -> plan (planner) -> run (executor) with a snapshot before (state) and a
way back (undo).

commands: a FixAction as argv; shell: that argv quoted for bash, PowerShell or cmd; conda_steps: conda's share
of a plan; render: how plans and outcomes are shown. The command itself lives in d2l_doctor.commands.
"""
