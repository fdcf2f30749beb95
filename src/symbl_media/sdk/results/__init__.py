"""What the Conversation API answers, as typed values.

Each value is read from the JSON the service sent and keeps it: ``to_json()`` gives back that
JSON unchanged (the documented shape, camelCase, fields this module does not know included),
so nothing is lost by going through the types. Lists are tuples with the attribute the
official SDK's models had (``get_messages().messages``) and ``to_json()`` for the whole reply
(``{"messages": [...]}``). Times are ``datetime`` (UTC) when the service sent ISO-8601, else
None; numbers the service left out are None, never a made-up 0.
"""

# The package is split per family of reply; callers (the SDK, tests, users following
# docs/python-api.md) reach every value as ``results.Name``, so they are all named here.
from symbl_media.sdk.results.insights import (
                                              ActionItem,
                                              ActionItems,
                                              FollowUp,
                                              FollowUps,
                                              Insight,
                                              Question,
                                              Questions,
                                              Summary,
                                              SummaryItem,
                                              Topic,
                                              Topics,
                                              Tracker,
                                              TrackerMatch,
                                              Trackers,
)
from symbl_media.sdk.results.messages import Message, Messages
from symbl_media.sdk.results.overview import Analytics, ConversationInfo, MemberStats, Metric
from symbl_media.sdk.results.parts import Listing, Person, Phrase, Ref, Sentiment, Word
from symbl_media.sdk.results.people import Entities, Entity, Members

__all__ = ["ActionItem", "ActionItems", "Analytics", "ConversationInfo", "Entities", "Entity",
           "FollowUp", "FollowUps", "Insight", "Listing", "MemberStats", "Members", "Message",
           "Messages", "Metric", "Person", "Phrase", "Question", "Questions", "Ref",
           "Sentiment", "Summary", "SummaryItem", "Topic", "Topics", "Tracker", "TrackerMatch",
           "Trackers", "Word"]
