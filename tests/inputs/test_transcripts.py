"""Transcripts (.json, .txt, .srt, .vtt) into Symbl Text API bodies, and every bad file refused
with one TextInputError line that names it."""

from __future__ import annotations

import codecs
import json
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from symbl_media.inputs.transcripts import reading as text_input  # where MAX_BYTES is read
from symbl_media.inputs.transcripts.labels import split_label
from symbl_media.errors import InputNotFound, TextInputError
from symbl_media.inputs.transcripts import (TEXT_SUFFIXES, TextMessage, TextPayload, is_text_input,
                                    load_text, speaker_user_id)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def refused(path: Path, match: str) -> str:
    """Load ``path``, expecting a one-line TextInputError that starts with the path."""
    with pytest.raises(TextInputError, match=match) as caught:
        load_text(path)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message, message
    assert message.startswith(f"{path}: "), message
    assert caught.value.exit_code == 14
    return message


def plain(payload: TextPayload) -> list[tuple]:
    return [(m.content, m.speaker, m.start, m.end) for m in payload.messages]


# ----------------------------------------------------------------------------- suffixes


@pytest.mark.parametrize("name", ["a.json", "b.TXT", "c.Srt", "dir.x/d.vtt", "e.tar.json"])
def test_text_suffixes_are_recognised_in_any_case(name):
    assert is_text_input(name) and is_text_input(Path(name))


@pytest.mark.parametrize("name", ["a.wav", "b.mp4", "json", ".json", "c.json.bak", "d.text"])
def test_other_names_are_not_text(name):
    assert not is_text_input(name)


def test_suffix_list():
    assert TEXT_SUFFIXES == (".json", ".txt", ".srt", ".vtt")


# ----------------------------------------------------------------------------- to_json


def test_to_json_builds_the_text_api_body(tmp_path):
    payload = TextPayload((TextMessage("Hello", "Alice", 1.5, 4.0),
                           TextMessage("Bye", None, None, None)), tmp_path / "x.txt")
    body = payload.to_json(extra={"name": "Weekly", "detectPhrases": True})
    assert body == {
        "name": "Weekly", "detectPhrases": True,
        "messages": [
            {"payload": {"content": "Hello", "contentType": "text/plain"},
             "from": {"name": "Alice", "userId": "alice@transcript.invalid"},
             "duration": {"startTime": "2000-01-01T00:00:01.500Z",
                          "endTime": "2000-01-01T00:00:04.000Z"}},
            {"payload": {"content": "Bye", "contentType": "text/plain"}},
        ]}
    json.dumps(body)  # plain JSON types only


def test_to_json_start_time_is_converted_to_utc_and_naive_means_utc(tmp_path):
    payload = TextPayload((TextMessage("Hi", None, 0.1 + 0.2, 61.0),), tmp_path / "x.srt")
    paris = timezone(timedelta(hours=2))
    span = payload.to_json(datetime(2024, 5, 1, 12, 0, tzinfo=paris))["messages"][0]["duration"]
    assert span == {"startTime": "2024-05-01T10:00:00.300Z", "endTime": "2024-05-01T10:01:01.000Z"}
    naive = payload.to_json(datetime(2024, 5, 1, 10, 0))["messages"][0]["duration"]
    assert naive == span


def test_to_json_refuses_messages_in_extra(tmp_path):
    with pytest.raises(ValueError):
        TextPayload((TextMessage("Hi", None, None, None),), tmp_path / "x.txt").to_json(
            extra={"messages": []})


def test_user_ids_are_stable_and_distinct():
    assert speaker_user_id("Alice") == "alice@transcript.invalid"
    assert speaker_user_id("Speaker  1") == speaker_user_id("speaker 1") == \
        "speaker-1@transcript.invalid"
    # Names a plain slug would merge keep apart, with a hash suffix.
    ids = {speaker_user_id(n) for n in ["Bob Smith", "Bob-Smith", "Bob.Smith", "李雷", "王芳",
                                        "José", "Jose", "x" * 60, "x" * 61]}
    assert len(ids) == 9
    assert speaker_user_id("李雷") == speaker_user_id("李雷")
    assert all(re.fullmatch(r"[a-z0-9-]+@transcript\.invalid", i) for i in ids)


# ----------------------------------------------------------------------------- .json


