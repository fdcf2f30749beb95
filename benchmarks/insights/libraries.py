"""The insights engine's own sentence splitter and topic finder against the libraries that do
the same job (pysbd; YAKE, TextRank), measured in one run: which is right more often, and how fast.

    .venv/bin/python benchmarks/insights/libraries.py            # both halves
    .venv/bin/python benchmarks/insights/libraries.py tune       # one

Sentences: a list of hard cases with their right split (abbreviations, decimals, times,
ellipses, initials, quotes, unpunctuated speech), exact-match accuracy for each splitter, and
the time of both over every message of the labelled conversations (ours as the baseline,
pysbd's time as a ratio of it). Topics: precision and recall of each method against the
labelled topics of each half, with the scorer's matching (matching.topic_matches); YAKE is
given the same stopwords and member names ours leaves out, and as many topics as ours returns;
TextRank (Mihalcea and Tarau's word graph, PageRank by networkx) ranks ours own candidate
phrases, so only the ranking differs. pytextrank, the usual TextRank package, runs inside a
spaCy pipeline whose English models are not on PyPI, so it is not what is measured here.
docs/sandbox-insights.md says what was kept and why.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import matching
import networkx
import pysbd
import yake

from symbl_media.server.insights import sentences, topic_runs, topics
from symbl_media.server.insights.conversation import build
from symbl_media.server.insights.words import STOPWORDS, stem

HERE = Path(__file__).resolve().parent

# (text, the sentences it holds)
CASES = [
    ("Dr. Smith will join at 3 p.m. tomorrow. Can you send the invite?",
     ["Dr. Smith will join at 3 p.m. tomorrow.", "Can you send the invite?"]),
    ("The 3.5 release is out. Version 4.2 ships next week!",
     ["The 3.5 release is out.", "Version 4.2 ships next week!"]),
    ("We meet at 10:30. Is that okay?", ["We meet at 10:30.", "Is that okay?"]),
    ("Well... I think so. Let's see.", ["Well... I think so.", "Let's see."]),
    ("Call me at 555-1234... ok? Fine", ["Call me at 555-1234...", "ok?", "Fine"]),
    ("J. R. Smith signed it. Done.", ["J. R. Smith signed it.", "Done."]),
    ("Acme Inc. signed yesterday. Globex Corp. has not.",
     ["Acme Inc. signed yesterday.", "Globex Corp. has not."]),
    ("so we need to ship it on monday and then we can send the deck to the board",
     ["so we need to ship it on monday and then we can send the deck to the board"]),
    ('She said "send it today." Then she left.', ['She said "send it today."', "Then she left."]),
    ("Approx. 40 minutes. That's too long.", ["Approx. 40 minutes.", "That's too long."]),
    ("e.g. the billing page. Or the invoices.", ["e.g. the billing page.", "Or the invoices."]),
    ("It costs $1,250.50 per seat. Right?", ["It costs $1,250.50 per seat.", "Right?"]),
    ("Okay. Sure. Will do.", ["Okay.", "Sure.", "Will do."]),
    ("See section 4. It covers the refund.", ["See section 4.", "It covers the refund."]),
    ("Is it per key? Or per account?", ["Is it per key?", "Or per account?"]),
    ("We use the U.S. region. Europe is next.", ["We use the U.S. region.", "Europe is next."]),
    ("Hi Tom! How are you?\nGood, thanks.", ["Hi Tom!", "How are you?", "Good, thanks."]),
    ("Mr. and Mrs. Lee called. They want a refund.",
     ["Mr. and Mrs. Lee called.", "They want a refund."]),
    ("The deadline is Nov. 15. Don't miss it.", ["The deadline is Nov. 15.", "Don't miss it."]),
    ("Go to docs.example.com. It's there.", ["Go to docs.example.com.", "It's there."]),
]


def ours(text: str) -> list[str]:
    return [s.text for s in sentences.split(text)]


_SEGMENTER = pysbd.Segmenter(language="en", clean=False)


def with_pysbd(text: str) -> list[str]:
    return [s.strip() for line in text.split("\n") for s in _SEGMENTER.segment(line) if s.strip()]


def load(half: str) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((HERE / half).glob("*.json"))]


def conversation(doc: dict):
    messages = [{"id": str(i), "text": m["payload"]["content"], "from": m["from"],
                 "startTime": m["duration"]["startTime"], "endTime": m["duration"]["endTime"]}
                for i, m in enumerate(doc["request"]["messages"])]
    return build("c", messages, doc["members"], duration=0.0, start_time=messages[0]["startTime"])


def split_figures() -> dict:
    right = {name: sum(fn(text) == want for text, want in CASES)
             for name, fn in (("ours", ours), ("pysbd", with_pysbd))}
    texts = [m["payload"]["content"] for half in ("tune", "held_out") for doc in load(half)
             for m in doc["request"]["messages"]] * 20
    took = {}
    for name, fn in (("ours", ours), ("pysbd", with_pysbd)):
        began = time.process_time()
        for text in texts:
            fn(text)
        took[name] = time.process_time() - began
    return {"cases": len(CASES), "right": right, "messages": len(texts),
            "cpu_seconds": {k: round(v, 3) for k, v in took.items()},
            "pysbd_time_ratio": round(took["pysbd"] / took["ours"], 1)}


def yake_topics(conv, names: frozenset[str], count: int) -> list[str]:
    text = "\n".join(s.text for s in conv.sentences)
    extractor = yake.KeywordExtractor(lan="en", n=3, top=count * 3,
                                      stopwords=set(STOPWORDS) | set(names) | set(yake.KeywordExtractor().stopword_set))
    found = [kw.lower() for kw, _ in extractor.extract_keywords(text)
             if not any(w.lower() in names for w in kw.split())]
    return found[:count]


def textrank_topics(conv, names: frozenset[str], count: int) -> list[str]:
    """TextRank over the words of our own candidate phrases: adjacent words linked, PageRank,
    a phrase scored by its words' rank (over the square root of its length), overlapping
    phrases dropped, as ours does."""
    graph, phrases = networkx.Graph(), {}
    for sentence in conv.sentences:
        for run in topic_runs.runs(sentence.text, names):
            keys = [stem(w) for w in run]
            graph.add_nodes_from(keys)
            for a, b in zip(keys, keys[1:]):
                graph.add_edge(a, b, weight=graph.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
            for n in range(1, min(3, len(run)) + 1):
                for i in range(len(run) - n + 1):
                    gram = run[i:i + n]
                    single = n == 1 and (topics._weak(gram[0]) or not topics.can_name_a_thing(gram[0]))
                    if single or (n > 1 and not topics._phrase(gram)):
                        continue
                    phrases.setdefault(tuple(stem(w) for w in gram), " ".join(gram))
    if not graph:
        return []
    rank = networkx.pagerank(graph, weight="weight")
    chosen: list[tuple[str, ...]] = []
    for key in sorted(phrases, key=lambda k: (-sum(rank.get(w, 0.0) for w in k) / len(k) ** 0.5, k)):
        if not any(set(key) & set(c) for c in chosen):
            chosen.append(key)
        if len(chosen) >= count:
            break
    return [phrases[k] for k in chosen]


def topic_figures(half: str) -> dict:
    tallies = {"ours": [0, 0, 0, 0], "yake": [0, 0, 0, 0], "textrank": [0, 0, 0, 0]}  # returned, right, labelled, named
    for doc in load(half):
        conv = conversation(doc)
        names = frozenset(w.lower() for m in conv.members for w in m.name.split())
        mine = [t["text"] for t in topics.find(conv, names)]
        gold = doc["gold"]["topics"]
        for name, found in (("ours", mine), ("yake", yake_topics(conv, names, len(mine))),
                            ("textrank", textrank_topics(conv, names, len(mine)))):
            t = tallies[name]
            t[0] += len(found)
            t[1] += sum(any(matching.topic_matches(f, v) for v in gold) for f in found)
            t[2] += len(gold)
            t[3] += sum(any(matching.topic_matches(f, v) for f in found) for v in gold)
    return {name: {"precision": round(t[1] / t[0], 2), "recall": round(t[3] / t[2], 2)}
            for name, t in tallies.items()}


def main() -> None:
    figures = {"sentences": split_figures(),
               "topics": {half: topic_figures(half) for half in sys.argv[1:] or ("tune", "held_out")}}
    json.dump(figures, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
