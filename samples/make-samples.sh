#!/usr/bin/env bash
# make-samples.sh - generate small, deterministic test recordings of synthetic speech.
#
# Usage:  samples/make-samples.sh [OUTDIR]      (default: the folder this script lives in)
# Needs:  ffmpeg (libx264, libvpx, libopus, libmp3lame; libvorbis optional) and espeak-ng.
#         python3 + numpy are optional: if present, exact sample-level trap checks also run.
# Output: the files listed in README.md, transcript.txt and MANIFEST.txt (ffprobe summary + sha256).
#
# Determinism: espeak-ng is deterministic; every ffmpeg call uses bitexact flags (no random
# Matroska UIDs / Ogg serials / version strings), strips metadata, uses fixed noise seeds and
# single-threaded video encoders.  Same ffmpeg/espeak-ng build => byte-identical files.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-$HERE}
mkdir -p "$OUT" && OUT=$(cd "$OUT" && pwd)
for t in ffmpeg ffprobe espeak-ng awk sha256sum; do
  command -v "$t" >/dev/null || { echo "missing tool: $t" >&2; exit 1; }
done
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

FF=(ffmpeg -hide_banner -nostdin -loglevel error -y)
BX=(-fflags +bitexact -flags:a +bitexact -flags:v +bitexact -map_metadata -1 -map_chapters -1)
SR=48000   # master rate; every length below is a sample count at this rate
PEAK=-4.5  # every spoken turn is peak-normalised to this (dBFS)
LEAD=$SR   # 1 s of lead-in digital silence

# espeak-ng voice per speaker.  The phone call (trap-call-8k.wav) has only two parties, so
# CHRIS's single line is re-spoken in ALICE's voice there: left = ALICE, right = BOB.
declare -A VOICE=([ALICE]="-v en-us+f3 -p 70 -s 195" [BOB]="-v en-gb -p 25 -s 190" [CHRIS]="-v en-us -p 50 -s 195")
declare -A CALLVOICE=([ALICE]=ALICE [BOB]=BOB [CHRIS]=ALICE)
# Stereo pan gains "L R".  Every speaker is in both channels and L+R = 1.5 for all of them, so even a
# plain (L+R)/2 downmix sits at 0.75 = -2.5 dB, i.e. within 3 dB of the unpanned source.
declare -A PAN=([ALICE]="1.0 0.5" [BOB]="0.5 1.0" [CHRIS]="0.75 0.75")

# speaker | pause after the turn (ms, pure digital silence) | text
DIALOGUE=$(cat <<'TXT'
ALICE|500|Good morning. Let's review the launch.
BOB|500|The beta is ready, but three tests fail.
CHRIS|600|Can we still ship on Monday?
BOB|500|Yes, if I fix them today.
ALICE|500|Bob, please send the budget report by Friday.
BOB|300|Sure, I will send it tomorrow.
TXT
)
FRENCH="Bonjour à tous. Ceci est le commentaire en français de la réunion."

nsamples() { ffprobe -v error -select_streams a:0 -show_entries stream=duration_ts -of csv=p=0 "$1"; }
# vol FILE FILTER -> "mean max" in dB (volumedetect; all-zero s16 reads -91.0)
vol() { ffmpeg -hide_banner -nostdin -i "$1" -vn -af "$2,volumedetect" -f null - 2>&1 |
        awk '/mean_volume/{m=$(NF-1)} /max_volume/{x=$(NF-1)} END{print m, x}'; }

# synth "ESPEAK ARGS" TEXT OUT.wav -> 48 kHz mono s16, ends trimmed, peak at $PEAK dBFS
synth() {
  # shellcheck disable=SC2086  # voice args are meant to be word-split
  espeak-ng $1 -w "$T/es.wav" "$2"
  # espeak ends each utterance with ~0.2-0.3 s of low-level but non-zero tail; trim both ends at
  # -60 dB so that the pauses we add are the only gaps, and are pure digital silence.
  local trim="silenceremove=start_periods=1:start_threshold=-60dB:detection=peak"
  "${FF[@]}" -i "$T/es.wav" -af "aresample=$SR,$trim,areverse,$trim,areverse" -c:a pcm_f32le "$T/trim.wav"
  local max; max=$(vol "$T/trim.wav" anull | cut -d' ' -f2)
  "${FF[@]}" -i "$T/trim.wav" -af "volume=$(awk "BEGIN{print $PEAK - ($max)}")dB" -c:a pcm_s16le "${BX[@]}" "$3"
}

