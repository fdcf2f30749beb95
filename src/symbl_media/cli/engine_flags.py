"""Which engines does a server run, and with what? The flags of ``sandbox serve`` (and of any
command that runs jobs), each the twin of a variable the embedded server reads alone.

Flags win over variables; both end in one ``EngineSettings`` built by
``EngineSettings.from_environment``, so every process that runs jobs reads them one way. Keys
come from a file or a variable: a key given as a value (``--llm-key sk-...``) is refused,
since every user of the machine can read argv.
"""

from __future__ import annotations

from pathlib import Path

import click

from symbl_media.cli.options import SecretOnCommandLine


def _refuse_key_value(ctx, param, value):
    if value is None:
        return
    kind = param.name.removeprefix("refused_").removesuffix("_key")
    variable = f"SYMBL_MEDIA_{kind.upper()}_KEY"
    raise SecretOnCommandLine(
        f"--{kind}-key is not accepted: a key on the command line can be read by every user "
        f"of this machine; set {variable}, or give --{kind}-key-file FILE")


def engine_flags(fn):
    """The engine names, model folders and endpoints, as keyword arguments ``engine_flags``
    turns into settings (``settings_from_flags``)."""
    folder = click.Path(path_type=Path, file_okay=False)
    options = [
        click.option("--transcriber", metavar="NAME",
                     help="Transcription engine: whisper (built in), openai, or a plugin's "
                          "[env SYMBL_MEDIA_TRANSCRIBER; default: whisper]."),
        click.option("--diarizer", metavar="NAME",
                     help="Diarization engine [env SYMBL_MEDIA_DIARIZER; default: "
                          "voice-encoder]."),
        click.option("--insights", "insights_engine", metavar="NAME",
                     help="Insights engine [env SYMBL_MEDIA_INSIGHTS; default: heuristics]."),
        click.option("--whisper-model", type=folder, metavar="DIR",
                     help="A faster-whisper (CTranslate2) model folder "
                          "[env SYMBL_MEDIA_WHISPER_MODEL_DIR; default: tiny.en, installed]."),
        click.option("--speaker-model", type=folder, metavar="DIR",
                     help="A speaker-embedding model folder (ONNX) "
                          "[env SYMBL_MEDIA_SPEAKER_MODEL_DIR; default: the built-in encoder]."),
        click.option("--transcriber-url", metavar="URL",
                     help="OpenAI-compatible speech-to-text base URL, ending in /v1 "
                          "[env SYMBL_MEDIA_TRANSCRIBER_URL, else OPENAI_BASE_URL]."),
        click.option("--transcriber-model", metavar="NAME",
                     help="Model the endpoint is asked for [env SYMBL_MEDIA_TRANSCRIBER_MODEL; "
                          "default: whisper-1]."),
        click.option("--transcriber-key-file", type=click.Path(path_type=Path, dir_okay=False),
                     metavar="FILE", help="File holding the endpoint's key "
                     "[env SYMBL_MEDIA_TRANSCRIBER_KEY; OPENAI_API_KEY for OpenAI's own URL]."),
        click.option("--transcriber-key", "refused_transcriber_key", hidden=True,
                     expose_value=False, is_eager=True, callback=_refuse_key_value),
        click.option("--llm-url", metavar="URL",
                     help="OpenAI-compatible chat base URL for --insights llm, ending in /v1 "
                          "[env SYMBL_MEDIA_LLM_URL, else OPENAI_BASE_URL]."),
        click.option("--llm-model", metavar="NAME",
                     help="Chat model to ask for [env SYMBL_MEDIA_LLM_MODEL]."),
        click.option("--llm-key-file", type=click.Path(path_type=Path, dir_okay=False),
                     metavar="FILE", help="File holding the chat endpoint's key "
                     "[env SYMBL_MEDIA_LLM_KEY; OPENAI_API_KEY for OpenAI's own URL]."),
        click.option("--llm-key", "refused_llm_key", hidden=True, expose_value=False,
                     is_eager=True, callback=_refuse_key_value),
        click.option("--load-engines", type=click.Choice(["start", "first-job"]),
                     help="When the models load: at start, in the background, so the first "
                          "job does not wait for them; or on the first job "
                          "[env SYMBL_MEDIA_LOAD_ENGINES; default: start]."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def settings_from_flags(*, transcriber, diarizer, insights_engine, whisper_model, speaker_model,
                        transcriber_url, transcriber_model, transcriber_key_file, llm_url,
                        llm_model, llm_key_file, load_engines):
    """The flags over the environment, as the engines receive them."""
    from symbl_media.server.engines.settings import EngineSettings

    return EngineSettings.from_environment(
        transcriber=transcriber, diarizer=diarizer, insights=insights_engine,
        whisper_model=whisper_model, speaker_model=speaker_model,
        transcriber_url=transcriber_url, transcriber_model=transcriber_model,
        llm_url=llm_url, llm_model=llm_model, load_engines=load_engines,
        key_files={"transcriber_key": transcriber_key_file, "llm_key": llm_key_file})
