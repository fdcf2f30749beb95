"""Every Async Audio, Video and Text sample of the official Python SDK's docs runs with
``import symbl`` changed to ``import symbl_media as symbl``, against the sandbox.

The samples are transcribed from symblai/symbl-docs (the pages and revisions are named on each
page below) and run top to bottom, one page in one namespace, as if pasted into a session.
Besides the import, only what no code change can avoid is pointed elsewhere, the same way for
every sample (``localize``):

- the docs' URLs (symbltestdata.s3...) go to a local web server serving short clips under the
  same file names; the conversation ids they append to ('5973791156994048', ...) become the
  id the page's first sample made; '/users/jon/Downloads/...' loses its leading slash (the
  Windows-style 'c:/Users/john/...' paths are relative on POSIX and are created as they
  stand; '<file_path>' becomes one of those);
- typos that stop the samples in any Python (curly quotes around URLs, a stray leading space
  on a line) are fixed;
- the alternatives the samples leave commented out (``# print(conversation_object.get_…())``)
  run too;
- the Text payload keeps the docs' structure and options; its long demo paragraph is
  replaced by a short one of our own.

A one-line snippet the page repeats verbatim in its complete sample right after is checked to
be that line and not run twice. A ``wait=False`` sample runs on beside the samples after it
and is waited for at the end of its page, as a caller would before reading insights.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import pytest

from symbl_media.sdk import results as sdk_results
from symbl_media.errors import InvalidArgument
from symbl_media.sdk.async_api import Conversation

from .conftest import copy

DOCS = "symblai/symbl-docs"
S3 = "https://symbltestdata.s3.us-east-2.amazonaws.com"
TEXT_CONTENT = ("Hello John, thanks for calling. I will set up a time tomorrow evening to go "
                "over the documents. Can you share the quotation with me by email? Thanks a "
                "lot, talk soon.")


@dataclass(frozen=True)
class Block:
    heading: str
    code: str
    refused: str | None = None  # the InvalidArgument message it must raise instead
    repeated_in_next: bool = False  # a one-liner the next block repeats verbatim


# ----------------------------------------------------------------------------- the pages

AUDIO = (f"{DOCS} docs/python-sdk/async-audio.md @ 2d09cbf", [
    Block("Sample Code", """import symbl
 
conversation_object = symbl.Audio.process_file(file_path=r'c:/Users/john/Downloads/business_meeting.mp3')
print(conversation_object.get_messages())
print(conversation_object.get_topics())

# You can use the same code to generate other insights such as:
# print(conversation_object.get_follow_ups())
# print(conversation_object.get_action_items())
# print(conversation_object.get_questions())
# print(conversation_object.get_members())
"""),
    Block("Appending Audio API (snippet)", """conversation_object = symbl.Audio.append_file(file_path=r'c:/Users/john/Downloads/business_meeting.mp3', conversation_id='5973791156994048')
""", repeated_in_next=True),
    Block("Appending Audio API", """import symbl

conversation_object = symbl.Audio.append_file(file_path=r'c:/Users/john/Downloads/business_meeting.mp3', conversation_id='5973791156994048')
print(conversation_object.get_messages())
print(conversation_object.get_topics())

# You can use the same code to generate other insights such as:
# print(conversation_object.get_follow_ups())
# print(conversation_object.get_action_items())
# print(conversation_object.get_questions())
# print(conversation_object.get_members())
"""),
    Block("Using Parameters (file)", """import symbl

conversation_object = symbl.Audio.process_file(file_path='/users/jon/Downloads/Welcome.mp3', 
parameters={
    'name':'new meeting', 
    'detectPhrases': True, 
    'enableSpeakerDiarization': True, 
    'diarizationSpeakerCount': 3, 
    'channelMetadata': [
      {"channel": 1,"speaker": {"name": "Jon Snow","email": "Jon@example.com"}}
     ]})
print(conversation_object.get_messages())
print(conversation_object.get_topics())

# You can use the same code to generate other insights such as:
# print(conversation_object.get_follow_ups())
# print(conversation_object.get_action_items())
# print(conversation_object.get_questions())
# print(conversation_object.get_members())
"""),
    Block("Async Audio URL API", """import symbl

