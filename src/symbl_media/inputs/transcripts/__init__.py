"""Transcripts as the JSON body of Symbl's Text API (``POST /v1/process/text``).

``load_text(path)`` reads one transcript into a ``TextPayload``; ``TextPayload.to_json()`` is
the request body. Whatever is wrong with the file becomes ``TextInputError`` (or
``InputNotFound`` when there is no such file) with a one-line message that starts with the path.
The file is capped at ``MAX_BYTES``, the JSON body limit of the sandbox.

Text is UTF-8, with or without a BOM, or UTF-16/UTF-32 with a BOM. The format is chosen by the
suffix, in any case:

``.json``
    A Symbl text payload ``{"messages": [...]}``, or a bare list of such messages. A message
    needs ``payload.content``, a string that is not blank (kept exactly as written);
    ``payload.contentType``, when given, must be ``text/plain``; ``from`` is optional, its
    ``name`` is the speaker (``userId`` stands in when there is no name); ``duration`` is
    optional and then needs both ``startTime`` and ``endTime`` as ISO-8601 date-times (``Z`` or
    an offset; none means UTC). Times become seconds from the earliest stated start, which is
    kept (``TextPayload.stated_start``) so ``to_json()`` states the same dates. Other keys
    are ignored: the payload's own options (name, detectPhrases...) are not carried over, pass
    them to ``to_json(extra=...)``.

``.txt``
    Read line by line, with no times:

    - a line that begins with a speaker label starts a new message by that speaker;
    - a blank line ends the current message;
    - any other line continues the current message (joined with a space), or starts a new
      message without a speaker when there is none;
    - a label alone on its line (``Alice:``) takes its text from the lines after it,
      skipping blank lines; a label that never gets any text is an error.

    A speaker label is 1-40 characters before a colon that ends the line or is followed by
    white space. It begins with a letter that is not lower case, holds only letters, digits,
    spaces and ``. ' -``, has at most four words, and is not a common heading (Note, Subject,
    Agenda, Step...: see ``labels._NOT_SPEAKERS``). So ``Alice:``, ``Dr. Bob Smith:``, ``Speaker 1:``
    and ``JOHN:`` are speakers; ``Note: ...``, ``the plan: ...``, ``so, yes: ...``,
    ``http://...`` and ``10:30`` are text.

``.srt``
    Cues: an optional index line, ``HH:MM:SS,mmm --> HH:MM:SS,mmm`` (``.`` for ``,``, a missing
    hour and anything after the end time are tolerated), then the text up to the next cue.
    Lines are joined with a space; tags (``<i>``, ``<font ...>``, ``{\\an8}``) and leading
    dialogue dashes are removed; a speaker label at the start of the text gives the speaker.

``.vtt``
    The first line must be ``WEBVTT``. The header and NOTE, STYLE and REGION blocks are skipped,
    and so are blocks without a timing line, as the WebVTT parser does. Cue identifiers are
    optional, cue settings after the end time are ignored. ``<v Name>`` voice spans give the
    speaker, and a cue with several voices becomes one message per voice, each with the cue's
    times; a cue without a voice span may start with a speaker label as in ``.srt``. Other tags
    are removed and character references (``&amp;``) decoded.

Every cue is its own message, even when the same speaker goes on: the times stay exact. In
.txt, .srt and .vtt, runs of white space inside a message become one space. A message whose
text is empty is an error, never silently dropped: it means the file is not what it seems.
The package, a module per format: ``load.py`` picks the reader by suffix (``json_messages``,
``txt``, ``srt``, ``vtt``; ``cues`` is what the caption formats share, ``labels`` the speaker
labels), ``reading.py`` turns the file's bytes into text, ``payload.py`` is the body it becomes.
"""

from symbl_media.inputs.transcripts.load import TEXT_SUFFIXES, is_text_input, load_text
from symbl_media.inputs.transcripts.payload import (
    DEFAULT_START,
    MAX_SECONDS,
    TIME_ZERO,
    USER_ID_DOMAIN,
    TextMessage,
    TextPayload,
    check_body,
    retimed,
    speaker_user_id,
    submission_time_zero,
    time_zero,
)
from symbl_media.inputs.transcripts.reading import MAX_BYTES

__all__ = ["DEFAULT_START", "MAX_BYTES", "MAX_SECONDS", "TEXT_SUFFIXES", "TIME_ZERO",
           "USER_ID_DOMAIN", "TextMessage", "TextPayload", "check_body", "is_text_input",
           "load_text", "retimed", "speaker_user_id", "submission_time_zero", "time_zero"]
