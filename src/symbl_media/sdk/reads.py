"""What a conversation holds, asked of the Conversation API: its messages, insights, members,
analytics and its own record, each read as a typed value (``sdk/results/``) by the route and
reply key of contract/endpoints.py.

``ConversationReads`` is the reading half of ``sdk.conversation.Conversation``, which gives it
the conversation's id (``conversation_id``, waiting for the first piece), ``result()`` and
the service to ask.
"""

from __future__ import annotations

from symbl_media.client.calls import query_value
from symbl_media.contract import endpoints as api
from symbl_media.errors import ApiError, InvalidArgument
from symbl_media.sdk import results
from symbl_media.sdk.runtime import RUNTIME


class ConversationReads:
    """The SDK's ``get_*`` calls (and their short names); each waits for the submission to
    complete first, as the docs say insights are complete only then."""

    _settings: object
    _service: object

    def messages(self, parameters: dict | None = None) -> results.Messages:
        """The transcript; parameters such as ``{"sentiment": True, "verbose": True}``."""
        return results.Messages.from_json(self._list(api.MESSAGES, parameters))

    def topics(self, parameters: dict | None = None) -> results.Topics:
        return results.Topics.from_json(self._list(api.TOPICS, parameters))

    def action_items(self, parameters: dict | None = None) -> results.ActionItems:
        return results.ActionItems.from_json(self._list(api.ACTION_ITEMS, parameters))

    def follow_ups(self, parameters: dict | None = None) -> results.FollowUps:
        return results.FollowUps.from_json(self._list(api.FOLLOW_UPS, parameters))

    def questions(self, parameters: dict | None = None) -> results.Questions:
        return results.Questions.from_json(self._list(api.QUESTIONS, parameters))

    def entities(self, parameters: dict | None = None) -> results.Entities:
        return results.Entities.from_json(self._list(api.ENTITIES, parameters))

    def members(self, parameters: dict | None = None) -> results.Members:
        return results.Members.from_json(self._list(api.MEMBERS, parameters))

    def summary(self, parameters: dict | None = None) -> results.Summary:
        """Needs ``enableSummary`` at submission; the service answers 404 otherwise."""
        return results.Summary.from_json(self._list(api.SUMMARY, parameters))

    def trackers(self, parameters: dict | None = None) -> results.Trackers:
        reply = self._get(api.TRACKERS, parameters)
        if not isinstance(reply, list):
            raise ApiError(200, f"unexpected reply to {api.TRACKERS.tail}: "
                                f"{str(reply)[:120]}")
        return results.Trackers.from_json(reply)

    def analytics(self, parameters: dict | None = None) -> results.Analytics:
        reply = self._get(api.ANALYTICS, parameters)
        if not isinstance(reply, dict):
            raise ApiError(200, f"unexpected reply to analytics: {str(reply)[:120]}")
        return results.Analytics.from_json(reply)

    def info(self, parameters: dict | None = None) -> results.ConversationInfo:
        """The conversation itself: name, times, members, metadata."""
        reply = self._get(api.CONVERSATION, parameters)
        if not isinstance(reply, dict):
            raise ApiError(200, f"unexpected reply for the conversation: {str(reply)[:120]}")
        return results.ConversationInfo.from_json(reply)

    get_messages = messages
    get_topics = topics
    get_action_items = action_items
    get_follow_ups = follow_ups
    get_questions = questions
    get_entities = entities
    get_members = members
    get_summary = summary
    get_trackers = trackers
    get_analytics = analytics
    get_conversation = info

    def _get(self, route: api.Route, parameters: dict | None):
        self.result()  # the docs: insights are complete only once the job is
        cid = self.conversation_id
        if parameters is not None and not isinstance(parameters, dict):
            raise InvalidArgument(f"parameters must be a dict, not "
                                  f"{type(parameters).__name__}")
        params = {str(k): query_value(v) for k, v in (parameters or {}).items()}
        what = f"{route.tail or 'conversation'} of {cid}"
        return self._client().transport.call(route.method, route.url(cid=cid), params=params,
                                             what=what)

    def _list(self, route: api.Route, parameters: dict | None) -> list:
        reply = self._get(route, parameters)
        found = reply.get(route.reply) if isinstance(reply, dict) else None
        if not isinstance(found, list):
            raise ApiError(200, f"unexpected reply to {route.tail}: no {route.reply!r} list in "
                                f"{str(reply)[:120]}")
        return found

    def _client(self):
        if self._service is None:
            self._service = RUNTIME.service(self._settings)
        return self._service.client
