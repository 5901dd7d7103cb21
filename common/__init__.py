"""Small utilities every layer of Banmian shares (no Qt, no fonts, no layout).

- ``common.fs``: atomic file writes and the cache directory
- ``common.jsoncache``: a lazily loaded JSON map saved atomically
- ``common.proc``: whether a process id is alive on this machine
- ``common.images``: opening images safely, with a per-call pixel limit

This package imports nothing else of Banmian; every other package may import it.
"""
