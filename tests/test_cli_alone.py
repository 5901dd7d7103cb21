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
