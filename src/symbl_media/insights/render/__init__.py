"""Collected insights as documents for people: a Markdown report, SRT and WebVTT captions, text.

``markdown(insights)`` is a meeting report; ``srt(insights)`` and ``vtt(insights)`` are
speaker-labelled captions; ``txt(insights)`` is a plain transcript. ``cues(insights)`` is the
caption timeline the two caption formats share, for anyone who wants another format.

``timeline`` (``timeline.py``) says when each message was said; ``captions.py`` makes the cues
(packed by ``packing.py``); ``documents.py`` the report and the text. This package is the
documented entry, ``from symbl_media.insights import render; render.srt(insights)``.
"""

from symbl_media.insights.render.captions import MIN_CHARS_PER_LINE, Cue, check_layout, cues, srt, vtt
from symbl_media.insights.render.documents import PARAGRAPH_SECONDS, markdown, md_escape, txt
from symbl_media.insights.render.timeline import CHARS_PER_SECOND, Said, timeline

__all__ = ["CHARS_PER_SECOND", "MIN_CHARS_PER_LINE", "PARAGRAPH_SECONDS", "Cue", "Said",
           "check_layout", "cues", "markdown", "md_escape", "srt", "timeline", "txt", "vtt"]
