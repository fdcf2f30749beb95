"""Reports and captions from hand-built insights: Markdown sections and escaping, SRT/WebVTT that
parse back with every layout rule kept, plain text, and the caption rules over random messages."""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbl_media.insights.collect import Insights
from symbl_media.insights.render import markdown, srt, timeline, txt, vtt
from symbl_media.inputs.transcripts import DEFAULT_START, load_text

START = "2022-11-25T09:20:22.928Z"


def make(messages=(), *, conversation=None, topics=(), action_items=(), follow_ups=(),
         questions=(), members=(), summary=()) -> Insights:
    conversation = {"id": "5551", "type": "meeting", "name": "Weekly sync", "startTime": START,
                    "endTime": "2022-11-25T09:22:22.928Z", "members": [], "metadata": {}} \
        if conversation is None else conversation
    return Insights("5551", conversation, tuple(messages), tuple(topics), tuple(action_items),
                    tuple(follow_ups), tuple(questions), (), tuple(members), summary=tuple(summary))


def said(text, name="Alice", offset=0.0, duration=2.0, **extra) -> dict:
    """A message as /messages returns it (ids, ISO times and phrases included)."""
    message = {"id": f"m{offset}", "text": text, "from": {"id": f"u-{name}", "name": name},
               "startTime": START, "endTime": START, "conversationId": "5551", "phrases": [],
               "sentiment": {"polarity": {"score": 0.1}, "suggested": "neutral"}}
    if offset is not None:
        message["timeOffset"] = offset
    if duration is not None:
        message["duration"] = duration
    return {**message, **extra}


def item(kind, text, **extra) -> dict:
    return {"id": f"{kind}-{text[:8]}", "text": text, "type": kind, "score": 0.9,
            "messageIds": ["m0"], **extra}


# ----------------------------------------------------------------------------- parsers

TIMING = re.compile(r"^(\d{2,}):(\d{2}):(\d{2})([,.])(\d{3}) --> "
                    r"(\d{2,}):(\d{2}):(\d{2})\4(\d{3})$")


def _ms(h, m, s, ms) -> int:
    return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms)


def _timing(line: str, mark: str) -> tuple[int, int]:
    found = TIMING.match(line)
    assert found and found[4] == mark, line
    return _ms(*found.group(1, 2, 3, 5)), _ms(*found.group(6, 7, 8, 9))


def parse_srt(text: str) -> list[tuple[int, int, list[str]]]:
    """(start_ms, end_ms, lines) per cue, checking numbering and block layout on the way."""
    if not text:
        return []
    assert text.endswith("\n") and not text.endswith("\n\n\n")
    out = []
    for number, block in enumerate(text.rstrip("\n").split("\n\n"), 1):
        lines = block.split("\n")
        assert lines[0] == str(number)
        start, end = _timing(lines[1], ",")
        assert len(lines) >= 3 and all(line.strip() for line in lines[2:]), block
        out.append((start, end, lines[2:]))
    return out


VOICE = re.compile(r"^<v ([^>]+)>")


def parse_vtt(text: str) -> list[tuple[int, int, str | None, list[str]]]:
    """(start_ms, end_ms, voice, unescaped lines) per cue."""
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT"
    out = []
    for block in blocks[1:]:
        lines = block.split("\n")
        start, end = _timing(lines[0], ".")
        body = lines[1:]
        assert body and all(line.strip() for line in body)
        voice = VOICE.match(body[0])
        if voice:
            body[0] = body[0][voice.end():]
        # Only escaped text: a raw < or & would be markup, and "-->" may not appear at all.
        assert not any("<" in line or "-->" in line or re.search(r"&(?!amp;|lt;|gt;)", line)
                       for line in body)
        out.append((start, end, html.unescape(voice[1]) if voice else None,
                    [html.unescape(line) for line in body]))
    return out


