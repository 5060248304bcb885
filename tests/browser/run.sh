#!/usr/bin/env bash
# tests/browser/run.sh BUILD_DIR - the HTML report in headless Chromium.
#
# Used by `make browser-test` (which installs chromium first). For three
# sessions (the bundled sample, an empty transcript, and a 1,000-turn
# transcript generated here) it writes the report, loads it in headless
# Chromium and checks, from the DOM after the scripts ran (--dump-dom):
#   - the page's own scripts ran (data-ready="1" on <html>), so the CSP
#     hashes match the inline scripts;
#   - no errors: the report records window errors, console.error calls and
#     CSP violations in data-errors on <html>, which must be absent;
#   - the key elements are there (every section, turns, chips, footer);
# and takes screenshots at phone (390 px) and desktop (1280 px) width. The
# sample's go to docs/report-phone.png and docs/report-desktop.png; the
# others, and full-length ones, stay in $TS_SHOTS (default: a temp dir).
# The sample is also printed to PDF, which must be A4.
#
# Environment: CHROMIUM (browser binary), TS_RULES (rule directory, default
# rules/nl), TS_SHOTS (keep all screenshots there).
set -u
cd "$(dirname "$0")/../.."
B=${1:-build}
T=$B/taalspel
RULES=${TS_RULES:-rules/nl}
CHROME=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
pass=0; fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SHOTS=${TS_SHOTS:-$tmp/shots}
mkdir -p "$SHOTS"

if [ -z "$CHROME" ]; then
  echo "tests/browser/run.sh: chromium not found; run: make browser-deps"
  echo "0 passed, 1 failed"
  exit 1
fi

ok()  { pass=$((pass+1)); printf 'ok   %s\n' "$1"; }
bad() { fail=$((fail+1)); printf 'FAIL %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/     /' | head -20; }

# One headless Chromium run with a fresh profile, no network, no extras.
chrome() {
  local prof
  prof=$(mktemp -d -p "$tmp")
  timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-extensions --hide-scrollbars --mute-audio \
    --host-resolver-rules='MAP * ~NOTFOUND' --user-data-dir="$prof" "$@" 2>>"$tmp/chrome.log"
}

url() { case $1 in /*) echo "file://$1";; *) echo "file://$PWD/$1";; esac; }

# The sha256 of each inline <script> of a page, as CSP wants them.
script_hashes() {
  python3 -c 'import re,sys,hashlib,base64
for s in re.findall(r"<script>(.*?)</script>", open(sys.argv[1], encoding="utf-8").read(), re.S):
    print("sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode())' "$1" 2>&1
}

# check NAME HTML [extra grep patterns that must be in the DOM...]
check_dom() {
  local name=$1 html=$2; shift 2
  local dom=$tmp/$name.dom.html
  chrome --virtual-time-budget=3000 --dump-dom "$(url "$html")" >"$dom"
  local head
  head=$(tr '\n' ' ' <"$dom" | grep -o '<html[^>]*>' | head -1)
  if [ ! -s "$dom" ]; then bad "$name: page loads" "chromium printed no DOM; see its log:
$(tail -5 "$tmp/chrome.log")"; return; fi
  case $head in
    *'data-ready="1"'*) ok "$name: page scripts ran (CSP hashes match)";;
    *) bad "$name: page scripts ran (CSP hashes match)" "<html> is: $head
the page's scripts hash to (put these in CSP_SCRIPT_HASHES in src/report.c):
$(script_hashes "$html")";;
  esac
  case $head in
    *data-errors*) bad "$name: no console errors" "$(sed -n 's/.*data-errors="\([^"]*\)".*/\1/p' "$dom" | head -5)";;
    *) ok "$name: no console errors";;
  esac
  local missing=""
  for pat in 'id="kop"' 'id="kerncijfers"' 'id="punten"' 'id="tijdlijn"' 'id="profiel"' 'id="transcript"' \
             'id="voet"' 'class="gauge"' 'geen beoordeling' "$@"; do
    grep -q -- "$pat" "$dom" || missing="$missing
$pat"
  done
  if [ -z "$missing" ]; then ok "$name: key elements present"; else bad "$name: key elements present" "missing:$missing"; fi
}

# shot NAME HTML WIDTH HEIGHT OUT [scale]
shot() {
  local name=$1 html=$2 w=$3 h=$4 out=$5 scale=${6:-1}
  rm -f "$out"
  chrome --virtual-time-budget=3000 --force-device-scale-factor="$scale" --window-size="$w,$h" \
    --screenshot="$out" "$(url "$html")" >/dev/null
  if [ -s "$out" ] && [ "$(stat -c %s "$out")" -gt 5000 ]; then ok "$name: screenshot ${w}px ($out)"
  else bad "$name: screenshot ${w}px" "no image written; see $tmp/chrome.log"; fi
}

# --- the three sessions --------------------------------------------------
"$T" report -q --rules "$RULES" corpora/sample/sessie.txt -o "$tmp/sample.html" 2>"$tmp/err" \
  && ok "report of the sample" || bad "report of the sample" "$(cat "$tmp/err")"

