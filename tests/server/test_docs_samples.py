"""The REST calls exactly as Symbl's documentation shows them (curl and Python) work.

Each test follows a docs sample's own way of calling: its headers, how it passes options,
how it reads the file; only the base URL and the token are ours.
"""

from __future__ import annotations

import json
import subprocess

import requests

from symbl_media.testing import running_sandbox


def test_python_post_audio_sample_with_its_json_dumped_params(tmp_path, samples):
    with running_sandbox(tmp_path) as sandbox:
        access_token = sandbox.client().token
        audio_file = open(samples / "mono-16k.wav", "rb")
        payload = audio_file.read()
        headers = {"Authorization": "Bearer " + access_token,
                   "Content-Length": str(len(payload)), "Content-Type": "audio/wav"}
        params = {"name": "BusinessMeeting", "confidenceThreshold": 0.6, "detectPhrases": True,
                  "customVocabulary": ["Platform", "Discussion", "Targets"],
                  "languageCode": "en-US"}
        # As in the docs: the whole options dict JSON-dumped into the query string.
        response = requests.request("POST", sandbox.url + "/v1/process/audio", headers=headers,
                                    data=payload, params=json.dumps(params))
        audio_file.close()
        assert response.status_code == 201, response.text
        conversation_id = response.json()["conversationId"]
        assert sandbox.client().wait(response.json()["jobId"]) == "completed"
        got = requests.request("GET", f"{sandbox.url}/v1/conversations/{conversation_id}",
                               headers={"Authorization": "Bearer " + access_token}).json()
        assert got["name"] == "BusinessMeeting"
        for path, key in [("messages", "messages"), ("topics", "topics"),
                          ("action-items", "actionItems"), ("follow-ups", "followUps")]:
            url = f"{sandbox.url}/v1/conversations/{conversation_id}/{path}"
            response = requests.request("GET", url, headers={
                "x-api-key": access_token, "Content-Type": "application/json"})
            assert response.status_code == 200 and key in response.json()


def test_curl_post_audio_sample(tmp_path, samples):
    with running_sandbox(tmp_path) as sandbox:
        token = sandbox.client().token
        done = subprocess.run(
            ["curl", "--silent", "--location", "--request", "POST",
             f"{sandbox.url}/v1/process/audio?name=Business%20Meeting&confidenceThreshold=0.6",
             "--header", "Content-Type: audio/mpeg", "--header", f"Authorization: Bearer {token}",
             "--data-binary", f"@{samples / 'mono.mp3'}"],
            capture_output=True, text=True, check=True)
        body = json.loads(done.stdout)
        assert set(body) == {"conversationId", "jobId"}


def test_python_post_audio_url_sample(tmp_path, web):
    base, _ = web
    with running_sandbox(tmp_path) as sandbox:
        access_token = sandbox.client().token
        payload = {"url": f"{base}/mono-16k.wav", "name": "BusinessMeeting",
                   "confidenceThreshold": 0.6, "detectPhrases": True, "languageCode": "en-US",
                   "enableSpeakerDiarization": True, "diarizationSpeakerCount": 2}
        headers = {"Authorization": "Bearer " + access_token,
                   "Content-Type": "application/json"}
        response = requests.request("POST", sandbox.url + "/v1/process/audio/url",
                                    headers=headers, data=json.dumps(payload))
        assert response.status_code == 201, response.text
        assert sandbox.client().wait(response.json()["jobId"]) == "completed"