def check_cues(found, *, width=42, max_lines=2, max_ms=7000):
    """The layout and timing rules every caption file keeps."""
    last_end = 0
    for cue in found:
        start, end, lines = cue[0], cue[1], cue[-1]
        assert 1 <= len(lines) <= max_lines, lines
        assert all(len(line) <= width for line in lines), lines
        assert start < end <= start + max_ms, cue
        assert start >= last_end, "cues overlap or are out of order"
        last_end = end


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def srt_text(found) -> str:
    return " ".join(" ".join(lines) for _, _, lines in found)


def vtt_text(found) -> str:
    return " ".join(" ".join(lines) for *_, lines in found)


# ----------------------------------------------------------------------------- Markdown

MEETING = make(
    [said("Good morning, everyone. Let's look at the budget report.", "Alice", 0.5, 3.5),
     said("I have the numbers here.", "Bob", 4.2, 1.8),
     said("Great, please share them.", "Alice", 83.0, 2.0),
     said("Sharing now.", "Bob", 85.5, 1.0)],
    topics=[item("topic", "budget report"), item("topic", "numbers")],
    action_items=[item("action_item", "Bob will send the numbers to finance",
                       assignee={"name": "Bob"}, dueBy="2022-12-01T00:00:00Z",
                       **{"from": {"name": "Alice"}}),
                  item("action_item", "Review the report")],
    questions=[item("question", "Can you share the numbers?", **{"from": {"name": "Alice"}})],
    follow_ups=[item("follow_up", "Meet again on Friday", assignee={"name": "Alice"},
                     dueBy="2022-12-02T15:30:00Z")],
    summary=[{"id": "s1", "text": "Alice and Bob went over the budget.", "messageRefs": []}])


def test_markdown_has_every_section_in_order():
    report = markdown(MEETING)
    assert report.startswith("# Weekly sync\n\n")
    assert "- **Date:** 2022-11-25 09:20 UTC\n" in report
    assert "- **Duration:** 1:27\n" in report  # the last message ends at 86.5 s
    assert "- **Speakers:** Alice (0:06), Bob (0:03)\n" in report
    headings = re.findall(r"^## (.+)$", report, re.MULTILINE)
    assert headings == ["Summary", "Topics", "Action items", "Questions", "Follow-ups",
                        "Transcript"]
    assert "## Summary\n\nAlice and Bob went over the budget.\n" in report
    assert "- budget report\n- numbers\n" in report
    assert "- Bob will send the numbers to finance (Bob, due 2022-12-01)\n" in report
    assert "- Review the report\n" in report
    assert "- Can you share the numbers? (Alice)\n" in report
    assert "- Meet again on Friday (Alice, due 2022-12-02 15:30 UTC)\n" in report
    assert report.endswith("[00:01:25] **Bob:** Sharing now.\n")


def test_markdown_transcript_has_timestamps_and_groups_one_speaker():
    report = markdown(make([said("First.", "Alice", 0, 1), said("Second.", "Alice", 2, 1),
                            said("Reply.", "Bob", 83, 1), said("Later.", "Bob", 150, 1),
                            said("Untold.", "", 160, 1)]))
    transcript = report.split("## Transcript\n\n")[1]
    # One paragraph per speaker's run, a new one after a minute so long turns keep their time.
    assert transcript == ("[00:00:00] **Alice:** First. Second.\n\n"
                          "[00:01:23] **Bob:** Reply.\n\n"
                          "[00:02:30] **Bob:** Later.\n\n"
                          "[00:02:40] Untold.\n")


def test_markdown_title_falls_back_and_can_be_given():
    assert markdown(MEETING, title="Q4 # planning").startswith("# Q4 \\# planning\n")
    assert markdown(make(conversation={})).startswith("# Conversation 5551\n")


def test_markdown_leaves_out_what_is_empty():
    assert markdown(make(conversation={"name": "Stand-up"})) == "# Stand-up\n"
    only_talk = markdown(make([said("Hi.", "Alice", 0, 1)]))
    assert re.findall(r"^## (.+)$", only_talk, re.MULTILINE) == ["Transcript"]


