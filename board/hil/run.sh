#!/usr/bin/env bash
# Hardware-in-the-loop: runs cellpress against a real Linux kernel's I2C and GPIO stacks.
#
# A Debian 6.1 kernel boots under QEMU (TCG, no KVM needed) with an initramfs holding
# busybox, i2c-tools, libgpiod's tools, cellpress and four modules: i2c-dev, i2c-stub (an
# SMBus register file that plays the NAU7802 at 0x2a and the ADS1115 at 0x48), configfs and
# gpio-sim (built here out of tree: Debian's kernel lacks CONFIG_GPIO_SIM). The guest /init
# (board/hil/init.sh) runs the checks and prints `HIL_CHECK PASS|FAIL name` lines and one
# `HIL_VERDICT ...` line; QEMU exits 0 even on a guest panic, so the verdict comes only
# from the console text. See /work/shared/notes/HIL.md for the recipe's facts.
#
# Everything comes from Debian packages at run time and is cached in board/hil/cache/
# (gitignored). Needs root (apt-get). Environment knobs:
#   HIL_CACHE=DIR            cache directory (default board/hil/cache)
#   HIL_BOOT_TIMEOUT=S       host-side limit on the QEMU run (default 240 s)
#   HIL_EXPECT_OVERRIDE='NAME=VALUE ...'  replaces expected values (to show a failure)
#   HIL_SKIP_SWIFT_BUILD=1   reuse the release binary already built
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PACKAGE_ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${HIL_CACHE:-$HERE/cache}
BOOT_TIMEOUT=${HIL_BOOT_TIMEOUT:-240}
START_SECONDS=$(date +%s.%N)