: >"$tmp/leeg.txt"
"$T" report -q --rules "$RULES" "$tmp/leeg.txt" -o "$tmp/empty.html" 2>"$tmp/err" \
  && ok "report of an empty session" || bad "report of an empty session" "$(cat "$tmp/err")"

# 1,000 turns: the professional and the client take turns, cycling through
# questions, reflections, a why-question, change talk and scale answers.
awk 'BEGIN {
  split("Wat brengt je hier vandaag?|Je wilt graag minder gamen, omdat je slaap eronder lijdt.|Waarom stop je dan niet gewoon om elf uur?|Heb je dat al eens geprobeerd?|Op een schaal van 0 tot 10, waar sta je nu?|Wanneer lukt het al een beetje?|Je bent trots dat het op zondag lukt.|Wat zou je vriendin merken als het beter gaat?", p, "|");
  split("Ik wil eigenlijk minder gamen.|Ja, dat klopt wel.|Ik weet het niet, het is lastig met mijn team.|Nee, nog nooit.|Een zes, denk ik.|Op zondag stop ik om half twaalf.|Ja, dat is wel zo. Ik ga het woensdag ook proberen.|Dat ik meer tijd voor haar heb <en> dat ik \"fit\" ben.", c, "|");
  print "# rollen: T=professional, C=client";
  for (i = 0; i < 500; i++) { print "T: " p[i % 8 + 1]; print "C: " c[i % 8 + 1] " (" i ")"; }
}' >"$tmp/lang.txt"
"$T" report -q --rules "$RULES" "$tmp/lang.txt" -o "$tmp/big.html" 2>"$tmp/err" \
  && ok "report of a 1,000-turn session" || bad "report of a 1,000-turn session" "$(cat "$tmp/err")"

# --- in the browser ------------------------------------------------------
check_dom sample "$tmp/sample.html" 'class="chip' '<mark class=' 'id="t1"' 'class="point"'
check_dom empty "$tmp/empty.html"
check_dom big "$tmp/big.html" 'id="t1000"' 'class="chip'
# The checker itself: a page with an injected script and an outside image
# must be caught (CSP blocks both and the page records the violations).
sed 's|<footer id="voet">|<img src="http://example.invalid/x.png"><script>throw new Error("boom")</script>&|' \
  "$tmp/sample.html" >"$tmp/evil.html"
chrome --virtual-time-budget=3000 --dump-dom "$(url "$tmp/evil.html")" >"$tmp/evil.dom.html"
if tr '\n' ' ' <"$tmp/evil.dom.html" | grep -o '<html[^>]*>' | grep -q 'data-errors="[^"]*CSP'; then
  ok "checker: injected script and outside request are blocked and reported"
else
  bad "checker: injected script and outside request are blocked and reported" "$(head -c 300 "$tmp/evil.dom.html")"
fi

n=$(grep -o '<article class="turn' "$tmp/big.dom.html" 2>/dev/null | wc -l)
[ "$n" = 1000 ] && ok "big: 1,000 turns on the page" || bad "big: 1,000 turns on the page" "found $n"

# The sample's screenshots are the ones in docs/: the top of the report, as
# a trainee first sees it (phone at 2x like a real phone screen).
DOC=${TS_DOC_SHOTS:-docs}
shot sample "$tmp/sample.html" 1280 2300 "$DOC/report-desktop.png" 1
shot sample "$tmp/sample.html" 390 2000 "$DOC/report-phone.png" 2
shot sample-full "$tmp/sample.html" 1280 9000 "$SHOTS/sample-desktop-full.png" 1
shot sample-full "$tmp/sample.html" 390 16000 "$SHOTS/sample-phone-full.png" 1
shot empty "$tmp/empty.html" 1280 2400 "$SHOTS/empty-desktop.png" 1
shot empty "$tmp/empty.html" 390 3200 "$SHOTS/empty-phone.png" 1
shot big "$tmp/big.html" 1280 2400 "$SHOTS/big-desktop.png" 1
shot big "$tmp/big.html" 390 3000 "$SHOTS/big-phone.png" 1

# Printed ("save as PDF"): A4 pages, 595 x 842 points.
chrome --virtual-time-budget=3000 --no-pdf-header-footer --print-to-pdf="$tmp/sample.pdf" \
  "$(url "$tmp/sample.html")" >/dev/null
if [ -s "$tmp/sample.pdf" ] && grep -aq 'MediaBox \[0 0 59[45]' "$tmp/sample.pdf"; then
  ok "sample: prints on A4 ($(grep -ac '/Type /Page$\|/Type /Page\b' "$tmp/sample.pdf") pages)"
  [ -n "${TS_SHOTS:-}" ] && cp "$tmp/sample.pdf" "$SHOTS/sample.pdf"
else
  bad "sample: prints on A4" "$(grep -ao 'MediaBox[^]]*]' "$tmp/sample.pdf" 2>/dev/null | head -2)"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
