"""A conversation's insights, made again over all its messages after each job, by the chosen
insight engine (or the default one when it fails: insight_runs.py), checked against the
contract's shapes and stored. Run by whatever runs jobs: the server's own worker, or a
``sandbox worker`` process, which has no HTTP side.

After a job the write is fenced like the job's other writes (``leases.hold``): a run that
lost its lease while it computed (its messages read before the run that took over undid
them) writes nothing, so the insights stored are always those of the run that holds the job.
"""

from __future__ import annotations

import json

from symbl_media.server import insight_runs


def refresh(host, cid: str, lease=None) -> None:
    """``host``: what runs the job, with ``store``, ``engines`` and ``insight_engine()``
    (the replies' builders read the members and the engine through it). ``lease``: the
    job's run, when a job's end refreshes them (``LeaseLost`` if it no longer holds it)."""
    from symbl_media.contract import shapes as k
    from symbl_media.server.insights import InsightOptions
    from symbl_media.server.replies import checked_insights, conversation_json, message_json

    conv = host.store.conversation(cid)
    if conv is None:
        return
    merged: dict = {}
    for job in host.store.jobs(cid):
        options = json.loads(job["options"])
        for key in ("detectEntities", "enableSummary", "detectPhrases"):
            merged[key] = merged.get(key, False) or bool(options.get(key))
        for key in ("entities", "trackers"):
            merged.setdefault(key, [])
            merged[key] += [v for v in options.get(key) or [] if v not in merged[key]]
        if "confidenceThreshold" in options:  # the latest submission's threshold wins
            merged["confidenceThreshold"] = options["confidenceThreshold"]
    members = {m["id"]: m for m in host.store.members(cid)}
    messages = [message_json(host, conv, row, members, verbose=False, sentiment=False,
                             phrases=False) for row in host.store.messages(cid)]
    # The chosen engine, or the default one (and the metadata says why) when it fails.
    result, produced = insight_runs.analyse(
        host.engines, cid, messages,
        [{"id": m["id"], "name": m["name"], "email": m["email"]} for m in members.values()],
        duration=conv["duration"],
        start_time=conversation_json(host, conv)[k.CONVERSATION.start_time],
        options=InsightOptions(
            detect_entities=merged.get("detectEntities", False),
            custom_entities=tuple(merged.get("entities", [])),
            trackers=tuple(merged.get("trackers", [])),
            enable_summary=merged.get("enableSummary", False),
            detect_phrases=merged.get("detectPhrases", False)))
    threshold = merged.get("confidenceThreshold")
    if threshold is not None:
        # "Minimum confidence for the insight to be recognized": applied when a submission
        # sets it; the local heuristics' scores are not calibrated against Symbl's default.
        scored = {k.INSIGHTS.topics: k.TOPIC.score, k.INSIGHTS.action_items: k.INSIGHT.score,
                  k.INSIGHTS.follow_ups: k.INSIGHT.score, k.INSIGHTS.questions: k.INSIGHT.score}
        for key, score in scored.items():
            result[key] = [i for i in result.get(key, []) if i.get(score, 1) >= threshold]
    with host.store.transaction():
        if not host.store.update_conversation(cid, lease=lease,
                                              insights=json.dumps(checked_insights(result)),
                                              insights_options=json.dumps(merged)):
            return  # the conversation was deleted meanwhile
        recorded = insight_runs.metadata(host.store.conversation(cid), produced)
        if recorded is not None:
            host.store.update_conversation(cid, metadata=recorded)