# ------------------------------------------------------------------ 1. speech on a shared timeline
# Each turn gets a slot = the longer of its meeting/call voicing + its pause, so all files share
# the same turn onsets.  Turn 1 also carries the lead-in.  z_i = the same slot, all zeros.
n=0; declare -a SPK PAUSE TEXT
while IFS='|' read -r s p x; do SPK[n]=$s; PAUSE[n]=$p; TEXT[n]=$x; n=$((n+1)); done <<< "$DIALOGUE"
: > "$OUT/transcript.txt"; TOTAL=0
for ((i = 0; i < n; i++)); do
  s=${SPK[i]}; c=${CALLVOICE[$s]}
  echo "$s: ${TEXT[i]}" >> "$OUT/transcript.txt"
  synth "${VOICE[$s]}" "${TEXT[i]}" "$T/m$i.wav"
  if [ "$c" = "$s" ]; then cp "$T/m$i.wav" "$T/c$i.wav"; else synth "${VOICE[$c]}" "${TEXT[i]}" "$T/c$i.wav"; fi
  lm=$(nsamples "$T/m$i.wav"); lc=$(nsamples "$T/c$i.wav")
  pre=$([ "$i" = 0 ] && echo "$LEAD" || echo 0)
  slot=$(( pre + (lm > lc ? lm : lc) + PAUSE[i] * SR / 1000 ))
  # stretch the final pause so the total is a whole number of 2 fps video frames (0.5 s):
  # then audio and video streams end together and every container reports the same duration
  if [ $((i + 1)) = "$n" ]; then slot=$(( slot + (SR / 2 - (TOTAL + slot) % (SR / 2)) % (SR / 2) )); fi
  for v in m c; do
    "${FF[@]}" -i "$T/$v$i.wav" -af "adelay=${pre}S:all=1,apad=whole_len=$slot" -c:a pcm_s16le "${BX[@]}" "$T/p$v$i.wav"
  done
  "${FF[@]}" -i "$T/pm$i.wav" -af volume=0 -c:a pcm_s16le "${BX[@]}" "$T/z$i.wav"
  TOTAL=$((TOTAL + slot))
done
DUR=$(awk "BEGIN{printf \"%.6f\", $TOTAL / $SR}")

# concat lists: source (all turns), one stem per speaker, one per call side (others' slots = zeros)
concat() { "${FF[@]}" -f concat -safe 0 -i "$T/$1.txt" -c:a pcm_s16le "${BX[@]}" "$T/$1.wav"; }
for l in src ALICE BOB CHRIS callL callR; do : > "$T/$l.txt"; done
for ((i = 0; i < n; i++)); do
  s=${SPK[i]}; echo "file '$T/pm$i.wav'" >> "$T/src.txt"
  for k in ALICE BOB CHRIS; do echo "file '$T/$([ "$k" = "$s" ] && echo "pm$i" || echo "z$i").wav'" >> "$T/$k.txt"; done
  if [ "${CALLVOICE[$s]}" = ALICE ]; then L=pc$i R=z$i; else L=z$i R=pc$i; fi
  echo "file '$T/$L.wav'" >> "$T/callL.txt"; echo "file '$T/$R.wav'" >> "$T/callR.txt"
done
for l in src ALICE BOB CHRIS callL callR; do concat "$l"; done

read -r aL aR <<< "${PAN[ALICE]}"; read -r bL bR <<< "${PAN[BOB]}"; read -r cL cR <<< "${PAN[CHRIS]}"
"${FF[@]}" -i "$T/ALICE.wav" -i "$T/BOB.wav" -i "$T/CHRIS.wav" -filter_complex \
  "[0][1][2]join=inputs=3:channel_layout=3.0,pan=stereo|c0=$aL*c0+$bL*c1+$cL*c2|c1=$aR*c0+$bR*c1+$cR*c2" \
  -c:a pcm_s16le "${BX[@]}" "$T/stereo.wav"
synth "-v fr -s 165" "$FRENCH" "$T/fr0.wav"
"${FF[@]}" -i "$T/fr0.wav" -af "adelay=${LEAD}S,apad=whole_len=$TOTAL" -c:a pcm_s16le "${BX[@]}" "$T/fr.wav"

