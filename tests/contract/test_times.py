"""The API's one way of writing a moment, used by both sides."""

from datetime import UTC, date, datetime, timedelta, timezone

from symbl_media.contract.times import api_time


def test_moments_are_written_in_utc_with_milliseconds_and_a_z():
    assert api_time(datetime(2020, 7, 21, 16, 4, 19, 990_500, tzinfo=UTC)) == \
        "2020-07-21T16:04:19.990Z"
    plus_two = timezone(timedelta(hours=2))
    assert api_time(datetime(2020, 7, 21, 18, 4, 19, tzinfo=plus_two)) == \
        "2020-07-21T16:04:19.000Z"
    assert api_time(datetime(2020, 7, 21, 16, 4, 19)) == "2020-07-21T16:04:19.000Z"  # naive: UTC
    assert api_time(date(2026, 12, 11)) == "2026-12-11T00:00:00.000Z"
