"""A choice of whisper model: a pinned folder by its hashes, any other folder by what its files
hold, refused with one line before the server starts; the language check follows the model."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from symbl_media.errors import EngineError
from symbl_media.server.engines import models
from symbl_media.server.engines.whisper import WhisperTranscriber
from symbl_media.testing import running_sandbox

sys.path.insert(0, str(Path(__file__).parent))
from test_transcribe import MAX_WER, word_error_rate

# A folder made by scripts/fetch-whisper-base.py, when there is one (the test that needs a
# real multilingual model runs only then; every other path is tested with tiny.en's files).
BASE = os.environ.get("SYMBL_MEDIA_TEST_WHISPER_BASE", "")


def farm(tmp_path: Path, name: str = "my-model", **replace: bytes) -> Path:
    """tiny.en's files linked into a new folder, some replaced by the bytes given."""
    source = models.load_model_dir(None)
    folder = tmp_path / name
    folder.mkdir()
    for file in models.REQUIRED:
        if file.replace(".", "_") in replace:
            (folder / file).write_bytes(replace[file.replace(".", "_")])
        else:
            os.symlink(source / file, folder / file)
    return folder


def reindented_config() -> bytes:
    """tiny.en's config, the same settings written differently: not a pinned file any more."""
    source = models.load_model_dir(None) / "config.json"
    return json.dumps(json.loads(source.read_text()), indent=1).encode()


def test_a_folder_not_pinned_is_checked_by_its_files_and_transcribes(tmp_path, samples):
    folder = farm(tmp_path, config_json=reindented_config())
    info = models.inspect_model(folder)
    assert (info.name, info.pinned, info.multilingual) == ("my-model", False, False)
    engine = WhisperTranscriber(folder)
    found = engine.transcribe(samples / "mono-16k.wav")
    lines = (samples / "transcript.txt").read_text().splitlines()
    reference = " ".join(line.split(":", 1)[1] for line in lines if ":" in line)
    assert word_error_rate(reference, " ".join(s.text for s in found.segments)) < MAX_WER
    assert found.engine == "faster-whisper my-model int8"
    # English-only by its vocabulary, whatever the folder is called.
    with pytest.raises(EngineError, match="English only; languageCode fr-FR"):
        engine.check_language("fr-FR")


def test_the_pinned_models_are_recognised_by_their_files():
    info = models.inspect_model(None)
    assert (info.name, info.pinned, info.multilingual) == ("tiny.en", True, False)
    assert [p.name for p in models.KNOWN] == ["tiny.en", "base"]


def test_a_same_size_change_to_a_pinned_model_is_an_alteration(tmp_path):
    config = bytearray(models.load_model_dir(None).joinpath("config.json").read_bytes())
    config[10] ^= 0x01  # the same size: it still claims to be tiny.en
    folder = farm(tmp_path, config_json=bytes(config))
    with pytest.raises(EngineError, match=r"config\.json does not match the pinned one; .* "
                                          r"not tiny\.en int8"):
        models.inspect_model(folder)


def test_a_multilingual_vocabulary_takes_the_apis_languages(tmp_path):
    """The rule CTranslate2 uses: 51865 tokens or more is a multilingual Whisper."""
    vocabulary = models.load_model_dir(None).joinpath("vocabulary.txt").read_bytes()
    folder = farm(tmp_path, config_json=reindented_config(),
                  vocabulary_txt=vocabulary + b"<|extra|>\n")
    engine = WhisperTranscriber(folder)
    assert engine._info().multilingual
    for code in ("fr-FR", "ja-JP", "pt-BR", "en-GB"):
        engine.check_language(code)
    with pytest.raises(EngineError, match="xx-YY is not one of the API's languages"):
        engine.check_language("xx-YY")


@pytest.mark.parametrize("replace, expected", [
    ({"config_json": b'{"model_type": "bert", "hidden_size": 768}'},
     r"not a faster-whisper \(CTranslate2 Whisper\) model \(bert\): alignment_heads"),
    ({"config_json": b"not json"}, r"config\.json: not a readable JSON config"),
    ({"config_json": b"[]"}, "not a JSON object"),
])
def test_a_folder_of_another_kind_is_refused_by_what_it_holds(tmp_path, replace, expected):
    with pytest.raises(EngineError, match=expected):
        models.inspect_model(farm(tmp_path, **replace))


