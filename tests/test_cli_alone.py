"""An export's command line is read by the export command's parser alone (``parser(
"export", alone=True)``): the same arguments as the whole parser gives, and what it does
not take goes to the whole parser for argparse's own message."""
from __future__ import annotations

import pytest

import banmian_cli as cli


@pytest.mark.parametrize("argv", [
    ["export", "a.yaml", "-o", "a.pdf"],
    ["export", "a.yaml"],
    ["export", "a.yaml", "--print", "--force", "--pages", "1-4"],
    ["export", "a.yaml", "--png", "--dpi", "72", "-o", "dir"],
    ["export", "--outl", "-o", "x.pdf", "a.yaml", "--layers", "all", "--round", "3"],
    ["export", "a.yaml", "--no-round", "--allow-outside", "--watermark"],
])
def test_the_export_parser_alone_reads_as_the_whole_one(argv):
    alone = cli.parser("export", alone=True).parse_args(argv)
    whole = cli.parser("export").parse_args(argv)
    assert vars(alone) == vars(whole)


@pytest.mark.parametrize("argv", [
    ["export"], ["export", "a.yaml", "--print", "--png"], ["export", "a.yaml", "--dpi", "x"],
    ["export", "a.yaml", "--layers", "some"], ["export", "a.yaml", "--bogus"],
])
def test_what_the_export_parser_alone_refuses_argparse_reports(argv, capsys):
    with pytest.raises(cli._Retry):
        cli.parser("export", alone=True).parse_args(argv)
    with pytest.raises(SystemExit) as exc:              # argparse's usage error, exit 2
        cli.main(argv)
    assert exc.value.code == 2 and "usage: main.py" in capsys.readouterr().err


def test_a_bad_export_line_gets_argparses_message(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", "a.yaml", "--print", "--png"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "not allowed with argument" in err and "usage: main.py export" in err


# ------------------------------------------------------------ read by hand (common/argv.py)
def _export_parser():
    ap = cli.parser("export")
    return ap._subparsers._group_actions[0].choices["export"]


def test_the_table_read_by_hand_is_the_export_parsers():
    import argparse
    from common import argv

    table = cli.EXPORT_ARGS
    flags, values, defaults, exclusive = {}, {}, {}, []
    sub = _export_parser()
    for action in sub._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        defaults[action.dest] = action.default
        if not action.option_strings:
            assert action.nargs is None and action.dest in table.positionals
            continue
        for s in action.option_strings:
            if isinstance(action, argparse._StoreTrueAction):
                flags[s] = action.dest
            else:
                assert type(action) is argparse._StoreAction and action.nargs is None
                values[s] = (action.dest, action.type,
                             tuple(action.choices) if action.choices else None)
    for group in sub._mutually_exclusive_groups:
        exclusive.append(tuple(a.dest for a in group._group_actions))
    assert table.flags == flags and table.values == values
    assert table.defaults == defaults and tuple(table.exclusive) == tuple(exclusive)
    assert table.positionals == ("issue",) and isinstance(table, argv.Options)


def _argparse_reads(argv):
    import contextlib
    import io
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            got = vars(cli.parser("export").parse_args(argv))
    except SystemExit:
        return None
    got.pop("func")
    return got


_TOKENS = ["a.yaml", "b.pdf", "-o", "--output", "--pages", "1-4", "--proof", "--print", "--png",
           "--dpi", "72", "x", "-5", " 7 ", "", "--force", "--watermark", "--outlines",
           "--layers", "all", "some", "printing", "--allow-outside", "--round", "3",
           "--no-round", "--", "--out", "--dpi=5", "-ox.pdf", "-h", "--help", "-", "a b",
           "-o x", "export"]


def test_what_is_read_by_hand_argparse_reads_the_same():
    import random
    from common.argv import read

    rnd = random.Random(15)
    lines = [["export", "a.yaml", "-o", "b.pdf"], ["export", "a.yaml"], ["export"],
             ["check", "a.yaml"], ["export", "a.yaml", "--dpi", "٧٢"],
             ["export", "a.yaml", "--dpi", "1_0"], ["export", "", "-o", ""]]
    lines += [["export"] + rnd.choices(_TOKENS, k=rnd.randint(0, 7)) for _ in range(3000)]
    read_by_hand = 0
    for argv in lines:
        got = read(argv, cli.EXPORT_ARGS)
        if got is not None:
            read_by_hand += 1
            assert got == _argparse_reads(argv), argv
    assert read_by_hand > 200          # (plain lines are many among them)


def test_a_plain_export_line_is_not_read_by_argparse(monkeypatch):
    seen = []
    monkeypatch.setattr(cli, "cmd_export", lambda args: seen.append(vars(args).copy()) or 0)
    monkeypatch.setattr(cli, "parser", lambda *a, **k: pytest.fail("argparse used"))
    assert cli.main(["export", "a.yaml", "-o", "b.pdf", "--print", "--dpi", "300"]) == 0
    (got,) = seen
    assert (got["issue"], got["output"], got["print"], got["dpi"], got["layers"]) == \
        ("a.yaml", "b.pdf", True, 300, "visible")
    assert got["process_ends"] is False and got["command"] == "export"
