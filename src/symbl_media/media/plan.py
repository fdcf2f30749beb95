"""Pure decisions: which stream, how to reach mono, what to send, where to cut.

No I/O here: everything is decided from MediaInfo and measured ChannelStats, so each rule is
unit-tested without ffmpeg and printed as is by ``probe`` and ``prepare --dry-run``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from symbl_media.errors import PlanError
from symbl_media.media import preprocess as _pre
from symbl_media.media.levels import ChannelStats
from symbl_media.media.probe import AudioStream, MediaInfo

MAX_PIECE_SECONDS = 4 * 3600.0  # the Async API refuses longer files
MIN_PIECE_SECONDS = 60.0
# Auto-chunking aims this far below the limit so that moving a cut into silence never
# pushes a piece over it.
LIMIT_MARGIN_SECONDS = 600.0

SILENT_DB = -60.0  # a channel below this over the active frames carries nothing
DEAD_GAP_DB = 30.0  # a channel this far below the other is a dead or bleed-only side
CANCEL_DB = 9.0  # the average this far below the louder side means the sides cancel
DUAL_MONO_CORR = 0.98
ONE_SIDE_SHARE = 0.6  # calls: most speech is on one side at a time
HEADROOM = 0.98  # keep a mix's peak below full scale

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

    def __post_init__(self) -> None:
        object.__setattr__(self, "preprocess", _pre.normalize(self.preprocess))


@dataclass(frozen=True)
class StreamChoice:
    stream: AudioStream
    reason: str
    # Said on stderr (and in the plan) when the choice may be wrong: the language asked for,
    # or the default one, matches no stream's tag.
    warning: str | None = None


@dataclass(frozen=True)
class ChannelPlan:
    mix: str  # mono | average | left | right | first | sum | centre | active | keep
    pan: str | None  # ffmpeg pan filter arguments, None when nothing is mixed
    channels: int  # channels in the output
    reason: str


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
class ChunkPolicy:
    piece_seconds: float | None  # None: one piece
    reason: str


@dataclass(frozen=True)
class Plan:
    info: MediaInfo
    stream: StreamChoice
    stats: ChannelStats
    channels: ChannelPlan
    target: Target
    chunking: ChunkPolicy
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


@dataclass(frozen=True)
class Silence:
    start: float
    end: float


@dataclass(frozen=True)
class Cut:
    at: float  # seconds from the start of the prepared audio
    in_silence: bool


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


# ----------------------------------------------------------------------------- channels

def plan_channels(stream: AudioStream, stats: ChannelStats, separate: bool) -> ChannelPlan:
    c = stream.channels
    if separate:
        if c < 2:
            raise PlanError("--separate-channels needs more than one channel, and this stream "
                            "is mono")
        return ChannelPlan("keep", None, c, f"{c} channels kept for per-channel recognition "
                                            "(--separate-channels)")
    if c == 1:
        return ChannelPlan("mono", None, 1, "already mono")
    levels = stats.levels_db
    loud = max(range(c), key=lambda i: levels[i])
    if levels[loud] < SILENT_DB:
        return ChannelPlan("average", _average(range(c)), 1,
                           f"no channel carries sound above {SILENT_DB:.0f} dBFS; averaged")
    if c == 2:
        return _plan_stereo(stats)
    return _plan_surround(stats)


def _plan_stereo(stats: ChannelStats) -> ChannelPlan:
    left, right = stats.levels_db[:2]
    corr = stats.correlation if stats.correlation is not None else 0.0
    louder, name = (0, "left") if left >= right else (1, "right")
    quiet_name = "right" if louder == 0 else "left"
    gap = abs(left - right)
    if gap >= DEAD_GAP_DB or min(left, right) < SILENT_DB:
        return ChannelPlan(name, f"mono|c0=c{louder}", 1,
                           f"the {quiet_name} channel is silent ({min(left, right):.0f} dBFS "
                           f"vs {max(left, right):.0f}); taking the {name}")
    if corr <= -0.5 or stats.mix_db < max(left, right) - CANCEL_DB:
        return ChannelPlan(name, f"mono|c0=c{louder}", 1,
                           f"the channels cancel when averaged (correlation {corr:+.2f}, "
                           f"average {stats.mix_db:.0f} dBFS vs {max(left, right):.0f}): "
                           f"phase-inverted; taking the {name}")
    if corr >= DUAL_MONO_CORR and gap <= 1.0:
        return ChannelPlan("first", f"mono|c0=c{louder}", 1,
                           f"dual-mono (correlation {corr:.3f}, levels within {gap:.1f} dB); "
                           f"taking the {name} channel")
    if stats.one_side_share >= ONE_SIDE_SHARE and abs(corr) < 0.5:
        gain = min(1.0, HEADROOM / stats.sum_peak) if stats.sum_peak > 0 else 1.0
        return ChannelPlan("sum", f"mono|c0={gain:.3f}*c0+{gain:.3f}*c1", 1,
                           f"one talker per side ({stats.one_side_share:.0%} of speech on one "
                           f"side, correlation {corr:+.2f}); summed so each keeps its level")
    return ChannelPlan("average", _average(range(2)), 1,
                       f"ordinary stereo (correlation {corr:+.2f}); averaged")


def _plan_surround(stats: ChannelStats) -> ChannelPlan:
    names = stats.names
    levels = stats.levels_db
    top = max(levels)
    live = [i for i, lv in enumerate(levels) if lv >= top - DEAD_GAP_DB and names[i] != "LFE"]
    if "FC" in names and levels[names.index("FC")] >= top - 12:
        fc = names.index("FC")
        weights = {fc: 1.0}
        for side in ("FL", "FR"):
            if side in names and names.index(side) in live:
                weights[names.index(side)] = 0.3
        peak = sum(w * stats.peaks[i] for i, w in weights.items())
        gain = min(1.0, HEADROOM / peak) if peak > 0 else 1.0
        terms = "+".join(f"{w * gain:.3f}*c{i}" for i, w in weights.items())
        return ChannelPlan("centre", f"mono|c0={terms}", 1,
                           f"{len(names)}-channel audio with dialogue in the centre "
                           f"(FC {levels[fc]:.0f} dBFS); centre-weighted mix, LFE and "
                           f"surrounds left out")
    if not live:
        live = [max(range(len(levels)), key=lambda i: levels[i])]
    kept = ", ".join(names[i] for i in live)
    return ChannelPlan("active", _average(live), 1,
                       f"{len(names)}-channel audio without a live centre; averaged the "
                       f"channels that carry sound ({kept})")


def _average(channels) -> str:
    chosen = list(channels)
    w = 1.0 / len(chosen)
    return "mono|c0=" + "+".join(f"{w:.4f}*c{i}" for i in chosen)


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


# ----------------------------------------------------------------------------- pieces

def plan_chunking(duration: float | None, options: PrepareOptions) -> ChunkPolicy:
    if options.chunk_minutes is not None:
        minutes = options.chunk_minutes
        if not 1 <= minutes <= MAX_PIECE_SECONDS / 60:
            raise PlanError(f"--chunk-minutes must be between 1 and "
                            f"{MAX_PIECE_SECONDS / 60:.0f}, not {minutes:g}")
        return ChunkPolicy(minutes * 60, f"pieces of about {minutes:g} min, as asked "
                                         f"(--chunk-minutes), cut in silence")
    if duration is not None and duration > MAX_PIECE_SECONDS:
        n = math.ceil(duration / (MAX_PIECE_SECONDS - LIMIT_MARGIN_SECONDS))
        piece = duration / n
        return ChunkPolicy(piece, f"longer than the API's 4-hour limit: {n} pieces of about "
                                  f"{piece / 3600:.1f} h, cut in silence")
    return ChunkPolicy(None, "within the API's 4-hour limit: one piece")


def plan_cuts(duration: float, silences: list[Silence], piece_seconds: float | None, *,
              max_seconds: float = MAX_PIECE_SECONDS,
              min_seconds: float = MIN_PIECE_SECONDS) -> tuple[Cut, ...]:
    """Cut points near every ``piece_seconds``, each inside the nearest silence.

    No piece is shorter than ``min_seconds`` (a short tail joins the last piece) or longer
    than ``max_seconds``; where no silence lies in reach the cut falls at the target itself.
    """
    if piece_seconds is None or duration <= max(piece_seconds, min_seconds):
        if duration > max_seconds:
            raise PlanError(f"a piece of {duration:.0f} s would exceed the API limit")
        return ()
    cuts: list[Cut] = []
    prev = 0.0
    while duration - prev > piece_seconds:
        remaining = duration - prev
        target = prev + piece_seconds
        if remaining - piece_seconds < min_seconds:
            if remaining <= max_seconds:
                break  # the short tail joins this last piece
            target = prev + remaining / 2
        lo = prev + min_seconds
        hi = min(prev + max_seconds, duration - min_seconds)
        cut = _cut_near(target, lo, hi, silences)
        cuts.append(cut)
        prev = cut.at
    return tuple(cuts)


def _cut_near(target: float, lo: float, hi: float, silences: list[Silence]) -> Cut:
    best: tuple[float, float] | None = None  # (distance to target, cut point)
    for s in silences:
        start, end = max(s.start, lo), min(s.end, hi)
        if start > end:
            continue
        distance = 0.0 if start <= target <= end else min(abs(start - target), abs(end - target))
        point = (start + end) / 2  # the middle leaves room either side for frame-aligned cuts
        if best is None or distance < best[0]:
            best = (distance, point)
    if best is None:
        return Cut(min(max(target, lo), hi), in_silence=False)
    return Cut(best[1], in_silence=True)


# ----------------------------------------------------------------------------- all

def make_plan(info: MediaInfo, choice: StreamChoice, stats: ChannelStats,
              options: PrepareOptions) -> Plan:
    try:
        channels = plan_channels(choice.stream, stats, options.separate_channels)
    except PlanError as exc:
        raise PlanError(f"{info.path}: {exc}") from None
    chunking = plan_chunking(info.duration, options)
    target = plan_target(info, choice.stream, channels, options)
    return Plan(info, choice, stats, channels, target, chunking)
