#!/bin/sh
# Guest /init for the hardware-in-the-loop run (busybox ash). board/hil/run.sh stages it.
#
# Prints one `HIL_CHECK PASS|FAIL name` line per check (with `HIL_DETAIL` lines under a
# failure), then `HIL_VERDICT PASS|FAIL` and powers off. A background watchdog prints
# `HIL_VERDICT TIMEOUT` and powers off if the checks hang. /init must never exit: that is a
# kernel panic, which QEMU reports as a normal exit.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev     # CONFIG_DEVTMPFS_MOUNT is off in Debian's kernel
mount -t tmpfs tmpfs /tmp
chmod 1777 /tmp
. /hil/expect.env

(sleep "$GUEST_WATCHDOG_SECONDS"; echo "HIL_VERDICT TIMEOUT"; poweroff -f) &

# Busybox ash runs its own i2c* applets before PATH: call i2c-tools by absolute path.
I2CGET=/usr/sbin/i2cget
I2CSET=/usr/sbin/i2cset
I2CDETECT=/usr/sbin/i2cdetect
NAU=0x2a
ADS=0x48
ABSENT=0x50
SIM=/sys/kernel/config/gpio-sim/hil

FAILED=0
PASSED=0
OUT=/tmp/check.out

# check NAME FUNCTION [ARGS...]: the function's output goes to $OUT and is shown on failure.
check() {
    name=$1; shift
    started=$(now_ms)
    if "$@" 3>&1 >"$OUT" 2>&1; then
        PASSED=$((PASSED + 1)); echo "HIL_CHECK PASS $name"
    else
        FAILED=$((FAILED + 1)); echo "HIL_CHECK FAIL $name"
        sed 's/^/HIL_DETAIL /' "$OUT" | tail -n 25
    fi
    echo "HIL_NOTE took $(( $(now_ms) - started )) ms"
}

# say: a line of diagnostics (lands in $OUT, shown only on failure)
say() { echo "$*"; }
# now_ms: guest uptime in milliseconds (10 ms resolution; busybox date has no %N)
now_ms() { awk '{printf "%d", $1 * 1000}' /proc/uptime; }
# note: a line shown under the check's result whatever it is (fd 3 is the console)
note() { echo "HIL_NOTE $*" >&3; }

# expect_contains FILE TEXT: the file has TEXT as a substring
expect_contains() {
    if grep -qF -- "$2" "$1"; then return 0; fi
    say "expected to find: $2"; say "in output:"; cat "$1"; return 1
}

# ---- modules ------------------------------------------------------------------------------
load_modules() {
    modprobe i2c-dev || return 1
    # i2c-stub: an SMBus register file per address; it answers nothing else (ENODEV).
    modprobe i2c-stub chip_addr=$NAU,$ADS || return 1
    modprobe configfs || return 1
    mount -t configfs none /sys/kernel/config || return 1
    modprobe gpio-sim || return 1
    lsmod
    [ -c /dev/i2c-0 ] || { say "/dev/i2c-0 missing"; ls -l /dev; return 1; }
    grep -q 'SMBus stub driver' /sys/class/i2c-adapter/i2c-0/name || { cat /sys/class/i2c-adapter/i2c-0/name; return 1; }
}

# ---- the NAU7802 at 0x2a and the ADS1115 at 0x48, played by i2c-stub ---------------------
swap16() { echo $(( (($1 & 0xff) << 8) | (($1 >> 8) & 0xff) )); }

preload_registers() {
    # NAU7802: REVISION low nibble 0xF; ADCO B2..B0 (MSB first) hold a known conversion.
    $I2CSET -y 0 $NAU 0x1f 0x0f || return 1
    $I2CSET -y 0 $NAU 0x00 0x00 || return 1
    $I2CSET -y 0 $NAU 0x12 $(( (NAU_COUNTS >> 16) & 0xff )) || return 1
    $I2CSET -y 0 $NAU 0x13 $(( (NAU_COUNTS >> 8) & 0xff )) || return 1
    $I2CSET -y 0 $NAU 0x14 $(( NAU_COUNTS & 0xff )) || return 1
    # ADS1115 registers are big-endian, SMBus words little-endian: the driver byte-swaps
    # what i2c_smbus_read_word_data returns, so the stub holds each word swapped.
    $I2CSET -y 0 $ADS 0x00 "$(swap16 "$ADS_COUNTS")" w || return 1
    $I2CSET -y 0 $ADS 0x01 "$(swap16 0x8583)" w || return 1   # reset config: OS=1 (idle)
}

