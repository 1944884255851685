#!/usr/bin/env bash
# Everything grpo4j has to show on a CUDA GPU, in one command (see docs/gpu.md).
#
#   scripts/gpu-bench.sh --pack     On a build machine (JDK 17 with jlink, Maven, a filled ~/.m2):
#                                   build check (mvn verify), then target/gpu-bundle.tar.gz with the
#                                   project's jars and their small dependencies (never the 111 MB
#                                   pytorch-native-cpu jar, nor ND4J's natives), the prefix module's
#                                   tests, and a jlink runtime.
#   scripts/gpu-bench.sh LOG_DIR    On the GPU machine: unpack the bundle (or pack it first when Maven
#                                   is there), point DJL at the machine's own libtorch, then run
#                                   1 environment report, 2 engine smoke check, 3 GPU equivalence
#                                   tests, 4 the default test suite (DJL's default device is the GPU),
#                                   5 the benchmark at prefix 1024 / suffix 64 / G 16, 6 the benchmark
#                                   grid; one log per step in LOG_DIR, RESULT lines in results.txt and
#                                   the status of every step in summary.txt.
#
# Environment (all optional):
#   PYTORCH_LIBRARY_PATH  libtorch directory; default: torch's lib directory of /opt/torch/.venv's or
#                         PATH's python3
#   PYTORCH_VERSION       the JNI build to use, default 2.7.1 (the one in pytorch-jni's jar)
#   PYTORCH_FLAVOR        default cu128 (the CUDA JNI layer in pytorch-jni's jar)
#   GPU_BENCH_DEVICE      default gpu; cpu runs the same steps on the CPU (a dry run of the script)
#   GPU_BENCH_GRID        default 1; 0 skips step 6
#   GPU_BENCH_JAVA_OPTS   default -Xmx16g
# The exit status is the number of failed steps.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUNDLE="$ROOT/target/gpu-bundle"
TARBALL="$ROOT/target/gpu-bundle.tar.gz"
EXCLUDED_ARTIFACTS="pytorch-native-cpu"
# ND4J (grpo-advantage) and its natives are not needed by anything the script runs.
EXCLUDED_GROUPS="org.nd4j,org.bytedeco"

pack() {
    command -v mvn >/dev/null || { echo "packing needs Maven" >&2; return 1; }
    command -v jlink >/dev/null || { echo "packing needs jlink (a JDK 17)" >&2; return 1; }
    rm -rf "$BUNDLE" "$TARBALL"
    mkdir -p "$BUNDLE"
    cd "$ROOT" || return 1
    echo "== build check: mvn verify (grpo-prefix, grpo-examples)"
    mvn -B -q -o verify -pl grpo-prefix,grpo-examples -am 2>&1 | tee "$BUNDLE/build-check.log" |
        grep -v "WARN ai.djl"
    local status=${PIPESTATUS[0]}
    echo "mvn verify exit status $status" >>"$BUNDLE/build-check.log"
    [ "$status" -eq 0 ] || { echo "build check failed, see $BUNDLE/build-check.log" >&2; return 1; }
    echo "== runtime jars of grpo-examples"
    mvn -B -q -o package -DskipTests dependency:copy-dependencies -pl grpo-examples -am \
        -DincludeScope=runtime -DexcludeArtifactIds="$EXCLUDED_ARTIFACTS" -DexcludeGroupIds="$EXCLUDED_GROUPS" \
        -DoutputDirectory="$BUNDLE/lib" || return 1
    cp grpo-examples/target/grpo-examples-*.jar "$BUNDLE/lib/" || return 1
    echo "== test jars of grpo-prefix"
    mvn -B -q -o package -DskipTests dependency:copy-dependencies -pl grpo-prefix -am \
        -DincludeScope=test -DexcludeArtifactIds="$EXCLUDED_ARTIFACTS" -DexcludeGroupIds="$EXCLUDED_GROUPS" \
        -DoutputDirectory="$BUNDLE/test-lib" || return 1
    cp grpo-prefix/target/grpo-prefix-*.jar "$BUNDLE/test-lib/" || return 1
    (cd grpo-prefix/target/test-classes && jar cf "$BUNDLE/test-lib/grpo-prefix-tests.jar" .) ||
        return 1
    echo "== jlink runtime"
    jlink --add-modules java.base,java.logging,java.management,jdk.unsupported,java.naming,java.xml,jdk.zipfs \
        --strip-debug --no-header-files --no-man-pages --compress=2 --output "$BUNDLE/jre" ||
        return 1
    {
        echo "commit $(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
        echo "packed $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -srm)"
    } >"$BUNDLE/VERSION"
    tar -czf "$TARBALL" -C "$ROOT/target" gpu-bundle || return 1
    echo "bundle: $TARBALL ($(du -h "$TARBALL" | cut -f1))"
}

