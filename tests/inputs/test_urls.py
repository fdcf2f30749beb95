"""remote.py against a real HTTP server on 127.0.0.1 that serves the samples and misbehaves
on purpose (redirects, loops, errors, endless, short and stalled bodies, no HEAD)."""

from __future__ import annotations

import mimetypes
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from symbl_media.inputs import urls as remote
from symbl_media.errors import OutputError, UrlError
from symbl_media.media.probe import AudioStream, MediaInfo, VideoStream
from symbl_media.inputs.download import download, suffix_for
from symbl_media.inputs.urls import (
    check_url,
    conversation_name,
    inspect_url,
    is_url,
    redact,
)

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
# Every URL the tests fetch carries these; no message may show them.
SECRETS = ("alice", "hunter2", "token", "S3CR3T")


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.0: one request per connection, and a body without Content-Length ends at close.
    protocol_version = "HTTP/1.0"
    stop: threading.Event

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_GET(self) -> None:
        self._route(head=False)

    def _route(self, head: bool) -> None:
        path = urlsplit(self.path).path
        parts = path.strip("/").split("/")
        try:
            if parts[0] == "files":
                self._file(SAMPLES / parts[1], head)
            elif parts[0] == "nohead":
                if head:
                    self._reply(405, b"")
                else:
                    self._file(SAMPLES / parts[1], head)
            elif parts[0] == "redirect":
                self._redirect(f"/files/{parts[1]}")
            elif parts[0] == "chain":
                n = int(parts[1])
                self._redirect(f"/chain/{n - 1}" if n else "/files/mono.mp3")
            elif path == "/loop":
                self._redirect("/loop-back")
            elif path == "/loop-back":
                self._redirect("/loop?token=S3CR3T")
            elif path == "/to-ftp":
                self._redirect("ftp://alice:hunter2@example.invalid/x.wav")
            elif path == "/404":
                self._reply(404, b"nothing here")
            elif path == "/500":
                self._reply(500, b"oops")
            elif path == "/page":
                self._reply(200, b"<html>hello</html>", "text/html; charset=utf-8")
            elif path == "/get":  # no suffix in the path: the Content-Type names the file
                self._file(SAMPLES / "mono.mp3", head, content_type="audio/mpeg")
            elif path == "/endless":
                self._endless(head)
            elif path == "/huge":
                self.send_response(200)
                self.send_header("Content-Length", str(50 * 2**30))
                self.end_headers()
            elif path == "/short":
                self.send_response(200)
                self.send_header("Content-Type", "audio/wav")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                if not head:
                    self.wfile.write(b"RIFF......")
            elif path == "/stall":
                self.stop.wait(3)
                self._reply(200, b"late")
            elif path == "/stall-get":  # HEAD answers at once, so only ffprobe meets the stall
                if head:
                    self._file(SAMPLES / "mono-16k.wav", head)
                else:
                    self.stop.wait(3)
            elif path == "/stall-body":
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"x" * 100)
                self.wfile.flush()
                self.stop.wait(3)
            else:
                self._reply(404, b"")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def _reply(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _file(self, path: Path, head: bool, content_type: str | None = None) -> None:
        if not path.is_file():
            self._reply(404, b"")
            return
        data = path.read_bytes()
        content_type = content_type or mimetypes.guess_type(path.name)[0] or "audio/wav"
        start, end = 0, len(data) - 1
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if match:  # ffprobe seeks with Range requests (moov atoms, ID3v1 tags)
            start = int(match[1])
            end = min(int(match[2]), end) if match[2] else end
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        if not head:
            self.wfile.write(data[start:end + 1])

    def _endless(self, head: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "audio/wav")
        self.end_headers()
        block = b"\0" * 65536
        while not head and not self.stop.is_set():
            self.wfile.write(block)


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client hanging up mid-body is what several tests do on purpose


@pytest.fixture(scope="module")
def server():
    """Base URL with credentials; paths add ``?token=S3CR3T``, see ``url``."""
    stop = threading.Event()
    handler = type("Handler", (_Handler,), {"stop": stop})
    httpd = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield f"http://alice:hunter2@127.0.0.1:{httpd.server_address[1]}"
    stop.set()
    httpd.shutdown()
    httpd.server_close()


def url(server: str, path: str) -> str:
    return f"{server}{path}?token=S3CR3T"


@pytest.fixture
def refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed on exit: nothing listens there


def assert_clean(exc: BaseException, folder: Path | None = None) -> str:
    """A one-line UrlError that shows no credentials and leaves no .part file behind."""
    assert isinstance(exc, UrlError)
    message = str(exc)
    assert "\n" not in message and message.strip() == message
    for secret in SECRETS:
        assert secret not in message, message
    if folder is not None:
        assert not list(folder.glob("*.part")), list(folder.iterdir())
    return message


# --- pure helpers -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("http://example.com/a.wav", True),
    ("HTTPS://example.com", True),
    ("ftp://x", True),
    (" https://example.com/a.mp3 ", True),
    ("http.wav", False),
    ("http:meeting.wav", False),
    ("C://recordings/a.wav", False),
    ("recordings/http://x", False),
    ("", False),
])
def test_is_url(text, expected):
    assert is_url(text) is expected