# i2c-stub only stores bytes: /hil/nau7802-status (C, board/hil/nau7802-status.c) plays
# the NAU7802's status bits (PUR after PUD, CR while CS, CALS cleared). A busybox loop of
# i2cget/i2cset is too slow under TCG (about 60 ms an exec; the driver allows PUR 10 ms).

i2c_stub_answers_at_both_addresses() {
    $I2CDETECT -y 0 >/tmp/detect.txt 2>&1 || { cat /tmp/detect.txt; return 1; }
    cat /tmp/detect.txt
    grep -q ' 2a' /tmp/detect.txt && grep -q ' 48' /tmp/detect.txt && ! grep -q ' 50' /tmp/detect.txt
}

i2c_block_read_returns_the_preloaded_adc_bytes() {
    got=$($I2CGET -y 0 $NAU 0x12 i 3) || return 1
    want=$(printf '0x%02x 0x%02x 0x%02x' $(( (NAU_COUNTS >> 16) & 0xff )) $(( (NAU_COUNTS >> 8) & 0xff )) $(( NAU_COUNTS & 0xff )))
    say "got '$got', want '$want'"
    [ "$got" = "$want" ]
}

status_helper_sets_pur_after_pud() {
    t0=$(now_ms)
    $I2CSET -y 0 $NAU 0x00 0x02 || return 1
    i=0
    while [ $i -lt 50 ]; do
        v=$($I2CGET -y 0 $NAU 0x00) || return 1
        [ $((v & 0x08)) -ne 0 ] && { note "PUR set after $i polls, $(( $(now_ms) - t0 )) ms"; $I2CSET -y 0 $NAU 0x00 0x00; return 0; }
        i=$((i + 1))
    done
    say "PU_CTRL still $v"; return 1
}

i2ctools_absent_address_fails() {
    if $I2CGET -y 0 $ABSENT 0x00 >/tmp/absent.txt 2>&1; then cat /tmp/absent.txt; return 1; fi
    cat /tmp/absent.txt
}

i2ctools_unprivileged_open_is_denied() {
    ls -l /dev/i2c-0
    if su -s /bin/sh hil -c "$I2CGET -y 0 $NAU 0x1f" >/tmp/eacces.txt 2>&1; then cat /tmp/eacces.txt; return 1; fi
    expect_contains /tmp/eacces.txt "Permission denied"
}

# ---- gpio-sim -----------------------------------------------------------------------------
make_gpio_sim_chip() {
    # busybox ash has no brace expansion.
    mkdir $SIM $SIM/bank0 $SIM/bank0/line0 $SIM/bank0/line1 || return 1
    echo 4 >$SIM/bank0/num_lines
    echo hil-in >$SIM/bank0/line0/name
    echo hil-out >$SIM/bank0/line1/name
    echo 1 >$SIM/live || return 1
    DEV=$(cat $SIM/dev_name)
    CHIP=$(cat $SIM/bank0/chip_name)
    SYSCHIP=/sys/devices/platform/$DEV/$CHIP
    say "gpio-sim live: $DEV $CHIP"
    [ "$CHIP" = gpiochip0 ] && [ -f "$SYSCHIP/sim_gpio0/pull" ]
}

# toggle_pull N: N pull changes on sim line 0, up first, a little apart.
toggle_pull() {
    n=0
    while [ $n -lt "$1" ]; do
        if [ $((n % 2)) -eq 0 ]; then echo pull-up >"$SYSCHIP/sim_gpio0/pull"; else echo pull-down >"$SYSCHIP/sim_gpio0/pull"; fi
        n=$((n + 1))
        # Far enough apart that each change is its own interrupt even on a loaded host.
        sleep 0.3
    done
}

# wait_line_used NAME: until a process has requested the line (gpioinfo shows [used]).
wait_line_used() {
    i=0
    while [ $i -lt 200 ]; do
        gpioinfo gpiochip0 | grep "\"$1\"" | grep -q used && return 0
        sleep 0.05; i=$((i + 1))
    done
    gpioinfo gpiochip0; return 1
}

