"""A command's plain command line read by hand from a table of its options, without
argparse (argparse, its gettext and locale, and the shutil its help formatter imports,
with the parser made: 4–6 ms of a start).

``read`` takes only what argparse would read exactly so: the command's name first, each
option spelled out whole (no abbreviation, no ``--opt=value``, no ``-oVALUE``), given
once (or its other spelling), with a value that starts with no ``-``, and every positional argument.  Anything
else, help included, gives None, and argparse reads the line, as ever (its messages, its
help).  A table is kept beside its parser, and a test compares the two.
"""
from __future__ import annotations


class Options:
    """One command's arguments: ``positionals``, each one required and taking one value;
    ``flags``: option → destination (``store_true``); ``values``: option → (destination,
    converter or None, choices or None); ``defaults``: every destination's value when not
    given; ``exclusive``: groups of destinations of which one at most may be given."""

    __slots__ = ("command", "positionals", "flags", "values", "defaults", "exclusive")

    def __init__(self, command: str, positionals: tuple, flags: dict, values: dict,
                 defaults: dict, exclusive: tuple = ()):
        self.command = command
        self.positionals = positionals
        self.flags = flags
        self.values = values
        self.defaults = defaults
        self.exclusive = exclusive


def read(argv: list[str], table: Options) -> dict | None:
    """The destinations' values of ``argv`` (``["export", "ISSUE", "-o", "OUT"]``, as
    argparse sets them: the command under ``command``), or None wherever argparse
    might read it otherwise."""
    if not argv or argv[0] != table.command:
        return None
    got: dict = {}
    free: list = []
    i, n = 1, len(argv)
    while i < n:
        token = argv[i]
        i += 1
        if not token.startswith("-"):
            free.append(token)
            continue
        if token in table.flags:
            dest = table.flags[token]
            if dest in got:
                return None
            got[dest] = True
            continue
        spec = table.values.get(token)
        if spec is None or i >= n or argv[i].startswith("-") or spec[0] in got:
            return None
        dest, convert, choices = spec
        value = argv[i]
        i += 1
        if convert is not None:
            try:
                value = convert(value)
            except (TypeError, ValueError):
                return None
        if choices is not None and value not in choices:
            return None
        got[dest] = value
    if len(free) != len(table.positionals):
        return None
    for group in table.exclusive:
        if sum(1 for dest in group if dest in got) > 1:
            return None
    out = dict(table.defaults)
    out.update(zip(table.positionals, free))
    out.update(got)
    out["command"] = table.command
    return out
