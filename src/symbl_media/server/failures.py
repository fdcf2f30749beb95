"""Why a sandbox job ended as failed."""


class JobFailure(Exception):
    """A job cannot be completed; the message is kept with the job."""