def test_markdown_speakers_without_lengths_have_no_talk_time():
    report = markdown(make([said("Hi there.", "Alice", None, None)]))
    assert "- **Speakers:** Alice\n" in report
    members = make(members=[{"id": "1", "name": "Carol", "email": "c@example.com"}])
    assert "- **Speakers:** Carol\n" in markdown(members)


def test_markdown_escapes_what_would_break_the_layout():
    report = markdown(make(
        [said("# not a heading | with `code` and *stars* and _under_ <b>tag</b>", "A*B", 0, 1)],
        topics=[item("topic", "# hashtag"), item("topic", "- dash"), item("topic", "1. first"),
                item("topic", "> quote"), item("topic", "+ plus")],
        action_items=[item("action_item", "*Fix* the | pipe", assignee={"name": "_Eve_"})],
        summary=[{"text": "## Not a heading either\nsecond line"}]))
    assert "[00:00:00] **A\\*B:** \\# not a heading \\| with \\`code\\` and \\*stars\\* and " \
           "\\_under\\_ \\<b>tag\\</b>\n" in report
    assert "- \\# hashtag\n- \\- dash\n- 1\\. first\n- \\> quote\n- \\+ plus\n" in report
    assert "- \\*Fix\\* the \\| pipe (\\_Eve\\_)\n" in report
    assert "\n\\## Not a heading either second line\n" in report
    # Outside headings no line may start a block of its own, and none is a table row.
    for line in report.splitlines():
        if line and not line.startswith(("# ", "## ", "- ", "[")):
            assert not re.match(r"[#>*+|=-]|\d+[.)]", line), line
        assert "|" not in line.replace("\\|", "")


# ----------------------------------------------------------------------------- SRT and WebVTT


def test_srt_exact_format():
    out = srt(make([said("Hello there.", "Alice", 1.2, 1.5), said("Hi!", "Bob", 3.0, 0.4)]))
    # Bob's 0.4 s is held to the 1 s minimum: nothing follows.
    assert out == ("1\n00:00:01,200 --> 00:00:02,700\nAlice: Hello there.\n\n"
                   "2\n00:00:03,000 --> 00:00:04,000\nBob: Hi!\n")


def test_vtt_exact_format_with_voices_and_escaping():
    out = vtt(make([said("Use <b> & --> here", "Tom & <Jerry>", 3661.5, 2.0)]))
    assert out == ("WEBVTT\n\n01:01:01.500 --> 01:01:03.500\n"
                   "<v Tom &amp; &lt;Jerry&gt;>Use &lt;b&gt; &amp; --&gt; here\n")
    assert parse_vtt(out)[0][2:] == ("Tom & <Jerry>", ["Use <b> & --> here"])


def test_empty_insights_give_valid_empty_output():
    empty = make()
    assert srt(empty) == ""
    assert vtt(empty) == "WEBVTT\n"
    assert parse_vtt(vtt(empty)) == []
    assert txt(empty) == ""
    assert markdown(make(conversation={})) == "# Conversation 5551\n"
    blank = make([said("   ", "Alice", 0, 1), said("", "Bob", 1, 1)])
    assert srt(blank) == "" and vtt(blank) == "WEBVTT\n" and txt(blank) == ""


def test_non_ascii_names_and_text():
    insights = make([said("Grüße aus Köln, ça va ?", "Zoë Ångström", 0, 2),
                     said("你好，我们开始吧。", "李雷", 2.5, 2)])
    assert [c[2][0] for c in parse_srt(srt(insights))] == ["Zoë Ångström: Grüße aus Köln, ça va ?",
                                                            "李雷: 你好，我们开始吧。"]
    assert [c[2] for c in parse_vtt(vtt(insights))] == ["Zoë Ångström", "李雷"]
    assert "**Zoë Ångström:** Grüße" in markdown(insights)


WORDS_300 = " ".join(f"{w}{i}" for i, w in enumerate(
    ["budget", "quarter", "we", "should", "review", "numbers", "carefully,", "and", "then",
     "decide."] * 30))