@pytest.mark.parametrize("raw, shown", [
    ("https://alice:hunter2@host.example/a/b.wav?token=S3CR3T#frag",
     "https://host.example/a/b.wav"),
    ("http://u:pa?ss@host:8080/x", "http://host:8080/x"),
    ("http://host/p?email=a@b.example", "http://host/p"),
    ("http://host/a b\nc", "http://host/a%20b%0Ac"),
    ("meeting.wav", "meeting.wav"),
])
def test_redact(raw, shown):
    assert redact(raw) == shown


@pytest.mark.parametrize("url, name", [
    ("https://alice:hunter2@host.example/a/b.wav?token=S3CR3T#frag", "b.wav"),
    ("https://host.example/talks/", "talks"),
    ("https://alice:hunter2@host.example", "host.example"),
    ("https://host.example/#S3CR3T", "host.example"),
])
def test_a_url_conversation_is_named_by_its_file_never_by_its_secrets(url, name):
    assert conversation_name(url) == name


def test_check_url():
    assert check_url(" https://example.com/a.wav?x=1 ") == "https://example.com/a.wav?x=1"
    assert check_url("HTTPS://Example.com/A.wav") == "https://Example.com/A.wav"
    with pytest.raises(UrlError) as caught:
        check_url("ftp://x")
    assert str(caught.value) == "ftp://x: only http and https URLs can be fetched"
    assert UrlError.exit_code == 15
    for bad, words in [("ftp://alice:hunter2@x/y?token=S3CR3T", "only http and https"),
                       ("file:///etc/passwd", "only http and https"),
                       ("http://", "no host"),
                       ("http://host:port/x", "not a valid URL"),
                       ("meeting.wav", "not a URL"),
                       ("http://host/a\nb", "control characters")]:
        with pytest.raises(UrlError) as caught:
            check_url(bad)
        assert words in assert_clean(caught.value)


@pytest.mark.parametrize("address, content_type, suffix", [
    ("https://h/x/meeting.WAV?sig=1", None, ".wav"),
    ("https://h/get?id=3", "audio/mpeg", ".mp3"),
    ("https://h/rec.mp4", "application/octet-stream", ".mp4"),
    ("https://h/play.php?id=3", "video/webm; codecs=vp8", ".webm"),
    ("https://h/play.php?id=3", "application/octet-stream", ".php"),
    ("https://h/v1.2/stream", None, ""),
])
def test_suffix_for(address, content_type, suffix):
    assert suffix_for(address, content_type) == suffix


def _info(container="wav", codec="pcm_s16le", channels=1, duration=60.0, video=(),
          streams=1) -> MediaInfo:
    audio = tuple(AudioStream(index=i, audio_index=i, codec=codec, sample_rate=16000,
                              channels=channels, layout="", language=None, title=None,
                              bit_rate=None) for i in range(streams))
    return MediaInfo(path=Path("x"), size=1, container=container, container_long=container,
                     duration=duration, audio=audio, video=tuple(video))