def test_json_symbl_payload(tmp_path):
    path = write(tmp_path, "p.json", json.dumps({
        "name": "ignored", "detectPhrases": True,
        "messages": [
            {"payload": {"content": "Hello  there", "contentType": "text/plain"},
             "from": {"name": "Alice", "userId": "alice@example.com"},
             "duration": {"startTime": "2020-07-21T16:04:19.99Z",
                          "endTime": "2020-07-21T16:04:20.99Z"}},
            {"payload": {"content": "Hi"}, "from": {"userId": "bob@example.com"},
             "duration": {"startTime": "2020-07-21T18:04:21+02:00",
                          "endTime": "2020-07-21T16:04:25.5"}},
            {"payload": {"content": "no one"}, "from": None, "id": "123"},
        ]}))
    assert plain(load_text(path)) == [
        ("Hello  there", "Alice", 0.0, 1.0),  # content kept exactly as written
        ("Hi", "bob@example.com", 1.01, 5.51),
        ("no one", None, None, None),
    ]
    assert load_text(path).source == path


def test_json_bare_list_and_times_from_the_earliest_start(tmp_path):
    path = write(tmp_path, "l.json", json.dumps([
        {"payload": {"content": "second"},
         "duration": {"startTime": "2021-01-01T00:00:10.000Z",
                      "endTime": "2021-01-01T00:00:12.000Z"}},
        {"payload": {"content": "first"},
         "duration": {"startTime": "2021-01-01T00:00:02.123456789Z",
                      "endTime": "2021-01-01T00:00:03Z"}},
    ]))
    assert plain(load_text(path)) == [("second", None, pytest.approx(7.876544), 9.876544),
                                      ("first", None, 0.0, pytest.approx(0.876544))]


def test_json_round_trip_through_to_json(tmp_path):
    body = {"messages": [
        {"payload": {"content": "One", "contentType": "text/plain"},
         "from": {"name": "Ann", "userId": "ann@transcript.invalid"},
         "duration": {"startTime": "2000-01-01T00:00:00.000Z",
                      "endTime": "2000-01-01T00:00:02.500Z"}},
        {"payload": {"content": "Two", "contentType": "text/plain"}}]}
    path = write(tmp_path, "r.json", json.dumps(body))
    assert load_text(path).to_json() == body


def test_json_with_dates_keeps_them_and_srt_is_offsets(tmp_path):
    body = {"messages": [
        {"payload": {"content": "Send it by Friday.", "contentType": "text/plain"},
         "duration": {"startTime": "2022-11-25T09:20:22.928Z",
                      "endTime": "2022-11-25T10:20:24.000+01:00"}}]}
    dated = load_text(write(tmp_path, "d.json", json.dumps(body)))
    assert dated.to_json() == {"messages": [{**body["messages"][0], "duration": {
        "startTime": "2022-11-25T09:20:22.928Z", "endTime": "2022-11-25T09:20:24.000Z"}}]}
    assert not dated.offsets  # its own dates are its time zero
    assert load_text(write(tmp_path, "s.srt", SRT)).offsets
    assert not load_text(write(tmp_path, "t.txt", "Alice: hi\n")).offsets  # no times


