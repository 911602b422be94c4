"""The commands: one module each (check, fix, fix_apply, fix_undo, smoke, notebook, fleet), orchestration only.
They call the domain folders (probes, rules, fixes, smoke, notebook, render); no domain folder imports a command."""
