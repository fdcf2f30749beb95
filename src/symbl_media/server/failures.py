"""Why a sandbox job ended as failed."""


class JobFailure(Exception):
    """A job cannot be completed; the message is kept with the job."""


class LeaseLost(Exception):
    """This run of a job no longer holds its lease (it ran out and another worker took the
    job over, or it was given back): whatever the run still had to write is dropped, since
    the job's current run writes its own."""