gpiomon_sees_four_alternating_edges() {
    timeout 20 gpiomon --num-events=4 gpiochip0 0 >/tmp/gpiomon.txt 2>&1 &
    mon=$!
    wait_line_used hil-in || { kill $mon; return 1; }
    # gpiolib marks the line used before it requests the edge interrupt: give it a moment.
    sleep 1
    toggle_pull 4
    wait $mon
    cat /tmp/gpiomon.txt
    [ "$(grep -c 'EDGE' /tmp/gpiomon.txt)" -eq 4 ] || return 1
    sed -n 's/.*event: *\([A-Z]*\) EDGE.*/\1/p' /tmp/gpiomon.txt | tr '\n' ' ' | grep -q '^RISING FALLING RISING FALLING $'
}

# ---- cellpress ----------------------------------------------------------------------------
cellpress_runs() {
    cellpress --help >/tmp/help.txt 2>&1 || { cat /tmp/help.txt; return 1; }
    expect_contains /tmp/help.txt "sensor"
}

# expect_lines FILE N TEXT: exactly N lines of FILE contain TEXT
expect_lines() {
    n=$(grep -cF -- "$3" "$1")
    [ "$n" -eq "$2" ] && return 0
    say "expected $2 lines with: $3 (found $n)"; say "in output:"; cat "$1"; return 1
}

# run_cli OUT ERR ARGS...: cellpress with stdout and stderr kept apart; prints the exit status
run_cli() {
    o=$1; e=$2; shift 2
    timeout 60 cellpress "$@" >"$o" 2>"$e"
    rc=$?
    say "cellpress $* -> exit $rc"
    # A failed run shows its output here; a passing one only where an expectation misses.
    [ $rc -ne 0 ] && cat "$o" "$e"
    return $rc
}

# expect_one_line_error ERR TEXT: stderr is one line and contains TEXT
expect_one_line_error() {
    [ "$(wc -l <"$1")" -eq 1 ] || { say "stderr is not one line:"; cat "$1"; return 1; }
    expect_contains "$1" "$2"
}

cellpress_scan_names_both_parts() {
    run_cli /tmp/o /tmp/e sensor scan --bus 0 || return 1
    expect_contains /tmp/o "/dev/i2c-0: 2 devices" &&
        expect_contains /tmp/o "0x2a: NAU7802 (REVISION 0x1F reads 0x0f)" &&
        expect_contains /tmp/o "0x48: ADS1115 could answer"
}

cellpress_reads_the_nau7802() {
    run_cli /tmp/o /tmp/e sensor read --chip nau7802 --bus 0 --address $NAU \
        --counts-per-newton "$NAU_COUNTS_PER_NEWTON" --zero-counts="$NAU_ZERO_COUNTS" --count 3 || return 1
    expect_lines /tmp/o 3 "counts $NAU_COUNTS  volts $NAU_VOLTS  force $NAU_FORCE_N N"
}

cellpress_reads_the_ads1115_volts_and_force() {
    run_cli /tmp/o /tmp/e sensor read --chip ads1115 --bus 0 --address $ADS --range-volts "$ADS_RANGE_VOLTS" \
        --counts-per-newton "$ADS_COUNTS_PER_NEWTON" --zero-counts="$ADS_ZERO_COUNTS" --count 3 || return 1
    expect_lines /tmp/o 3 "counts $ADS_COUNTS  volts $ADS_VOLTS  force $ADS_FORCE_N N" || return 1
    # The driver wrote its configuration as a big-endian word: the stub holds it swapped.
    cfg=$($I2CGET -y 0 $ADS 0x01 w) || return 1
    say "config register as the stub holds it: $cfg"
    [ $(( $(swap16 "$cfg") & 0x0e00 )) -eq $(( 2 << 9 )) ] || { say "PGA bits are not ±2.048 V"; return 1; }
}

cellpress_json_reading_has_the_counts() {
    run_cli /tmp/o /tmp/e sensor read --chip nau7802 --bus 0 --format json || return 1
    expect_contains /tmp/o "\"raw_counts\":$NAU_COUNTS"
}

