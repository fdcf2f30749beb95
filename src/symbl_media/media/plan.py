"""Pure decisions: which stream, how to reach mono, what to send (how to reach mono
is ``channels.py``, where to cut ``chunking.py``).

No I/O here: everything is decided from MediaInfo and measured ChannelStats, so each rule is
unit-tested without ffmpeg and printed as is by ``probe`` and ``prepare --dry-run``.
"""

from __future__ import annotations

from dataclasses import dataclass

from symbl_media.errors import PlanError
from symbl_media.media import preprocess as _pre
from symbl_media.media.channels import ChannelPlan, plan_channels
from symbl_media.media.chunking import ChunkPolicy, plan_chunking
from symbl_media.media.levels import ChannelStats
from symbl_media.media.parts import ONE_PASS, Decoding, check_decoders, plan_decoding
from symbl_media.media.probe import AudioStream, MediaInfo

PHONE_RATE = 8000
DEFAULT_RATE = 16000
PCM_CODECS = {"pcm_s16le", "pcm_s24le"}
FORMATS = ("wav", "mp3")


@dataclass(frozen=True)
class PrepareOptions:
    """What the user asked for; None means 'decide for me'."""

    audio_stream: int | None = None
    language: str | None = None
    separate_channels: bool = False
    format: str | None = None  # "wav" or "mp3"
    as_video: bool = False
    chunk_minutes: float | None = None
    # Pre-processors in the order given: ((name, ((key, value), ...)), ...). Any spelling
    # preprocess.normalize takes is accepted ("loudnorm:i=-16", (name, {k: v}), JSON lists)
    # and frozen to that form, so the options stay hashable and compare equal.
    preprocess: tuple[_pre.Spec, ...] = ()
    # ffmpeg processes decoding parts of the recording at once (--decoders); None: one per
    # CPU this process may use, 1: the single pass. The result is the same bytes either way.
    decoders: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "preprocess", _pre.normalize(self.preprocess))
        check_decoders(self.decoders)


@dataclass(frozen=True)
class StreamChoice:
    stream: AudioStream
    reason: str
    # Said on stderr (and in the plan) when the choice may be wrong: the language asked for,
    # or the default one, matches no stream's tag.
    warning: str | None = None


@dataclass(frozen=True)
class Target:
    format: str  # wav | mp3 | mp4
    content_type: str
    endpoint: str  # audio | video: which Async API endpoint takes it
    passthrough: bool  # the source goes as is, byte-identical
    sample_rate: int | None  # None for pass-through
    channels: int
    mode: str  # phone | default: the Async API's mode option
    reason: str

    @property
    def extension(self) -> str:
        return self.format


@dataclass(frozen=True)
class Plan:
    info: MediaInfo
    stream: StreamChoice
    stats: ChannelStats
    channels: ChannelPlan
    target: Target
    chunking: ChunkPolicy
    decoding: Decoding = ONE_PASS
    preprocess: tuple[_pre.Step, ...] = ()  # resolved (and measured) when planning
    speakers: tuple = ()  # --channel N=NAME: api.options.ChannelSpeaker, checked against
    # the stream's channels

    def estimated_pieces(self) -> int:
        duration = self.expected_duration()
        if self.chunking.piece_seconds is None or not duration:
            return 1
        return max(1, round(duration / self.chunking.piece_seconds))

    @property
    def preprocess_filter(self) -> str | None:
        """The pre-processors' chain as it follows the mix in the ffmpeg pass (split per
        channel when the channels are kept)."""
        return _pre.chain(self.preprocess, self.channels.channels)

    def expected_duration(self) -> float | None:
        """How long the prepared audio should be; None when a pre-processor changes the
        length without saying by how much."""
        changing = [s for s in self.preprocess if s.changes_length]
        if not changing:
            return self.info.duration
        spans = [s.span for s in changing if s.filter]
        if not spans:
            return self.info.duration  # measured, and nothing to cut
        if len(spans) == 1 and spans[0] is not None:
            return spans[0][1] - spans[0][0]
        return None


# ----------------------------------------------------------------------------- stream