request_body = {
   'url': ‘https://symbltestdata.s3.us-east-2.amazonaws.com/playground_sample_audio.mp3’,
   'name': 'Python SDK Test Meeting',
 }


conversation_object = symbl.Audio.process_url(payload = request_body)
# conversation = symbl.Audio.append_url(payload=request_body, conversation_id='4639962491256832')
print(conversation_object.get_messages())
print(conversation_object.get_topics())

# You can use the same code to generate other insights such as:
# print(conversation_object.get_follow_ups())
# print(conversation_object.get_action_items())
# print(conversation_object.get_questions())
# print(conversation_object.get_members())
"""),
    Block("Appending Audio URL API (snippet)", """conversation_object = symbl.Audio.append_url(payload=request_body, conversation_id='4639962491256832')
""", repeated_in_next=True),
    Block("Appending Audio URL API", """
import symbl

request_body = {
   'url': ‘https://symbltestdata.s3.us-east-2.amazonaws.com/playground_sample_audio.mp3’,
   'name': 'Business Meeting',
 }



conversation_object = symbl.Audio.append_url(payload=request_body, conversation_id='4639962491256832')
print(conversation_object.get_messages())
print(conversation_object.get_topics())

# You can use the same code to generate other insights such as:
# print(conversation_object.get_follow_ups())
# print(conversation_object.get_action_items())
# print(conversation_object.get_questions())
# print(conversation_object.get_members())

"""),
    Block("Utilizing the wait Parameter", """conversation_object = symbl.Audio.process_url(url='https://symbltestdata.s3.us-east-2.amazonaws.com/sample_audio_file.wav', wait=False)
"""),
    Block("Using Parameters (URL)", """request_body = {
     'url':'https://symbltestdata.s3.us-east-2.amazonaws.com/sample_audio_file.wav', 
     'detectPhrases': True, 
     'channelMetadata': [{"channel": 1,"speaker": {"name": "Jon Snow","email": "jon@example.com"}}]
     }
 conversation_object = symbl.Audio.process_url(payload=request_body)
 print(conversation_object.get_messages())
 print(conversation_object.get_topics())

# You can use the same code to generate other insights such as:
# print(conversation_object.get_follow_ups())
# print(conversation_object.get_action_items())
# print(conversation_object.get_questions())
# print(conversation_object.get_members())
"""),
])

VIDEO = (f"{DOCS} docs/python-sdk/async-video.md @ 02fb954", [
    Block("Sample Code", """import symbl

conversation_object = symbl.Video.process_file(file_path=r'c:/Users/john/Downloads/video.mp4')
print(conversation_object.get_messages())
print(conversation_object.get_topics())

# You can use the same code to generate other insights such as:
# print(conversation_object.get_follow_ups())
# print(conversation_object.get_action_items())
# print(conversation_object.get_questions())
# print(conversation_object.get_members())
"""),
    Block("Appending Video API (snippet, empty id)", """conversation_object = symbl.Video.append_file(file_path=r'c:/Users/john/Downloads/video.mp4', conversation_id='')
""", refused="conversation_id is empty"),
    Block("Appending Video API (empty id)", """import symbl

conversation_object = symbl.Video.append_file(file_path=r'c:/Users/john/Downloads/video.mp4', conversation_id='')
print(conversation_object.get_messages())
print(conversation_object.get_topics())

# You can use the same code to generate other insights such as:
# print(conversation_object.get_follow_ups())
# print(conversation_object.get_action_items())
# print(conversation_object.get_questions())
# print(conversation_object.get_members())
""", refused="conversation_id is empty"),
    Block("Using Parameters (file)", """import symbl

conversation_object = symbl.Video.process_file(file_path='/users/jon/Downloads/Welcome.mp4', 
parameters={
    'name':'Business Meeting', 
    'detectPhrases': True, 
    'enableSpeakerDiarization': True, 
    'diarizationSpeakerCount': 3, 
    'channelMetadata': [
      {"channel": 1,"speaker": {"name": "Jon Snow","email": "Jon@example.com"}}
     ]})
print(conversation_object.get_messages())
print(conversation_object.get_topics())

# You can use the same code to generate other insights such as:
# print(conversation_object.get_follow_ups())
# print(conversation_object.get_action_items())
# print(conversation_object.get_questions())
# print(conversation_object.get_members())
"""),
    Block("Async Video URL API", """import symbl

