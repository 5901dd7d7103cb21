"""Helpers that the tests and the benchmark scripts share (not part of the application).

- ``support.paths``: the project's folders, the bundled sample issue, the seed page
- ``support.fakefont``: a square-metrics font set (exact, hand-computable metrics)
- ``support.bigissue``: big issues built from the sample's pages and stories
- ``support.standin``: a font set over an installed TrueType file, full synthetic pages

Installed with the project (editable), so ``python bench/x.py`` and the tests
import it without touching ``sys.path``.
"""
