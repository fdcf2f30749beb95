"""What a person reads: the Markdown meeting report (``markdown``) and the plain transcript
(``txt``), with user text escaped for Markdown (``md_escape``)."""

from __future__ import annotations

import re

from symbl_media import durations
from symbl_media.contract import shapes as k
from symbl_media.durations import padded
from symbl_media.insights.collect import Insights
from symbl_media.insights.render.timeline import Said, clean, instant, timeline

# A report paragraph of one speaker is closed after this long, so a monologue keeps timestamps.
PARAGRAPH_SECONDS = 60.0


def _when(value) -> str:
    at = instant(value)
    return at.strftime("%Y-%m-%d %H:%M UTC") if at else clean(value)


def _due(value) -> str:
    at = instant(value)
    if not at:
        return clean(value)
    # Symbl gives due dates as midnight UTC when only a day was said; the time is noise then.
    return at.strftime("%Y-%m-%d" if (at.hour, at.minute) == (0, 0) else "%Y-%m-%d %H:%M UTC")


def _name(item: dict, key: str) -> str:
    who = item.get(key)
    return clean(who.get(k.PERSON.name)) if isinstance(who, dict) else ""


def _items(items) -> list[dict]:
    return [item for item in items if isinstance(item, dict) and clean(item.get(k.INSIGHT.text))]


def _assigned(item: dict, escape=lambda text: text) -> str:
    """` (Alice, due 2022-12-01)` for an action item or follow-up, or nothing."""
    assignee, due = k.INSIGHT.assignee, k.INSIGHT.due_by
    parts = [escape(_name(item, assignee)) if _name(item, assignee) else "",
             f"due {escape(_due(item[due]))}" if clean(item.get(due)) else ""]
    shown = ", ".join(p for p in parts if p)
    return f" ({shown})" if shown else ""


def txt(insights: Insights) -> str:
    """A line per message, then action items, questions, follow-ups; empty when nothing."""
    blocks = ["\n".join(f"[{padded(m.start)}] {m.speaker + ': ' if m.speaker else ''}{m.text}"
                        for m in timeline(insights))]
    lists = (("Action items", [clean(i[k.INSIGHT.text]) + _assigned(i)
                               for i in _items(insights.action_items)]),
             ("Questions", [clean(i[k.INSIGHT.text]) for i in _items(insights.questions)]),
             ("Follow-ups", [clean(i[k.INSIGHT.text]) + _assigned(i)
                             for i in _items(insights.follow_ups)]))
    blocks += [f"{heading}:\n" + "\n".join(f"- {e}" for e in entries)
               for heading, entries in lists if entries]
    blocks = [block for block in blocks if block]
    return "\n\n".join(blocks) + "\n" if blocks else ""


# Characters that make emphasis, code, links, HTML, tables or strike-through anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<|~])")
# What turns the start of a block into a heading, quote, list item or rule.
_MD_BLOCK_START = re.compile(r"^(?:([#>+=-])|(\d+)([.)]))")


def md_escape(text, *, heading: bool = False) -> str:
    """User text made safe for one Markdown line (white space runs become one space)."""
    text = _MD_INLINE.sub(r"\\\1", clean(text))
    if heading:
        # In a heading a trailing run of `#` is markup too, wherever it is.
        text = text.replace("#", r"\#")
    return _MD_BLOCK_START.sub(lambda m: "\\" + m[1] if m[1] else m[2] + "\\" + m[3], text)


def _talk_times(said: list[Said]) -> dict[str, float | None]:
    """Seconds each speaker talked, in order of first speaking; None where no length was given."""
    totals: dict[str, float | None] = {}
    for message in said:
        if message.speaker:
            had = totals.get(message.speaker)
            if message.measured:
                totals[message.speaker] = (had or 0.0) + message.end - message.start
            else:
                totals.setdefault(message.speaker, None)
    return totals


def _facts(insights: Insights, said: list[Said]) -> list[str]:
    conversation = insights.conversation or {}
    facts = []
    c = k.CONVERSATION
    if clean(conversation.get(c.start_time)):
        facts.append(f"- **Date:** {md_escape(_when(conversation[c.start_time]))}")
    # Estimated lengths are left out: a made-up duration in a report would look like a fact.
    length = max((m.end for m in said if m.measured), default=0.0)
    if length <= 0:
        begins, ends = (instant(conversation.get(key)) for key in (c.start_time, c.end_time))
        length = (ends - begins).total_seconds() if begins and ends else 0.0
    if length > 0:
        facts.append(f"- **Duration:** {durations.length(length)}")
    talk = _talk_times(said)
    # Without messages the members say who took part, though not for how long.
    names = list(talk) or [n for n in (clean(m.get("name")) for m in insights.members
                                       if isinstance(m, dict)) if n]
    if names:
        shown = [md_escape(n) + (f" ({durations.length(talk[n])})" if talk.get(n) is not None else "")
                 for n in names]
        facts.append(f"- **Speakers:** {', '.join(shown)}")
    return facts


def _transcript(said: list[Said]) -> list[str]:
    """Paragraphs `[hh:mm:ss] **Name:** text`, one per run of one speaker (a minute at most)."""
    runs: list[list[Said]] = []
    for message in said:
        last = runs[-1] if runs else None
        if (last and last[0].speaker == message.speaker
                and message.start - last[0].start < PARAGRAPH_SECONDS):
            last.append(message)
        else:
            runs.append([message])
    return [f"[{padded(run[0].start)}] "
            + (f"**{md_escape(run[0].speaker)}:** " if run[0].speaker else "")
            + md_escape(" ".join(m.text for m in run)) for run in runs]


def markdown(insights: Insights, *, title: str | None = None) -> str:
    """A meeting report; sections with nothing in them are left out."""
    said = timeline(insights)
    heading = (clean(title) or clean((insights.conversation or {}).get("name"))
               or (f"Conversation {insights.conversation_id}" if insights.conversation_id
                   else "Meeting"))
    blocks = [f"# {md_escape(heading, heading=True)}"]
    facts = _facts(insights, said)
    if facts:
        blocks.append("\n".join(facts))

    def bullets(items, extra=lambda item: "") -> str:
        return "\n".join(f"- {md_escape(i[k.INSIGHT.text])}{extra(i)}" for i in _items(items))

    def asked(item: dict) -> str:
        asker = _name(item, k.INSIGHT.from_)
        return f" ({md_escape(asker)})" if asker else ""

    sections = (
        ("Summary", "\n\n".join(md_escape(i[k.SUMMARY_ITEM.text]) for i in _items(insights.summary))),
        ("Topics", bullets(insights.topics)),
        ("Action items", bullets(insights.action_items, lambda i: _assigned(i, md_escape))),
        ("Questions", bullets(insights.questions, asked)),
        ("Follow-ups", bullets(insights.follow_ups, lambda i: _assigned(i, md_escape))),
        ("Transcript", "\n\n".join(_transcript(said))),
    )
    blocks += [f"## {name}\n\n{body}" for name, body in sections if body]
    return "\n\n".join(blocks) + "\n"