request_body = {
   'url': ‘https://symbltestdata.s3.us-east-2.amazonaws.com/sample_video_file.mp4’,
   'name': 'Business Meeting',
 }


conversation_object = symbl.Video.process_url(payload = request_body )
print(conversation_object.get_messages())
print(conversation_object.get_topics())

# You can use the same code to generate other insights such as:
# print(conversation_object.get_follow_ups())
# print(conversation_object.get_action_items())
# print(conversation_object.get_questions())
# print(conversation_object.get_members())
"""),
    Block("Appending Video URL API (snippet)", """conversation_object = symbl.Video.append_url(payload=request_body, conversation_id='4639962491256832')
""", repeated_in_next=True),
    Block("Appending Video URL API", """import symbl

request_body = {
   'url': ‘https://symbltestdata.s3.us-east-2.amazonaws.com/sample_video_file.mp4’,
   'name': 'Business Meeting',
 }


conversation_object = symbl.Video.append_url(payload=request_body, conversation_id='4639962491256832')
print(conversation_object.get_messages())
print(conversation_object.get_topics())

# You can use the same code to generate other insights such as:
# print(conversation_object.get_follow_ups())
# print(conversation_object.get_action_items())
# print(conversation_object.get_questions())
# print(conversation_object.get_members())

"""),
    Block("Using Parameters (URL)", """request_body = {
     'url':'https://symbltestdata.s3.us-east-2.amazonaws.com/sample_video_file.mp4', 
     'detectPhrases': True, 
     'channelMetadata': [{"channel": 1,"speaker": {"name": "Jon Snow","email": "jon@example.com"}}]
     }
 conversation_object = symbl.Video.process_url(payload=request_body)
 print(conversation_object.get_topics())
 print(conversation_object.get_messages())
# You can use the same code to generate other insights such as:
# print(conversation_object.get_follow_ups())
# print(conversation_object.get_action_items())
# print(conversation_object.get_questions())
# print(conversation_object.get_members())
"""),
    Block("Utilizing the wait Parameter", """conversation_object = symbl.Video.process_file(file_path=r'c:/Users/john/Downloads/video.mp4', wait=False)
"""),
])

_TEXT_BODY = """{
   "name": "Business Meeting",
   "confidenceThreshold": 0.6,
   "detectPhrases": True,
   "messages": [
     {
       "duration": {
         "startTime": "2020-07-21T16:04:19.99Z",
         "endTime": "2020-07-21T16:04:20.99Z"
       },
       "payload": {
         "content": TEXT_CONTENT,
         "contentType": "text/plain"
       },
       "from": {
         "name": "John",
         "userId": "john@example.com"
       }
     }
   ]
 }"""

TEXT = (f"{DOCS} docs/python-sdk/async-text.md @ b047e56", [
    Block("Sample Code", f"""import symbl
request_body ={_TEXT_BODY}
conversation_object = symbl.Text.process(payload=request_body)

print(conversation_object.get_messages()) 
print(conversation_object.get_topics()) 

# You can use the same code to generate other insights such as:
# print(conversation_object.get_action_items()) 
# print(conversation_object.get_follow_ups()) 
# print(conversation_object.get_questions())
# print(conversation_object.get_members())
"""),
    Block("Appending Text API (snippet)", """conversation_object = symbl.Text.append(payload=request_body, conversation_id='5274326339158016')
""", repeated_in_next=True),
    Block("Appending Text API", f"""import symbl

 request_body ={_TEXT_BODY}
conversation_object = symbl.Text.append(payload=request_body, conversation_id='5274326339158016')

print(conversation_object.get_messages())
print(conversation_object.get_topics()) 

# You can use the same code to generate other insights such as:
# print(conversation_object.get_action_items()) 
# print(conversation_object.get_follow_ups()) 
# print(conversation_object.get_questions())
# print(conversation_object.get_members())
"""),
    Block("Utilizing the wait Parameter", """conversation_object = symbl.Text.process(payload=request_body, wait=False)
