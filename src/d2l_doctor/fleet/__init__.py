"""Many machines in one picture: collect one report per machine through the engines sites already run (Slurm's
`srun`, Ansible), read a folder of reports, group the machines by findings and stack, one fix per group.

Domain code only: nothing here imports a command module. `reading` turns one file into a machine row,
`table` groups rows, `render_text` / `render_html` / `table.to_json` show them, `slurm` and `ansible` build the
engines' command lines and turn their outputs into report files, `failure` is the file a machine that could not
be checked leaves behind.
"""
