"""Pillow's ``PIL.Image`` loaded when it is first used, not when ReportLab is imported.

``reportlab.lib.utils`` (which ReportLab's ``pdfdoc`` imports) does ``from PIL import
Image`` at its top for its own image helpers, which the writer never calls: our image
XObjects are made by ``output.images``, which uses Pillow only for images that are not
passed through.  Importing Pillow's Image module (its enums and tag tables) cost
10–15 ms of every export.  ``defer_pil_image`` puts a lazily loaded ``PIL.Image`` in
its place (``importlib.util.LazyLoader``): the module is the real one, executed on the
first attribute anybody reads of it.
"""
from __future__ import annotations

import importlib.util
import sys


def defer_pil_image() -> None:
    """Make ``PIL.Image`` a module executed on first use (once; nothing if it is loaded)."""
    if "PIL.Image" in sys.modules:
        return
    try:
        spec = importlib.util.find_spec("PIL.Image")       # imports the (small) package
        if spec is None or spec.loader is None:
            return
        loader = importlib.util.LazyLoader(spec.loader)    # TypeError: a loader it cannot defer
    except (ImportError, ValueError, TypeError):
        return                                             # then ReportLab imports it as ever
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["PIL.Image"] = module
    loader.exec_module(module)
    setattr(sys.modules["PIL"], "Image", module)


#: modules ReportLab's ``lib.utils`` imports at its top only to take functions from them
#: that the writer never calls (``literal_eval``; the restricted evaluator, for colours
#: written as expressions and attribute paths): held unexecuted, those functions answered
#: by stand-ins that run the module when called (common/lazymodule.py; 2–4 ms an export)
UNUSED_BY_THE_WRITER = {
    "ast": ("literal_eval",),
    "reportlab.lib.rl_safe_eval": ("rl_safe_exec", "rl_safe_eval", "safer_globals",
                                   "rl_extended_literal_eval"),
}


def _python_implementation():
    """``platform.python_implementation()`` as the running Python's own name for itself
    tells it (``sys.implementation``), for the Pythons ``platform`` knows; None for any
    other (``platform`` then answers)."""
    return {"cpython": "CPython", "pypy": "PyPy", "ironpython": "IronPython",
            "jython": "Jython"}.get(sys.implementation.name)


#: modules ReportLab's ``lib.utils`` imports at its top only to call one function of each,
#: answered without running them: ``platform`` (its regular expressions, classes and
#: named tuples, about 1 ms), asked whether this is PyPy
ANSWERED_FOR_THE_WRITER = {
    "platform": {"python_implementation": _python_implementation},
}

#: whether ``defer_unused`` marked ReportLab's C accelerator absent (``reportlab_imported``)
_MARKED = []


def defer_unused() -> None:
    """Hold ``UNUSED_BY_THE_WRITER`` unexecuted (each not imported yet) until used; and
    where ReportLab's C accelerator ``_rl_accel`` is not installed, which its
    ``lib.rl_accel`` looks for once per function (11 searches of the whole path), look
    once and mark it absent (None in ``sys.modules``: each import of it an ImportError at
    once, as it was) until ``reportlab_imported``."""
    from common.lazymodule import defer
    for name, callables in UNUSED_BY_THE_WRITER.items():
        defer(name, callables)
    for name, answers in ANSWERED_FOR_THE_WRITER.items():
        defer(name, answers=answers)
    if "reportlab.lib.rl_accel" not in sys.modules and "_rl_accel" not in sys.modules:
        try:
            absent = importlib.util.find_spec("_rl_accel") is None
        except (ImportError, ValueError):
            absent = False
        if absent:
            sys.modules["_rl_accel"] = None
            _MARKED.append(True)


def reportlab_imported() -> None:
    """Take back ``defer_unused``'s mark (the import system looks for it again)."""
    if _MARKED and "_rl_accel" in sys.modules and sys.modules["_rl_accel"] is None:
        del sys.modules["_rl_accel"]
    _MARKED.clear()
