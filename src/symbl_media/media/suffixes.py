"""Which file-name suffixes name a recording: the one list, used wherever a name is judged.

A folder input keeps the files with these suffixes (``plugins/builtins/sources.py``), and a
download keeps a URL's own suffix when it is one of these (``inputs/download.py``,
``suffix_for``). It was two lists that disagreed (``.wv`` in one, ``.wmv``, ``.au`` and
``.spx`` only in the other); this is their union. ffmpeg reads content, not names, so the
list only decides which files are picked up and what a download is called.
"""

MEDIA_SUFFIXES = frozenset({
    ".wav", ".mp3", ".mp4", ".m4a", ".m4v", ".mov", ".mkv", ".mka", ".webm", ".ogg", ".oga",
    ".opus", ".flac", ".aac", ".ac3", ".aif", ".aiff", ".amr", ".wma", ".wmv", ".avi",
    ".3gp", ".ts", ".mpg", ".mpeg", ".caf", ".au", ".spx", ".wv",
})