# ------------------------------------------------------------------ 2. encodes
enc() { local f=$1; shift; echo "  $f"; "${FF[@]}" "$@" "${BX[@]}" "$OUT/$f"; }
VID=(-f lavfi -i "color=c=gray:size=160x120:rate=2:duration=$DUR")
H264=(-c:v libx264 -preset ultrafast -crf 35 -pix_fmt yuv420p -threads 1)
AAC=(-c:a aac -b:a 64k -ar 48000)
VORBIS=(-c:a libvorbis -q:a 1)
# (no "| grep -q" here: with pipefail, grep quitting early makes ffmpeg die of SIGPIPE => false)
[[ $(ffmpeg -hide_banner -encoders 2>/dev/null) == *libvorbis* ]] || VORBIS=(-c:a libopus -b:a 48k)
echo "encoding (dialogue ${DUR}s):"
enc meeting.mkv  -i "$T/stereo.wav" "${VID[@]}" -map 1:v -map 0:a "${H264[@]}" "${AAC[@]}"
enc meeting.mp4  -i "$T/stereo.wav" "${VID[@]}" -map 1:v -map 0:a "${H264[@]}" "${AAC[@]}" -movflags +faststart
enc meeting.m4a  -i "$T/stereo.wav" "${AAC[@]}"
# VP8 "good" deadline: the realtime deadline picks its speed from wall-clock timing (not reproducible)
enc meeting.webm -i "$T/stereo.wav" "${VID[@]}" -map 1:v -map 0:a -c:v libvpx -deadline good -cpu-used 4 \
  -b:v 50k -threads 1 -c:a libopus -b:a 48k
enc meeting.ogg  -i "$T/stereo.wav" "${VORBIS[@]}"
enc meeting.flac -i "$T/stereo.wav" -ar 44100 -c:a flac -compression_level 12
enc meeting.mp3  -i "$T/stereo.wav" -ar 44100 -c:a libmp3lame -b:a 96k
enc meeting-stereo.wav -i "$T/stereo.wav" -ar 16000 -c:a pcm_s16le
enc mono-16k.wav -i "$T/src.wav" -ar 16000 -c:a pcm_s16le
enc mono.mp3     -i "$T/src.wav" -ar 44100 -c:a libmp3lame -b:a 64k
# traps are built from mono-16k.wav itself, so the speech keeps exactly the source level
M16=$OUT/mono-16k.wav; N16=$(nsamples "$M16")
enc trap-phase-inverted.wav -i "$M16" -af "pan=stereo|c0=c0|c1=-1*c0" -c:a pcm_s16le
enc trap-dead-channel.wav -i "$M16" -f lavfi -i "anoisesrc=r=16000:c=white:a=0.0001:s=42" -filter_complex \
  "[1]atrim=end_sample=$N16[n];[0][n]join=inputs=2:channel_layout=stereo" -c:a pcm_s16le
enc trap-dual-mono.wav -i "$M16" -af "pan=stereo|c0=c0|c1=c0" -c:a pcm_s16le
enc trap-centre-5.1.mkv -i "$T/src.wav" "${VID[@]}" -map 1:v -map 0:a "${H264[@]}" -af "pan=5.1|FC=c0" \
  -c:a aac -b:a 96k -ar 48000
enc trap-call-8k.wav -i "$T/callL.wav" -i "$T/callR.wav" -filter_complex \
  "[0][1]join=inputs=2:channel_layout=stereo,aresample=8000" -c:a pcm_s16le
enc trap-two-tracks.mkv -i "$T/stereo.wav" -i "$T/fr.wav" "${VID[@]}" -map 2:v -map 0:a -map 1:a "${H264[@]}" \
  "${AAC[@]}" -metadata:s:a:0 language=eng -metadata:s:a:0 title=Meeting \
  -metadata:s:a:1 language=fra -metadata:s:a:1 title=Commentaire -disposition:a:0 default -disposition:a:1 0

