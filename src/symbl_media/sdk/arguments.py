"""What a Python caller gave, in its own terms: a conversation id checked before it goes into
a URL path, and the pipeline's messages with the CLI's flags replaced by the Python API's
parameters."""

from __future__ import annotations

import re

from symbl_media.client.calls import check_id
from symbl_media.errors import InvalidArgument

# The pipeline's messages name the command line's flags; a Python caller gave these instead.
PYTHON_NAMES = {
    "--as-video": "the Video API",
    "--audio-stream": "prepare['audio_stream']",
    "--language": "prepare['language']",
    "--separate-channels": "prepare['separate_channels']",
    "--format": "prepare['format']",
    "--chunk-minutes": "prepare['chunk_minutes']",
    "--pre": "prepare['preprocess']",
    "--channel": "parameters['channelMetadata']",
}
_FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def in_python_terms(exc: BaseException) -> BaseException:
    """``exc`` with the CLI flags its message names replaced by the Python API's parameters
    (``--as-video`` → the Video API, ``--audio-stream`` → ``prepare['audio_stream']``)."""
    from symbl_media.errors import SymblMediaError

    if isinstance(exc, SymblMediaError) and len(exc.args) == 1 and isinstance(exc.args[0], str):
        exc.args = (_FLAG.sub(lambda m: PYTHON_NAMES.get(m[0], m[0]), exc.args[0]),)
    return exc


def check_conversation_id(value, where: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        state = "missing" if value is None else "empty"
        raise InvalidArgument(f"{where}: conversation_id is {state}; give the id of the "
                              f"conversation to add to (the conversation_id of an earlier "
                              f"process_* call)")
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise InvalidArgument(f"{where}: conversation_id must be a string, not "
                              f"{type(value).__name__}")
    try:  # it goes into URL paths: "../x", "a/b" or "1?x" would ask for something else
        return check_id(str(value).strip(), "conversation")
    except InvalidArgument as exc:
        raise InvalidArgument(f"{where}: {exc}") from None
