"""The Cluster Grid generator: YAML records in, Markdown pages out, a MkDocs site at the end.

Stages, each its own module, run in order by :func:`generator.build.build`:
load -> validate -> model -> render -> write -> mkdocs build.
"""
