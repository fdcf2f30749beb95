"""The rebuilt offline insights, as a Text API user sees them: bodies POSTed to a real sandbox
over HTTP, insights read back from the Conversation API."""

from __future__ import annotations

import pytest

from symbl_media.testing import running_sandbox

PRIYA = {"name": "Priya Patel", "userId": "priya@brightdesk.example"}
TOM = {"name": "Tom Becker", "userId": "tom@fernhill.example"}
LENA = {"name": "Lena Ortiz", "userId": "lena@brightdesk.example"}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    with running_sandbox(tmp_path_factory.mktemp("text-insights")) as sandbox:
        yield sandbox.client()


def insights(api, *lines: tuple[dict, str]) -> dict:
    """Submit `lines` of (speaker, text), one message each, 5 s apart on Thursday 14 March 2024."""
    messages = [{"payload": {"content": text}, "from": who,
                 "duration": {"startTime": f"2024-03-14T15:00:{5 * i:02d}.000Z",
                              "endTime": f"2024-03-14T15:00:{5 * i + 4:02d}.000Z"}}
                for i, (who, text) in enumerate(lines)]
    reply = api.post("/v1/process/text", json={"name": "insights", "messages": messages})
    assert reply.status_code == 201, reply.text
    ids = reply.json()
    assert api.wait(ids["jobId"]) == "completed"
    got = {}
    for path, key in (("messages", "messages"), ("action-items", "actionItems"),
                      ("follow-ups", "followUps"), ("questions", "questions"), ("topics", "topics")):
        reply = api.get(f"/v1/conversations/{ids['conversationId']}/{path}")
        assert reply.status_code == 200, reply.text
        got[key] = reply.json()[key]
    got["position"] = {m["id"]: i for i, m in enumerate(got["messages"])}
    return got


def texts(items: list[dict]) -> list[str]:
    return [i["text"] for i in items]


def test_narration_of_the_meeting_is_not_an_action_item_and_commitments_are_rewritten(api):
    got = insights(api, (PRIYA, "Okay, let me share my screen."),
                   (PRIYA, "So this is a quick demo of the routing rules."),
                   (PRIYA, "I'm going to walk you through the assignment view first."),
                   (PRIYA, "Anyway, I'll send the slides after lunch."))
    assert texts(got["actionItems"]) == ["Priya Patel will send the slides after lunch."]
    [item] = got["actionItems"]
    assert item["assignee"] == {"name": "Priya Patel", "email": "priya@brightdesk.example"}
    assert item["definitive"] is True
    assert {"type": "person", "text": "Priya Patel", "offset": 0,
            "value": {"assignee": True, "name": "Priya Patel"}} in item["entities"]
    assert texts(got["followUps"]) == ["Priya Patel will send the slides after lunch."]


def test_verbs_and_pronouns_agree_with_the_third_person(api):
    got = insights(api, (TOM, "I am going to update my notes tonight."),
                   (TOM, "I have to renew my badge by Friday."),
                   (PRIYA, "Tom, can you send me the signed contract?"))
    assert texts(got["actionItems"]) == [
        "Tom Becker is going to update their notes tonight.",
        "Tom Becker has to renew their badge by Friday.",
        "Tom Becker needs to send Priya Patel the signed contract."]
    badge = got["actionItems"][1]
    offset = badge["text"].index("Friday")
    assert {"type": "date", "text": "Friday", "offset": offset, "value": "2024-03-15"} in badge["entities"]
    assert badge["dueBy"] == "2024-03-15T00:00:00.000Z"
    # A request phrased as a question is the asked person's action item, not a question.
    assert got["actionItems"][2]["assignee"]["name"] == "Tom Becker"
    assert got["questions"] == []


def test_a_request_and_its_answer_are_one_item_for_the_one_who_acts(api):
    got = insights(api, (LENA, "Tom, could you send me a sample export from the spreadsheet?"),
                   (TOM, "Sure, will do. I'll dig one out tomorrow morning."),
                   (LENA, "Great, thanks."))
    [item] = got["actionItems"]
    assert item["text"] == "Tom Becker will send Lena Ortiz a sample export from the spreadsheet."
    assert item["assignee"]["name"] == "Tom Becker" and item["from"]["name"] == "Lena Ortiz"
    assert [got["position"][i] for i in item["messageIds"]] == [0, 1]
    assert item["dueBy"] == "2024-03-15T00:00:00.000Z"  # the answer's "tomorrow"
    assert len(got["followUps"]) == 1


