"""The plan's rules, as pure functions: no ffmpeg, no files."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from symbl_media.errors import PlanError
from symbl_media.media.levels import ChannelStats
from symbl_media.media.channels import plan_channels
from symbl_media.media.chunking import (MAX_PIECE_SECONDS, MIN_PIECE_SECONDS, Cut, Silence,
                                        plan_chunking, plan_cuts)
from symbl_media.media.plan import PrepareOptions, choose_stream, plan_target
from symbl_media.media.probe import AudioStream, MediaInfo, VideoStream


def stream(channels=2, rate=48000, codec="aac", layout="stereo", language=None, n=0):
    return AudioStream(index=n + 1, audio_index=n, codec=codec, sample_rate=rate,
                       channels=channels, layout=layout, language=language, title=None,
                       bit_rate=None)


def media(*audio, container="matroska,webm", video=True, duration=60.0):
    videos = (VideoStream(0, "h264", 320, 240, False),) if video else ()
    return MediaInfo(Path("x"), 1000, container, container, duration, tuple(audio), videos)


def stats(levels, corr=None, mix=None, one_side=0.0, names=None, peaks=None):
    names = names or tuple(f"c{i}" for i in range(len(levels)))
    return ChannelStats(names=names, levels_db=tuple(levels),
                        peaks=tuple(peaks or [0.5] * len(levels)), correlation=corr,
                        mix_db=mix if mix is not None else max(levels), sum_peak=0.6,
                        one_side_share=one_side, active_seconds=10, analysed_seconds=12)


# --------------------------------------------------------------------- stream choice

def test_the_first_audio_stream_is_chosen_by_default():
    info = media(stream(n=0, language="eng"), stream(n=1, language="fra"))
    assert choose_stream(info, PrepareOptions()).stream.audio_index == 0


def test_audio_stream_option_picks_that_stream():
    info = media(stream(n=0), stream(n=1))
    assert choose_stream(info, PrepareOptions(audio_stream=1)).stream.audio_index == 1


def test_language_option_picks_the_tagged_stream():
    info = media(stream(n=0, language="eng"), stream(n=1, language="fra"))
    assert choose_stream(info, PrepareOptions(language="FRA")).stream.audio_index == 1


def test_a_missing_stream_or_language_is_a_plan_error_naming_what_exists():
    info = media(stream(n=0, language="eng"))
    with pytest.raises(PlanError, match=r"0\.\.0"):
        choose_stream(info, PrepareOptions(audio_stream=3))
    with pytest.raises(PlanError, match="tags: eng"):
        choose_stream(info, PrepareOptions(language="deu"))


def test_the_default_language_picks_the_english_stream_even_when_it_is_not_first():
    info = media(stream(n=0, language="spa"), stream(n=1, language="eng"))
    choice = choose_stream(info, PrepareOptions())
    assert choice.stream.audio_index == 1 and "en-US" in choice.reason
    assert choice.warning is None


def test_the_submissions_language_picks_its_stream():
    info = media(stream(n=0, language="eng"), stream(n=1, language="spa"))
    assert choose_stream(info, PrepareOptions(), "es-ES").stream.audio_index == 1


@pytest.mark.parametrize("asked", ["spa", "SPA", "es", "es-ES", "es-us"])
def test_language_option_takes_a_tag_or_an_api_code(asked):
    info = media(stream(n=0, language="eng"), stream(n=1, language="spa"))
    assert choose_stream(info, PrepareOptions(language=asked)).stream.audio_index == 1


def test_no_stream_in_the_default_language_takes_the_first_with_a_warning_saying_why():
    info = media(stream(n=0, language="spa"), stream(n=1, language="fra"))
    choice = choose_stream(info, PrepareOptions())
    assert choice.stream.audio_index == 0
    assert "en-US" in choice.warning and "spa" in choice.warning
    assert "--language" in choice.warning


def test_no_stream_in_the_language_asked_for_is_a_plan_error():
    info = media(stream(n=0, language="spa"), stream(n=1, language="fra"))
    with pytest.raises(PlanError, match="de-DE.*tags: fra, spa"):
        choose_stream(info, PrepareOptions(), "de-DE")


def test_a_single_stream_tagged_with_another_language_is_taken_with_a_warning():
    choice = choose_stream(media(stream(n=0, language="spa")), PrepareOptions())
    assert choice.stream.audio_index == 0 and "es-ES" in choice.warning
    assert choose_stream(media(stream(n=0)), PrepareOptions()).warning is None


def test_api_codes_and_stream_tags_map_both_ways():
    from symbl_media.contract.languages import api_language, stream_tags
    from symbl_media.contract.options import check_language

    assert check_language("spa") == check_language("es-es") == "es-ES"
    assert api_language("fra") == api_language("fre") == "fr-FR"
    assert api_language("eng") == "en-US" and api_language("klingon") is None
    assert set(stream_tags("de-DE")) == set(stream_tags("deu")) >= {"ger", "deu", "de"}
    assert stream_tags("kor") == ("kor",)


def test_a_channel_the_stream_does_not_have_is_a_plan_error_naming_the_count():
    from symbl_media.contract.options import ChannelSpeaker
    from symbl_media.media.plan import check_speakers

    info = media(stream(channels=2))
    check_speakers(info, info.audio[0], [ChannelSpeaker(1, "Al"), ChannelSpeaker(2, "Bo")])
    with pytest.raises(PlanError, match="--channel 3: the audio has 2 channels"):
        check_speakers(info, info.audio[0], [ChannelSpeaker(3, "Zed")])


# --------------------------------------------------------------------- channels

def test_mono_stays_mono():
    plan = plan_channels(stream(channels=1, layout="mono"), stats([-20]), False)
    assert (plan.mix, plan.pan) == ("mono", None)


def test_ordinary_stereo_is_averaged():
    plan = plan_channels(stream(), stats([-20, -23], corr=0.8, mix=-21), False)
    assert plan.mix == "average"
    assert plan.pan == "mono|c0=0.5000*c0+0.5000*c1"


def test_a_dead_channel_is_dropped_for_the_live_one():
    plan = plan_channels(stream(), stats([-85, -22], corr=0.0, mix=-28), False)
    assert plan.mix == "right" and plan.pan == "mono|c0=c1"


def test_phase_inverted_stereo_is_never_averaged():
    plan = plan_channels(stream(), stats([-22, -22], corr=-1.0, mix=-120), False)
    assert plan.mix in ("left", "right")
    assert "+" not in plan.pan


def test_partly_cancelling_stereo_is_not_averaged_either():
    plan = plan_channels(stream(), stats([-20, -21], corr=-0.3, mix=-35), False)
    assert plan.mix in ("left", "right")


def test_dual_mono_takes_one_channel():
    plan = plan_channels(stream(), stats([-20, -20.2], corr=0.999, mix=-20.1), False)
    assert plan.mix == "first"


def test_a_call_with_one_party_per_side_is_summed_to_keep_each_level():
    plan = plan_channels(stream(rate=8000), stats([-24, -25], corr=0.01, mix=-30,
                                                  one_side=0.95), False)
    assert plan.mix == "sum"
    assert plan.pan.startswith("mono|c0=1.000*c0+1.000*c1")


def test_surround_with_dialogue_in_the_centre_gets_a_centre_weighted_mix():
    names = ("FL", "FR", "FC", "LFE", "BL", "BR")
    plan = plan_channels(stream(channels=6, layout="5.1"),
                         stats([-40, -40, -20, -30, -45, -45], names=names), False)
    assert plan.mix == "centre"
    assert "1.000*c2" in plan.pan and "c3" not in plan.pan


def test_surround_without_a_live_centre_averages_the_channels_that_carry_sound():
    names = ("FL", "FR", "FC", "LFE", "BL", "BR")
    plan = plan_channels(stream(channels=6, layout="5.1"),
                         stats([-20, -21, -90, -90, -95, -95], names=names), False)
    assert plan.mix == "active"
    assert "c0" in plan.pan and "c1" in plan.pan and "c2" not in plan.pan


def test_separate_channels_keeps_them_and_refuses_mono():
    plan = plan_channels(stream(), stats([-20, -22], corr=0.1), True)
    assert (plan.mix, plan.channels, plan.pan) == ("keep", 2, None)
    with pytest.raises(PlanError):
        plan_channels(stream(channels=1, layout="mono"), stats([-20]), True)


# --------------------------------------------------------------------- target

def _target(info, options=PrepareOptions()):
    s = info.audio[0]
    channels = plan_channels(s, stats([-20] * s.channels, corr=0.5 if s.channels > 1 else None),
                             options.separate_channels)
    return plan_target(info, s, channels, options)


def test_a_mono_wav_or_mp3_passes_through():
    wav = media(stream(1, 16000, "pcm_s16le", "mono"), container="wav", video=False)
    mp3 = media(stream(1, 44100, "mp3", "mono"), container="mp3", video=False)
    assert _target(wav).passthrough and _target(wav).content_type == "audio/wav"
    assert _target(mp3).passthrough and _target(mp3).content_type == "audio/mpeg"


def test_asking_for_another_format_re_encodes():
    wav = media(stream(1, 16000, "pcm_s16le", "mono"), container="wav", video=False)
    target = _target(wav, PrepareOptions(format="mp3"))
    assert not target.passthrough and target.content_type == "audio/mpeg"


def test_stereo_or_video_becomes_mono_16k_wav_by_default():
    target = _target(media(stream()))
    assert (target.format, target.content_type, target.sample_rate, target.channels) == \
        ("wav", "audio/wav", 16000, 1)


def test_telephone_band_sources_keep_their_rate_and_get_phone_mode():
    target = _target(media(stream(2, 8000, "pcm_s16le", ""), container="wav", video=False))
    assert (target.sample_rate, target.mode) == (8000, "phone")


def test_rates_between_phone_and_16k_are_raised_to_16k():
    wav = media(stream(1, 11025, "pcm_s16le", "mono"), container="wav", video=False)
    target = _target(wav)
    assert not target.passthrough and target.sample_rate == 16000 and target.mode == "default"


def test_as_video_passes_h264_aac_mp4_through_and_converts_the_rest():
    mp4 = media(stream(), container="mov,mp4,m4a,3gp,3g2,mj2")
    assert _target(mp4, PrepareOptions(as_video=True)).passthrough
    mkv = _target(media(stream()), PrepareOptions(as_video=True))
    assert (mkv.passthrough, mkv.content_type, mkv.endpoint) == (False, "video/mp4", "video")


def test_as_video_without_video_is_a_plan_error():
    with pytest.raises(PlanError, match="has none"):
        _target(media(stream(), video=False), PrepareOptions(as_video=True))


# --------------------------------------------------------------------- pieces

def test_recordings_within_four_hours_are_one_piece():
    assert plan_chunking(4 * 3600, PrepareOptions()).piece_seconds is None


def test_recordings_over_four_hours_are_split_evenly_below_the_limit():
    policy = plan_chunking(9 * 3600, PrepareOptions())
    assert policy.piece_seconds == pytest.approx(3 * 3600)


def test_chunk_minutes_out_of_range_is_refused():
    with pytest.raises(PlanError):
        plan_chunking(600, PrepareOptions(chunk_minutes=0.5))


def test_cuts_fall_in_the_silence_nearest_the_target():
    silences = [Silence(90, 91), Silence(98.5, 99.5), Silence(120, 121)]
    assert plan_cuts(300, silences, 100) == (Cut(99.0, True), Cut(199.0, False))


def test_a_cut_never_makes_a_piece_shorter_than_a_minute_even_for_a_nearer_pause():
    cuts = plan_cuts(200, [Silence(58.5, 59.5), Silence(75, 76)], 60)
    assert cuts[0] == Cut(75.5, True)


def test_a_short_tail_joins_the_last_piece():
    cuts = plan_cuts(130, [Silence(60, 62), Silence(119, 121)], 60)
    assert cuts == (Cut(61.0, True),)  # 61 + 69, never 60 + 60 + 10


def test_no_silence_in_reach_cuts_at_the_target():
    assert plan_cuts(300, [], 100) == (Cut(100.0, False), Cut(200.0, False))


@settings(max_examples=300, deadline=None)
@given(duration=st.floats(30, 12 * 3600),
       piece=st.one_of(st.none(), st.floats(60, 4 * 3600)),
       pauses=st.lists(st.tuples(st.floats(0, 12 * 3600), st.floats(0.3, 20)), max_size=60))
def test_pieces_are_never_shorter_than_a_minute_or_longer_than_the_limit(duration, piece,
                                                                         pauses):
    if piece is None and duration > MAX_PIECE_SECONDS:
        piece = plan_chunking(duration, PrepareOptions()).piece_seconds
    silences = [Silence(s, min(s + d, duration)) for s, d in sorted(pauses) if s < duration]
    cuts = plan_cuts(duration, silences, piece)
    bounds = [0.0, *(c.at for c in cuts), duration]
    lengths = [b - a for a, b in zip(bounds, bounds[1:])]
    assert all(length <= MAX_PIECE_SECONDS + 1e-6 for length in lengths)
    if duration >= MIN_PIECE_SECONDS:
        assert all(length >= MIN_PIECE_SECONDS - 1e-6 for length in lengths)
    for cut in cuts:
        if cut.in_silence:
            assert any(s.start <= cut.at <= s.end for s in silences)
