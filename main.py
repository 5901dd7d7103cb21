#!/usr/bin/env python3
"""Banmian (版面): lay out and edit newspaper print pages — the command line.

The commands live in ``banmian_cli`` (see its docstring: ``python main.py export ...``),
a module, whose compiled bytecode Python keeps: a script's own is compiled again
on every run (10 ms for the whole command line).  ``import main`` gives that module.
"""
import sys

if __name__ == "__main__":
    bundle = None
    if next((a for a in sys.argv[1:] if not a.startswith("-")), None) == "export":
        # the cyclic collector off from the start: the export pauses it for its work
        # anyway (banmian_cli.cmd_export); its passes over the modules imported before
        # (a module's objects live to the end) would find nothing to free
        import gc
        gc.disable()
        # an export's modules from one file of code objects (common/importbundle.py)
        from common import importbundle as bundle

        bundle.install("export")
        from common.lazymodule import defer
        # urllib.parse, which pathlib imports for Path.as_uri and ReportLab's lib.utils
        # to read URLs, neither of which an export does: held unexecuted, the functions
        # they take from it answered by stand-ins that run it when called
        defer("urllib.parse", ("quote_from_bytes", "unquote", "urlparse"))
        # datetime (ReportLab's, the PDF's dates) as its import ends up, from _datetime,
        # without first defining it all in Python (common/fastdatetime.py)
        from common import fastdatetime
        fastdatetime.install()
    from banmian_cli import main

    try:
        code = main()
    finally:
        if bundle is not None:
            bundle.save()
    sys.exit(code)
else:
    import banmian_cli

    sys.modules[__name__] = banmian_cli
