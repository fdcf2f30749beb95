"""Everything that touches media: probe, channel analysis, the one ffmpeg runner, cutting.

Only this package runs ffmpeg or ffprobe, and only through ``media.ffmpeg``.
"""