"""),
])

# Earlier revisions: the call forms the current pages no longer show (url= keywords, the
# non-get spellings, an append without conversation_id, sentiment). Their blocks that make a
# current page's call again under another variable name are left out: the 2021 audio page's
# "Using Parameters" (both), "Async Audio URL API" and wait=False blocks, the 2021 video
# page's wait=False block. The oldest text revision uses its payload before defining it (a
# NameError with any SDK) and is not run.
AUDIO_2021 = (f"{DOCS} python-sdk/async-audio.md, 2021 revision", [
    Block("Sample Code", """import symbl
 
conversation = symbl.Audio.process_file(file_path=r'c:/Users/john/Downloads/business_meeting.mp3')
print(conversation.topics())
# You can use the same code to generate other insights such as:
# print(conversation.get_follow_ups())
# print(conversation.get_action_items())
# print(conversation.get_questions())
# print(conversation.get_messages())
"""),
    Block("Appending Audio API (no conversation_id)", """import symbl

conversation = symbl.Audio.append_file(file_path=r'c:/Users/john/Downloads/business_meeting.mp3')
print(conversation.get_topics())
# You can use the same code to generate other insights such as:
# print(conversation.get_follow_ups())
# print(conversation.get_action_items())
# print(conversation.get_questions())
# print(conversation.get_messages())
""", refused="conversation_id is missing"),
    Block("Appending Audio URL API", """import symbl

conversation = symbl.Audio.append_url(url='https://symbltestdata.s3.us-east-2.amazonaws.com/sample_audio_file.wav', conversation_id='5973791156994048')

print(conversation.topics())
# print(conversation.follow_ups())
# print(conversation.action_items())
# print(conversation.questions())
# print(conversation.messages())
"""),
])

VIDEO_2021 = (f"{DOCS} python-sdk/async-video.md, 2021 revision", [
    Block("Sample Code", """import symbl

conversation = symbl.Video.process_file(file_path=r'c:/Users/john/Downloads/video.mp4')
print(conversation.action_items())
# print(conversation.topics())
# print(conversation.messages())
"""),
    Block("Appending Video API (empty id)", """import symbl

conversation = symbl.Video.append_file(file_path=r'c:/Users/john/Downloads/video.mp4', conversation_id='')
print(conversation.action_items())
# print(conversation.topics())
# print(conversation.messages())
""", refused="conversation_id is empty"),
    Block("Async Video URL API", """import symbl

conversation = symbl.Video.process_url(url='https://symbltestdata.s3.us-east-2.amazonaws.com/sample_video_file.mp4')
print(conversation.topics())

# You can use the same code to generate other insights such as:
# print(conversation.follow_ups())
# print(conversation.action_items())
# print(conversation.questions())
# print(conversation.messages())
"""),
    Block("Appending Video URL API", """import symbl

conversation = symbl.Video.append_url(url='https://symbltestdata.s3.us-east-2.amazonaws.com/sample_video_file.mp4', conversation_id='5973791150094048')

print(conversation.topics())
# print(conversation.follow_ups())
# print(conversation.action_items())
# print(conversation.questions())
# print(conversation.messages())
"""),
])

TEXT_2021 = (f"{DOCS} python-sdk/async-text.md @ 358d261", [
    Block("Sample Code", f"""import symbl
dictionary ={_TEXT_BODY}
conversation = symbl.Text.process(payload=dictionary)

print(conversation.get_action_items()) # Returns action items arising out of the conversation

# print(conversation.get_action_items()) 
# print(conversation.get_topics()) 
# print(conversation.get_questions())
# print(conversation.get_messages(parameters={{'sentiment': True}})) # This returns Sentiment score in the messages due to the parameter sentiment. 
"""),
    Block("Appending Text API", f"""import symbl

 dictionary ={_TEXT_BODY}
conversation = symbl.Text.append(payload=dictionary, conversation_id='5274326339158016')

print(conversation.get_action_items())

# print(conversation.get_topics())
# print(conversation.get_messages())
"""),
    Block("Utilizing the wait Parameter", """conversation = symbl.Text.process(payload=dictionary, wait=False)
"""),
])

REFERENCE = (f"{DOCS} docs/python-sdk/python-sdk-reference.md @ 1aa5f5d", [
    Block("Conversation object example", """import symbl

file = "<file_path>"
conversation_object = symbl.Audio.process_file(file_path=file)

