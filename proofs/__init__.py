"""Proof rounds (校次), what changed between them, and corrections marked on a proof.

    from proofs import RoundStore, diff_rounds, read_annotations

``rounds``: each proof export records its round (the model and a summary of
the composed result) beside the issue.  ``diff``: the changes between two
rounds, as a list and as a marked-up PDF.  ``annotations``: highlights,
strike-outs, carets and notes read back from a marked proof and mapped to
story, paragraph and offset.  No Qt here; ``layoutview`` is the only module
that reads the layout result's types.
"""
from .rounds import Round, RoundStore, RoundError

__all__ = ["Round", "RoundStore", "RoundError"]
