#!/usr/bin/env bash
# Regenerate brochure/profiles/coated_fogra39l_brochure.icc, the CMYK output
# profile of the print edition's PDF/X-4 OutputIntent, from Fogra's FOGRA39L
# characterisation data as shipped by Debian's icc-profiles-free package
# (Zlib licence, see brochure/profiles/LICENSE-FOGRA39L.txt), with ArgyllCMS colprof.
#
# Needs: apt-get install icc-profiles-free argyll   (and python3)
# Usage: tools/make-profile.sh [OUTPUT.icc]
# Idempotent: same Debian data + same Argyll version => byte-identical profile
# (the ICC header date is pinned to PROFILE_DATE, see below). Takes ~1 min.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$repo/brochure/profiles/coated_fogra39l_brochure.icc}

data=${FOGRA39L_TI3:-/usr/share/color/icc/FOGRA39L.ti3}
srgb=${SRGB_ICC:-/usr/share/color/icc/sRGB.icc}   # source gamut for perceptual/saturation tables
# sha256 of FOGRA39L.ti3 in icc-profiles-free 2.0.1+dfsg-1.1 (Debian 12)
expected_sha256=e44e6dfa81633588db98b5613a821d4a936d3d9438d2eb983083c3232df393fa
# ICC header creation date, pinned so reruns give identical bytes (UTC).
PROFILE_DATE=${PROFILE_DATE:-2026-11-29T00:00:00}

desc="Coated FOGRA39 (brochure, from FOGRA39L data)"
cprt="Made with ArgyllCMS colprof from FOGRA39L characterisation data (Fogra, www.fogra.org; Debian icc-profiles-free, Zlib licence). No warranty."

for tool in colprof python3; do
    command -v "$tool" >/dev/null || { echo "make-profile: $tool not found (apt-get install argyll python3)" >&2; exit 1; }
done
[[ -r $data ]] || { echo "make-profile: $data missing (apt-get install icc-profiles-free)" >&2; exit 1; }
[[ -r $srgb ]] || { echo "make-profile: $srgb missing (apt-get install icc-profiles-free)" >&2; exit 1; }

actual_sha256=$(sha256sum "$data" | cut -d' ' -f1)
if [[ $actual_sha256 != "$expected_sha256" ]]; then
    echo "make-profile: warning: $data has sha256 $actual_sha256," >&2
    echo "  not the $expected_sha256 documented in brochure/profiles/README.md" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$data" "$work/FOGRA39L.ti3"     # colprof takes the base name of a .ti3

# -qm  medium quality (33-point cLUT grid is the big size knob; -ql ≈ 54 KB but 3x the error)
# -kr  black generation: K ramps from 0 at white to max at black (usual for offset)
# -l300 total ink limit 300 %; -L100 black limit 100 % (= no separate K limit)
# -nc  don't embed the 1617-patch .ti3 in the profile (keeps it small)
# -S   perceptual + saturation B2A gamut-mapped from sRGB; -cmt/-dpp viewing conditions
#      (source: monitor, typical; destination: practical reflection print, ISO 3664 P2)
start=$(date +%s)
colprof -v -qm -kr -l300 -L100 -nc \
    -S "$srgb" -cmt -dpp \
    -A "brochure" -M "FOGRA39L (ISO 12647-2:2004/Amd 1, coated paper)" \
    -D "$desc" -C "$cprt" \
    -O "$work/out.icc" "$work/FOGRA39L" > "$work/colprof.log" 2>&1 \
    || { cat "$work/colprof.log" >&2; exit 1; }
echo "make-profile: colprof took $(( $(date +%s) - start )) s; $(grep -E 'Profile check complete' "$work/colprof.log" || true)"

# Pin the ICC header creation date (bytes 24-35, six big-endian uint16).
# Argyll writes an ICC v2.2 profile, whose header has no profile ID (MD5) to update.
python3 - "$work/out.icc" "$PROFILE_DATE" <<'PY'
import struct, sys
from datetime import datetime
path, when = sys.argv[1], datetime.fromisoformat(sys.argv[2])
with open(path, "r+b") as f:
    head = f.read(128)
    assert head[36:40] == b"acsp" and head[12:16] == b"prtr" and head[16:20] == b"CMYK", "not a CMYK output profile"
    assert head[84:100] == bytes(16), "profile has an ID; patching the date would invalidate it"
    f.seek(24)
    f.write(struct.pack(">6H", when.year, when.month, when.day, when.hour, when.minute, when.second))
PY

mkdir -p "$(dirname "$out")"
if [[ -f $out ]] && cmp -s "$work/out.icc" "$out"; then
    echo "make-profile: $out unchanged"
else
    install -m 0644 "$work/out.icc" "$out"
    echo "make-profile: wrote $out ($(stat -c %s "$out") bytes)"
fi
