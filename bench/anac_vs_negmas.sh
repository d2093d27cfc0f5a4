#!/usr/bin/env bash
# Side by side with NegMAS on a sample of ANAC domains (same preferences,
# same strategies): same agreement? same step? speed ratio. Installs negmas
# into bench/scratch/venv (git-ignored). Needs the ANAC folders in
# bench/scratch/anac (see bench/anac_all.sh for how to get them).
# Usage: bench/anac_vs_negmas.sh [STEPS] [REPEAT]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ANAC="$ROOT/bench/scratch/anac"
VENV="$ROOT/bench/scratch/venv"
SCRATCH="$ROOT/bench/scratch/anac_vs_negmas"
[ -d "$ANAC/y2010" ] || { echo "no ANAC domains in $ANAC; run bench/anac_all.sh NEGMAS_GIT_DIR first" >&2; exit 2; }
mkdir -p "$SCRATCH"
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" show negmas >/dev/null 2>&1 || "$VENV/bin/pip" install -q negmas
(cd "$ROOT" && cargo build --release -q -p negotium-scenario --example bargain_json)
cd "$SCRATCH"   # not inside site-packages (negmas/types shadows stdlib types)
"$VENV/bin/python" "$ROOT/bench/anac_vs_negmas.py" "$ROOT/target/release/examples/bargain_json" "$ANAC" "${1:-100}" "${2:-200}" \
  y2010/EnglandZimbabwe y2010/ItexvsCypress y2010/Travel y2011/Camera y2011/Energy y2011/Grocery y2011/Laptop \
  y2012/AirportSiteSelectionA y2012/RentalHouseB y2012/SupermarketA y2013/DogChoosing y2013/Kitchen y2013/Wholesaler \
  y2013/SmartPhone y2015/group5-car_domain
