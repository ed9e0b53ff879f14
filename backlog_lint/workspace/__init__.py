"""The workspace: what the cross-file rules know about the whole project.

- ``index``: item IDs, index rows and dependency edges across files;
- ``status``: what done and open mean;
- ``titles``: the comparison form of titles;
- ``legends``: labels a project defines;
- ``naming``: how messages name items and signals;
- ``files``: where documents live on disk.
"""