def test_a_300_word_message_is_split_by_every_rule():
    insights = make([said(WORDS_300, "Alice", 10.0, 120.0), said("Okay.", "Bob", 130.5, 0.5)])
    srt_cues, vtt_cues = parse_srt(srt(insights)), parse_vtt(vtt(insights))
    for found in (srt_cues, vtt_cues):
        check_cues(found)
    assert srt_text(srt_cues) == "Alice: " + WORDS_300 + " Bob: Okay."
    assert vtt_text(vtt_cues) == WORDS_300 + " Okay."
    assert {voice for _, _, voice, _ in vtt_cues} == {"Alice", "Bob"}
    # The message's time is spread over its cues from its start to its end, by length.
    alice = [c for c in vtt_cues if c[2] == "Alice"]
    assert alice[0][0] == 10_000 and alice[-1][1] == 130_000
    rates = [len(" ".join(lines)) / (end - start) for start, end, _, lines in alice]
    assert max(rates) / min(rates) < 1.35
    # Fewest cues that fit, evenly filled: no cue ends with a stray word or two.
    assert min(len(" ".join(lines)) for *_, lines in alice) > 50


def test_slow_speech_is_cut_by_time_not_only_by_length():
    insights = make([said("Well, I think, perhaps, we could maybe try it", "Alice", 0, 30.0)])
    found = parse_vtt(vtt(insights))
    check_cues(found)
    assert len(found) >= 5 and found[-1][1] == 30_000


def test_zero_duration_messages_get_an_estimate_that_does_not_overlap():
    text = "No duration at all, so one is estimated."  # 40 characters: 2.667 s at 15/s
    found = parse_srt(srt(make([said(text, "Alice", 5.0, 0), said("Next.", "Bob", 7.0, 1.0),
                                said(text, "Carol", 20.0, 0)])))
    check_cues(found)
    # Alice's estimate is cut where Bob starts; Carol's has nothing after it.
    assert [(start, end) for start, end, _ in found] == [(5000, 7000), (7000, 8000),
                                                         (20_000, 22_667)]


def test_untimed_messages_follow_one_another():
    untimed = [said("First thing said.", "Alice", None, None),
               said("Second thing.", "Bob", None, None)]
    for message in untimed:
        del message["startTime"], message["endTime"]
    insights = make(untimed)
    found = parse_srt(srt(insights))
    check_cues(found)
    assert found[0][0] == 0 and found[1][0] == found[0][1] == 1133  # 17 characters at 15/s
    assert txt(insights).startswith("[00:00:00] Alice: First thing said.\n[00:00:01] Bob:")
    # What a text submission gives back: every message at the same instant, with no length.
    same = parse_srt(srt(make([said("First thing said.", "Alice", 0, 0),
                               said("Second thing.", "Bob", 0, 0)])))
    assert [c[:2] for c in same] == [(0, 1133), (1133, 2133)]  # Bob's 0.867 s held to 1 s


def test_a_known_time_zero_places_messages_by_their_start_times():
    """A transcript's conversation starts at its first cue (1 s), from which the service counts
    timeOffset; with the transcript's time zero known, the cues are where they were."""
    stamp = "2000-01-01T00:00:{:06.3f}Z".format
    messages = [said("Good morning everyone.", "Alice", 0.0, 2.0, startTime=stamp(1.0),
                     endTime=stamp(3.0)),
                said("The build is ready.", "Bob", 2.5, 2.5, startTime=stamp(3.5),
                     endTime=stamp(6.0))]
    conversation = {"id": "5551", "name": "cues", "startTime": stamp(1.0)}
    insights = make(messages, conversation=conversation)
    assert [c[:2] for c in parse_srt(srt(insights))] == [(0, 2000), (2500, 5000)]
    known = replace(insights, origin=DEFAULT_START)
    assert [c[:2] for c in parse_srt(srt(known))] == [(1000, 3000), (3500, 6000)]
    assert [(s.start, s.end) for s in timeline(known)] == [(1.0, 3.0), (3.5, 6.0)]
    assert known.duration == 6.0 and insights.duration == 5.0
    assert known.to_json()["origin"] == "2000-01-01T00:00:00.000Z"
    assert "origin" not in insights.to_json()


