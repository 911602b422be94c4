"""`d2l-doctor smoke-gpu`: real tensor work on each device in the target interpreter, every failure explained.

outcome.py reads what the payload (payload/smoke.py) reported, even when it crashed or hung; classify.py maps
each failure to a cause and the `check` finding that fixes it; commands/smoke.py runs it all; render_console.py and
render_json.py print it.
"""