print(conversation_object.get_messages())
print(conversation_object.get_action_items())
print(conversation_object.get_follow_ups())
print(conversation_object.get_members())
print(conversation_object.get_topics())
print(conversation_object.get_questions())
"""),
])

# The credentials sample does not parse as printed (a missing comma, unquoted keys and
# placeholders); it runs as the SDK reference describes the argument.
OVERVIEW = (f"{DOCS} docs/python-sdk/overview.md @ 1ab5a0d", [
    Block("Using Credentials in-line (repaired)", """import symbl

local_path = r'c:/Users/john/Downloads/business_meeting.mp3'

# Process audio file
conversation_object = symbl.Audio.process_file(
file_path=local_path,
credentials={'app_id': APP_ID, 'app_secret': APP_SECRET},  #This is optional if you didn’t setup the symbl.conf file in your home directory. 
)
"""),
])

# symblai/symbl-python-sdk example/use_cases/NonBlockingCallsExample.py @ 0cbbc9a: the
# callbacks of a non-blocking call (the docs' "callback support" has no sample of its own).
NON_BLOCKING = ("symblai/symbl-python-sdk example/use_cases/NonBlockingCallsExample.py @ 0cbbc9a",
                [Block("NonBlockingCallsExample", """import symbl

# A success callback to be triggered if Job is completed
def success_callback(conversation_object):
    print(conversation_object.get_messages())

# An error callback to be triggered if Job is Failed
def error_callback(conversation_object):
    print('job with jobId {0} has failed!'.format(conversation_object.job_id))

# Non blocking call to API to process audio file 
symbl.Audio.process_file(file_path="<file_path>", wait=False).on_complete(success_callback).on_error(error_callback)

print("Continued Execution without a blocking call!")
""")])


# ----------------------------------------------------------------------------- running them

def localize(code: str, *, base: str, conversation_id: str | None) -> str:
    """The sample as it runs here: the one import changed, and the fixed list of edits in the
    module docstring."""
    code = code.replace("import symbl\n", "import symbl_media as symbl\n")
    code = code.replace("‘", "'").replace("’", "'")
    code = code.replace(S3, base)
    code = code.replace("'/users/jon/Downloads/", "'users/jon/Downloads/")
    code = code.replace('"<file_path>"', "r'c:/Users/john/Downloads/business_meeting.mp3'")
    if conversation_id is not None:
        code = re.sub(r"conversation_id='\d{16}'", f"conversation_id='{conversation_id}'", code)
    code = re.sub(r"^ (?=\S)", "", code, flags=re.MULTILINE)
    return re.sub(r"^# (print\(conversation)", r"\1", code, flags=re.MULTILINE)


class Printed:
    """Stands in for print() in the samples' namespace: keeps what they print."""

    def __init__(self) -> None:
        self.values: list = []
        self.arrived = threading.Condition()

    def __call__(self, *values, **kwargs) -> None:
        with self.arrived:
            self.values.extend(values)
            self.arrived.notify_all()

    def wait_for(self, predicate, timeout: float = 120):
        with self.arrived:
            assert self.arrived.wait_for(lambda: any(map(predicate, self.values)), timeout), \
                f"nothing printed matched within {timeout} s: {self.values!r}"


RESULTS = (sdk_results.Listing, sdk_results.Analytics, sdk_results.ConversationInfo)


@pytest.fixture
def docs_files(isolated, clips, web):
    """The docs' file names in the working folder, and their URLs on the local server."""
    for name in ("c:/Users/john/Downloads/business_meeting.mp3",
                 "users/jon/Downloads/Welcome.mp3"):
        copy(clips.mp3, isolated / name)
    for name in ("c:/Users/john/Downloads/video.mp4", "users/jon/Downloads/Welcome.mp4"):
        copy(clips.mp4, isolated / name)
    web.serve("playground_sample_audio.mp3", clips.mp3)
    web.serve("sample_audio_file.wav", clips.wav)
    web.serve("sample_video_file.mp4", clips.mp4)
    return web.base