H264 = VideoStream(index=0, codec="h264", width=160, height=120, attached_picture=False)
MP4 = "mov,mp4,m4a,3gp,3g2,mj2"


@pytest.mark.parametrize("info, as_video, brand, direct, words", [
    (_info(), False, "", True, "mono wav (pcm_s16le)"),
    (_info("mp3", "mp3"), False, "", True, "mono mp3"),
    (_info(channels=2), False, "", False, "stereo"),
    (_info(channels=6), False, "", False, "6 channels"),
    (_info(codec="pcm_f32le"), False, "", False, "wav/pcm_f32le needs converting"),
    (_info("flac", "flac", 2), False, "", False, "flac needs converting; stereo"),
    (_info(duration=4 * 3600 + 1), False, "", False, "longer than 4 hours"),
    (_info(duration=None), False, "", False, "duration unknown"),
    (_info(streams=2), False, "", False, "2 audio streams"),
    (_info(streams=0), False, "", False, "no audio stream"),
    (_info(MP4, "aac", 2, video=[H264]), True, "isom", True, "h264 video and aac audio"),
    (_info(MP4, "aac", 2, video=[H264]), True, "qt  ", False, "mov needs converting to mp4"),
    (_info(MP4, "aac", 2), True, "isom", False, "no video stream"),
    (_info(MP4, "opus", 2, video=[H264]), True, "isom", False, "opus audio needs converting"),
    (_info("matroska,webm", "aac", 2, video=[H264]), True, "", False, "matroska needs"),
])
def test_judge(info, as_video, brand, direct, words):
    got, reason = remote.judge(info, as_video=as_video, brand=brand)
    assert got is direct
    assert words in reason


# --- inspect_url --------------------------------------------------------------------------

@pytest.mark.parametrize("path, as_video, direct, words", [
    ("/files/mono-16k.wav", False, True, "mono wav (pcm_s16le), 15 s"),
    ("/files/mono.mp3", False, True, "mono mp3"),
    ("/nohead/mono-16k.wav", False, True, "mono wav"),  # HEAD 405: a one-byte GET instead
    ("/files/meeting-stereo.wav", False, False, "stereo"),
    ("/files/meeting.flac", False, False, "flac needs converting"),
    ("/files/meeting.mkv", False, False, "matroska/aac needs converting"),
    ("/files/meeting.mp4", True, True, "mp4 with h264 video and aac audio"),
    ("/files/meeting.mkv", True, False, "matroska needs converting to mp4"),
    ("/redirect/mono-16k.wav", False, False, "redirects; Symbl refuses redirected links"),
    ("/loop", False, False, "redirects"),
    ("/page", False, False, "web page"),
    ("/short", False, False, "cannot be probed over HTTP"),
])
def test_inspect_url(server, path, as_video, direct, words):
    verdict = inspect_url(url(server, path), as_video=as_video, timeout=5)
    assert verdict.direct is direct, verdict.reason
    assert words in verdict.reason
    assert "\n" not in verdict.reason and not any(s in verdict.reason for s in SECRETS)
    if direct:
        assert verdict.info is not None and verdict.info.duration == pytest.approx(15, abs=0.1)
        assert verdict.info.size == (SAMPLES / Path(path).name).stat().st_size
        assert not any(s in str(verdict.info.path) for s in SECRETS)


@pytest.mark.parametrize("path, words", [
    ("/404", "HTTP 404 Not Found"),
    ("/500", "HTTP 500 Internal Server Error"),
    ("/stall", "sent nothing for 1 s"),
])
def test_inspect_url_unfetchable(server, path, words):
    with pytest.raises(UrlError) as caught:
        inspect_url(url(server, path), timeout=1)
    assert words in assert_clean(caught.value)


def test_inspect_url_upper_case_scheme(server):
    assert inspect_url(url(server.replace("http://", "HTTP://"), "/files/mono.mp3")).direct


