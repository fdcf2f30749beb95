"""What a job does to its input: recognise speech (or read a text payload) into messages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from symbl_media.contract.languages import DEFAULT_LANGUAGE
from symbl_media.errors import SymblMediaError
from symbl_media.media.decode import to_recognition_wav, wav_header
from symbl_media.media.probe import probe
from symbl_media.server import text_times
from symbl_media.server.engines.chosen import Engines
from symbl_media.server.failures import JobFailure
from symbl_media.server.leases import Run
from symbl_media.server.model import Segment
from symbl_media.server.store import Store


def recognise(engines: Engines, store: Store, cid: str, run: Run, upload: Path, work: Path,
              options: dict, base: float, max_duration: float) -> tuple[list[dict], float]:
    """Messages (times from the conversation's start) and the audio's duration; the
    members it adds are the job's run's (``run.lease``). Between stages the run checks it
    still holds the job (``run.check``), so a run that lost it stops there."""
    # A WAV (what recorders, the client's prepare step and most uploads are) is known from
    # its header: no ffprobe, which the POST did not run on it either. Anything else is probed.
    header = wav_header(upload)
    as_is = header is not None and header.is_recognition_wav
    if header is not None:
        seconds, channels = header.seconds, header.channels
    else:
        try:
            info = probe(upload)
        except SymblMediaError as exc:
            raise JobFailure(f"the file is not audio the sandbox can read ({exc})") from None
        seconds, channels = info.duration, info.audio[0].channels
    if seconds and seconds > max_duration:
        raise JobFailure(f"the recording is longer than {max_duration / 3600:g} hours")
    language = options.get("languageCode", DEFAULT_LANGUAGE)
    vocabulary = options.get("customVocabulary") or ()
    diarize = bool(options.get("enableSpeakerDiarization"))
    # With both flags the docs say diarization wins.
    if options.get("enableSeparateRecognitionPerChannel") and not diarize and channels > 1:
        return _per_channel(engines, store, cid, run, upload, work, options, base, language,
                            vocabulary, channels)
    wav = upload if as_is else work / "audio.wav"
    if not as_is:
        to_recognition_wav(upload, wav)
    transcript = engines.transcriber.transcribe(wav, language=language, vocabulary=vocabulary)
    segments = list(transcript.segments)
    run.check()
    members: dict[int, str] = {}
    if diarize and segments:
        segments = list(engines.diarizer.assign(wav, segments,
                                                options.get("diarizationSpeakerCount")))
        run.check()
        lease = run.lease
        # Like Symbl, each submission names its speakers afresh ("Speaker 1", ...): appends
        # get new members, which clients may merge through PUT .../members/{id}.
        for label in sorted({s.speaker for s in segments if s.speaker is not None}):
            members[label] = store.add_member(cid, f"Speaker {label + 1}",
                                              job_id=lease.job_id, lease=lease)["id"]
    messages = [_message(s, base, members.get(s.speaker)) for s in segments]
    return messages, transcript.duration


def _per_channel(engines, store, cid, run, upload, work, options, base, language, vocabulary,
                 channels) -> tuple[list[dict], float]:
    metadata = {m["channel"]: m.get("speaker") or {} for m in
                options.get("channelMetadata") or []}
    segments: list[Segment] = []
    member_of: dict[int, str] = {}
    duration = 0.0
    for index in range(channels):
        wav = work / f"channel-{index + 1}.wav"
        to_recognition_wav(upload, wav, channel=index)
        transcript = engines.transcriber.transcribe(wav, language=language,
                                                    vocabulary=vocabulary)
        run.check()
        duration = max(duration, transcript.duration)
        speaker = metadata.get(index + 1, {})
        member_of[index + 1] = _member(store, cid, speaker.get("name") or f"Channel {index + 1}",
                                       speaker.get("email"))
        segments += [Segment(s.text, s.start, s.end, s.words, channel=index + 1)
                     for s in transcript.segments]
    segments.sort(key=lambda s: (s.start, s.channel or 0))
    return [_message(s, base, member_of[s.channel]) for s in segments], duration


def _member(store: Store, cid: str, name: str, email: str | None) -> str:
    """The conversation's member with this email (or name), added when new."""
    for m in store.members(cid):
        if (email and m["email"] == email) or (not email and m["name"] == name):
            return m["id"]
    return store.add_member(cid, name, email)["id"]


def _message(segment: Segment, base: float, member_id: str | None) -> dict:
    words = [{"word": w.text, "start": round(base + w.start, 3), "end": round(base + w.end, 3),
              "score": round(w.score, 3),
              **({"speakerTag": segment.speaker + 1} if segment.speaker is not None else {})}
             for w in segment.words]
    return {"text": segment.text, "member_id": member_id, "start": round(base + segment.start, 3),
            "end": round(base + segment.end, 3), "words": words, "channel": segment.channel}


def text_messages(store: Store, cid: str, options: dict, base: float,
                  started: datetime | None) -> tuple[list[dict], float, datetime | None]:
    """Messages of a Text API payload, the job's duration, and the conversation's start when
    this job sets it. ``base`` is where the conversation so far ends; ``started`` its start
    when an earlier job got that far, else None (this job begins it). text_times.py says
    where each message goes: stated times are kept, the others paced after the one before."""
    items = options.get("messages") or []
    contents = [item["payload"]["content"].strip() for item in items]
    placed = text_times.place([text_times.stated(item.get("duration")) for item in items],
                              [len(c.split()) for c in contents], base=base, started=started)
    messages = []
    for item, content, span in zip(items, contents, placed.spans, strict=True):
        sender = item.get("from") or {}
        member = None
        if sender.get("name") or sender.get("userId"):
            member = _member(store, cid, sender.get("name") or sender["userId"],
                             sender.get("userId"))
        messages.append({"text": content, "member_id": member, "start": span.start,
                         "end": max(span.end, span.start), "words": [], "channel": None})
    return messages, placed.duration, placed.origin
