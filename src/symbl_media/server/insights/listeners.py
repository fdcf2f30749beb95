"""The "you" a request is said with: to one listener or to several.

"Can you send …", "could both of you send …", "can you two …", "would you guys …", "could
each of you …", "can y'all …" all ask whoever is addressed to act (rewrite.py names them all
when the conversation says who they are); "could one of you …" asks one of them, whoever takes
it. actions.py finds requests with it and question_forms.py keeps such requests out of the
questions, so the two read the same words the same way.
"""

from __future__ import annotations

# "you", alone or counted ("you two", "you all", "you guys"), or "both of you", "each of you",
# "the two of you", "one of you", or "y'all".
ASKED = (r"(?:you(?:\s+(?:two|three|both|all|guys|folks|lot)\b)?|"
         r"(?:both|all|each|either|any|one|some|the\s+two|the\s+three)\s+of\s+you|y['’]all)")
