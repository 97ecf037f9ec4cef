#!/usr/bin/env bash
# The DPO screenshots of the README (docs/screenshots/dpo_*.png): the studio itself on a copy of the
# demo's DPO project under Xvfb, captured with ImageMagick's `import -window root` SLEEP seconds into
# its 60-step run (alone on 2 cores the run ends within 60 s; on a busy machine the picture shows it
# mid-run). Needs xvfb-run and imagemagick; the build in ./build.
#   bash scripts/dpo_screenshots.sh [OUT_DIR]   (default docs/screenshots; SLEEP=seconds per run, 60)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/docs/screenshots}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
cp -r "$root/resources/demo/model" "$root/resources/demo/demo_dpo.yaml" "$root/resources/demo/preferences.jsonl" "$work/"
shot() {  # WIDTH HEIGHT LOCALE PAGE FILE [--train]
  rm -rf "$work/output_dpo"
  LANG=$3 LC_ALL=$3 xvfb-run -a -s "-screen 0 $1x$2x24" sh -c \
    "'$root/build/app/lorastudio' '$work/demo_dpo.yaml' ${6:-} --page $4 & sleep ${SLEEP:-60}; import -window root '$out/$5'; kill \$! 2>/dev/null || true"
  echo "wrote $out/$5"
}
shot 1280 720 en_US.UTF-8 page.train dpo_train-1280x720.png --train
shot 1280 720 zh_CN.UTF-8 page.train dpo_train-1280x720-zh_CN.png --train
shot 1920 1080 en_US.UTF-8 page.train dpo_train-1920x1080.png --train
SLEEP=15 shot 1280 720 en_US.UTF-8 page.data dpo_data-1280x720.png
