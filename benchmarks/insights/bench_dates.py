"""Due dates: the sandbox's own rules (server/insights/dates.py) against dateparser.

    .venv/bin/pip install "dateparser==1.5.0"     # only for this comparison
    .venv/bin/python benchmarks/insights/bench_dates.py

Each case is a sentence said on a given day and the day a task in it is due (None: no date in
it), written the way people set deadlines in meetings, plus sentences with date-like words that
are not dates ("may", "second", "first"). Both are asked for the first date of the sentence;
the answer is right when it is that day. Prints accuracy, wrong answers and the time per
sentence. docs/sandbox-insights.md says what was chosen from this and why.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, date, datetime

from symbl_media.server.insights import dates

WED = date(2024, 5, 15)  # a Wednesday
CASES: list[tuple[str, date, date | None]] = [
    ("I'll send it by Friday.", WED, date(2024, 5, 17)),
    ("Can you have it done by end of day Friday?", WED, date(2024, 5, 17)),
    ("I'll look at it first thing Monday.", WED, date(2024, 5, 20)),
    ("I'll look at it first thing on Monday morning.", WED, date(2024, 5, 20)),
    ("Let's ship it sometime next week.", WED, date(2024, 5, 24)),
    ("Send it over by Wednesday the 22nd.", WED, date(2024, 5, 22)),
    ("Could you have it ready Friday the twelfth?", date(2024, 4, 1), date(2024, 4, 12)),
    ("I'll have it done tomorrow morning.", WED, date(2024, 5, 16)),
    ("I'll email you the confirmation today.", WED, date(2024, 5, 15)),
    ("Please review it by the end of the month.", WED, date(2024, 5, 31)),
    ("We need the numbers by March 3rd.", WED, date(2025, 3, 3)),
    ("I'll call you back on Monday.", WED, date(2024, 5, 20)),
    ("Let's meet again in two weeks.", WED, date(2024, 5, 29)),
    ("The draft is due on the 20th.", WED, date(2024, 5, 20)),
    ("Could you send it by next Tuesday?", WED, date(2024, 5, 21)),
    ("I'll get it to you by close of business Thursday.", WED, date(2024, 5, 16)),
    ("Let's aim for the end of next week.", WED, date(2024, 5, 24)),
    ("I'll send the deck tonight.", WED, date(2024, 5, 15)),
    ("I'll send it the day after tomorrow.", WED, date(2024, 5, 17)),
    ("Send me the report by June 3rd.", WED, date(2024, 6, 3)),
    ("Could you have the first set ready on Tuesday the twenty third?", date(2024, 4, 16),
     date(2024, 4, 23)),
    ("I'll send it around for review by Wednesday the twenty seventh.", date(2024, 3, 20),
     date(2024, 3, 27)),
    ("I'll sync up with their lead this week.", date(2024, 4, 16), date(2024, 4, 19)),
    ("I'll put it on the agenda for Monday morning.", WED, date(2024, 5, 20)),
    ("Send the invoice by 2024-06-01.", WED, date(2024, 6, 1)),
    ("I'll check in with you Friday afternoon.", WED, date(2024, 5, 17)),
    ("I'll have numbers for you by Thursday.", WED, date(2024, 5, 16)),
    ("Remind me in a couple of days.", WED, date(2024, 5, 17)),
    ("I'll book it for the fifteenth of next month.", WED, date(2024, 6, 15)),
    ("I'll have it EOD tomorrow.", WED, date(2024, 5, 16)),
    ("I'll do that first thing tomorrow.", WED, date(2024, 5, 16)),
    ("I'll get it to you by end of day.", WED, date(2024, 5, 15)),
    ("On Monday the first thing we do is deploy.", WED, date(2024, 5, 20)),
    ("I'll send it after the call.", WED, None),
    ("First, let's look at the numbers.", WED, None),
    ("May I ask a quick question?", WED, None),
    ("The second option is cheaper.", WED, None),
    ("I'll do it right after this.", WED, None),
    ("Give me a sec, I'm pulling it up now.", WED, None),
    ("We may want to revisit the first test.", WED, None),
    ("Let's go through the top twenty queries by cost.", WED, None),
]


def ours(text: str, day: date) -> date | None:
    found = [d for d in dates.find(text, day) if d.due >= day]
    return found[0].due if found else None


def with_dateparser(text: str, day: date) -> date | None:
    from dateparser.search import search_dates

    base = datetime(day.year, day.month, day.day, 9, tzinfo=UTC).replace(tzinfo=None)
    found = search_dates(text, languages=["en"],
                         settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future"})
    return found[0][1].date() if found else None


def run(name: str, read) -> dict:
    read(*CASES[0][:2])  # loading is not counted
    wrong = []
    began = time.perf_counter()
    for text, day, want in CASES:
        got = read(text, day)
        if got != want:
            wrong.append(f"  {text!r} ({day:%a %d %b}): {got} instead of {want}")
    seconds = time.perf_counter() - began
    right = len(CASES) - len(wrong)
    print(f"{name}: {right}/{len(CASES)} right ({right / len(CASES):.2f}), "
          f"{seconds / len(CASES) * 1000:.2f} ms a sentence")
    print("\n".join(wrong))
    return {"right": right, "of": len(CASES), "msPerSentence": seconds / len(CASES) * 1000}


def main() -> int:
    run("server/insights/dates.py", ours)
    try:
        import dateparser  # noqa: F401
    except ImportError:
        print('dateparser is not installed: .venv/bin/pip install "dateparser==1.5.0"')
        return 0
    run("dateparser 1.5.0 search_dates", with_dateparser)
    return 0


if __name__ == "__main__":
    sys.exit(main())
