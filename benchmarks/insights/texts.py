"""Every rewritten action item of a labelled set, one a line, to read and to diff before and after
a change to the rewriting.

    .venv/bin/python benchmarks/insights/texts.py > /tmp/after.txt            # tune/
    .venv/bin/python benchmarks/insights/texts.py --sentences > /tmp/all.txt  # every sentence

Items: each conversation submitted to a real sandbox on 127.0.0.1 over HTTP, the action items
read back: `conversation | message positions | assignee | text`, then the first message as
said. --sentences: a wider net for pronouns and agreement, every sentence of the set with a
"you" or "I" rewritten in both voices (the speaker "Ana" acting, talking to "Ben"; "Ben"
acting on Ana's request), whatever the engine would make of it. Only `tune/`: `held_out/` is
scored as an aggregate, never read item by item.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from score import load, submit

from symbl_media.server.insights import rewrite
from symbl_media.server.insights.sentences import split
from symbl_media.testing import running_sandbox


def items() -> None:
    with tempfile.TemporaryDirectory() as tmp, running_sandbox(Path(tmp)) as sandbox:
        api = sandbox.client()
        for stem, doc in load("tune"):
            cid, _ = submit(api, doc)
            messages = api.get(f"/v1/conversations/{cid}/messages").json()["messages"]
            position = {m["id"]: i for i, m in enumerate(messages)}
            for item in api.get(f"/v1/conversations/{cid}/action-items").json()["actionItems"]:
                at = [position[i] for i in item["messageIds"]]
                print(f"{stem} | {at} | {item['assignee']['name']} | {item['text']}")
                print(f"    < {messages[at[0]]['text']}")


def sentences() -> None:
    speaking = rewrite.Voice("Ana", "Ana", True, "Ben")
    asked = rewrite.Voice("Ana", "Ben", False)
    for _, doc in load("tune"):
        for message in doc["request"]["messages"]:
            for sentence in split(message["payload"]["content"]):
                if {"you", "i"} & set(sentence.text.lower().split()):
                    print(sentence.text)
                    print("  S:", rewrite.third_person(sentence.text, "will", speaking, frozenset()))
                    print("  L:", rewrite.third_person(sentence.text, "needs to", asked, frozenset()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", action="store_true", help="every sentence with you/I, both voices")
    args = parser.parse_args(argv)
    sentences() if args.sentences else items()
    return 0


if __name__ == "__main__":
    sys.exit(main())
