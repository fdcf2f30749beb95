"""Which flags does a command take, and what do they become?

The click options the commands share, each written once: the connection (``--api-url``,
``--app-id``, ``--app-secret-file`` and the refused ``--app-secret``), the Async API options
(``api_flags``), the media options (``media_flags`` for submit and append, ``plan_flags`` for
probe and prepare: the same options plus ``--language`` and ``--channel``) and the output
(``--sink``, ``--json``). Then the values checked and turned into typed options: a bad value
stops here (exit 2), before anything is read or sent.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from symbl_media.contract import options as api
from symbl_media.contract.accepted import MODES
from symbl_media.errors import SymblMediaError
from symbl_media.plugins import manager as plugins

# ----------------------------------------------------------------------------- flags

class SecretOnCommandLine(SymblMediaError):
    """``--app-secret VALUE``: refused, since every user of the machine can read argv."""

    exit_code = 2


def refuse_secret_value(ctx, param, value):
    """The hidden ``--app-secret`` option: any value is refused, with what to do instead."""
    if value is None:
        return
    serve = ctx.info_name == "serve"
    where = ("SYMBL_SANDBOX_APP_SECRET" if serve else "SYMBL_APP_SECRET, write symbl.conf")
    raise SecretOnCommandLine(
        "--app-secret is not accepted: a secret on the command line can be read by every "
        f"user of this machine (ps, /proc/<pid>/cmdline); set {where}, or give "
        "--app-secret-file FILE (- reads it from standard input)")


def secret_from_file(ctx, param, value):
    """``--app-secret-file FILE``: the secret is the file's one line; ``-`` reads standard
    input (a prompt that does not echo, on a terminal)."""
    if value is None:
        return None
    if value == "-":
        ctx.meta["symbl_media.secret_from_stdin"] = True
        if sys.stdin.isatty():
            import getpass

            text = getpass.getpass("app secret: ")
        else:
            text = sys.stdin.read()
        return one_line(text, value, flag="--app-secret-file", what="the secret")
    return one_line_of(value, flag="--app-secret-file", what="the secret")


def one_line_of(path: str, *, flag: str, what: str) -> str:
    """A secret kept in a file (``--app-secret-file``, ``--database-password-file``): its one
    line, or a usage error naming the flag and never the content."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise click.BadParameter(f"{path}: cannot be read ({reason})", param_hint=flag) from None
    return one_line(text, path, flag=flag, what=what)


def one_line(text: str, source: str, *, flag: str, what: str) -> str:
    value = text.strip()
    if not value or "\n" in value:
        raise click.BadParameter(f"{source}: must hold {what} on one line", param_hint=flag)
    return value


def secret_options():
    """``--app-secret-file FILE`` and the refused ``--app-secret VALUE``: the CLI's two ways
    of being handed a secret besides the environment and symbl.conf."""
    return [
        click.option("--app-secret-file", "app_secret", metavar="FILE",
                     callback=secret_from_file,
                     help="Read the app secret from FILE (- for standard input). Or set it "
                          "in the environment; never as a value on the command line."),
        click.option("--app-secret", "refused_app_secret", metavar="SECRET", hidden=True,
                     expose_value=False, is_eager=True, callback=refuse_secret_value),
    ]