def test_word_timings_place_the_cue_breaks():
    words = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    timed = [{"word": w, "timeOffset": i * 0.5 + (10 if i >= 5 else 0), "duration": 0.4,
              "startTime": START, "endTime": START, "score": 0.9} for i, w in enumerate(words)]
    message = said(" ".join(words), "Alice", 0.0, 14.9, words=timed)
    found = parse_vtt(vtt(make([message])))
    check_cues(found)
    # The long pause after "five" is where the cue changes; the second starts with the voice.
    assert [" ".join(c[3]) for c in found] == ["one two three four five",
                                               "six seven eight nine ten"]
    assert found[1][0] == 12_500
    # When Symbl's words differ from its text, they cannot be matched: time goes by length.
    message["words"] = timed[:-1]
    shared = parse_vtt(vtt(make([message])))
    assert vtt_text(shared) == " ".join(words) and shared[0][1] - shared[0][0] <= 7000


def test_a_word_longer_than_a_line_is_cut_and_kept_whole():
    url = "https://example.com/" + "a" * 120
    insights = make([said(f"See {url} please", "Alice", 0, 6)])
    for found in (parse_srt(srt(insights)), parse_vtt(vtt(insights))):
        check_cues(found)
        assert squeezed(" ".join(" ".join(c[-1]) for c in found)).endswith(
            squeezed(f"See {url} please"))


def test_a_long_name_is_shortened_in_the_srt_label_only():
    name = "Maximiliane Theodora von Hohenzollern-Sigmaringen"
    insights = make([said("Short words only here and there for a while.", name, 0, 3)])
    first = parse_srt(srt(insights))[0][2][0]
    assert first.startswith("Maximiliane Theodo…: ") and len(first) <= 42
    assert parse_vtt(vtt(insights))[0][2] == name


@pytest.mark.parametrize("width", [10, 12, 16, 20, 24])
def test_narrow_labels_keep_speakers_apart(width):
    names = ["Speaker 1", "Speaker 2", "Speaker 10", "Speaker 12", "Maximiliane Theodora",
             "Maximiliane Thea"]
    insights = make([said("Yes we agree on that.", name, 3.0 * i, 2.0)
                     for i, name in enumerate(names)])
    found = parse_srt(srt(insights, max_chars_per_line=width))
    check_cues(found, width=width)
    firsts = [c[2][0] for c in found if ": " in c[2][0]]
    labels = [line.split(": ", 1)[0] for line in firsts]
    assert len(labels) == len(names) and len(set(labels)) == len(names), labels
    for name, shown in zip(names, labels, strict=True):
        assert len(shown) <= width // 2 - 2, shown
        if shown != name:  # shortened: a beginning of the name, `…`, maybe an end of it
            head, _, tail = shown.partition("…")
            assert name.startswith(head) and (name.endswith(tail) or tail.isdigit()), shown


def test_every_cue_lasts_the_minimum_where_the_speech_allows_it():
    text = "We should really review the numbers carefully before we decide anything today"
    for following in (6.0, 30.0):  # right after it, or after a pause
        for seconds in (6.0, 2.5):
            insights = make([said(text, "Ann", 0, seconds), said("Okay.", "Bob", following, 1.0)])
            found = parse_srt(srt(insights, max_chars_per_line=20, max_lines=1,
                                  min_cue_seconds=1.0))
            check_cues(found, width=20, max_lines=1)
            first = found[:-1]
            room = (following if following > seconds + 1 else seconds) * 1000
            assert len(first) > 2 and squeezed(srt_text(first)) == squeezed(
                "Ann: " + text)
            if len(first) * 1000 <= room:
                assert all(end - start >= 1000 for start, end, _ in first), first
            else:  # too little time for all: shared out evenly, none squeezed to a flash
                assert min(end - start for start, end, _ in first) >= room // len(first) - 1