step() { printf 'hil: [%6.1f s] %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$START_SECONDS" 'BEGIN{print a - b}')" "$*"; }
die() { echo "hil: error: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "run as root (apt-get install, module staging)"
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$CACHE"

# --- 1. Kernel ABI and host packages -------------------------------------------------------
# The ABI comes from the metapackage so point releases are followed, never from `uname -r`
# (the host kernel is unrelated to the guest's).
kernel_abi() {
    apt-cache depends linux-image-amd64 2>/dev/null \
        | awk '/Depends: linux-image-[0-9]/{sub("linux-image-","",$2);print $2; exit}'
}
KV=$(kernel_abi)
if [ -z "$KV" ]; then apt-get update -qq; KV=$(kernel_abi); fi
[ -n "$KV" ] || die "cannot find the kernel ABI from apt-cache depends linux-image-amd64"
step "guest kernel $KV"

# gcc brings binutils (strip, objdump); linux-headers brings the kernel's own compiler.
HOST_PACKAGES=(qemu-system-x86 busybox-static cpio "linux-headers-$KV" make gcc
               i2c-tools libi2c-dev gpiod libgpiod-dev)
missing=()
for p in "${HOST_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    step "apt-get install ${missing[*]}"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
[ -d "/lib/modules/$KV/build" ] || die "/lib/modules/$KV/build missing after installing linux-headers-$KV"
step "host packages ready"

# --- 2. Kernel image and the gpio-sim sources (downloaded once) ----------------------------
DEBS=$CACHE/debs
KDIR=$CACHE/kernel-$KV
mkdir -p "$DEBS" "$KDIR"
fetch_deb() {  # fetch_deb PACKAGE: leaves exactly one PACKAGE_*.deb in $DEBS
    local pkg=$1
    if ! ls "$DEBS/${pkg}"_*.deb >/dev/null 2>&1; then
        step "apt-get download $pkg" >&2
        (cd "$DEBS" && { apt-get download -q "$pkg" 2>/dev/null || { apt-get update -qq && apt-get download -q "$pkg"; }; }) >&2 \
            || die "apt-get download $pkg failed"
    fi
    ls "$DEBS/${pkg}"_*.deb | tail -1
}

if [ ! -f "$KDIR/vmlinuz" ]; then
    deb=$(fetch_deb "linux-image-$KV")
    step "extracting vmlinuz and modules from $(basename "$deb")"
    tmp=$(mktemp -d "$CACHE/kimg.XXXXXX")
    # Only what the guest needs: the full image unpacks to about 400 MB.
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' \
        '*/kernel/fs/configfs/configfs.ko' '*/kernel/drivers/i2c/i2c-dev.ko' '*/kernel/drivers/i2c/i2c-stub.ko'
    mkdir -p "$KDIR/modules"
    for m in configfs i2c-dev i2c-stub; do
        src=$(find "$tmp" -name "$m.ko" | head -1)
        [ -n "$src" ] || die "$m.ko not in $(basename "$deb")"
        # Keep the path under lib/modules/$KV so depmod records the in-tree location.
        rel=${src#"$tmp"/lib/modules/$KV/}
        mkdir -p "$KDIR/modules/$(dirname "$rel")"
        cp "$src" "$KDIR/modules/$rel"
    done
    mv "$tmp/boot/vmlinuz-$KV" "$KDIR/vmlinuz.part" && mv "$KDIR/vmlinuz.part" "$KDIR/vmlinuz"
    rm -rf "$tmp"
fi

GPIOSIM_SRC=$CACHE/gpio-sim-src-$KV
if [ ! -f "$GPIOSIM_SRC/irq_sim.c" ]; then
    deb=$(fetch_deb linux-source-6.1)
    step "extracting gpio-sim.c, gpiolib.h, irq_sim.c from $(basename "$deb")"
    tmp=$(mktemp -d "$CACHE/ksrc.XXXXXX")
    # The tarball is .xz: tar has to decompress all of it to reach three files (about 7 s).
    dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-6.1.tar.xz \
        | tar -xJ --strip-components=3 -C "$tmp" linux-source-6.1/drivers/gpio/gpio-sim.c \
            linux-source-6.1/drivers/gpio/gpiolib.h linux-source-6.1/kernel/irq/irq_sim.c
    mv "$tmp" "$GPIOSIM_SRC"
fi

# --- 3. gpio-sim.ko out of tree ------------------------------------------------------------
GPIOSIM_BUILD=$CACHE/gpio-sim-build-$KV
if [ ! -f "$GPIOSIM_BUILD/gpio-sim.ko" ] || [ "$HERE/Kbuild" -nt "$GPIOSIM_BUILD/gpio-sim.ko" ]; then
    step "building gpio-sim.ko against /lib/modules/$KV/build"
    rm -rf "$GPIOSIM_BUILD"; mkdir -p "$GPIOSIM_BUILD"
    cp "$GPIOSIM_SRC/gpio-sim.c" "$GPIOSIM_BUILD/gpio-sim-core.c"
    cp "$GPIOSIM_SRC/gpiolib.h" "$GPIOSIM_SRC/irq_sim.c" "$HERE/Kbuild" "$GPIOSIM_BUILD/"
    # irq_to_desc is not exported to modules; generic_handle_irq (EXPORT_SYMBOL_GPL) runs the
    # same handle_simple_irq flow handler that irq_sim_domain_map installs.
    sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$GPIOSIM_BUILD/irq_sim.c"
    grep -q 'generic_handle_irq(irqnum);' "$GPIOSIM_BUILD/irq_sim.c" || die "irq_sim.c: the irq_to_desc fix did not apply"
    make -s -C "/lib/modules/$KV/build" M="$GPIOSIM_BUILD" modules >"$GPIOSIM_BUILD/build.log" 2>&1 \
        || { cat "$GPIOSIM_BUILD/build.log"; die "gpio-sim module build failed"; }
fi

# The guest's NAU7802 status-bit player (see the file for why it is C).
HELPER=$CACHE/nau7802-status
if [ ! -x "$HELPER" ] || [ "$HERE/nau7802-status.c" -nt "$HELPER" ]; then
    gcc -static -O2 -Wall -Werror -o "$HELPER" "$HERE/nau7802-status.c" || die "nau7802-status.c does not build"
fi

# --- 4. cellpress, statically linked against the Swift runtime -----------------------------
# -target-cpu x86-64: Package.swift builds Analysis with `-target-cpu native` in release, which
# on an AVX-512 host emits instructions QEMU's TCG cannot run ("Illegal instruction" in the
# guest). The last -target-cpu wins, so this puts the whole binary back on the x86-64 baseline.
SWIFT_BUILD=(swift build -c release --static-swift-stdlib -Xswiftc -target-cpu -Xswiftc x86-64)
if [ "${HIL_SKIP_SWIFT_BUILD:-0}" != 1 ]; then
    step "${SWIFT_BUILD[*]} --product cellpress"
    (cd "$PACKAGE_ROOT" && "${SWIFT_BUILD[@]}" --product cellpress 2>&1 | tail -3)
fi
CELLPRESS=$(cd "$PACKAGE_ROOT" && "${SWIFT_BUILD[@]}" --show-bin-path)/cellpress
# Belt and braces: AVX-512 (zmm registers) would fail in the guest as SIGILL, far from the cause.
if objdump -d --no-show-raw-insn "$CELLPRESS" | grep -q zmm; then
    die "$CELLPRESS uses AVX-512 instructions, which QEMU's TCG cannot run"
fi
[ -x "$CELLPRESS" ] || die "$CELLPRESS not built"

# --- 5. The initramfs ------------------------------------------------------------------------
step "staging the initramfs"
ROOT=$CACHE/root
rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,hil,sys/kernel/config}

# Busybox applets as links in /bin only. Its ash still prefers its own applets over PATH
# (its i2cget rejects `i 3`), so the guest calls i2c-tools by absolute path.
cp /bin/busybox "$ROOT/bin/busybox"
for applet in $(/bin/busybox --list); do
    case $applet in i2c*|busybox) continue ;; esac
    [ -e "$ROOT/bin/$applet" ] || ln -s busybox "$ROOT/bin/$applet"
done

# A binary with every library ldd lists, each at the same absolute path (glibc searches
# /lib/x86_64-linux-gnu without an ld.so.cache).
stage_binary() {
    local bin=$1 dest=${2:-$1}
    mkdir -p "$ROOT$(dirname "$dest")"
    cp -L "$bin" "$ROOT$dest"
    ldd "$bin" | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}' | while read -r lib; do
        [ -e "$ROOT$lib" ] || cp --parents -L "$lib" "$ROOT"
    done
}
for b in /usr/sbin/i2cdetect /usr/sbin/i2cget /usr/sbin/i2cset /usr/sbin/i2cdump /usr/sbin/i2ctransfer \
         /usr/bin/gpiodetect /usr/bin/gpioinfo /usr/bin/gpioget /usr/bin/gpioset /usr/bin/gpiomon; do
    stage_binary "$b"