def choose_stream(info: MediaInfo, options: PrepareOptions,
                  language: str | None = None) -> StreamChoice:
    """Which audio stream to use.

    ``options.language`` (``--language`` of probe and prepare: a tag such as ``spa`` or an API
    code such as ``es-ES``) must match a stream's tag. Otherwise the stream tagged with the
    submission's ``language`` (an API code; None: the default, en-US) is taken when the file
    has one; when it has several streams and none matches, the first is taken with a warning
    if the language was implied, and refused (PlanError) if it was asked for.
    """
    from symbl_media.contract.languages import DEFAULT_LANGUAGE, api_language, stream_tags

    streams = info.audio
    if options.audio_stream is not None:
        n = options.audio_stream
        if not 0 <= n < len(streams):
            raise PlanError(f"{info.path}: --audio-stream {n} does not exist "
                            f"(audio streams are 0..{len(streams) - 1})")
        return StreamChoice(streams[n], f"audio stream {n}, as asked (--audio-stream)")
    tags = sorted({s.language for s in streams if s.language})
    if options.language:
        found = _tagged(streams, stream_tags(options.language) or (options.language,))
        if found is not None:
            return StreamChoice(found, f"audio stream {found.audio_index}, tagged "
                                       f"'{found.language}' as asked (--language)")
        raise PlanError(f"{info.path}: no audio stream is tagged '{options.language}' "
                        f"(tags: {', '.join(tags) or 'none'})")
    implied = language is None
    want = language or DEFAULT_LANGUAGE
    said = f"{want}, the default language" if implied else f"{want}, the language asked for"
    found = _tagged(streams, stream_tags(want))
    first = streams[0]
    if found is not None:
        why = "the only audio stream" if len(streams) == 1 else \
            f"audio stream {found.audio_index} of {len(streams)}"
        return StreamChoice(found, f"{why}, tagged '{found.language}' for {said}")
    if len(streams) == 1:
        if not first.language:
            return StreamChoice(first, "the only audio stream")
        code = api_language(first.language)
        hint = (f"give --language {code or 'CODE'} if that is what is spoken" if implied
                else "sent as asked")
        return StreamChoice(first, f"the only audio stream (tagged '{first.language}', not "
                                   f"for {said})",
                            f"its only audio stream is tagged "
                            f"'{first.language}' but the language is {said}; {hint}")
    if not tags:
        reason = (f"the first of {len(streams)} audio streams: none is tagged with a "
                  f"language (choose another with --audio-stream)")
    elif not implied:
        raise PlanError(f"{info.path}: no audio stream is tagged for {want} (tags: "
                        f"{', '.join(tags)}); choose one with --audio-stream")
    else:
        reason = (f"the first of {len(streams)} audio streams: none is tagged for {said} "
                  f"(tags: {', '.join(tags)}); choose another with --language or "
                  f"--audio-stream")
    if not implied:
        return StreamChoice(first, reason)
    tagged = f" (tagged '{first.language}')" if first.language else ""
    return StreamChoice(first, reason, f"took audio stream 0{tagged} of {len(streams)}: "
                                       f"{reason.split(': ', 1)[1]}")


def _tagged(streams, tags) -> AudioStream | None:
    wanted = {t.lower() for t in tags}
    return next((s for s in streams if s.language and s.language.lower() in wanted), None)


def check_speakers(info: MediaInfo, stream: AudioStream, speakers) -> None:
    """``--channel N=NAME``: N must be one of the stream's channels, counted from 1."""
    count = stream.channels
    for speaker in speakers:
        if not 1 <= speaker.channel <= count:
            raise PlanError(f"{info.path}: --channel {speaker.channel}: the audio has {count} "
                            f"channel{'s' if count != 1 else ''} (--channel takes 1 to "
                            f"{count})")


# ----------------------------------------------------------------------------- target

MP4_CONTAINERS = "mov,mp4,m4a,3gp,3g2,mj2"