def connection_options(fn):
    options = [
        click.option("--api-url", metavar="URL", help="Symbl base URL (env SYMBL_API_URL; "
                     "default https://api.symbl.ai, or the embedded sandbox when no "
                     "credentials are set)."),
        click.option("--app-id", metavar="ID", help="App id (env SYMBL_APP_ID, or symbl.conf)."),
        *secret_options(),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def api_flags(fn):
    """Every Async API option as a flag (docs/cli.md)."""
    options = [
        click.option("--name", metavar="TEXT", help="Conversation name (default: the file "
                     "name)."),
        click.option("--webhook", metavar="URL", help="URL that receives each job status "
                     "change (webhookUrl)."),
        click.option("--vocab", multiple=True, metavar="WORD",
                     help="Custom vocabulary; repeat for more words."),
        click.option("--confidence", type=float, metavar="X",
                     help="Insight confidence threshold, 0.5 to 1.0."),
        click.option("--detect-phrases", is_flag=True, help="Mark action phrases in messages."),
        click.option("--entities", "entities_file", type=click.Path(path_type=Path),
                     metavar="FILE", help="Custom entities: JSON list of {customType, text}."),
        click.option("--detect-entities", is_flag=True, help="Detect entities."),
        click.option("--channel", "channels", multiple=True, metavar="N=NAME[:EMAIL]",
                     help="Who speaks on channel N (with --separate-channels); repeatable."),
        click.option("--language", metavar="CODE", help="Language code, e.g. en-US, es-ES, "
                     "or a stream's tag for one (spa); also picks the audio stream tagged "
                     "with that language (default en-US)."),
        click.option("--mode", type=click.Choice(list(MODES)),
                     help="Recognition mode (default: phone for 8 kHz sources, else default)."),
        click.option("--tracker", "tracker_specs", multiple=True, metavar="NAME=W,W",
                     help="A tracker and its vocabulary; repeatable."),
        click.option("--trackers", "trackers_file", type=click.Path(path_type=Path),
                     metavar="FILE", help="Trackers: JSON list of {name, vocabulary}."),
        click.option("--all-trackers", is_flag=True, help="Run every tracker on the account."),
        click.option("--summary", is_flag=True, help="Ask for a summary (enableSummary)."),
        click.option("--diarize", type=int, metavar="N",
                     help="Tell N speakers apart (English and Spanish)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _media_options(*, planning: bool) -> list:
    """The media options, written once. ``planning`` (probe, prepare) adds ``--language`` and
    ``--channel``, which submit and append take among the API options, and says what
    ``--separate-channels`` and ``--as-video`` do to the plan rather than to the submission."""
    audio_stream = click.option("--audio-stream", type=click.IntRange(min=0), metavar="N",
                                help="Use audio stream N (0 = first), as numbered by probe.")
    separate = click.option(
        "--separate-channels", is_flag=True,
        help="Keep the channels apart for per-channel recognition." if planning else
             "Keep the channels apart: one speaker per channel.")
    fmt = click.option("--format", "fmt", type=click.Choice(["wav", "mp3"]),
                       help="Encode to this format (default: pass mono WAV/MP3 through, else "
                            "WAV).")
    as_video = click.option(
        "--as-video", is_flag=True,
        help="Prepare an MP4 for the Video API instead of audio." if planning else
             "Send an MP4 to the Video API.")
    chunk = click.option("--chunk-minutes", type=click.FloatRange(1, 240), metavar="N",
                         help="Cut into pieces of about N minutes, in silence (default: only "
                              "past the 4-hour limit).")
    pre = click.option("--pre", multiple=True, metavar="NAME[:key=value,...]",
                       help="Pre-process the audio in the same ffmpeg pass, in the order given: "
                            "loudnorm, highpass, denoise, trim (docs/media.md); repeatable.")
    decoders = click.option("--decoders", type=click.IntRange(1, 64), metavar="N",
                            help="Decode with N ffmpeg processes at once (default: one per "
                                 "CPU this process may use; AAC and AC-3: a decoder and a "
                                 "converter, by default only with 3+ CPUs mostly idle; 1: a single "
                                 "pass). Same bytes either way.")
    if not planning:
        return [audio_stream, separate, fmt, as_video, chunk, pre, decoders]
    language = click.option("--language", metavar="TAG",
                            help="Use the audio stream tagged with this language: a tag (spa) "
                                 "or an API code (es-ES).")
    channel = click.option("--channel", "channels", multiple=True, metavar="N=NAME[:EMAIL]",
                           help="Who speaks on channel N (with --separate-channels); "
                                "repeatable.")
    return [audio_stream, language, separate, channel, fmt, as_video, chunk, pre, decoders]


def _apply(options: list, fn):
    for option in reversed(options):
        fn = option(fn)
    return fn


def media_flags(fn):
    """The media options of submit and append."""
    return _apply(_media_options(planning=False), fn)


def plan_flags(fn):
    """The media options of probe and prepare: what steers the plan."""
    return _apply(_media_options(planning=True), fn)


def output_flags(fn):
    options = [
        click.option("--sink", "sinks", multiple=True, metavar="NAME[:TARGET]",
                     help="Where insights go, e.g. json:out.json; repeatable."),
        click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def api_options(name, webhook, vocab, confidence, detect_phrases, entities_file,
                 detect_entities, channels, language, mode, tracker_specs, trackers_file,
                 all_trackers, summary, diarize, separate_channels) -> api.ApiOptions:
    """Typed options, every range checked here: a bad value stops before any upload."""
    try:
        if confidence is not None:
            api.check_confidence(confidence)
        if language:
            language = api.check_language(language)
        if diarize is not None:
            api.check_diarize(diarize, language)
            if separate_channels:
                raise api.OptionProblem("--diarize", "give --diarize or --separate-channels, "
                                        "not both (Symbl ignores the channels when diarizing)")
        channel_speakers = speakers(channels, separate_channels)
        trackers = tuple(api.parse_tracker(t) for t in tracker_specs)
        if trackers_file:
            trackers += api.load_trackers(trackers_file)
        entities = api.load_entities(entities_file) if entities_file else ()
        if webhook is not None:
            _check_webhook(webhook)
        words = tuple(w.strip() for w in vocab)
        if any(not w for w in words):
            raise api.OptionProblem("--vocab", "an empty word")
    except api.OptionProblem as exc:
        raise click.BadParameter(str(exc), param_hint=exc.option) from None
    return api.ApiOptions(name=name, webhook=webhook, vocabulary=words, confidence=confidence,
                          detect_phrases=detect_phrases, entities=entities,
                          detect_entities=detect_entities, separate_channels=separate_channels,
                          channels=channel_speakers, language=language, mode=mode, trackers=trackers,
                          all_trackers=all_trackers, summary=summary, diarize=diarize)


def _check_webhook(webhook: str) -> None:
    """An absolute http(s) URL with a host, as Symbl's own check ("must be a valid uri")
    wants: refused here (exit 2) rather than by the API after the upload."""
    from urllib.parse import urlsplit

    from symbl_media.redaction import redact

    shown = repr(redact(webhook))
    try:
        parts = urlsplit(webhook)
        _ = parts.port  # raises ValueError for a port that is not a number
    except ValueError:
        raise api.OptionProblem("--webhook", f"{shown} is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https") or not webhook.strip():
        raise api.OptionProblem("--webhook", f"{shown} is not an http(s) URL")
    if not parts.hostname:
        raise api.OptionProblem("--webhook", f"{shown} has no host name")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in webhook):
        raise api.OptionProblem("--webhook", f"{shown} contains spaces or control characters")


def split_options(opts: dict) -> tuple[dict, dict, dict]:
    """submit's and append's flags as three: media, connection, API options."""
    from symbl_media.media import preprocess

    media_keys = ("audio_stream", "separate_channels", "fmt", "as_video", "chunk_minutes",
                  "pre", "decoders")
    conn_keys = ("api_url", "app_id", "app_secret")
    media = {k: opts.pop(k) for k in media_keys}
    conn = {k: opts.pop(k) for k in conn_keys}
    # Unknown pre-processors and bad options stop here (exit 2), before anything is sent.
    media["pre"] = preprocess.normalize(media["pre"])
    preprocess.resolve(media["pre"], plugins.preprocessors(), as_video=media["as_video"])
    return media, conn, opts


# ----------------------------------------------------------------------------- probe, prepare

def speakers(channels, separate_channels) -> tuple:
    """``--channel N=NAME[:EMAIL]`` as for submit: the syntax is checked here (exit 2), the
    channel number against the file when it is planned (exit 6)."""
    try:
        found = tuple(api.parse_channel(c) for c in channels)
        if found and not separate_channels:
            raise api.OptionProblem("--channel", "only means something with "
                                    "--separate-channels")
        if len({s.channel for s in found}) != len(found):
            raise api.OptionProblem("--channel", "a channel is named twice")
    except api.OptionProblem as exc:
        raise click.BadParameter(str(exc), param_hint=exc.option) from None
    return found


def plan_options(audio_stream, language, separate_channels, fmt, as_video, chunk_minutes,
                 pre=(), channels=(), decoders=None):
    """probe's and prepare's flags as ``PrepareOptions``."""
    from symbl_media.media import preprocess
    from symbl_media.media.plan import PrepareOptions

    if audio_stream is not None and language:
        raise click.UsageError("give --audio-stream or --language, not both")
    if language is not None and not language.strip():
        raise click.BadParameter("is empty", param_hint="--language")
    specs = preprocess.normalize(pre)
    # Unknown names, bad options: exit 2, now.
    preprocess.resolve(specs, plugins.preprocessors(), as_video=as_video)
    return PrepareOptions(audio_stream=audio_stream, language=language,
                          separate_channels=separate_channels, format=fmt,
                          as_video=as_video, chunk_minutes=chunk_minutes, preprocess=specs,
                          decoders=decoders)