cellpress_says_no_device_at_an_absent_address() {
    # fx29 parts come at many addresses; the stub has nothing at 0x50 (ENODEV from i2c-stub).
    if run_cli /tmp/o /tmp/e sensor read --chip fx29 --bus 0 --address $ABSENT; then return 1; fi
    expect_one_line_error /tmp/e "address 0x50: no device answered (errno 19 ENODEV)"
}

cellpress_says_no_device_for_an_absent_ads1115() {
    if run_cli /tmp/o /tmp/e sensor read --chip ads1115 --bus 0 --address 0x49; then return 1; fi
    expect_one_line_error /tmp/e "address 0x49: no device answered"
}

cellpress_unprivileged_i2c_names_the_i2c_group() {
    if su -s /bin/sh hil -c "cellpress sensor read --chip nau7802 --bus 0" >/tmp/o 2>/tmp/e; then cat /tmp/o; return 1; fi
    cat /tmp/e
    expect_one_line_error /tmp/e "permission denied: add the user to the 'i2c' group"
}

cellpress_unprivileged_gpio_names_the_gpio_group() {
    if su -s /bin/sh hil -c "cellpress gpio get --chip gpiochip0 --line 0" >/tmp/o 2>/tmp/e; then cat /tmp/o; return 1; fi
    cat /tmp/e
    expect_one_line_error /tmp/e "add the user to the 'gpio' group"
}

cellpress_gpio_watch_sees_four_alternating_edges() {
    echo pull-down >"$SYSCHIP/sim_gpio0/pull"
    rm -f /tmp/w.out /tmp/w.err
    timeout 30 cellpress gpio watch --chip gpiochip0 --line hil-in --edges 4 --timeout 10 >/tmp/w.out 2>/tmp/w.err &
    pid=$!
    # cellpress says "watching" once the edge request is in place: no edge can be missed after it.
    i=0
    until grep -q watching /tmp/w.err; do
        i=$((i + 1)); [ $i -gt 400 ] && { say "no 'watching' line"; cat /tmp/w.err; kill $pid; return 1; }
        sleep 0.05
    done
    toggle_pull 4
    wait $pid; rc=$?
    say "exit $rc"; cat /tmp/w.out /tmp/w.err
    [ $rc -eq 0 ] || return 1
    # 4 lines `N edge SECONDS.NANOSECONDS`, edges alternating from rising, times strictly increasing
    # (compared as integer seconds then nanoseconds: a double would round the nanoseconds).
    awk 'BEGIN { want = "rising"; ok = 1 }
         { split($3, t, "."); s = t[1] + 0; ns = t[2] + 0
           if ($1 != NR || $2 != want) ok = 0
           if (NR > 1 && (s < ps || (s == ps && ns <= pns))) ok = 0
           ps = s; pns = ns; want = (want == "rising") ? "falling" : "rising" }
         END { exit !(ok && NR == 4) }' /tmp/w.out
}

# set_and_read_back VALUE PULL: drive hil-out to VALUE against the opposite PULL, read the sim.
set_and_read_back() {
    echo "$2" >"$SYSCHIP/sim_gpio1/pull"
    # Remove the last run's output first: the background job truncates it only when it starts.
    rm -f /tmp/s.out /tmp/s.err
    timeout 30 cellpress gpio set --chip gpiochip0 --line hil-out --value "$1" --hold-seconds 1 >/tmp/s.out 2>/tmp/s.err &
    pid=$!
    i=0
    until grep -q '= ' /tmp/s.out; do
        i=$((i + 1)); [ $i -gt 400 ] && { say "cellpress gpio set printed nothing"; cat /tmp/s.out /tmp/s.err; kill $pid; return 1; }
        sleep 0.05
    done
    held=$(cat "$SYSCHIP/sim_gpio1/value")
    wait $pid; rc=$?
    released=$(cat "$SYSCHIP/sim_gpio1/value")
    say "set $1 against $2: exit $rc, sim value $held while held, $released after release"; cat /tmp/s.out /tmp/s.err
    [ $rc -eq 0 ] && [ "$held" = "$1" ] && expect_contains /tmp/s.out "line \"hil-out\" = $1"
}

