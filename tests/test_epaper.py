"""The e-paper (数字报): the static site, its regions, and a real browser using it."""
from __future__ import annotations

import html.parser
import shutil
from pathlib import Path

import pytest

import main
from epaper import story_regions
from epaper.site import article_file
from layout.docfile import load_issue, save_issue

SAMPLE_DIR = Path(main.SAMPLE).parent
VOID = {"meta", "link", "img", "br", "hr", "input", "source", "rect", "path"}


class _Checker(html.parser.HTMLParser):
    """Tags balanced, every img with alt, one h1 at most; text collected."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.imgs, self.h1, self.text = [], [], [], 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "img":
            self.imgs.append(a)
            if not a.get("alt"):
                self.errors.append(f"img without alt: {a}")
        if tag == "h1":
            self.h1 += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def check_html(path: Path) -> _Checker:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert 'name="viewport"' in text and 'lang="zh-CN"' in text
    c = _Checker()
    c.feed(text)
    c.close()
    assert not c.errors and not c.stack, (path.name, c.errors, c.stack)
    assert c.h1 <= 1
    return c


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("epaper")
    d = root / "issue"
    shutil.copytree(SAMPLE_DIR, d)
    path = d / "issue.yaml"
    issue = load_issue(path)
    issue.stories["baiyin"].headline.title = "白银<b>平川区</b> & “就业援助月”"
    save_issue(issue, path)
    out = root / "site"
    assert main.main(["epaper", str(path), "-o", str(out)]) == 0
    return path, out


def test_site_files_are_valid_escaped_and_accessible(site):
    path, out = site
    issue = load_issue(path)
    for f in sorted(out.glob("*.html")):
        check_html(f)
    assert {f.name for f in out.glob("page-*.html")} == {"page-01.html", "page-02.html",
                                                          "page-03.html"}
    for n in (1, 2, 3):
        for name in (f"page-{n:02d}.png", f"page-{n:02d}@2x.png", f"page-{n:02d}-thumb.jpg"):
            assert (out / "pages" / name).stat().st_size > 1000
    art = (out / article_file("baiyin")).read_text(encoding="utf-8")
    assert "&lt;b&gt;平川区&lt;/b&gt; &amp;" in art and "<b>平川区" not in art
    lead = check_html(out / article_file("lead"))
    text = "".join(lead.text)
    for p in issue.stories["lead"].paragraphs:
        assert p.text in text
    assert "第一版" in text and "第二版" in text          # the continuation's pages, linked
    xuexi = check_html(out / article_file("xuexi"))
    assert any(i["src"].startswith("images/") for i in xuexi.imgs)
    assert "骆进林 摄" in "".join(xuexi.text)


def test_regions_are_the_union_of_a_storys_frames_on_a_page(site):
    path, _out = site
    _issue, _fs, result = main.compose(str(path))
    regions = {(r.page, r.story): r for rs in story_regions(result).values() for r in rs}
    frames = {f.id: f.rect for f in __import__("proofs.layoutview").layoutview.frames(result)}
    assert set(regions[(1, "lead")].rects) == {frames["h-lead"], frames["t-lead"]}
    assert set(regions[(2, "lead")].rects) == {frames["h-lead2"], frames["t-lead2"]}
    assert regions[(1, "xuexi")].photos == ["photo"]
    assert frames["photo"] in regions[(1, "xuexi")].rects
    page1 = (_out / "page-01.html").read_text(encoding="utf-8")
    assert 'viewBox="0 0 1105.5 1530.7"' in page1


def _driver():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip("chromium and chromium-driver are not installed (apt-get install chromium "
                    "chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    o = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,900",
              "--allow-file-access-from-files"):
        o.add_argument(a)
    o.binary_location = chromium
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=o)


def test_browser_clicks_the_lead_story_and_reads_it_whole(site):
    path, out = site
    issue = load_issue(path)
    d = _driver()
    try:
        d.get((out / "page-01.html").as_uri())
        loaded = d.execute_script(
            "return [...document.images].map(i => i.complete && i.naturalWidth)")
        assert loaded and all(w and w > 0 for w in loaded), loaded
        region = d.find_element("css selector", "#region-lead rect")
        region.click()
        assert d.current_url.endswith(article_file("lead"))
        paras = [e.text for e in d.find_elements("css selector", "article p.body")]
        assert paras == [p.text for p in issue.stories["lead"].paragraphs]
        assert d.find_element("css selector", "article h1").text == \
            issue.stories["lead"].headline.title
        d.get((out / article_file("xuexi")).as_uri())
        widths = d.execute_script("return [...document.images].map(i => i.naturalWidth)")
        assert widths and all(w > 0 for w in widths)
        d.get((out / "index.html").as_uri())
        assert d.execute_script("return [...document.images].every(i => i.naturalWidth > 0)")
        errors = [e for e in d.get_log("browser") if e.get("level") == "SEVERE"]
        assert not errors, errors
    finally:
        d.quit()


def test_epaper_refuses_a_file_as_the_site(tmp_path, capsys):
    f = tmp_path / "site"
    f.write_text("x")
    assert main.main(["epaper", str(main.SAMPLE), "-o", str(f)]) == 2
    assert "is a file" in capsys.readouterr().err
