#!/usr/bin/env bash
# Regenerates the committed renders of lorastudio.svg: hicolor PNGs (16..512), lorastudio.ico
# (Windows installer and .exe) and lorastudio.icns (macOS bundle). Needs rsvg-convert
# (Debian: librsvg2-bin) and python3. Run from anywhere: bash resources/icons/render_icons.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
sizes=(16 24 32 48 64 128 256 512)
for s in "${sizes[@]}"; do
  mkdir -p "hicolor/${s}x${s}/apps"
  rsvg-convert -w "$s" -h "$s" lorastudio.svg -o "hicolor/${s}x${s}/apps/lorastudio.png"
done
# ICO and ICNS both accept PNG-compressed entries: pack the renders, no extra tools needed.
python3 - <<'PY'
import struct
def png(s): return open(f"hicolor/{s}x{s}/apps/lorastudio.png", "rb").read()
ico_sizes = [16, 24, 32, 48, 64, 128, 256]
blobs = [png(s) for s in ico_sizes]
out = struct.pack("<HHH", 0, 1, len(blobs))
offset = 6 + 16 * len(blobs)
for s, b in zip(ico_sizes, blobs):
    out += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(b), offset)
    offset += len(b)
open("lorastudio.ico", "wb").write(out + b"".join(blobs))
icns = b""
for kind, s in [(b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256), (b"ic09", 512)]:
    b = png(s)
    icns += kind + struct.pack(">I", len(b) + 8) + b
open("lorastudio.icns", "wb").write(b"icns" + struct.pack(">I", len(icns) + 8) + icns)
PY
echo "rendered ${#sizes[@]} PNGs, lorastudio.ico, lorastudio.icns in $here"