def plan_target(info: MediaInfo, stream: AudioStream, channels: ChannelPlan,
                options: PrepareOptions) -> Target:
    """What goes to the API. A pass-through target is cut from the source without re-encoding
    when it needs pieces, and sent byte-identical when it does not."""
    phone = stream.sample_rate <= PHONE_RATE
    mode = "phone" if phone else "default"
    if options.as_video:
        return _video_target(info, stream, mode, bool(options.preprocess))
    wanted = options.format
    if wanted is not None and wanted not in FORMATS:
        raise PlanError(f"--format must be one of {', '.join(FORMATS)}, not '{wanted}'")
    kind = _acceptable_kind(info, stream)
    rate_ok = phone or stream.sample_rate >= DEFAULT_RATE
    acceptable = kind and channels.mix == "mono" and rate_ok and wanted in (None, kind)
    if acceptable and not options.preprocess:
        return Target(kind, _CONTENT_TYPES[kind], "audio", True, None, 1, mode,
                      f"already a mono {kind.upper()} the API accepts; used as is, "
                      f"not re-encoded")
    fmt = wanted or "wav"
    rate = stream.sample_rate if phone else DEFAULT_RATE
    why_rate = (f"kept at {rate} Hz and marked mode=phone (telephone-band source)" if phone
                else f"{rate} Hz")
    why_not_as_is = ("; re-encoded, not used as is, for the pre-processors (--pre)"
                     if acceptable else "")
    return Target(fmt, _CONTENT_TYPES[fmt], "audio", False, rate, channels.channels, mode,
                  f"{'16-bit PCM WAV' if fmt == 'wav' else 'MP3'}, "
                  f"{'mono' if channels.channels == 1 else f'{channels.channels} channels'}, "
                  f"{why_rate}{why_not_as_is}")


_CONTENT_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "mp4": "video/mp4"}


def _acceptable_kind(info: MediaInfo, stream: AudioStream) -> str | None:
    """'wav' or 'mp3' when the file as it stands is what the audio endpoint takes."""
    if len(info.audio) != 1 or info.has_video or stream.channels != 1:
        return None
    if info.container == "wav" and stream.codec in PCM_CODECS:
        return "wav"
    if info.container == "mp3" and stream.codec == "mp3":
        return "mp3"
    return None


def _video_target(info: MediaInfo, stream: AudioStream, mode: str,
                  preprocessed: bool = False) -> Target:
    if not info.has_video:
        raise PlanError(f"{info.path}: --as-video needs a video stream, and this file has none")
    video = next(v for v in info.video if not v.attached_picture)
    ready = (info.container == MP4_CONTAINERS and video.codec == "h264"
             and stream.codec == "aac" and len(info.audio) == 1)
    if ready and not preprocessed:
        return Target("mp4", "video/mp4", "video", True, None, stream.channels, mode,
                      "already an H.264/AAC MP4; used as is for the Video API")
    how = "video copied" if video.codec == "h264" else f"{video.codec} video re-encoded to H.264"
    audio = ("mono AAC audio through the pre-processors (--pre)" if preprocessed
             else "mono AAC audio")
    return Target("mp4", "video/mp4", "video", False, DEFAULT_RATE, 1, mode,
                  f"MP4 for the Video API: {how}, {audio}")


# ----------------------------------------------------------------------------- all

def make_plan(info: MediaInfo, choice: StreamChoice, stats: ChannelStats | None,
              options: PrepareOptions, channels: ChannelPlan | None = None, *,
              load: float | None = None) -> Plan:
    """The whole plan. ``channels`` given (and ``stats`` None): a guess at the plan before the
    channels are measured, to start the one pass on (``head_start``), never shown. ``load``:
    the machine's load average (``parts.machine_load``), read by the caller once for both."""
    if channels is None:
        try:
            channels = plan_channels(choice.stream, stats, options.separate_channels)
        except PlanError as exc:
            raise PlanError(f"{info.path}: {exc}") from None
    chunking = plan_chunking(info.duration, options)
    target = plan_target(info, choice.stream, channels, options)
    decoding = plan_decoding(decoders=options.decoders, duration=info.duration,
                             codec=choice.stream.codec, source_rate=choice.stream.sample_rate,
                             out_rate=target.sample_rate, out_channels=channels.channels,
                             target_format=target.format, passthrough=target.passthrough,
                             preprocessed=bool(options.preprocess),
                             layout=choice.stream.layout, load=load)
    return Plan(info, choice, stats, channels, target, chunking, decoding)