def run_page(page, base: str, namespace: dict | None = None) -> Printed:
    source, blocks = page
    printed = Printed()
    namespace = {} if namespace is None else namespace
    namespace.update({"__name__": "__sample__", "print": printed,
                      "TEXT_CONTENT": TEXT_CONTENT})
    first_id = None
    running: list[tuple[str, Conversation]] = []
    for i, block in enumerate(blocks):
        where = f"{source}: {block.heading}"
        if block.repeated_in_next:
            assert block.code.strip() in blocks[i + 1].code, where
            continue
        code = localize(block.code, base=base, conversation_id=first_id)
        before = len(printed.values)
        if block.refused:
            with pytest.raises(InvalidArgument, match=block.refused):
                exec(compile(code, where, "exec"), namespace)  # noqa: S102 - the samples
            continue
        exec(compile(code, where, "exec"), namespace)  # noqa: S102 - the samples
        made = namespace.get("conversation_object", namespace.get("conversation"))
        if isinstance(made, Conversation) and all(m is not made for _, m in running):
            running.append((where, made))  # a wait=False sample runs on beside the next ones
            first_id = first_id or made.conversation_id
        for value in printed.values[before:]:  # typed values, never a canned dict
            assert isinstance(value, (*RESULTS, str)), f"{where} printed {value!r}"
    for where, made in running:  # and is waited for as a caller would
        assert made.result(timeout=180).status == "completed", where
    return printed


def test_the_async_audio_page(docs_files):
    printed = run_page(AUDIO, docs_files)
    messages = [v for v in printed.values if isinstance(v, sdk_results.Messages)]
    assert len(messages) == 6
    assert all("report by friday" in " ".join(m.text for m in found).lower()
               for found in messages)
    # The appends went onto the first conversation: its transcript grew with each.
    assert len(messages[1]) > len(messages[0])


def test_the_async_video_page(docs_files):
    printed = run_page(VIDEO, docs_files)
    assert sum(isinstance(v, sdk_results.Messages) for v in printed.values) == 5


def test_the_async_text_page(docs_files):
    printed = run_page(TEXT, docs_files)
    first, appended = [v for v in printed.values if isinstance(v, sdk_results.Messages)]
    assert first[0].text.startswith("Hello John") and first[0].speaker == "John"
    assert len(appended) == 2 * len(first)


def test_the_2021_audio_page_with_url_keywords_and_the_short_spellings(docs_files):
    printed = run_page(AUDIO_2021, docs_files)
    assert sum(isinstance(v, sdk_results.Topics) for v in printed.values) == 2


def test_the_2021_video_page(docs_files):
    printed = run_page(VIDEO_2021, docs_files)
    assert any(isinstance(v, sdk_results.ActionItems) for v in printed.values)


def test_the_2021_text_page_with_sentiment(docs_files):
    printed = run_page(TEXT_2021, docs_files)
    items = next(v for v in printed.values if isinstance(v, sdk_results.ActionItems))
    assert items[0].type == "action_item"
    messages = next(v for v in printed.values if isinstance(v, sdk_results.Messages))
    assert messages[0].sentiment is not None
    assert messages[0].sentiment.suggested in ("positive", "neutral", "negative")
    assert -1 <= messages[0].sentiment.polarity.score <= 1


def test_the_reference_pages_conversation_object_example(docs_files):
    printed = run_page(REFERENCE, docs_files)
    assert [type(v).__name__ for v in printed.values] == [
        "Messages", "ActionItems", "FollowUps", "Members", "Topics", "Questions"]


def test_the_overview_pages_credentials_in_line(docs_files, monkeypatch):
    from symbl_media.server.config import DEFAULT_APP_ID, DEFAULT_APP_SECRET

    monkeypatch.delenv("SYMBL_APP_ID")  # only the in-line credentials can reach the sandbox
    monkeypatch.delenv("SYMBL_APP_SECRET")
    namespace = {"APP_ID": DEFAULT_APP_ID, "APP_SECRET": DEFAULT_APP_SECRET}
    run_page(OVERVIEW, docs_files, namespace)
    assert namespace["conversation_object"].status == "completed"


def test_the_non_blocking_example_calls_back_on_completion(docs_files):
    printed = run_page(NON_BLOCKING, docs_files)
    assert printed.values[0] == "Continued Execution without a blocking call!"
    printed.wait_for(lambda v: isinstance(v, sdk_results.Messages))