# ------------------------------------------------------------------ 3. checks
# For each trap: the source level, what a naive ffmpeg downmix (-ac 1) gives, and what a correct
# downmix gives (must be within 3 dB of the source).  Levels are RMS over the whole file.
fail=0
check() { [ "$(awk "BEGIN{print ($1) ? 1 : 0}")" = 1 ] && echo "  ok   $2" || { echo "  FAIL $2"; fail=1; }; }
read -r SRC SRCMAX <<< "$(vol "$M16" anull)"
echo "checks (source mean ${SRC} dB, peak ${SRCMAX} dBFS):"
for e in "trap-phase-inverted.wav|0.5*c0-0.5*c1" "trap-dead-channel.wav|c0" "trap-dual-mono.wav|0.5*c0+0.5*c1" \
         "trap-centre-5.1.mkv|c2" "trap-call-8k.wav|c0+c1" "meeting-stereo.wav|0.5*c0+0.5*c1"; do
  f=${e%%|*}; read -r naive _ <<< "$(vol "$OUT/$f" aformat=channel_layouts=mono)"
  read -r good _ <<< "$(vol "$OUT/$f" "pan=mono|c0=${e#*|}")"
  check "($good - $SRC) <= 3 && ($SRC - $good) <= 3" "$f: naive -ac 1 ${naive} dB, correct (${e#*|}) ${good} dB"
done
read -r _ x <<< "$(vol "$OUT/trap-phase-inverted.wav" aformat=channel_layouts=mono)"; check "$x <= -91" "phase-inverted: -ac 1 peak $x dB (silence)"
read -r _ x <<< "$(vol "$OUT/trap-dual-mono.wav" "pan=mono|c0=c0-c1")"; check "$x <= -91" "dual-mono: L-R peak $x dB (identical)"
read -r l _ <<< "$(vol "$OUT/trap-dead-channel.wav" "pan=mono|c0=c0")"; read -r r _ <<< "$(vol "$OUT/trap-dead-channel.wav" "pan=mono|c0=c1")"
check "$l - $r > 60" "dead-channel: L ${l} dB, R ${r} dB"
read -r _ x <<< "$(vol "$OUT/trap-centre-5.1.mkv" "pan=mono|c0=c0+c1+c3+c4+c5")"; check "$x <= -91" "centre-5.1: non-FC channels peak $x dB"
if python3 -c 'import numpy' 2>/dev/null; then python3 - "$OUT" <<'PY' || fail=1
import sys, wave, numpy as np
def rd(f):
    w = wave.open(f"{sys.argv[1]}/{f}"); return np.frombuffer(w.readframes(w.getnframes()), "<i2").reshape(-1, w.getnchannels()).astype(int)
m, p, d, c = rd("mono-16k.wav")[:, 0], rd("trap-phase-inverted.wav"), rd("trap-dual-mono.wav"), rd("trap-call-8k.wav")
ok = {"phase: L == source, R == -L": (p[:, 0] == m).all() and (p[:, 1] == -m).all(),
      "dual: L == R == source": (d[:, 0] == m).all() and (d[:, 1] == m).all(),
      "call: never both channels non-zero": not ((c[:, 0] != 0) & (c[:, 1] != 0)).any()}
for k, v in ok.items(): print(("  ok   " if v else "  FAIL ") + k + " (numpy)")
sys.exit(0 if all(ok.values()) else 1)
PY
fi

# ------------------------------------------------------------------ 4. manifest
FILES=(meeting.mkv meeting.mp4 meeting.m4a meeting.webm meeting.ogg meeting.flac meeting.mp3 meeting-stereo.wav
       mono-16k.wav mono.mp3 trap-phase-inverted.wav trap-dead-channel.wav trap-dual-mono.wav
       trap-centre-5.1.mkv trap-call-8k.wav trap-two-tracks.mkv)
{
  echo "# $(ffmpeg -version | head -1 | cut -d' ' -f1-3) / $(espeak-ng --version | cut -d' ' -f1-4)"
  echo "# file | bytes | duration s | streams (codec rate ch layout lang title / video codec WxH)"
  for f in "${FILES[@]}"; do
    printf '%s | %s | %s |' "$f" "$(stat -c %s "$OUT/$f")" "$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$OUT/$f")"
    ffprobe -v error -show_entries stream=codec_name,sample_rate,channels,channel_layout,width,height:stream_tags=language,title \
      -of csv=p=0 "$OUT/$f" | awk '{printf " [%s]", $0}'; echo
  done
  echo; echo "# sha256"; (cd "$OUT" && sha256sum "${FILES[@]}" transcript.txt)
} > "$OUT/MANIFEST.txt"
sed -n '2,/^$/p' "$OUT/MANIFEST.txt"
echo "total $(cd "$OUT" && du -cb "${FILES[@]}" | tail -1 | cut -f1) bytes -> $OUT"
exit "$fail"