find_torch_lib() {
    if [ -n "${PYTORCH_LIBRARY_PATH:-}" ]; then
        echo "$PYTORCH_LIBRARY_PATH"
        return 0
    fi
    local py dir
    for py in /opt/torch/.venv/bin/python3 python3; do
        dir=$("$py" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' \
            2>/dev/null) || continue
        if [ -f "$dir/libtorch.so" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

if [ "${1:-}" = "--pack" ]; then
    pack
    exit $?
fi
if [ $# -ne 1 ]; then
    echo "usage: scripts/gpu-bench.sh --pack | scripts/gpu-bench.sh LOG_DIR" >&2
    exit 64
fi

mkdir -p "$1" || exit 1
LOG_DIR="$(cd "$1" && pwd)"
SUMMARY="$LOG_DIR/summary.txt"
: >"$SUMMARY"
FAILED=0

# step NAME LOGFILE COMMAND...: runs the command with its output in LOG_DIR/LOGFILE and on screen.
step() {
    local name="$1" file="$2"
    local log="$LOG_DIR/$file"
    shift 2
    echo "== $name"
    local start=$SECONDS
    "$@" >"$log" 2>&1
    local status=$?
    grep -v "WARN ai.djl.util.cuda" "$log" | tail -n 40
    local line
    line=$(printf '%-32s exit %3d  %5ds  %s' "$name" "$status" $((SECONDS - start)) "$file")
    echo "$line" | tee -a "$SUMMARY"
    [ "$status" -eq 0 ] || FAILED=$((FAILED + 1))
}

if [ ! -d "$BUNDLE/lib" ]; then
    if [ -f "$TARBALL" ]; then
        tar -xzf "$TARBALL" -C "$ROOT/target" || exit 1
    elif command -v mvn >/dev/null; then
        pack || exit 1
    else
        echo "no bundle: run scripts/gpu-bench.sh --pack on a build machine and bring $TARBALL" >&2
        exit 1
    fi
fi
[ -f "$BUNDLE/build-check.log" ] && cp "$BUNDLE/build-check.log" "$LOG_DIR/0-build-check.log"

JAVA="$BUNDLE/jre/bin/java"
[ -x "$JAVA" ] || JAVA="$(command -v java || true)"
[ -n "$JAVA" ] || { echo "no java: neither $BUNDLE/jre nor java on PATH" >&2; exit 1; }
DEVICE="${GPU_BENCH_DEVICE:-gpu}"
TORCH_LIB="$(find_torch_lib)" || {
    echo "no libtorch found: set PYTORCH_LIBRARY_PATH" >&2
    exit 1
}
export PYTORCH_LIBRARY_PATH="$TORCH_LIB"
export PYTORCH_VERSION="${PYTORCH_VERSION:-2.7.1}"
export PYTORCH_FLAVOR="${PYTORCH_FLAVOR:-cu128}"
export LD_LIBRARY_PATH="$TORCH_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# DJL extracts its JNI library into its cache; keep that writable and next to the logs.
export DJL_CACHE_DIR="$LOG_DIR/djl-cache"
read -r -a JAVA_OPTS <<<"${GPU_BENCH_JAVA_OPTS:--Xmx16g} -Dai.djl.offline=true"
RUN_CP="$BUNDLE/lib/*"
TEST_CP="$BUNDLE/test-lib/*"

environment() {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    cat "$BUNDLE/VERSION" 2>/dev/null
    echo "host: $(uname -srm), $(nproc) cores"
    echo "java: $JAVA"
    "$JAVA" -version 2>&1
    echo "PYTORCH_LIBRARY_PATH=$PYTORCH_LIBRARY_PATH"
    echo "PYTORCH_VERSION=$PYTORCH_VERSION PYTORCH_FLAVOR=$PYTORCH_FLAVOR device=$DEVICE"
    ls "$TORCH_LIB"
    for py in /opt/torch/.venv/bin/python3 python3; do
        "$py" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)' \
            2>/dev/null && break
    done
    command -v nvidia-smi >/dev/null && nvidia-smi
    echo "jars without pytorch-native-cpu:"
    ls "$BUNDLE/lib"
    return 0
}

step "1 environment" 1-environment.log environment
step "2 engine smoke check" 2-smoke.log \
    "$JAVA" "${JAVA_OPTS[@]}" -cp "$RUN_CP" dev.grpo4j.examples.bench.EngineSmokeCheck --device "$DEVICE"
if [ "$DEVICE" = "gpu" ]; then
    step "3 GPU equivalence tests" 3-gpu-tests.log \
        "$JAVA" "${JAVA_OPTS[@]}" -cp "$TEST_CP" dev.grpo4j.prefix.GpuTestLauncher gpu
fi
step "4 default tests" 4-default-tests.log \
    "$JAVA" "${JAVA_OPTS[@]}" -cp "$TEST_CP" dev.grpo4j.prefix.GpuTestLauncher default
step "5 benchmark 1024/64/16" 5-benchmark-point.log \
    "$JAVA" "${JAVA_OPTS[@]}" -cp "$RUN_CP" dev.grpo4j.examples.bench.PrefixBenchmark \
    --device "$DEVICE" --prefix 1024 --suffix 64 --group 16 --repeats 10
if [ "${GPU_BENCH_GRID:-1}" = "1" ]; then
    step "6 benchmark grid" 6-benchmark-grid.log \
        "$JAVA" "${JAVA_OPTS[@]}" -cp "$RUN_CP" dev.grpo4j.examples.bench.PrefixBenchmark \
        --device "$DEVICE" --grid --repeats 5 --no-sampling
fi
grep -h '^RESULT\|^SAMPLING' "$LOG_DIR"/5-*.log "$LOG_DIR"/6-*.log >"$LOG_DIR/results.txt" 2>/dev/null
echo "== summary ($FAILED failed steps), logs in $LOG_DIR"
cat "$SUMMARY"
exit "$FAILED"
