"""Text for people: what a file holds, what the plan is, what prepare wrote."""

from __future__ import annotations

import re
from datetime import UTC

from symbl_media.contract import shapes
from symbl_media.durations import tenths
from symbl_media.media.plan import Plan
from symbl_media.media.prepared import Prepared


def size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def describe_media(plan: Plan) -> str:
    info = plan.info
    lines = [f"{info.path}",
             f"  container  {info.container_long} ({info.container}), {tenths(info.duration)}, "
             f"{size(info.size)}"]
    for v in info.video:
        kind = "cover art" if v.attached_picture else "video"
        lines.append(f"  {kind:<10} {v.codec} {v.width}x{v.height}")
    if not info.has_video:
        lines.append("  video      none")
    chosen = plan.stream.stream.audio_index
    for a in info.audio:
        tags = " ".join(t for t in (a.language, a.title and f'"{a.title}"') if t)
        mark = "   <- chosen" if a.audio_index == chosen else ""
        lines.append(f"  audio {a.audio_index:<4} {a.codec}, {a.sample_rate} Hz, {a.channels} ch "
                     f"({a.layout or 'no layout'}){' ' + tags if tags else ''}{mark}")
    return "\n".join(lines)


def describe_plan(plan: Plan) -> str:
    s, c, t, k = plan.stream, plan.channels, plan.target, plan.chunking
    stats = plan.stats
    measured = ", ".join(f"{n} {lv:.0f}" for n, lv in zip(stats.names, stats.levels_db))
    endpoint = "/v1/process/video" if t.endpoint == "video" else "/v1/process/audio"
    pieces = plan.estimated_pieces()
    return "\n".join([
        "plan",
        f"  stream     audio {s.stream.audio_index}: {s.reason}",
        *([f"             warning: {s.warning}"] if s.warning else []),
        f"  channels   {c.mix}: {c.reason}",
        f"             measured (dBFS over {stats.active_seconds:.1f} s of sound): {measured}"
        + (f"; correlation {stats.correlation:+.2f}" if stats.correlation is not None else ""),
        *([f"             filter: pan={c.pan}"] if c.pan else []),
        *_describe_preprocess(plan),
        f"  target     {t.content_type} to {endpoint} (mode={t.mode}): {t.reason}",
        f"  pieces     {'about ' if k.piece_seconds else ''}{pieces}: {k.reason}",
        f"  decoding   {plan.decoding.reason}",
    ])


def _describe_preprocess(plan: Plan) -> list[str]:
    """``  pre        loudnorm (i=-23, tp=-2, lra=11), highpass (f=80, order=6)``."""
    steps = plan.preprocess
    if not steps:
        return []
    lines = [f"  pre        {', '.join(s.label() for s in steps)}"]
    for step in steps:
        span = step.span if step.changes_length and step.filter else None
        if span is not None and plan.info.duration:
            lines.append(f"             {step.name}: keeps {span[0]:.2f} s to {span[1]:.2f} s "
                         f"of {plan.info.duration:.2f} s ({span[0]:.2f} s cut at the start, "
                         f"{max(0.0, plan.info.duration - span[1]):.2f} s at the end)")
    chain = plan.preprocess_filter
    lines.append(f"             filter: {chain}" if chain else "             filter: none")
    return lines


def describe_prepared(result: Prepared) -> str:
    plan = result.plan
    n = len(result.pieces)
    lines = [f"prepared {plan.info.path} -> {result.folder}/ ({n} piece{'s' * (n != 1)}, "
             f"{tenths(result.duration)}, {plan.target.content_type}, mode={plan.target.mode})",
             f"  channels: {plan.channels.mix}: {plan.channels.reason}"]
    if plan.preprocess:
        lines.append(f"  pre: {', '.join(s.label() for s in plan.preprocess)}")
    for p in result.pieces:
        end = {True: "cut in silence", False: "hard cut (no pause in reach)", None: ""}
        lines.append(f"  {p.file}  at {tenths(p.offset)}  {tenths(p.duration)}  {size(p.bytes)}"
                     f"  sha256 {p.sha256[:12]}  {end[p.cut_in_silence]}".rstrip())
    lines.append(f"manifest: {result.folder / 'manifest.json'}")
    return "\n".join(lines)


_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
          r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# Dates a line must not be cut inside: 2020-07-21 (with a time), 21/07/2020, July 21, 2020,
# 21 July 2020, Tuesday, July 21.
_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}| UTC)?)?"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}"
    rf"|(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? )?{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?"
    r"(?:,? \d{4})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH},? \d{{4}}", re.IGNORECASE)


def shorten(line: str, width: int) -> str:
    """``line`` cut to ``width`` characters with ``…``, between words and never inside a
    date ("2020-07-21", "July 21, 2020")."""
    if len(line) <= width:
        return line
    dates = [m.span() for m in _DATE.finditer(line)]

    def inside(at: int) -> bool:
        return any(start < at < end for start, end in dates)

    room = width - 1  # for the …
    cuts = [at for at in range(1, room + 1) if line[at] == " " and not inside(at)]
    if cuts and cuts[-1] >= room // 2:
        at = cuts[-1]
    else:  # one long word: cut it, but before a date rather than inside it
        at = min([room] + [start for start, end in dates if start < room < end])
        at = at or room
    return line[:at].rstrip() + "…"


def _due(value) -> str:
    """A due date as a day (``2020-07-21``), with the time only when it is not midnight."""
    from datetime import datetime

    text = " ".join(str(value).split())
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return text
    if at.tzinfo is not None:
        at = at.astimezone(UTC)
    zone = " UTC" if at.tzinfo is not None else ""
    return at.strftime("%Y-%m-%d" if (at.hour, at.minute) == (0, 0) else f"%Y-%m-%d %H:%M{zone}")


def _first_lines(items, limit: int = 3, width: int = 90) -> list[str]:
    out = []
    for item in list(items)[:limit]:
        i = shapes.INSIGHT
        text = " ".join(str(item.get(i.text, "")).split())
        extra = ""
        assignee = ((item.get(i.assignee) or {}).get(shapes.PERSON.name)
                    if isinstance(item, dict) else None)
        if assignee:
            extra += f" [{assignee}]"
        if item.get(i.due_by):
            extra += f" (due {_due(item[i.due_by])})"
        out.append("    - " + shorten(text + extra, width))
    return out


def describe_insights(insights, *, pieces: int | None = None, key: str | None = None) -> str:
    """The short human summary after a submission: ids, length, speakers, first insights."""
    speakers = insights.speakers
    lines = [f"conversation {insights.conversation_id}"
             + (f"  (submission {key})" if key else ""),
             f"  duration     {tenths(insights.duration)}"
             + (f" in {pieces} pieces" if pieces and pieces > 1 else ""),
             f"  speakers     {len(speakers)}" + (f": {', '.join(speakers[:6])}"
                                                 + (", …" if len(speakers) > 6 else "")
                                                 if speakers else ""),
             f"  messages     {len(insights.messages)}"]
    for label, items in (("topics", insights.topics), ("action items", insights.action_items),
                         ("questions", insights.questions), ("follow-ups", insights.follow_ups)):
        lines.append(f"  {label:<12} {len(items)}")
        lines.extend(_first_lines(items))
    if insights.summary:
        lines.append("  summary")
        lines.extend(_first_lines(insights.summary, limit=2, width=200))
    for note in insights.notes:
        lines.append(f"  note: {note}")
    return "\n".join(lines)
