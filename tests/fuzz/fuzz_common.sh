# Sourced by run_fuzzers.sh and long_run.sh: configures and builds the harnesses with clang-14 into
# build-fuzz/ (or $LORASTUDIO_FUZZ_BUILD), and runs one harness with its corpus and dictionary.
set -euo pipefail
FUZZ_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$FUZZ_SRC/../.." && pwd)"
BUILD="${LORASTUDIO_FUZZ_BUILD:-$REPO/build-fuzz}"
JOBS="${LORASTUDIO_FUZZ_JOBS:-2}"
# FUZZ_TORCH=0 leaves out the three harnesses that need LibTorch (safetensors, model_config, adapter);
# FUZZ_TORCH=io keeps safetensors (core/io only), leaving out the two that compile model/ and lora/.
FUZZ_TORCH="${FUZZ_TORCH:-1}"
case "$FUZZ_TORCH" in
    0) HARNESSES=(tokenizer project data chat_template gguf); FUZZ_TORCH_CMAKE=OFF ;;
    io) HARNESSES=(safetensors tokenizer project data chat_template gguf); FUZZ_TORCH_CMAKE=IO ;;
    *) HARNESSES=(safetensors model_config tokenizer adapter project data chat_template gguf); FUZZ_TORCH_CMAKE=ON ;;
esac
if [ -n "${FUZZ_ONLY:-}" ]; then read -r -a HARNESSES <<< "$FUZZ_ONLY"; fi

# Sanitizer reports end the run with a non-zero status; leaks are reported (libFuzzer's -detect_leaks).
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

fuzz_build() {
    local cc="${CC_FUZZ:-clang-14}" cxx="${CXX_FUZZ:-clang++-14}"
    command -v "$cxx" > /dev/null || { echo "fuzz: $cxx not found (Debian: apt-get install clang-14 libclang-rt-14-dev)" >&2; return 2; }
    local gen=() launcher=()
    command -v ninja > /dev/null && gen=(-G Ninja)
    command -v ccache > /dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
    if [ ! -f "$BUILD/CMakeCache.txt" ]; then
        mkdir -p "$BUILD"
        CC="$cc" CXX="$cxx" cmake -S "$FUZZ_SRC" -B "$BUILD" "${gen[@]}" "${launcher[@]}" \
            -DLORASTUDIO_FUZZ_TORCH="$FUZZ_TORCH_CMAKE" > "$BUILD/configure.log" 2>&1 \
            || { cat "$BUILD/configure.log" >&2; return 2; }
    else
        cmake "$BUILD" -DLORASTUDIO_FUZZ_TORCH="$FUZZ_TORCH_CMAKE" > "$BUILD/configure.log" 2>&1 \
            || { cat "$BUILD/configure.log" >&2; return 2; }
    fi
    local targets=()
    for h in "${HARNESSES[@]}"; do targets+=("fuzz_$h"); done
    nice -n 10 cmake --build "$BUILD" -j "$JOBS" --target "${targets[@]}"
}

# fuzz_run <harness> <log> <libFuzzer options...>: the committed seeds are read, new inputs go to
# build-fuzz/corpus/<harness>, anything that fails to build-fuzz/artifacts/<harness>/.
fuzz_run() {
    local h="$1" log="$2"; shift 2
    local work="$BUILD/corpus/$h" art="$BUILD/artifacts/$h"
    mkdir -p "$work" "$art"
    local dict=()
    [ -f "$FUZZ_SRC/dict/$h.dict" ] && dict=(-dict="$FUZZ_SRC/dict/$h.dict")
    nice -n 10 "$BUILD/fuzz_$h" "${dict[@]}" -artifact_prefix="$art/" -timeout=20 -rss_limit_mb=2560 \
        -malloc_limit_mb=2048 -max_len="${FUZZ_MAX_LEN:-65536}" -print_final_stats=1 "$@" "$work" "$FUZZ_SRC/corpus/$h" > "$log" 2>&1
}

# Replays the crashing inputs of earlier findings (tests/fuzz/regressions/<harness>/): each must now
# pass through the harness cleanly.
fuzz_replay() {
    local h="$1" dir="$FUZZ_SRC/regressions/$1"
    [ -d "$dir" ] || return 0
    local files=("$dir"/*)
    [ -e "${files[0]}" ] || return 0
    "$BUILD/fuzz_$h" -timeout=20 -rss_limit_mb=2560 -malloc_limit_mb=2048 "${files[@]}" > "$BUILD/replay_$h.log" 2>&1 \
        || { echo "fuzz: $h fails on a regression input again:" >&2; tail -40 "$BUILD/replay_$h.log" >&2; return 1; }
}

# "cov ft" of the first INITED line / the last status line of a libFuzzer log.
fuzz_cov_start() { grep -m1 -E '(INITED|DONE|pulse|NEW).*cov:' "$1" | sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+).*/\1 \2/'; }
fuzz_cov_end() { grep -E '#[0-9]+.*cov: [0-9]+ ft: [0-9]+' "$1" | tail -1 | sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+).*/\1 \2/'; }
fuzz_runs() { grep -E 'stat::number_of_executed_units' "$1" | tail -1 | awk '{print $2}'; }
