"""`d2l-doctor setup`: a d2l environment built from nothing (pythons, choose, target, plan, build, undo,
render); the command in commands/setup.py."""
