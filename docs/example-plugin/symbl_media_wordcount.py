"""An example symbl-media plugin: ``--sink wordcount[:FILE]`` and ``symbl-media words``.

It counts the words each speaker said, and shows the three hooks most plugins need: a sink,
a command, and an event.
"""

from collections import Counter
from pathlib import Path

import click

from symbl_media.plugins import Sink, hookimpl

HEARD: list[str] = []  # job statuses this process saw (the event hook fills it)


def count_words(insights) -> Counter:
    counts: Counter = Counter()
    for message in insights.messages:
        speaker = (message.get("from") or {}).get("name") or "Unknown"
        counts[speaker] += len(str(message.get("text", "")).split())
    return counts


def write(insights, call) -> str:
    lines = [f"{speaker}\t{words}" for speaker, words in count_words(insights).most_common()]
    text = "\n".join(lines) + "\n"
    if call.target in (None, "-"):
        click.echo(text, nl=False)
        return "standard output"
    Path(call.target).write_text(text, encoding="utf-8")
    return call.target


@hookimpl
def register_sinks(register):
    register(Sink("wordcount", write, "words per speaker, tab-separated",
                  writes_stdout_by_default=True))


@hookimpl
def register_commands(cli):
    @cli.command()
    @click.argument("text")
    def words(text):
        """Count the words in TEXT (an example plugin command)."""
        click.echo(len(text.split()))


@hookimpl
def job_status_changed(submission, job_id, status):
    HEARD.append(status)
