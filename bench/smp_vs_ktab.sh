#!/usr/bin/env bash
# Side-by-side: negotium's SMP (negotium-spatial, criterion bench `smp`) vs
# KTAB's own C++ `smpc` on KTAB's own inputs, default parameters.
#
# KTAB is cloned into bench/scratch/KTAB (git-ignored; override the source with
# KTAB_GIT=<url or path>) and compiled directly with g++ -O2 (KTAB's CMake
# files build Debug and need an installed kutils/kmodel; we skip CMake).
# Needs: g++, pkg-config, Qt5 Core+Sql headers, tinyxml2, sqlite3 and the
# easylogging++ single header, e.g. on Debian/Ubuntu:
#   apt-get install cmake qtbase5-dev libqt5sql5-sqlite libtinyxml2-dev \
#                   libsqlite3-dev libeasyloggingpp-dev
# A small driver (bench/smp_ktab_driver/driver.cpp) also times KTAB's library
# in-process with every SQL logging group and the text log switched off.
# Usage: bench/smp_vs_ktab.sh            (a160 skipped for KTAB: ~20+ min)
#        KTAB_BIG=1 bench/smp_vs_ktab.sh (include dummyData-a160 for KTAB)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SCRATCH="$ROOT/bench/scratch"
KTAB="$SCRATCH/KTAB"
KTAB_GIT="${KTAB_GIT:-https://github.com/KAPSARC/KTAB.git}"
KTAB_COMMIT=3b5b063541c7d5ee36cc9c61d9d3e0717f2d180f
FIX="$ROOT/crates/negotium-spatial/tests/fixtures/ktab"
INPUTS="SOE-Pol-Comp dummyData_3Dim SOE-Policy SOE-Competitive dummyData-a080"
[ "${KTAB_BIG:-0}" = 1 ] && INPUTS="$INPUTS dummyData-a160"
mkdir -p "$SCRATCH"

why_not() { echo "KTAB comparison not run: $*" >&2; KTAB_OK=0; }
KTAB_OK=1
command -v g++ >/dev/null || why_not "g++ not found"
command -v pkg-config >/dev/null || why_not "pkg-config not found"
[ "$KTAB_OK" = 1 ] && { pkg-config --exists Qt5Core Qt5Sql || why_not "Qt5 Core/Sql dev files not found (qtbase5-dev)"; }
[ -f /usr/include/tinyxml2.h ] || why_not "tinyxml2 headers not found (libtinyxml2-dev)"
ELPP=""
for d in /usr/include /usr/local/include; do [ -f "$d/easylogging++.cc" ] && ELPP="$d"; done
[ -n "$ELPP" ] || why_not "easylogging++ not found (libeasyloggingpp-dev)"

if [ "$KTAB_OK" = 1 ]; then
  if [ ! -d "$KTAB/examples/smp/libsrc" ]; then
    git clone -q --no-checkout "$KTAB_GIT" "$KTAB" || true
    # Large reference logs may be absent from a mirror; check out what we need.
    git -C "$KTAB" restore --source="$KTAB_COMMIT" --worktree -- KTAB/kutils/libsrc \
      KTAB/kmodel/libsrc examples/smp/libsrc examples/smp/src minicsv examples/smp/smpc-logger.conf \
      || why_not "could not fetch KTAB from $KTAB_GIT"
  fi
fi