cellpress_gpio_set_one_then_zero_reads_back() {
    set_and_read_back 1 pull-down && set_and_read_back 0 pull-up
}

cellpress_gpio_get_follows_the_pull() {
    echo pull-up >"$SYSCHIP/sim_gpio0/pull"
    run_cli /tmp/o /tmp/e gpio get --chip gpiochip0 --line 0 || return 1
    expect_contains /tmp/o "gpiochip0 line 0 = 1" || return 1
    echo pull-down >"$SYSCHIP/sim_gpio0/pull"
    run_cli /tmp/o /tmp/e gpio get --chip gpiochip0 --line hil-in || return 1
    expect_contains /tmp/o "line \"hil-in\" = 0"
}

dmesg_has_no_warning_or_bug() {
    dmesg >/tmp/dmesg.txt
    if grep -E 'WARNING|BUG|Call Trace|Oops' /tmp/dmesg.txt; then return 1; fi
    say "dmesg: $(wc -l </tmp/dmesg.txt) lines, none with WARNING/BUG"
}

# ---- run ----------------------------------------------------------------------------------
echo "HIL_BEGIN kernel $(uname -r), guest uptime $(cut -d" " -f1 /proc/uptime) s"
check "modules load (i2c-dev, i2c-stub 0x2a+0x48, configfs, gpio-sim)" load_modules
check "i2c-stub registers preloaded (NAU7802 at 0x2a, ADS1115 at 0x48)" preload_registers
/hil/nau7802-status /dev/i2c-0 $NAU &
STATUS_LOOP=$!
check "i2cdetect sees 0x2a and 0x48 only" i2c_stub_answers_at_both_addresses
check "i2c block read of ADCO gives the preloaded bytes" i2c_block_read_returns_the_preloaded_adc_bytes
check "NAU7802 status helper sets PUR after PUD" status_helper_sets_pur_after_pud
check "i2c-tools: absent address 0x50 fails" i2ctools_absent_address_fails
check "i2c-tools: unprivileged open of /dev/i2c-0 is denied" i2ctools_unprivileged_open_is_denied
check "gpio-sim chip gpiochip0 with lines hil-in, hil-out" make_gpio_sim_chip
check "gpiomon: 4 alternating edges from sim pull changes" gpiomon_sees_four_alternating_edges
check "cellpress runs in the guest" cellpress_runs
check "cellpress sensor scan names the NAU7802 and the ADS1115" cellpress_scan_names_both_parts
check "cellpress sensor read nau7802: $NAU_FORCE_N N from $NAU_COUNTS counts, 3 readings" cellpress_reads_the_nau7802
check "cellpress sensor read ads1115: $ADS_VOLTS V, $ADS_FORCE_N N" cellpress_reads_the_ads1115_volts_and_force
check "cellpress sensor read --format json has the raw counts" cellpress_json_reading_has_the_counts
check "cellpress: absent 0x50 is 'no device' (ENODEV), exit 1" cellpress_says_no_device_at_an_absent_address
check "cellpress: absent ADS1115 at 0x49 is 'no device', exit 1" cellpress_says_no_device_for_an_absent_ads1115
check "cellpress as uid 1000: /dev/i2c-0 denied, names the i2c group" cellpress_unprivileged_i2c_names_the_i2c_group
check "cellpress as uid 1000: gpiochip0 denied, names the gpio group" cellpress_unprivileged_gpio_names_the_gpio_group
check "cellpress gpio watch: 4 alternating edges, increasing kernel timestamps" cellpress_gpio_watch_sees_four_alternating_edges
check "cellpress gpio set 1 then 0: sim_gpio1/value follows" cellpress_gpio_set_one_then_zero_reads_back
check "cellpress gpio get follows the sim pull" cellpress_gpio_get_follows_the_pull
kill $STATUS_LOOP 2>/dev/null
check "dmesg has no WARNING/BUG" dmesg_has_no_warning_or_bug

echo "HIL_SUMMARY $PASSED passed, $FAILED failed (guest uptime $(cut -d' ' -f1 /proc/uptime) s)"
if [ "$FAILED" -eq 0 ]; then echo "HIL_VERDICT PASS"; else echo "HIL_VERDICT FAIL"; fi
poweroff -f
sleep 30