def test_cross_talk_and_disorder_still_give_ordered_cues():
    insights = make([said("Later words from Carol.", "Carol", 30.0, 2.0),
                     said("A long point that goes on for quite some time indeed.", "Alice",
                          10.0, 10.0),
                     said("Yeah.", "Bob", 12.0, 0.5),
                     said("Same instant.", "Dan", 12.0, 0.5)])
    found = parse_vtt(vtt(insights))
    check_cues(found)
    assert [c[2] for c in found][-3:] == ["Bob", "Dan", "Carol"]
    assert found[-3][0] == 12_000  # Bob keeps his time; Alice is cut short, not Bob pushed
    assert [m.speaker for m in timeline(insights)] == ["Alice", "Bob", "Dan", "Carol"]


def test_short_cues_are_held_only_where_there_is_room():
    found = parse_srt(srt(make([said("Yes.", "Alice", 1.0, 0.3), said("No.", "Bob", 1.5, 0.3),
                                said("Maybe.", "Carol", 5.0, 0.3)])))
    assert [(s, e) for s, e, _ in found] == [(1000, 1500), (1500, 2500), (5000, 6000)]


def test_layout_options_are_followed_and_checked():
    insights = make([said(WORDS_300, "Alice", 0, 100)])
    found = parse_srt(srt(insights, max_chars_per_line=32, max_lines=1, max_cue_seconds=3.0))
    check_cues(found, width=32, max_lines=1, max_ms=3000)
    for bad in ({"max_chars_per_line": 5}, {"max_lines": 0}, {"max_cue_seconds": 0},
                {"min_cue_seconds": 8.0}):
        with pytest.raises(ValueError):
            vtt(insights, **bad)


def test_captions_read_back_as_transcripts(tmp_path):
    """The project's own transcript reader takes our files back with speakers and words."""
    insights = make([said("Hello there, how are you doing today?", "Alice", 0.5, 2.5),
                     said("Fine, thanks.", "Bob", 3.2, 1.0)])
    for name, render in (("t.srt", srt), ("t.vtt", vtt)):
        path = tmp_path / name
        path.write_text(render(insights), encoding="utf-8")
        back = load_text(path).messages
        assert [(m.speaker, m.content) for m in back] == [
            ("Alice", "Hello there, how are you doing today?"), ("Bob", "Fine, thanks.")]


# ----------------------------------------------------------------------------- plain text


def test_txt_lines_then_lists():
    assert txt(MEETING) == (
        "[00:00:00] Alice: Good morning, everyone. Let's look at the budget report.\n"
        "[00:00:04] Bob: I have the numbers here.\n"
        "[00:01:23] Alice: Great, please share them.\n"
        "[00:01:25] Bob: Sharing now.\n"
        "\n"
        "Action items:\n"
        "- Bob will send the numbers to finance (Bob, due 2022-12-01)\n"
        "- Review the report\n"
        "\n"
        "Questions:\n"
        "- Can you share the numbers?\n"
        "\n"
        "Follow-ups:\n"
        "- Meet again on Friday (Alice, due 2022-12-02 15:30 UTC)\n")


# ----------------------------------------------------------------------------- property