done
stage_binary "$CELLPRESS" /usr/bin/cellpress
# Symbols are a third of the binary (92 → 64 MB) and cost boot time in the guest.
strip "$ROOT/usr/bin/cellpress"

MODDIR=$ROOT/lib/modules/$KV
mkdir -p "$MODDIR/extra"
cp -r "$KDIR/modules/." "$MODDIR/"
cp "$GPIOSIM_BUILD/gpio-sim.ko" "$MODDIR/extra/"
# The image deb ships no modules.dep (its postinst makes one) and this host has no kmod.
/bin/busybox depmod -b "$ROOT" "$KV"
grep -q 'gpio-sim.ko:.*configfs.ko' "$MODDIR/modules.dep" || die "depmod did not record gpio-sim's dependency on configfs"

# Users: root, and `hil` for the permission checks; `i2c` and `gpio` are the groups a
# Raspberry Pi OS udev rule gives the device nodes (here they stay 0600 root).
cat >"$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
hil:x:1000:1000:hil:/tmp:/bin/sh
EOF
cat >"$ROOT/etc/group" <<'EOF'
root:x:0:
i2c:x:998:
gpio:x:997:
hil:x:1000:
EOF

# The values the guest preloads into i2c-stub and the answers it expects, computed here
# (awk, independently of cellpress) so the guest only compares strings.
NAU_COUNTS_HEX=0x12d687            # 1 234 567 counts, preloaded into ADCO B2..B0
NAU_ZERO_COUNTS=34567
NAU_COUNTS_PER_NEWTON=40000
ADS_COUNTS_HEX=0x2ee0              # 12 000 counts in the ADS1115 conversion register
ADS_ZERO_COUNTS=-480             # negative: passed as --zero-counts=-480 (ArgumentParser reads "-480" as a flag)
ADS_COUNTS_PER_NEWTON=1250.5
ADS_RANGE_VOLTS=2.048              # PGA ±2.048 V (--range-volts; the driver's default is 0.256)
NAU_GAIN=128                       # the driver's defaults: gain 128, LDO 3.3 V as reference
NAU_REFERENCE_VOLTS=3.3
nau_counts=$((NAU_COUNTS_HEX)); ads_counts=$((ADS_COUNTS_HEX))
{
    echo "NAU_COUNTS_HEX=$NAU_COUNTS_HEX"
    echo "NAU_COUNTS=$nau_counts"
    echo "NAU_ZERO_COUNTS=$NAU_ZERO_COUNTS"
    echo "NAU_COUNTS_PER_NEWTON=$NAU_COUNTS_PER_NEWTON"
    echo "NAU_FORCE_N=$(awk -v c="$nau_counts" -v z="$NAU_ZERO_COUNTS" -v k="$NAU_COUNTS_PER_NEWTON" 'BEGIN{printf "%.4f", (c-z)/k}')"
    echo "NAU_VOLTS=$(awk -v c="$nau_counts" -v g="$NAU_GAIN" -v r="$NAU_REFERENCE_VOLTS" 'BEGIN{printf "%.6g", c*0.5*r/(g*8388608)}')"
    echo "ADS_COUNTS_HEX=$ADS_COUNTS_HEX"
    echo "ADS_RANGE_VOLTS=$ADS_RANGE_VOLTS"
    echo "ADS_COUNTS=$ads_counts"
    echo "ADS_ZERO_COUNTS=$ADS_ZERO_COUNTS"
    echo "ADS_COUNTS_PER_NEWTON=$ADS_COUNTS_PER_NEWTON"
    echo "ADS_VOLTS=$(awk -v c="$ads_counts" -v r="$ADS_RANGE_VOLTS" 'BEGIN{printf "%.6g", c*r/32768}')"
    echo "ADS_FORCE_N=$(awk -v c="$ads_counts" -v z="$ADS_ZERO_COUNTS" -v k="$ADS_COUNTS_PER_NEWTON" 'BEGIN{printf "%.4f", (c-z)/k}')"
    # The guest gives up first, so a hang still ends with the guest's own console output.
    watchdog=$((BOOT_TIMEOUT - 20)); [ "$watchdog" -lt 10 ] && watchdog=10
    echo "GUEST_WATCHDOG_SECONDS=$watchdog"
    # A scratch run can plant a wrong expectation to prove that the checks fail loudly.
    for kv in ${HIL_EXPECT_OVERRIDE:-}; do echo "$kv"; done
} >"$ROOT/hil/expect.env"
cp "$HELPER" "$ROOT/hil/nau7802-status"
cp "$HERE/init.sh" "$ROOT/init"
chmod 755 "$ROOT/init"