def test_only_the_actionable_clause_of_a_long_message_is_kept(api):
    got = insights(api, (
        PRIYA, "Thanks for the numbers, that helps a lot. I'll put together a quote for the annual "
               "plan, and honestly it should be cheaper than what you pay now. Talk soon."))
    assert texts(got["actionItems"]) == ["Priya Patel will put together a quote for the annual plan."]


def test_ideas_are_not_definitive_and_leaving_is_not_a_task(api):
    got = insights(api, (TOM, "Maybe we could try a dark mode for the dashboard by the end of the month."),
                   (PRIYA, "We should run a load test before the launch."),
                   (TOM, "Sorry, I have to run."),
                   (PRIYA, "We could also cap the surcharge at eight percent."))  # an option weighed, no task
    definitive = {i["text"]: i["definitive"] for i in got["actionItems"]}
    assert definitive == {
        "Tom Becker says the team could try a dark mode for the dashboard by the end of the month.": False,
        "Priya Patel thinks the team should run a load test before the launch.": False}


def test_questions_include_embedded_ones_and_leave_small_talk_out(api):
    got = insights(api, (PRIYA, "Hey Tom, how's your week going so far?"),
                   (TOM, "Busy. Can everyone hear me okay?"),
                   (PRIYA, "Sorry, quick question, does it integrate with Shopify"),
                   (TOM, "I was also wondering whether the rate limit is per key or per account."),
                   (PRIYA, "What we need is a second inbox."))
    assert texts(got["questions"]) == [
        "Sorry, quick question, does it integrate with Shopify",
        "I was also wondering whether the rate limit is per key or per account."]


def test_questions_are_read_in_their_conversation(api):
    got = insights(api, (PRIYA, "Hi, is this Tom Becker?"),
                   (TOM, "It is. Can we move the kickoff to Monday?"),
                   (PRIYA, "Yes, I'll send a new invite tonight. Did it arrive?"),
                   (TOM, "Got it. Does the Pro plan include SSO? Does anyone know?"),
                   (LENA, "It does, from twenty seats."))
    assert texts(got["questions"]) == ["Does the Pro plan include SSO?"]
    assert [got["position"][i] for q in got["questions"] for i in q["messageIds"]] == [3]


def test_topics_are_phrases_with_their_variants_grouped_under_them(api):
    got = insights(api, (PRIYA, "The pricing page redesign is the main thing this week."),
                   (TOM, "The pricing page still shows the old pricing tiers."),
                   (PRIYA, "Right, the pricing tiers changed in March."),
                   (LENA, "The pricing page also needs the new support plans."),
                   (TOM, "Support plans are what customers ask about most."),
                   (PRIYA, "Then the support plans go on the pricing page too."),
                   (LENA, "The checkout flow is fine as it is."),
                   (TOM, "Agreed, the checkout flow can wait."))
    topics = {t["text"]: t for t in got["topics"]}
    assert "pricing page" in topics and "support plans" in topics
    assert all(len(t.split()) > 1 for t in topics), topics  # phrases, not bare common words
    children = [t for t in got["topics"] if t["parentRefs"]]
    assert children, topics
    for child in children:
        [ref] = child["parentRefs"]
        assert ref["type"] == "topic" and ref["text"] in topics
        assert set(child["text"].split()) & set(ref["text"].split())


def test_a_monologue_narrating_a_demo_keeps_only_its_commitment(api):
    """The narration the issue found in the SDK docs' "Business Meeting" sample (its sentences
    as the issue quotes them), around one real commitment, in one message with no listener."""
    john = {"name": "John", "userId": "john@example.com"}
    got = insights(api, (john, "Hello. So this is a live demo that we are trying to give. "
                               "So I am going to do a quick conversation. I would say where I "
                               "will demonstrate all of this great catching up. I will set up a "
                               "time tomorrow evening to go over the documents. Can you share the "
                               "quotation with me on email? Thanks for calling good to hear."))
    assert texts(got["actionItems"]) == [
        "John will set up a time tomorrow evening to go over the documents.",
        "John asked someone to share the quotation with John on email."]
    assert got["actionItems"][0]["dueBy"] == "2024-03-15T00:00:00.000Z"
    assert not {"hear", "catching", "love"} & {t["text"] for t in got["topics"]}