WORD = st.one_of(
    st.sampled_from(["the", "a", "budget,", "Köln", "你好", "<b>", "&", "-->", "#", "*x*",
                     "I'm", "okay.", "ça"]),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzé", min_size=1, max_size=70))
NAME = st.sampled_from(["Alice", "Bob", "Zoë Ångström", "Speaker 2", "李雷", "",
                        "A very long speaker name that goes on"])


@st.composite
def conversations(draw):
    count = draw(st.integers(0, 12))
    timed = draw(st.booleans())
    offset, messages = 0.0, []
    for _ in range(count):
        offset += draw(st.sampled_from([0.0, 0.01, 0.5, 2.0, 7.5]))
        duration = draw(st.sampled_from([None, 0, 0.05, 1.0, 3.0, 9.0, 40.0]))
        text = " ".join(draw(st.lists(WORD, min_size=1, max_size=40)))
        message = said(text, draw(NAME), offset if timed else None, duration)
        if draw(st.booleans()):
            # Word timings as verbose=true gives them: usually one per word, at times that may
            # run past the message, go backwards, or (one word short) not match the text.
            steps = draw(st.lists(st.sampled_from([-0.2, 0.0, 0.3, 1.5, 8.0]),
                                  min_size=len(text.split()), max_size=len(text.split())))
            at, words = offset, []
            for word, step in zip(text.split()[draw(st.integers(0, 1)):], steps, strict=False):
                at += step
                words.append({"word": word, "timeOffset": at, "duration": 0.25, "score": 0.9})
            message["words"] = words
        messages.append(message)
    return make(messages)


@st.composite
def layouts(draw):
    longest = draw(st.sampled_from([1.0, 2.5, 7.0, 10.0]))
    return {"max_chars_per_line": draw(st.sampled_from([10, 20, 32, 42, 60])),
            "max_lines": draw(st.integers(1, 3)), "max_cue_seconds": longest,
            "min_cue_seconds": draw(st.sampled_from([0.0, 0.5, 1.0])) * longest}


@settings(max_examples=120, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(conversations(), layouts())
def test_captions_keep_every_rule(insights, layout):
    expected = [(" ".join(m["text"].split()), m["from"]["name"]) for m in insights.messages]
    width, lines, max_ms = (layout["max_chars_per_line"], layout["max_lines"],
                            round(layout["max_cue_seconds"] * 1000))
    found_vtt = parse_vtt(vtt(insights, **layout))
    check_cues(found_vtt, width=width, max_lines=lines, max_ms=max_ms)
    assert squeezed(vtt_text(found_vtt)) == squeezed("".join(text for text, _ in expected))
    if all(len(word) <= width for text, _ in expected for word in text.split()):
        # Word for word when no word had to be cut.
        assert vtt_text(found_vtt) == " ".join(text for text, _ in expected)
    # Every message has at least one cue, each with its speaker's voice, in order.
    assert runs(voice for _, _, voice, _ in found_vtt) == runs(name or None for _, name in expected)

    found_srt = parse_srt(srt(insights, **layout))
    check_cues(found_srt, width=width, max_lines=lines, max_ms=max_ms)
    assert squeezed(srt_text(found_srt)) == squeezed(
        "".join(label(name, width) + text for text, name in expected))


def runs(items) -> list:
    return [key for key, _ in itertools.groupby(items)]


def label(name: str, width: int) -> str:
    """The SRT speaker label as documented: `Name: `, at most half a line, cut with `…`."""
    if not name:
        return ""
    longest = width // 2 - 2
    return (name if len(name) <= longest else name[:longest - 1].rstrip() + "…") + ": "


# ----------------------------------------------------------------------------- the summary


def test_the_summary_never_cuts_a_line_inside_a_date():
    from symbl_media.cli.report import describe_insights

    dates = ["July 21, 2020", "2020-07-21", "21 July 2020"]
    for pad in range(40, 95, 3):  # the 90-character cut swept across the dates
        text = (("word " * 40)[:pad].rstrip()
                + " by July 21, 2020, not 2020-07-21 or 21 July 2020 ok")
        insights = make(action_items=[item("action_item", text, dueBy="July 21, 2020"),
                                      item("action_item", "Ship it", dueBy="2020-07-21T00:00Z")])
        lines = [line for line in describe_insights(insights).splitlines()
                 if line.startswith("    - ")]
        shown = lines[0][len("    - "):]
        assert len(shown) <= 90 and shown.endswith("…"), shown
        assert text.startswith(shown[:-1].rstrip()), shown
        for date in dates:
            at = text.find(date)
            if at < len(shown) - 1:  # the date starts in what is shown: all of it is
                assert date in shown, (pad, shown)
        assert lines[1] == "    - Ship it (due 2020-07-21)"
    whole = make(action_items=[item("action_item", "Send it", dueBy="July 21, 2020")])
    assert "    - Send it (due July 21, 2020)" in describe_insights(whole).splitlines()