# Uncompressed: gzip -1 takes the host ~4 s for 76 MB and saves the guest nothing measurable.
INITRAMFS=$CACHE/initramfs.cpio
rm -f "$CACHE/initramfs.cpio.gz"
(cd "$ROOT" && find . | cpio -o -H newc --quiet) >"$INITRAMFS"
step "initramfs $(du -h "$INITRAMFS" | cut -f1) (cpio, uncompressed)"

# --- 6. Boot, run the checks, power off ------------------------------------------------------
LOG=$CACHE/console.log
step "booting qemu-system-x86_64 (TCG) with a ${BOOT_TIMEOUT} s limit"
set +e
timeout "$BOOT_TIMEOUT" qemu-system-x86_64 -accel tcg -m 512M -smp 2 -nographic -no-reboot -nic none \
    -kernel "$KDIR/vmlinuz" -initrd "$INITRAMFS" \
    -append 'console=ttyS0 panic=-1 quiet' </dev/null >"$LOG" 2>&1
qemu_status=$?
set -e
step "qemu exited with status $qemu_status"

# Console lines end in CRLF; the first carries SeaBIOS escape codes, so match anywhere.
tr -d '\r' <"$LOG" >"$LOG.txt"
passed=0; failed=0
while IFS= read -r line; do
    case $line in
        *"HIL_CHECK PASS "*) passed=$((passed + 1)); echo "PASS ${line#*HIL_CHECK PASS }" ;;
        *"HIL_CHECK FAIL "*) failed=$((failed + 1)); echo "FAIL ${line#*HIL_CHECK FAIL }" ;;
        *"HIL_DETAIL "*) echo "     ${line#*HIL_DETAIL }" ;;
        *"HIL_NOTE "*) echo "     note: ${line#*HIL_NOTE }" ;;
    esac
done <"$LOG.txt"
verdict=$(grep -o 'HIL_VERDICT [A-Z]*' "$LOG.txt" | tail -1 | cut -d' ' -f2 || true)
if [ "$verdict" != PASS ] && ! { [ "$verdict" = FAIL ] && [ "$failed" -gt 0 ]; }; then
    # No verdict (timeout, panic, watchdog), or a FAIL verdict with no failed check line:
    # the run failed whatever the check lines say.
    failed=$((failed + 1))
    echo "FAIL guest verdict: ${verdict:-none} (qemu status $qemu_status)"
fi
if [ "$passed" -eq 0 ]; then failed=$((failed + 1)); echo "FAIL no checks ran"; fi
if [ "$failed" -ne 0 ]; then
    echo "---- guest console, last 60 lines ($LOG.txt) ----"
    tail -n 60 "$LOG.txt"
    echo "----"
fi
step "done"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
