"""Which languages the Async API takes, and which container language tags mean each of them.

Both sides read the codes from here: the client checks ``--language`` against them before
anything is sent, the sandbox refuses a ``languageCode`` outside them, and the media plan picks
the audio stream whose tag means the same language.
"""

from __future__ import annotations

# The archived contract's languageCode values, in the order its error message lists them.
LANGUAGES = ("en-US", "en-GB", "en-AU", "en-IE", "en-IN", "en-ZA", "ru-RU", "fr-CA", "fr-FR",
             "de-DE", "it-IT", "nl-NL", "ja-JP", "es-US", "es-ES", "ar-SA", "hi-IN", "pt-BR",
             "pt-PT", "fa-IR")
# ISO 639-2 tags as containers write them (mkv, mp4), for picking the stream in that language.
STREAM_TAGS = {"en": "eng", "ru": "rus", "fr": "fre", "de": "ger", "it": "ita", "nl": "dut",
               "ja": "jpn", "es": "spa", "ar": "ara", "hi": "hin", "pt": "por", "fa": "per"}
# Terminology variants some muxers write instead of the bibliographic codes above.
STREAM_TAG_ALIASES = {"fre": ("fra",), "ger": ("deu",), "dut": ("nld",), "per": ("fas",)}
# The API code a language tag stands for when it names no country (spa -> es-ES).
TAG_LANGUAGES = {"en": "en-US", "ru": "ru-RU", "fr": "fr-FR", "de": "de-DE", "it": "it-IT",
                 "nl": "nl-NL", "ja": "ja-JP", "es": "es-ES", "ar": "ar-SA", "hi": "hi-IN",
                 "pt": "pt-BR", "fa": "fa-IR"}
# The language a submission has when none is given (Symbl's default languageCode).
DEFAULT_LANGUAGE = "en-US"
# Speaker diarization is documented for English and Spanish only (by ISO 639-1 base).
DIARIZATION_LANGUAGES = ("en", "es")


def _base(language: str) -> str | None:
    """The ISO 639-1 code ("es") of an API code (es-ES) or a language tag (es, spa, SPA), or
    None when it is neither. The one place API codes and stream tags are mapped."""
    text = language.strip().lower()
    head = text.split("-")[0]
    if "-" in text:
        return head if any(k.lower() == text for k in LANGUAGES) else None
    if head in STREAM_TAGS:
        return head
    for base, tag in STREAM_TAGS.items():
        if head == tag or head in STREAM_TAG_ALIASES.get(tag, ()):
            return base
    return None


def stream_tags(language: str) -> tuple[str, ...]:
    """Container language tags that mean the same language as an API code or a tag (es-ES,
    es, spa → spa, es). A tag this table does not know stands for itself (kor → kor)."""
    base = _base(language)
    if base is None:
        text = language.strip().lower()
        return () if "-" in text or not text else (text,)
    tag = STREAM_TAGS[base]
    return (tag, *STREAM_TAG_ALIASES.get(tag, ()), base)


def api_language(language: str) -> str | None:
    """The API code for an API code in any case (EN-us → en-US) or a language tag
    (spa, es → es-ES); None when it is neither."""
    for known in LANGUAGES:
        if known.lower() == language.strip().lower():
            return known
    if "-" in language:
        return None
    base = _base(language)
    return TAG_LANGUAGES[base] if base else None