@pytest.mark.parametrize("content, match", [
    ("{}", r'no "messages" array'),
    ('{"messages": {}}', r'"messages" must be an array, not an object'),
    ("42", r"not a Symbl text payload \(a number"),
    ('"text"', r"not a Symbl text payload \(a string"),
    ("null", r"not a Symbl text payload \(null"),
    ("[]", r"contains no messages"),
    ('{"messages": []}', r"contains no messages"),
    ("[1]", r"\[0\] must be an object, not a number"),
    ('[{"payload": "hi"}]', r"\[0\]\.payload must be an object, not a string"),
    ('[{"text": "hi"}]',
     r"\[0\]\.payload must be an object, not null \(this looks like a Conversation API"),
    ('{"messages": [{"payload": {"content": 5}}]}',
     r"messages\[0\]\.payload\.content must be a string, not a number"),
    ('[{"payload": {"content": ["a"]}}]', r"content must be a string, not an array"),
    ('[{"payload": {"content": true}}]', r"content must be a string, not a boolean"),
    ('[{"payload": {"content": "ok"}}, {"payload": {"content": " \\n\\t"}}]',
     r"\[1\]\.payload\.content is empty"),
    ('[{"payload": {"content": "\\ud800"}}]', r"unpaired surrogate"),
    ('[{"payload": {"content": "a", "contentType": "text/html"}}]',
     r'contentType must be "text/plain", not "text/html"'),
    ('[{"payload": {"content": "a", "contentType": 1}}]', r"contentType must be .* not a number"),
    ('[{"payload": {"content": "a"}, "from": "Bob"}]', r"\.from must be an object, not a string"),
    ('[{"payload": {"content": "a"}, "from": {"name": {"x": 1}}}]',
     r"\.from\.name must be a string, not an object"),
    ('[{"payload": {"content": "a"}, "from": {"userId": 7}}]', r"\.from\.userId must be a string"),
    ('[{"payload": {"content": "a"}, "duration": 3}]', r"\.duration must be an object"),
    ('[{"payload": {"content": "a"}, "duration": {"startTime": "2020-01-01T00:00:00Z"}}]',
     r"\.duration\.endTime must be an ISO-8601 string, not null"),
    (('[{"payload": {"content": "a"}, "duration": {"startTime": "2020-01-01", '
      '"endTime": "2020-01-01"}}]'), r"startTime is not an ISO-8601 date-time"),
    (('[{"payload": {"content": "a"}, "duration": {"startTime": "2020-02-30T00:00:00Z", '
      '"endTime": "2020-03-01T00:00:00Z"}}]'), r"startTime is not a real date and time"),
    (('[{"payload": {"content": "a"}, "duration": {"startTime": "2020-01-01T00:00:05Z", '
      '"endTime": "2020-01-01T00:00:04Z"}}]'), r"\.duration ends before it starts"),
    (('[{"payload": {"content": "a"}, "duration": {"startTime": "0001-01-01T00:00:00Z", '
      '"endTime": "9999-12-31T23:59:59Z"}}]'), r"more than a year after"),
    ('{"messages": [', r"not valid JSON \(line 1, column 15"),
    ('[{"payload": {"content": "a"}, "n": NaN}]', r"not valid JSON \(NaN is not a JSON number"),
    ("[" + "9" * 5000 + "]", r"not valid JSON \(Exceeds the limit"),
    ("[" * 100_000 + "]" * 100_000, r"nested too deeply"),
])
def test_json_that_is_not_a_symbl_payload_is_refused(tmp_path, content, match):
    refused(write(tmp_path, "bad.json", content), match)


# ----------------------------------------------------------------------------- .txt

TXT = """\
Alice: Good morning, everyone.
Let's start with the budget.

Dr. Bob Smith: Thanks. Note: the numbers are draft.
Speaker 2: Agreed.
JOHN:
what about hiring?

Note: this line has no speaker
and continues here: still the same message.

Step 2: also a heading, not a speaker.
so, yes: lower case and commas are text.
"""


def test_txt_speakers_and_paragraphs(tmp_path):
    assert plain(load_text(write(tmp_path, "t.txt", TXT))) == [
        ("Good morning, everyone. Let's start with the budget.", "Alice", None, None),
        ("Thanks. Note: the numbers are draft.", "Dr. Bob Smith", None, None),
        ("Agreed.", "Speaker 2", None, None),
        ("what about hiring?", "JOHN", None, None),
        ("Note: this line has no speaker and continues here: still the same message.",
         None, None, None),
        ("Step 2: also a heading, not a speaker. so, yes: lower case and commas are text.",
         None, None, None),
    ]


def test_txt_label_rules():
    split = split_label
    assert split("Alice: hi") == ("Alice", "hi")
    assert split("Mary-Jane O'Neil: hi") == ("Mary-Jane O'Neil", "hi")
    assert split("李雷: 你好") == ("李雷", "你好")
    assert split("Q: why?") == ("Q", "why?")
    for text in ["http://example.com", "10:30 meeting", "Meeting at 10:30", "Note: x",
                 "P.S.: x", "Re: x", "alice: hi", "One two three four five: hi", "Hey, you: x",
                 "Why?: x", "x" * 41 + ": hi", "Summary 3: x", ": x"]:
        assert split(text) == (None, text), text


def test_txt_crlf_bom_and_utf16(tmp_path):
    text = "Alice: one\r\ntwo\r\n\r\nBob: three\r\n"
    want = [("one two", "Alice", None, None), ("three", "Bob", None, None)]
    assert plain(load_text(write(tmp_path, "a.txt", codecs.BOM_UTF8 + text.encode()))) == want
    assert plain(load_text(write(tmp_path, "b.txt", text.encode("utf-16")))) == want
    assert plain(load_text(write(tmp_path, "c.txt", codecs.BOM_UTF16_BE
                                 + text.encode("utf-16-be")))) == want
    assert plain(load_text(write(tmp_path, "d.txt", text.encode("utf-32")))) == want
    assert plain(load_text(write(tmp_path, "e.txt", text.replace("\r\n", "\r")))) == want


