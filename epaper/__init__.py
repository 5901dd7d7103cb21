"""The e-paper (数字报): a static site of an issue that works from files, with no server.

    from epaper import build_site
    build_site(issue, result, fontset, base_dir, "SITE/")

An index of the pages, a page view per page (the page image at two
resolutions with each article's region as a link), and an article page per
story.  Reads the layout result only through ``proofs.layoutview``.
"""
from .site import build_site, story_regions

__all__ = ["build_site", "story_regions"]
