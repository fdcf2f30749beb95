"""Faults on demand, for reliability tests: set at start or while running.

Each fault has a count (how many times it fires), optionally a path prefix and a method it is
limited to, and ``skip``: how many matching requests pass untouched before it starts firing (so
"the second append" is ``{"path": "/v1/process/audio/", "method": "PUT", "skip": 1}``). Kinds:
  status429        reply 429 with the literal concurrency body instead of handling the request
  status500        reply 500
  drop_before_body close the connection unanswered before reading the body (nothing is created)
  drop_after_body  handle the request (the job is created), then close the connection unanswered
  slow             wait ``seconds`` before handling the request
  slow_reply       handle the request (the job is created), then wait ``seconds`` before replying
  refuse           the server goes down for ``seconds``: the matching request and every open
                   connection are closed unanswered and the port refuses connections, then
                   listens again (jobs already accepted keep running)
  expire_tokens    every token issued so far expires before the matching request is checked;
                   ``true`` instead of an object expires them at once
  fail_job         the next jobs to run end as failed
Only ``fail_job`` concerns jobs (``JOB_KINDS``): a ``sandbox worker`` takes that one alone,
the others being faults of the HTTP side it does not have.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

KINDS = ("status429", "status500", "drop_before_body", "drop_after_body", "slow",
         "slow_reply", "refuse", "expire_tokens", "fail_job")
JOB_KINDS = ("fail_job",)


@dataclass
class Fault:
    count: int
    path: str = ""
    method: str = ""
    seconds: float = 0.0
    skip: int = 0

    def matches(self, method: str, path: str) -> bool:
        return (self.count > 0 and path.startswith(self.path)
                and (not self.method or self.method == method))


class Faults:
    def __init__(self, spec: dict | None = None) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, Fault] = {}
        if spec:
            self.update(spec)

    def update(self, spec: dict) -> None:
        """Replace the given kinds: ``{"status500": {"count": 2, "path": "/v1/job"}}``."""
        parsed = {}
        for kind, value in spec.items():
            if kind not in KINDS:
                raise ValueError(f"unknown fault '{kind}' (known: {', '.join(KINDS)})")
            if isinstance(value, bool) or not isinstance(value, (int, dict)):
                # a bad value in the caller's JSON, answered as such (400), not a programming error
                raise ValueError(f"fault '{kind}' must be a count or an object")  # noqa: TRY004
            if isinstance(value, int):
                value = {"count": value}
            try:
                fault = Fault(int(value.get("count", 1)), str(value.get("path", "")),
                              str(value.get("method", "")).upper(),
                              float(value.get("seconds", 0.0)), int(value.get("skip", 0)))
            except (TypeError, ValueError, OverflowError):
                fault = None
            if fault is None or not 0 <= fault.seconds <= 3600 or fault.skip < 0:
                raise ValueError(f"fault '{kind}': count and skip are whole numbers, seconds "
                                 f"a number from 0 to 3600")
            parsed[kind] = fault
        with self._lock:
            self._faults.update(parsed)

    def take(self, kind: str, method: str = "", path: str = "") -> Fault | None:
        """The fault if it fires for this request, counting it down."""
        with self._lock:
            fault = self._faults.get(kind)
            if fault is None or not fault.matches(method, path):
                return None
            if fault.skip > 0:
                fault.skip -= 1
                return None
            fault.count -= 1
            return fault

    def state(self) -> dict:
        with self._lock:
            return {k: vars(f) for k, f in self._faults.items() if f.count > 0}