@pytest.mark.parametrize("weights, expected", [
    (struct.pack("<IH", 6, 16) + b"TransformerSpec\0" + b"\0" * 64,
     r"model\.bin: a CTranslate2 TransformerSpec model, not Whisper"),
    (b"PK\x03\x04 a zip, as PyTorch saves" + b"\0" * 64, r"model\.bin: not CTranslate2 weights"),
    (b"", "not CTranslate2 weights"),
])
def test_weights_that_are_not_whisper_are_refused(tmp_path, weights, expected):
    with pytest.raises(EngineError, match=expected):
        models.inspect_model(farm(tmp_path, config_json=reindented_config(), model_bin=weights))


def test_a_transformers_folder_is_told_how_to_convert(tmp_path):
    (tmp_path / "config.json").write_text('{"model_type": "whisper"}')
    (tmp_path / "model.safetensors").write_bytes(b"\0" * 16)
    with pytest.raises(EngineError, match="model.bin, tokenizer.json, vocabulary.txt are "
                                          "missing .*ct2-transformers-converter"):
        models.inspect_model(tmp_path)


def test_a_vocabulary_json_counts_as_the_vocabulary(tmp_path):
    source = models.load_model_dir(None)
    tokens = source.joinpath("vocabulary.txt").read_text(encoding="utf-8").split("\n")[:-1]
    folder = farm(tmp_path, config_json=reindented_config())
    (folder / "vocabulary.txt").unlink()
    (folder / "vocabulary.json").write_text(json.dumps(tokens))
    assert not models.inspect_model(folder).multilingual


def test_serve_refuses_a_folder_of_the_wrong_kind_with_one_line(tmp_path):
    folder = farm(tmp_path, config_json=b'{"model_type": "bert"}')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SYMBL_MEDIA_", "OPENAI_"))}
    result = subprocess.run([sys.executable, "-m", "symbl_media", "sandbox", "serve", "--port",
                             "0", "--data", str(tmp_path / "d"), "--whisper-model", str(folder)],
                            capture_output=True, text=True, timeout=60, env=env, check=False)
    assert result.returncode == 10
    assert result.stderr.count("\n") == 1, result.stderr
    assert str(folder / "config.json") in result.stderr and "(bert)" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not BASE, reason="no multilingual model folder: set "
                    "SYMBL_MEDIA_TEST_WHISPER_BASE to one made by scripts/fetch-whisper-base.py")
def test_a_multilingual_model_transcribes_the_language_asked_for(tmp_path):
    """espeak-ng's French, through the server: accepted (tiny.en refuses it with a 400) and
    transcribed in French."""
    raw, wav = tmp_path / "fr-raw.wav", tmp_path / "fr.wav"
    subprocess.run(["espeak-ng", "-v", "fr", "-s", "150", "-w", str(raw),
                    "Bonjour à tous. La réunion commence maintenant."], check=True)
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", f"file:{raw}", "-ac", "1", "-ar",
                    "16000", "-c:a", "pcm_s16le", f"file:{wav}"], check=True)
    from symbl_media.server.engines.settings import EngineSettings

    with running_sandbox(tmp_path / "tiny") as box:
        refused = box.client().post("/v1/process/audio?languageCode=fr-FR",
                                    data=wav.read_bytes(), headers={"Content-Type": "audio/wav"})
        assert refused.status_code == 400 and "English only" in refused.text
    with running_sandbox(tmp_path / "base",
                         engines=EngineSettings(whisper_model=Path(BASE))) as box:
        api = box.client()
        reply = api.post("/v1/process/audio?languageCode=fr-FR", data=wav.read_bytes(),
                         headers={"Content-Type": "audio/wav"})
        assert reply.status_code in (200, 201), reply.text
        assert api.wait(reply.json()["jobId"], timeout=120) == "completed"
        text = " ".join(m["text"] for m in api.get(
            f"/v1/conversations/{reply.json()['conversationId']}/messages").json()["messages"])
    assert "bonjour" in text.lower() and "réunion" in text.lower()


def test_a_folder_gone_bad_after_start_fails_the_job_not_the_submission(tmp_path, samples):
    """The 400 is for languages; a model that cannot be read is the job's failure to report."""
    engine = WhisperTranscriber(tmp_path / "gone")
    engine.check_language("fr-FR")  # no verdict without a model to judge by
    with pytest.raises(EngineError, match="gone: the model folder given is not a folder"):
        engine.transcribe(samples / "mono-16k.wav", language="fr-FR")