def test_txt_label_without_text_is_refused(tmp_path):
    refused(write(tmp_path, "a.txt", "Alice: hi\n\nBob:\n\n"),
            r"line 3: the speaker label has no text")
    refused(write(tmp_path, "b.txt", "Bob:\nAlice: hi\n"),
            r"line 1: the speaker label has no text")


# ----------------------------------------------------------------------------- .srt

SRT = """\
1
00:00:01,000 --> 00:00:04,000
<i>Alice: Hello</i> and
<font color="red">welcome</font>

2
00:00:04,500 --> 00:00:06,250 X1:100 X2:200
- Are you there?
- Yes.

3
00:00:07,000 --> 00:00:08,000
Alice: Still me.

00:00:08,000 --> 00:00:09,500
{\\an8}No index line --> arrows in text are text.
4
00:01:00.5 --> 1:00:02,25
Bob:   Last   one.
"""


def test_srt_cues(tmp_path):
    assert plain(load_text(write(tmp_path, "s.srt", SRT))) == [
        ("Hello and welcome", "Alice", 1.0, 4.0),
        ("Are you there? Yes.", None, 4.5, 6.25),
        ("Still me.", "Alice", 7.0, 8.0),  # same speaker again: still its own message
        ("No index line --> arrows in text are text.", None, 8.0, 9.5),
        ("Last one.", "Bob", 60.5, 3602.25),
    ]


def test_srt_crlf_bom_and_trailing_spaces(tmp_path):
    text = "1  \r\n00:00:01,000 --> 00:00:02,000   \r\nHi there   \r\n\r\n\r\n"
    data = codecs.BOM_UTF8 + text.encode()
    assert plain(load_text(write(tmp_path, "s.srt", data))) == [("Hi there", None, 1.0, 2.0)]


def test_srt_to_json_keeps_timing(tmp_path):
    body = load_text(write(tmp_path, "s.srt", SRT)).to_json()
    assert body["messages"][1]["duration"] == {"startTime": "2000-01-01T00:00:04.500Z",
                                               "endTime": "2000-01-01T00:00:06.250Z"}
    assert "from" not in body["messages"][1]
    assert body["messages"][4]["from"] == {"name": "Bob", "userId": "bob@transcript.invalid"}


@pytest.mark.parametrize("content, match", [
    ("just some text\n", r"has no subtitle cues"),
    ("hello\n1\n00:00:01,000 --> 00:00:02,000\nhi\n", r"line 1: expected a cue number"),
    ("1\n00:00:01,000 --> soon\nhi\n",
     r"line 2: cannot read the cue timing '00:00:01,000 --> soon'"),
    ("1\n00:00:01,000 --> 00:61:00,000\nhi\n", r"line 2: cannot read the cue timing"),
    ("1\n00:00:05,000 --> 00:00:04,000\nhi\n", r"line 2: the cue ends before it starts"),
    ("1\n00:00:01,000 --> 9999:00:00,000\nhi\n", r"line 2: the cue time is more than a year in"),
    ("1\n00:00:01,000 --> 00:00:02,000\n<i></i>\n\n2\n00:00:03,000 --> 00:00:04,000\nx\n",
     r"line 2: the cue has no text"),
    ("1\n00:00:01,000 --> 00:00:02,000\nALICE:\n", r"line 2: the cue has no text"),
])
def test_bad_srt_is_refused(tmp_path, content, match):
    refused(write(tmp_path, "bad.srt", content), match)


# ----------------------------------------------------------------------------- .vtt

VTT = """\
WEBVTT - Weekly sync
Kind: captions
Language: en

NOTE This is a comment
spanning two lines --> with an arrow

STYLE
::cue { color: lime }

REGION
id:fred width:40%

intro
00:01.000 --> 00:04.000 align:start position:10%
<v Alice>Hello &amp; <b>welcome</b></v>

00:00:04.500 --> 00:00:06.000
<v.loud Bob Smith>Thanks.</v>
<v Alice>You're welcome.</v>

a block that is not a cue

01:00:00.000 --> 01:00:01.250
<c.yellow>Plain</c> <00:00:00.500>text &lt;b&gt;
with two lines

00:00:07.000 --> 00:00:08.000
Carol: labelled without a voice tag

00:00:09.000 --> 00:00:10.000
<v Bob Smith>one</v> <v Bob Smith>voice</v>
"""


