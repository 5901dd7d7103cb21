"""A photo frame that names its story shows the story's photo credit (issue 18: a credit
the importer finds must never vanish — it is kept on the story and reaches its photo)."""
from __future__ import annotations

from layout import edits as E
from layout import model as m
from layout.compose import Composer
from layout.docfile import DocumentError, dump_issue, parse_issue


def issue(credit_on_frame=""):
    iss = m.Issue(fonts=m.default_fonts(), paragraph_styles=m.default_styles())
    iss.stories["s"] = m.Story("s", paragraphs=[m.Paragraph("body", [m.Run("正文" * 20)])],
                               thread=["t"], credit="本报记者 王明 摄")
    iss.pages = [m.Page(1, frames=[
        m.TextFrame("t", col=0, line=0, cols=2, lines=10),
        m.PhotoFrame("p", col=2, line=0, cols=3, lines=12, story="s", credit=credit_on_frame)])]
    return iss


def credit_text(result) -> str:
    fr = next(f for f in result.pages[0].frames if f.frame_id == "p")
    return "".join(r.text for r in fr.runs if r.source.part == "credit"), fr.story


def test_photo_shows_its_storys_credit_and_its_own_wins(square):
    assert credit_text(Composer(issue(), square).compose()) == ("本报记者 王明 摄", "s")
    assert credit_text(Composer(issue("新华社发"), square).compose())[0] == "新华社发"


def test_a_changed_story_credit_recomposes_the_photo(square):
    iss = issue()
    comp = Composer(iss, square)
    comp.compose()
    E.SetStory("s", credit="通讯员 李华 摄").apply(iss)      # as the editor's undo command does
    assert credit_text(comp.compose())[0] == "通讯员 李华 摄"


def test_the_photo_story_round_trips_and_must_exist():
    iss = issue()
    again = parse_issue(dump_issue(iss), "x.yaml")
    assert again == iss and again.frame("p")[1].story == "s"
    iss.stories.pop("s")
    iss.pages[0].frames = iss.pages[0].frames[1:]
    try:
        parse_issue(dump_issue(iss), "x.yaml")
    except DocumentError as exc:        # one line naming the frame and the story
        assert "frame 'p'" in str(exc) and "no story 's'" in str(exc)
    else:
        raise AssertionError("a photo naming a missing story must be refused")
