"""Renderers of a Diagnosis: the console checklist, one JSON document, and a Markdown report for forum posts.

Each renderer is imported only by the command that uses it, so `d2l-doctor --help` never loads rich.
"""