def test_vtt_cues(tmp_path):
    assert plain(load_text(write(tmp_path, "v.vtt", VTT))) == [
        ("Hello & welcome", "Alice", 1.0, 4.0),
        ("Thanks.", "Bob Smith", 4.5, 6.0),
        ("You're welcome.", "Alice", 4.5, 6.0),
        ("Plain text <b> with two lines", None, 3600.0, 3601.25),
        ("labelled without a voice tag", "Carol", 7.0, 8.0),
        ("one voice", "Bob Smith", 9.0, 10.0),
    ]


def test_vtt_crlf_bom_and_cue_right_after_header(tmp_path):
    text = "WEBVTT\r\n00:00.000 --> 00:01.000\r\n<v Ann>hi</v>\r\n\r\n"
    data = codecs.BOM_UTF8 + text.encode()
    assert plain(load_text(write(tmp_path, "v.vtt", data))) == [("hi", "Ann", 0.0, 1.0)]


@pytest.mark.parametrize("content, match", [
    ("00:01.000 --> 00:02.000\nhi\n", r"does not start with WEBVTT"),
    ("WEBVTTX\n\n00:01.000 --> 00:02.000\nhi\n", r"does not start with WEBVTT"),
    ("WEBVTT\n\nNOTE only a note\n", r"contains no messages"),
    ("WEBVTT\n\n00:01.000 --> later\nhi\n", r"line 3: cannot read the cue timing"),
    ("WEBVTT\n\nid\n00:02.000 --> 00:01.000\nhi\n", r"line 4: the cue ends before it starts"),
    ("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann></v>\n", r"line 3: the cue has no text"),
])
def test_bad_vtt_is_refused(tmp_path, content, match):
    refused(write(tmp_path, "bad.vtt", content), match)


# ----------------------------------------------------------------------------- any format


@pytest.mark.parametrize("suffix", TEXT_SUFFIXES)
def test_missing_file_is_input_not_found(tmp_path, suffix):
    with pytest.raises(InputNotFound, match=r"no such file"):
        load_text(tmp_path / f"nope{suffix}")


def test_directory_is_input_not_found(tmp_path):
    (tmp_path / "d.txt").mkdir()
    with pytest.raises(InputNotFound, match=r"is a directory"):
        load_text(tmp_path / "d.txt")


def test_odd_paths_are_input_not_found(tmp_path):
    with pytest.raises(InputNotFound, match=r"no such file"):
        load_text(f"{tmp_path}/nul\x00.txt")
    os.mkfifo(tmp_path / "pipe.srt")  # would block forever if it were opened
    with pytest.raises(InputNotFound, match=r"is not a regular file"):
        load_text(tmp_path / "pipe.srt")


@pytest.mark.parametrize("suffix", TEXT_SUFFIXES)
def test_empty_and_blank_files_are_refused(tmp_path, suffix):
    refused(write(tmp_path, f"e{suffix}", b""), r"is empty \(0 bytes\)")
    refused(write(tmp_path, f"w{suffix}", codecs.BOM_UTF8 + b" \r\n\t\n"),
            r"contains no messages \(only white space\)")


@pytest.mark.parametrize("data, match", [
    (b"Alice: caf\xe9\n", r"is not UTF-8 text \(undecodable bytes at offset 10\)"),
    (codecs.BOM_UTF8 + b"\xff", r"is not UTF-8 text \(undecodable bytes at offset 3\)"),
    (codecs.BOM_UTF16_LE + b"a\x00b", r"is not UTF-16 text"),
    (codecs.BOM_UTF16_LE + b"\x00\xd8a\x00", r"is not UTF-16 text"),
    (b"Alice: hi\x00\n", r"contains NUL characters"),
])
def test_undecodable_text_is_refused(tmp_path, data, match):
    refused(write(tmp_path, "u.txt", data), match)


def test_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    with path.open("wb") as fh:  # sparse: no 10 MiB written
        fh.truncate(text_input.MAX_BYTES + 1)
    monkeypatch.setattr(Path, "open", lambda *a, **k: pytest.fail("the file was opened"))
    refused(path, r"is larger than 10 MiB")


def test_just_under_the_cap_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(text_input, "MAX_BYTES", 64)
    ok = write(tmp_path, "ok.txt", "x" * 64)
    assert plain(load_text(ok)) == [("x" * 64, None, None, None)]
    refused(write(tmp_path, "big.txt", "x" * 65), r"is larger than")