SMPC="$KTAB/build-direct/smpc"
DRIVER="$KTAB/build-direct/smp_driver"
INC="-IKTAB/kutils/libsrc -IKTAB/kmodel/libsrc -Iexamples/smp/libsrc -Iexamples/smp/src -Iminicsv"
DEFS="-DELPP_THREAD_SAFE -DELPP_FORCE_USE_STD_THREAD -DELPP_NO_DEFAULT_LOG_FILE -DAUTO_INITIALIZE_EASYLOGGINGPP"
if [ "$KTAB_OK" = 1 ] && [ ! -x "$SMPC" ]; then
  echo "building KTAB smpc (g++ -O2, a few minutes)..." >&2
  mkdir -p "$KTAB/build-direct"
  (
    cd "$KTAB"
    for s in KTAB/kutils/libsrc/{kutils,prng,kmatrix,gaopt,hcsearch,vimcp}.cpp \
             KTAB/kmodel/libsrc/{kmodel,kmodelsql,emodel,kstate,kposition}.cpp \
             examples/smp/libsrc/{smp,smpbcn,smpread,smpsql}.cpp examples/smp/src/demosmp.cpp \
             "$ELPP/easylogging++.cc"; do
      g++ -std=c++14 -O2 -fPIC -w $INC $(pkg-config --cflags Qt5Core Qt5Sql) $DEFS \
        -c "$s" -o "build-direct/$(basename "${s%.*}").o"
    done
    g++ -O2 -o build-direct/smpc build-direct/*.o $(pkg-config --libs Qt5Core Qt5Sql) -ltinyxml2 -lsqlite3 -lpthread
  ) || why_not "KTAB build failed"
fi
if [ "$KTAB_OK" = 1 ] && [ ! -x "$DRIVER" ]; then
  # Our driver: KTAB's library API, all SQL logging groups off (no DB writes).
  (
    cd "$KTAB"
    g++ -std=c++14 -O2 -fPIC -w $INC $(pkg-config --cflags Qt5Core Qt5Sql) $DEFS \
      -c "$ROOT/bench/smp_ktab_driver/driver.cpp" -o build-direct/driver.o
    g++ -O2 -o build-direct/smp_driver $(ls build-direct/*.o | grep -v demosmp) \
      $(pkg-config --libs Qt5Core Qt5Sql) -ltinyxml2 -lsqlite3 -lpthread
  ) || why_not "KTAB driver build failed"
fi

# ---- negotium: criterion medians (needs [[bench]] name = "smp", harness = false)
echo "running negotium SMP criterion bench..." >&2
CRIT="$SCRATCH/smp_criterion.txt"
(cd "$ROOT" && cargo bench -q -p negotium-spatial --bench smp -- --noplot \
   --warm-up-time 1 --measurement-time 3) > "$CRIT" 2>&1 || { cat "$CRIT" >&2; exit 1; }
ours() { # median seconds and turns for input $1
  awk -v n="smp/$1 " '
    index($0, n) == 1 { hit = 1; match($0, /[0-9]+ turns/); turns = substr($0, RSTART, RLENGTH - 6) }
    hit && /time:/ { v = $4; u = $5; s = (u == "s") ? v : (u == "ms") ? v / 1e3 : (u == "µs") ? v / 1e6 : v / 1e9;
                     printf "%.6f %s\n", s, turns; exit }' "$CRIT"
}

now() { date +%s.%N; }
printf "%-16s %6s %7s %10s %10s %10s %8s %8s\n" input turns ktab_st ours_s smpc_s ktab_lib_s x_smpc x_lib
for f in $INPUTS; do
  read -r o_s o_turns < <(ours "$f")
  if [ "$KTAB_OK" = 1 ]; then
    RUN="$SCRATCH/ktab_run_$f"; rm -rf "$RUN"; mkdir -p "$RUN"; cp "$FIX/$f.csv" "$RUN/"
    cp "$KTAB/examples/smp/smpc-logger.conf" "$RUN/"
    sed 's/ENABLED *= *true/ENABLED = false/' "$RUN/smpc-logger.conf" > "$RUN/nolog.conf"
    # 1. The CLI as shipped: text log + minimum SQLite tables (--logmin).
    t0=$(now); (cd "$RUN" && "$SMPC" --csv "$f.csv" --logmin --connstr "Driver=QSQLITE;Database=log" >/dev/null 2>&1); t1=$(now)
    states=$(grep -h -m1 -o 'There were [0-9]* states' "$RUN"/smpc-*_log.txt | awk '{print $3}')
    k_cli=$(echo "$t1 - $t0" | bc -l)
    # 2. The library in-process, no SQL, no text log.
    read -r k_st k_lib < <(cd "$RUN" && "$DRIVER" "$f.csv" nolog.conf)
    [ "$k_st" = "$((states - 1))" ] || echo "warning: KTAB driver ran $k_st turns, smpc $((states - 1))" >&2
    printf "%-16s %6s %7s %10.5f %10.3f %10.3f %8.0f %8.0f\n" "$f" "$o_turns" "$((states - 1))" "$o_s" \
      "$k_cli" "$k_lib" "$(echo "$k_cli / $o_s" | bc -l)" "$(echo "$k_lib / $o_s" | bc -l)"
  else
    printf "%-16s %6s %7s %10.5f %10s %10s %8s %8s\n" "$f" "$o_turns" - "$o_s" - - - -
  fi
done
echo "turns: ours; ktab_st: KTAB's steps (they must agree). ours_s: criterion median of"
echo "smp::simulate in-process. smpc_s: wall time of one 'smpc --logmin' process (text log +"
echo "minimum SQLite tables). ktab_lib_s: KTAB's SMPModel::runModel in-process with all SQL"
echo "groups off and logging disabled (bench/smp_ktab_driver). x_*: KTAB time / ours."