def test_inspect_url_probe_cannot_hang(server):
    verdict = inspect_url(url(server, "/stall-get"), timeout=1)
    assert not verdict.direct and "cannot be probed over HTTP" in verdict.reason, verdict.reason
    assert not any(s in verdict.reason for s in SECRETS)


def test_inspect_url_refused_and_scheme(refused_port):
    with pytest.raises(UrlError) as caught:
        inspect_url(f"http://alice:hunter2@127.0.0.1:{refused_port}/a.wav?token=S3CR3T")
    assert "connection refused" in assert_clean(caught.value)
    with pytest.raises(UrlError) as caught:
        inspect_url("ftp://alice:hunter2@127.0.0.1/a.wav?token=S3CR3T")
    assert "only http and https" in assert_clean(caught.value)


# --- download -----------------------------------------------------------------------------

def test_download_follows_redirect(server, tmp_path):
    seen = []
    got = download(url(server, "/redirect/mono-16k.wav"), tmp_path,
                   on_progress=lambda done, total: seen.append((done, total)))
    source = SAMPLES / "mono-16k.wav"
    assert got.path == tmp_path / "mono-16k.wav"
    assert got.path.read_bytes() == source.read_bytes()
    assert got.bytes == source.stat().st_size
    assert urlsplit(got.final_url).path == "/files/mono-16k.wav"
    assert got.content_type == mimetypes.guess_type("x.wav")[0]
    assert seen[-1] == (got.bytes, got.bytes)
    assert [p.name for p in tmp_path.iterdir()] == ["mono-16k.wav"]


def test_download_names(server, tmp_path):
    got = download(url(server, "/get"), tmp_path)
    assert got.path.name == "get.mp3"  # no suffix in the path: from Content-Type audio/mpeg
    got = download(url(server, "/chain/3"), tmp_path, stem="meeting")
    assert got.path.name == "meeting.mp3"  # three redirects are fine
    assert got.path.read_bytes() == (SAMPLES / "mono.mp3").read_bytes()
    with pytest.raises(ValueError):
        download(url(server, "/get"), tmp_path, stem="../x")


@pytest.mark.parametrize("path, words", [
    ("/loop", "redirect loop"),
    ("/chain/6", "too many redirects (more than 5)"),
    ("/to-ftp", "only http and https URLs can be fetched"),
    ("/404", "HTTP 404 Not Found"),
    ("/500", "HTTP 500 Internal Server Error"),
    ("/huge", "larger than the 1 MB limit (50 GB)"),
    ("/endless", "larger than the 1 MB limit"),
    ("/short", "the download was cut short (10 of 1000 bytes)"),
    ("/stall", "the server sent nothing for 1 s"),
    ("/stall-body", "the server sent nothing for 1 s"),
])
def test_download_failures(server, tmp_path, path, words):
    with pytest.raises(UrlError) as caught:
        download(url(server, path), tmp_path, max_bytes=2**20, timeout=(2, 1))
    assert words in assert_clean(caught.value, tmp_path)
    assert not list(tmp_path.iterdir())


def test_download_refused_and_scheme(refused_port, tmp_path):
    with pytest.raises(UrlError) as caught:
        download(f"http://alice:hunter2@127.0.0.1:{refused_port}/a.wav?token=S3CR3T", tmp_path)
    assert "connection refused" in assert_clean(caught.value, tmp_path)
    with pytest.raises(UrlError) as caught:
        download("ftp://alice:hunter2@127.0.0.1/a.wav?token=S3CR3T", tmp_path)
    assert "only http and https" in assert_clean(caught.value, tmp_path)


def test_download_interrupted_leaves_nothing(server, tmp_path):
    def ctrl_c(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        download(url(server, "/endless"), tmp_path, on_progress=ctrl_c)
    assert not list(tmp_path.iterdir())


def test_download_unwritable_folder(server, tmp_path):
    with pytest.raises(OutputError) as caught:
        download(url(server, "/files/mono.mp3"), tmp_path / "missing")
    assert "cannot write" in str(caught.value) and "\n" not in str(caught.value)
