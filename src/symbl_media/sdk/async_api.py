"""The official Symbl Python SDK's Async interface, on top of the pipeline.

    import symbl_media as symbl

    conversation = symbl.Audio.process_file("standup.mkv")    # any format the CLI takes
    for message in conversation.messages(parameters={"sentiment": True}):
        print(message.speaker, message.text, message.sentiment.suggested)

Code written for ``import symbl`` runs with that one import changed (docs/python-api.md says
where it differs). Recordings go through the same pipeline as ``symbl-media submit`` (probe,
mono, Content-Type, pieces and appends, exactly once); every call is a new conversation. The
``Conversation`` each call returns is in ``sdk/conversation.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import replace
from pathlib import Path

from symbl_media.contract.options import ApiOptions
from symbl_media.errors import InputNotFound, InvalidArgument, SymblMediaError
from symbl_media.media.plan import PrepareOptions
from symbl_media.sdk.arguments import check_conversation_id, in_python_terms
from symbl_media.sdk.conversation import Conversation, start
from symbl_media.sdk.runtime import settings_for
from symbl_media.submission import from_input as inputs
from symbl_media.submission.records import Store

__all__ = ["Audio", "Conversation", "Text", "Video"]


# ----------------------------------------------------------------------------- Audio, Video

class _Recordings:
    media = "audio"

    @classmethod
    def process_file(cls, file_path, credentials: dict | None = None,
                     content_type: str | None = None, wait: bool = True,
                     parameters: dict | None = None, *,
                     prepare: PrepareOptions | dict | None = None) -> Conversation:
        """Send a recording (or a transcript) of any format the CLI takes.

        ``content_type`` is accepted for compatibility and not needed: the pipeline sends the
        right one for what it prepared."""
        return _file(cls.media, file_path, None, credentials, wait, parameters, prepare)

    @classmethod
    def append_file(cls, file_path, conversation_id: str | None = None,
                    credentials: dict | None = None, content_type: str | None = None,
                    wait: bool = True, parameters: dict | None = None, *,
                    prepare: PrepareOptions | dict | None = None) -> Conversation:
        """Add a recording (or a transcript) to the conversation ``conversation_id``."""
        cid = check_conversation_id(conversation_id, f"{cls.__name__}.append_file")
        return _file(cls.media, file_path, cid, credentials, wait, parameters, prepare)

    @classmethod
    def process_url(cls, payload: dict | str | None = None, credentials: dict | None = None,
                    wait: bool = True, parameters: dict | None = None, *,
                    url: str | None = None,
                    prepare: PrepareOptions | dict | None = None) -> Conversation:
        """Send a recording at an http(s) URL: ``url=...`` or ``payload={"url": ..., options}``.

        Symbl fetches it itself when it can take it as it is; anything else is downloaded
        and prepared here like a file."""
        return _url(cls.media, payload, url, None, credentials, wait, parameters, prepare)

    @classmethod
    def append_url(cls, payload: dict | str | None = None, conversation_id: str | None = None,
                   credentials: dict | None = None, wait: bool = True,
                   parameters: dict | None = None, *, url: str | None = None,
                   prepare: PrepareOptions | dict | None = None) -> Conversation:
        cid = check_conversation_id(conversation_id, f"{cls.__name__}.append_url")
        return _url(cls.media, payload, url, cid, credentials, wait, parameters, prepare)


class Audio(_Recordings):
    """The Async Audio API, for recordings in any format ffmpeg reads."""

    media = "audio"


class Video(_Recordings):
    """The Async Video API: the recording goes as an H.264/AAC MP4 (converted if need be)."""

    media = "video"


class Text:
    """The Async Text API: ``payload`` is its JSON body, ``{"messages": [...], options}``."""

    @staticmethod
    def process(payload: dict, credentials: dict | None = None, wait: bool = True,
                parameters: dict | None = None, *,
                content_type: str | None = None) -> Conversation:
        return _text(payload, None, credentials, wait, parameters)

    @staticmethod
    def append(payload: dict, conversation_id: str | None = None,
               credentials: dict | None = None, wait: bool = True,
               parameters: dict | None = None, *,
               content_type: str | None = None) -> Conversation:
        cid = check_conversation_id(conversation_id, "Text.append")
        return _text(payload, cid, credentials, wait, parameters)


# ----------------------------------------------------------------------------- requests

def _file(media, file_path, cid, credentials, wait, parameters, prepare) -> Conversation:
    if not isinstance(file_path, (str, os.PathLike)) or not os.fspath(file_path):
        raise InvalidArgument(f"file_path must name a file, not {file_path!r}")
    path = Path(os.fspath(file_path))
    if not path.exists():
        raise InputNotFound(f"{path}: no such file")
    if not path.is_file():
        raise InputNotFound(f"{path}: not a regular file")
    settings = settings_for(credentials)
    api = _api_options(parameters, media)
    options = _prepare_options(prepare, media, parameters)
    common = {"api": api, "wait": True, "again": True, "conversation_id": cid,
              "prepare": options}
    request = inputs.file_request(path, options, api, common)  # a bad transcript fails here
    return start(settings, Store(), lambda store, emit: request, wait=wait, append_to=cid)


def _url(media, payload, url, cid, credentials, wait, parameters, prepare) -> Conversation:
    from symbl_media.inputs import urls as remote

    if isinstance(payload, str) and url is None:
        payload, url = None, payload
    if payload is not None and not isinstance(payload, dict):
        raise InvalidArgument(f"payload must be a dict like {{'url': 'https://...'}}, not "
                              f"{type(payload).__name__}")
    body = dict(payload or {})
    given = body.pop("url", None)
    if url is not None and given is not None and url != given:
        raise InvalidArgument("two different URLs: give url=... or payload={'url': ...}")
    url = url if url is not None else given
    if not isinstance(url, str) or not url.strip():
        raise InvalidArgument("no URL: give url='https://...' or payload={'url': "
                              "'https://...'}")
    url = remote.check_url(url)
    settings = settings_for(credentials)
    if parameters is not None and not isinstance(parameters, dict):
        raise InvalidArgument(f"parameters must be a dict, not {type(parameters).__name__}")
    api = _api_options({**body, **(parameters or {})}, media)
    if api.name is None:  # the file's name, never a password, query or fragment of the URL
        api = replace(api, name=remote.conversation_name(url))
    options = _prepare_options(prepare, media, {**body, **(parameters or {})})
    common = {"api": api, "wait": True, "again": True, "conversation_id": cid,
              "prepare": options}

    def make(store, emit):  # looks at the URL (and may download it): in the background
        store.ensure()  # private before a download lands in it
        return inputs.url_request(url, options, common, store, emit)

    return start(settings, Store(), make, wait=wait, append_to=cid)


def _text(payload, cid, credentials, wait, parameters) -> Conversation:
    from symbl_media.media.prepared import write_json_atomic
    from symbl_media.submission.submitter import Request, Source

    if not isinstance(payload, dict):
        raise InvalidArgument(f"payload must be the Text API body as a dict, "
                              f"{{'messages': [{{'payload': {{'content': ...}}}}]}}, not "
                              f"{type(payload).__name__}")
    messages = payload.get("messages")
    if not isinstance(messages, list) or not messages:
        raise InvalidArgument("payload needs a non-empty 'messages' list")
    if parameters is not None and not isinstance(parameters, dict):
        raise InvalidArgument(f"parameters must be a dict, not {type(parameters).__name__}")
    settings = settings_for(credentials)
    options = {k: v for k, v in payload.items() if k != "messages"}
    api = _api_options({**options, **(parameters or {})}, "text")
    if api.name is None:
        api = replace(api, name="text conversation")
    try:
        body = json.dumps({"messages": messages}, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise InvalidArgument(f"payload cannot be sent as JSON: {exc}") from None
    # The messages are kept as a file in the submission store while the submission runs, so
    # `symbl-media resume` can carry it on if this process stops; removed once it is done.
    store = Store()
    folder = store.ensure() / "texts"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    path = folder / f"{digest}-{uuid.uuid4().hex[:8]}.json"
    write_json_atomic(path, {"messages": messages})
    request = Request(Source("text", path=path, payload={"messages": messages}),
                      media="text", api=api, wait=True, again=True, conversation_id=cid)
    return start(settings, store, lambda store, emit: request, wait=wait, append_to=cid,
                  on_success=lambda: path.unlink(missing_ok=True))


def _api_options(parameters: dict | None, media: str) -> ApiOptions:
    """Any Async API option passes through as given; ``name`` and ``languageCode`` also steer
    the pipeline (the record's name, the audio stream in that language)."""
    if parameters is None:
        return ApiOptions()
    if not isinstance(parameters, dict):
        raise InvalidArgument(f"parameters must be a dict, not {type(parameters).__name__}")
    extra = {str(k): v for k, v in parameters.items()}
    name = extra.pop("name", None)
    if name is not None and not isinstance(name, str):
        raise InvalidArgument(f"name must be a string, not {type(name).__name__}")
    language = extra.pop("languageCode", None) if media != "text" else None
    if language is not None and not isinstance(language, str):
        raise InvalidArgument(f"languageCode must be a string, not {type(language).__name__}")
    return ApiOptions(name=name or None, language=language or None, extra=extra)


def _prepare_options(prepare, media: str, parameters: dict | None) -> PrepareOptions:
    if prepare is None:
        options = PrepareOptions()
    elif isinstance(prepare, PrepareOptions):
        options = prepare
    elif isinstance(prepare, dict):
        try:
            options = PrepareOptions(**prepare)
        except SymblMediaError as exc:  # a bad preprocess spec: named as the Python API has it
            raise in_python_terms(exc) from None
        except TypeError:
            known = ", ".join(f for f in PrepareOptions.__dataclass_fields__ if f != "as_video")
            raise InvalidArgument(f"prepare takes {known}; got {sorted(prepare)}") from None
    else:
        raise InvalidArgument(f"prepare must be a dict or PrepareOptions, not "
                              f"{type(prepare).__name__}")
    # Per-channel recognition needs the channels kept apart, not mixed down to mono.
    separate = bool((parameters or {}).get("enableSeparateRecognitionPerChannel"))
    return replace(options, as_video=media == "video",
                   separate_channels=options.separate_channels or separate)
