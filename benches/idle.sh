#!/usr/bin/env bash
# CPU of the real app in a window while nothing happens, and while replication runs (issue 23,
# items 9 and 10). Starts the app under Xvfb (1600×1000, no Wayland, a private runtime folder,
# the default wgpu renderer, which finds Mesa's lavapipe on a machine without a GPU) and reads
# the process's user+system CPU ticks from /proc/PID/stat over a window of seconds:
#
#   saved       the settled sample (nothing replicating), just opened from its file
#   unsaved     the same, after one real edit typed into the window through the X server
#               (Ctrl+Shift+N, a gallery name, Enter), measured 70 s after it, when the
#               recovery copy has been written
#   replicating the sample as shipped, its copies replicating at the app's default 60×
#   open=FILE   FILE opened (e.g. 100,000 versions written by
#               `cargo bench --bench file -- --write 100000 FILE`): the peak resident memory
#               (VmHWM) 5 s after the first frame, the CPU over the next 10 s, and the peak
#               again 45 s after the first frame (after a recovery copy when it has unsaved work)
#
# Usage: benches/idle.sh [BINARY] [SCENARIO...]
#   BINARY    the app (default: $CARGO_TARGET_DIR/release/sig-studio, else target/release/...)
#   SCENARIO  any of saved, unsaved, replicating, open=FILE (default: the first three)
# Environment: IDLE_BENCH_SECS (window, default 10), IDLE_BENCH_AFTER_EDIT (default 70).
# Needs xvfb-run, Mesa's Vulkan drivers, python3 and libXtst (for the typed edit).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${CARGO_TARGET_DIR:-$root/target}/release/sig-studio}
shift || true
scenarios=("$@")
[ ${#scenarios[@]} -eq 0 ] && scenarios=(saved unsaved replicating)
secs=${IDLE_BENCH_SECS:-10}
after_edit=${IDLE_BENCH_AFTER_EDIT:-70}
hz=$(getconf CLK_TCK)

[ -x "$bin" ] || { echo "idle.sh: no app at $bin (cargo build --release first)" >&2; exit 2; }

work=$(mktemp -d)
xvfb=""
cleanup() {
    if [ -n "$xvfb" ]; then stop_app; fi
    rm -rf "$work"
}
trap cleanup EXIT

# Nothing of the user's session: no Wayland, a private runtime folder, fresh app folders.
unset WAYLAND_DISPLAY
export XDG_RUNTIME_DIR=$work/run XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config \
    XDG_CACHE_HOME=$work/cache
mkdir -m 700 "$XDG_RUNTIME_DIR"

"$bin" simulate "$root/assets/sample.ron" --write "$work/settled.ron" >/dev/null 2>&1
cp "$root/assets/sample.ron" "$work/replicating.ron"

# Starts the app on FILE in a fresh Xvfb; sets pid and display once the first frame is drawn.
start_app() {
    rm -f "$work/app.pid" "$work/app.err"
    # shellcheck disable=SC2016 # expanded by the inner shell, which records its own pid
    SIG_STUDIO_STARTUP_TRACE=1 xvfb-run -a -s "-screen 0 1600x1000x24" \
        sh -c 'echo "$$ $DISPLAY $XAUTHORITY" > "$1.tmp" && mv "$1.tmp" "$1" && exec "$2" "$3"' \
        sh "$work/app.pid" "$bin" "$1" 2>"$work/app.err" &
    xvfb=$!
    for _ in $(seq 1200); do
        [ -s "$work/app.pid" ] && grep -q "first frame" "$work/app.err" && break
        sleep 0.1
    done
    grep -q "first frame" "$work/app.err" || { cat "$work/app.err" >&2; exit 1; }
    read -r pid display xauthority < "$work/app.pid"
    export XAUTHORITY=$xauthority
    if ! grep -q libvulkan_lvp "/proc/$pid/maps"; then
        echo "idle.sh: the app does not render with lavapipe here" >&2
        exit 1
    fi
}

stop_app() {
    kill "${pid:-}" 2>/dev/null || true
    wait "$xvfb" 2>/dev/null || true
    xvfb=""
}

# User + system CPU ticks of the process so far (fields 14 and 15 of /proc/PID/stat; the name
# in parentheses may hold spaces, so count from after it).
ticks() {
    sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

measure() {
    local name=$1 before after
    before=$(ticks "$pid")
    sleep "$secs"
    after=$(ticks "$pid")
    awk -v n="$name" -v t=$((after - before)) -v s="$secs" -v hz="$hz" 'BEGIN {
        printf "%-12s %6d ticks in %s s  %6.1f %% of one core\n", n, t, s, 100 * t / hz / s }'
}

# Peak and current resident memory of the app.
peak() {
    awk -v what="$1" '/^VmHWM:/ { h = $2 } /^VmRSS:/ { r = $2 }
        END { printf "%-12s peak RSS %.0f MB, now %.0f MB: %s\n", "memory", h / 1024, r / 1024, what }' \
        "/proc/$pid/status"
}

# The window's title (the app marks unsaved work with "●"), and its id.
title() {
    xwininfo -display "$display" -root -tree | grep -o '"[^"]*SIG Studio"' | head -1
}
window() {
    xwininfo -display "$display" -root -tree | grep '"[^"]*SIG Studio"' | awk '{ print $1 }' | head -1
}

# Types into the window through the XTEST extension, as a keyboard would, after giving it the
# keyboard focus (there is no window manager to do that): chords separated by spaces, keys
# within a chord by "+", e.g. "Control_L+Shift_L+n b e n c h Return".
type_keys() {
    python3 - "$display" "$(window)" "$@" <<'EOF'
import ctypes, sys, time
x11 = ctypes.CDLL("libX11.so.6")
xtst = ctypes.CDLL("libXtst.so.6")
x11.XOpenDisplay.restype = ctypes.c_void_p
x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
x11.XStringToKeysym.restype = ctypes.c_ulong
x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
x11.XKeysymToKeycode.restype = ctypes.c_ubyte
x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
x11.XFlush.argtypes = [ctypes.c_void_p]
x11.XSetInputFocus.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_ulong]
xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
display = x11.XOpenDisplay(sys.argv[1].encode())
if not display:
    sys.exit("cannot open display " + sys.argv[1])
REVERT_TO_PARENT = 2
x11.XSetInputFocus(display, int(sys.argv[2], 16), REVERT_TO_PARENT, 0)
x11.XFlush(display)
time.sleep(0.5)
def key(name, down):
    code = x11.XKeysymToKeycode(display, x11.XStringToKeysym(name.encode()))
    if code == 0:
        sys.exit("no key " + name)
    xtst.XTestFakeKeyEvent(display, code, down, 0)
    x11.XFlush(display)
    time.sleep(0.05)
for chord in sys.argv[3:]:
    keys = chord.split("+")
    for k in keys:
        key(k, True)
    for k in reversed(keys):
        key(k, False)
    time.sleep(0.3)
EOF
}

echo "sig-studio: $bin; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for scenario in "${scenarios[@]}"; do
    case $scenario in
        saved)
            start_app "$work/settled.ron"
            sleep 3
            measure saved
            ;;
        unsaved)
            start_app "$work/settled.ron"
            sleep 1
            # Add gallery… (Ctrl+Shift+N with nothing selected), a name, Enter.
            type_keys Control_L+Shift_L+n b e n c h Return
            sleep 1
            case $(title) in
                *●*) ;;
                *) echo "idle.sh: the typed edit did not happen (title $(title))" >&2; exit 1 ;;
            esac
            sleep "$after_edit"
            copy=$(find "$XDG_DATA_HOME" -name recovery.ron | head -1)
            [ -n "$copy" ] || { echo "idle.sh: no recovery copy after ${after_edit} s" >&2; exit 1; }
            measure unsaved
            ;;
        replicating)
            start_app "$work/replicating.ron"
            sleep 2
            measure replicating
            ;;
        open=*)
            start_app "${scenario#open=}"
            first=$(grep -o 'first frame after [0-9]* ms' "$work/app.err")
            sleep 5
            peak "open (5 s after the $first)"
            measure "open, idle"
            # Replication progress leaves unsaved changes: the first recovery copy is written
            # 30 s after it.
            sleep 30
            peak "open, 45 s later (a recovery copy written)"
            ;;
        *) echo "idle.sh: unknown scenario $scenario" >&2; exit 2 ;;
    esac
    stop_app
done
