"""Why a sandbox job ended as failed."""


class JobFailed(Exception):
    """A job cannot be completed; the message is kept with the job."""