def test_unknown_suffix_is_refused(tmp_path):
    refused(write(tmp_path, "notes.md", "Alice: hi"), r"not a transcript")


def test_file_name_with_a_newline_stays_on_one_line(tmp_path):
    path = write(tmp_path, "two\nlines.txt", b"")
    with pytest.raises(TextInputError) as caught:
        load_text(path)
    assert str(caught.value) == f"{tmp_path}/two\\nlines.txt: is empty (0 bytes)"


# ----------------------------------------------------------------------------- properties

SUFFIXES = st.sampled_from(TEXT_SUFFIXES)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.sampled_from(["2020-01-01T00:00:00Z", "text/plain", "Ann"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["messages", "payload", "content", "contentType", "from", "name",
                         "userId", "duration", "startTime", "endTime", "x"]), inner,
        max_size=4),
    max_leaves=30)

# Messages close to the real shape, each field right or garbage, so the checks past the top
# level run too.
garbage = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
           | st.lists(st.integers(), max_size=2) | st.just({"content": "x"}))
TIMES = st.sampled_from(["2020-01-01T00:00:00Z", "2020-01-01T00:00:01.5+01:00", "2020-01-01",
                         "2020-01-01T00:00:00.1234567890Z", "9999-12-31T23:59:59Z", "x"])


def mostly(right):
    """``right`` about four times in five, else garbage."""
    return st.one_of(right, right, right, right, garbage)


near_messages = st.lists(st.fixed_dictionaries(
    {"payload": mostly(st.fixed_dictionaries(
        {"content": mostly(st.text(min_size=1, max_size=8))},
        optional={"contentType": mostly(st.just("text/plain"))}))},
    optional={"from": mostly(st.fixed_dictionaries(
        {}, optional={"name": mostly(st.text(max_size=8)),
                      "userId": mostly(st.text(max_size=8))})),
              "duration": mostly(st.fixed_dictionaries({"startTime": TIMES,
                                                        "endTime": TIMES}))}), max_size=3)
near_payloads = near_messages | near_messages.map(lambda m: {"messages": m, "name": "x"})

# Lines that look like pieces of real transcripts, so the parsers get past their first check.
transcript_lines = st.lists(st.sampled_from([
    "WEBVTT", "", "1", "00:00:01,000 --> 00:00:02,000", "00:01.000 --> 00:00.500",
    "00:00.000 --> 00:02.000 align:start", "Alice: hi", "Bob:", "<v Ann>yo</v>", "<v>",
    "NOTE x", "- dash", "<i></i>", "&amp;", "plain words", "-->", "99:99:99,999 --> 1:1:1,1",
    "\ufeff", "\r", "\u2028", "  ",
]) | st.text(max_size=12), max_size=12).map("\n".join)


def check_loads_or_refuses(path: Path) -> None:
    try:
        payload = load_text(path)
    except TextInputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(f"{path}: "), str(exc)
        return
    assert payload.messages
    body = payload.to_json()
    # What loads must make a body the API accepts and that can travel as UTF-8 JSON.
    json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
    for message in body["messages"]:
        assert message["payload"]["content"].strip()


FAST = settings(max_examples=100, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(data=st.binary(max_size=200), suffix=SUFFIXES)
def test_arbitrary_bytes_load_or_raise_text_input_error(tmp_path, data, suffix):
    check_loads_or_refuses(write(tmp_path, f"any{suffix}", data))


@FAST
@given(value=json_values, suffix=SUFFIXES)
def test_arbitrary_json_values_load_or_raise_text_input_error(tmp_path, value, suffix):
    check_loads_or_refuses(write(tmp_path, f"any{suffix}", json.dumps(value)))


@FAST
@given(value=near_payloads)
def test_near_symbl_payloads_load_or_raise_text_input_error(tmp_path, value):
    check_loads_or_refuses(write(tmp_path, "near.json", json.dumps(value)))


@FAST
@given(text=transcript_lines, suffix=SUFFIXES, encoding=st.sampled_from(
    ["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_transcript_like_text_loads_or_raises_text_input_error(tmp_path, text, suffix, encoding):
    if suffix == ".vtt" and len(text) % 3:  # most WebVTT files get past the header check
        text = "WEBVTT\n" + text
    data = text.encode(encoding, "surrogatepass")
    check_loads_or_refuses(write(tmp_path, f"any{suffix}", data))
