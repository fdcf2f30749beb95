"""Judge a learned filter on the action items the rules return, on tune/ only (not kept).

    .venv/bin/python benchmarks/insights/learn_actions.py --apart NAME ...

Candidates are the action items the engine returns (after merging replies); one is right when
it pairs with a labelled one as the scorer pairs them. A logistic regression over the rules'
own signals (the kind of action, its trigger, verb, date, whether it was taken on), its words
and the reply that follows says keep or drop. Leave-one-conversation-out on tune/ without the
batch --apart, then trained on those and scored on the batch apart. held_out/ is never read.
"""

from __future__ import annotations

import argparse
import re
import sys

import learn_questions as lq
import matching

from symbl_media.server.insights import action_items, actions, replies
from symbl_media.server.insights.people import People

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


def features(conversation, f, names) -> list[str]:
    text, action = f.sentence.text, f.action
    phrase = [w for w in _words(action.phrase(text)) if w not in names]
    trigger = _words(text[action.trigger:action.start])
    found = ["bias", f"kind:{action.kind}", f"definitive:{action.definitive}", f"due:{f.due is not None}",
             f"accepted:{f.accepted}", f"follows:{f.follows_up}", f"joined:{bool(f.joined)}",
             f"self:{f.assignee.get('name') == f.sentence.message.speaker.name}",
             f"trig:{' '.join(trigger[-3:])}", f"len:{min(len(phrase) // 3, 5)}",
             "end:" + (text.strip()[-1] if text.strip() and text.strip()[-1] in "?.!" else "none"),
             f"before:{' '.join(_words(text[:action.trigger])[-2:])}"]
    if phrase:
        found.append(f"verb:{phrase[0]}")
    found += [f"w:{w}" for w in set(phrase)]
    found += [f"s:{w}" for w in set(_words(text)) - set(phrase)]
    found += _reply(conversation, f.sentence)
    return found


def _reply(conversation, sentence) -> list[str]:
    after = sentence.index + 1
    if after < len(conversation.sentences) and conversation.sentences[after].message.id == sentence.message.id:
        return ["then:more"]
    position = sentence.message.position + 1
    if position >= len(conversation.messages):
        return ["then:end"]
    nxt = conversation.messages[position]
    if nxt.speaker.id == sentence.message.speaker.id:
        return ["then:same"]
    words = _words(nxt.text)
    return ["then:other", *([f"then:{words[0]}"] if words else []), *(["then:asks"] if "?" in nxt.text else [])]


def candidates(name: str, doc: dict) -> tuple[list[dict], int]:
    conversation = lq.conversation_of(name, doc)
    people = People(conversation.members)
    names = frozenset(w.lower() for m in conversation.members for w in m.name.split())
    found = []
    for sentence in conversation.sentences:
        for said in actions.detect_all(sentence.text, people):
            for action in action_items._each_dated(sentence.text, said, conversation.day_of(sentence.message)):
                if (f := action_items._found(conversation, people, names, sentence, action)) is not None:
                    found.append(f)
    rows = []
    for f in replies.merge(conversation, found):
        item = action_items._item(conversation, people, names, f, False)
        rows.append({"messages": [int(i) for i in item["messageIds"]], "text": item["text"], "conversation": name,
                     "rules": True, "signals": features(conversation, f, names)})
    gold = doc["gold"]["actionItems"]
    paired = {id(p.found) for p in matching.pair(gold, rows)}
    for r in rows:
        r["label"] = id(r) in paired
    return rows, len(gold)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apart", nargs="*", default=[])
    parser.add_argument("--fresh", action="store_true",
                        help="judge on train/ (never read for rules), training also on tune/")
    args = parser.parse_args(argv)
    if args.fresh:
        lq.judge_fresh(lq.load(candidates), lq.load(candidates, "train"), "rules")
    else:
        lq.judge(lq.load(candidates), args.apart, "rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
