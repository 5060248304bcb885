# taalspel - codes Dutch MI and solution-focused conversation transcripts.
#
#   make demo      install what is missing, build, code the bundled sample
#   make test      build and run every test (unit, rules, corpus, contract)
#   make deps      install the build dependencies with apt-get
#   make asan      the quick suite under AddressSanitizer + UBSan (also part of make test)
#   make valgrind  the quick suite under valgrind memcheck (also part of make test)
#   make fuzz      each libFuzzer target for FUZZ_SECONDS (default 60); see tests/fuzz/README.md
#   make install   PREFIX=/usr/local DESTDIR=
#   make bench / make fuzz   see bench/ and tests/fuzz/

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
LIBDIR    ?= $(PREFIX)/lib
INCDIR    ?= $(PREFIX)/include
DATADIR   ?= $(PREFIX)/share/taalspel
MANDIR    ?= $(PREFIX)/share/man
CC        ?= cc
PKGS      := libpcre2-8 libutf8proc libcjson
DEB_PKGS  := build-essential pkg-config libpcre2-dev libutf8proc-dev libcjson-dev check python3 parallel valgrind
FUZZ_DEB_PKGS := clang libclang-rt-dev
BUILD     ?= build

WARN      := -Wall -Wextra -pedantic -Wstrict-prototypes -Wshadow -Wno-unused-parameter
OPT       ?= -O2 -g
CFLAGS    ?=
CPPFLAGS_ALL = -std=c11 -D_POSIX_C_SOURCE=200809L -DTS_VERSION='"$(VERSION)"' \
               -DTS_DATADIR='"$(DATADIR)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CFLAGS_ALL = $(OPT) $(WARN) -fvisibility=hidden -pthread $(CFLAGS) $(CFLAGS_EXTRA)
LDLIBS_ALL = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)

LIB_SRC   := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ   := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
TEST_SRC  := $(wildcard tests/unit/check_*.c)
TEST_BIN  := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

# Fuzz targets (tests/fuzz/fuzz_<name>.c). `make fuzz` builds them with clang
# and libFuzzer into build-fuzz/; `make test` builds each with replay.c as
# $(BUILD)/fuzz/replay_<name> and replays tests/fuzz/regressions/<name>/.
FUZZ_TARGETS := read_txt read_jsonl read_vtt read_srt token rules code
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build-fuzz
FUZZ_FLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -DRD_CHUNK=16
FUZZ_OBJ     := $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
REPLAY_BIN   := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)

# The HTML report in a real browser (headless Chromium from Debian).
.PHONY: browser-deps browser-test
.PHONY: eval golden all deps check-deps demo test unit-test cli-test rules-test asan valgrind install uninstall clean bench fuzz fuzz-build fuzz-deps ensure-fuzz-deps docs

all: check-deps $(BUILD)/taalspel

# Tell exactly what is missing instead of failing with a compiler error.
check-deps:
	@missing=""; \
	command -v $(CC) >/dev/null 2>&1 || missing="$$missing build-essential"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	if command -v pkg-config >/dev/null 2>&1; then \
	  pkg-config --exists libpcre2-8 || missing="$$missing libpcre2-dev"; \
	  pkg-config --exists libutf8proc || missing="$$missing libutf8proc-dev"; \
	  pkg-config --exists libcjson || missing="$$missing libcjson-dev"; \
	  pkg-config --exists check || missing="$$missing check"; \
	fi; \
	command -v valgrind >/dev/null 2>&1 || missing="$$missing valgrind"; \
	if [ -n "$$missing" ]; then \
	  echo "taalspel: missing build dependencies:$$missing"; \
	  echo "  install them with:  make deps   (runs: apt-get install$$missing)"; \
	  exit 1; \
	fi

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	echo "installing: $(DEB_PKGS)"; \
	$$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEB_PKGS)

# Installs dependencies only when something is missing, so demo and test
# work on a bare Debian with make and git.
ensure-deps:
	@{ $(MAKE) -s check-deps >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 && \
	   command -v parallel >/dev/null 2>&1; } || $(MAKE) deps

$(BUILD)/%.o: src/%.c src/*.h | $(BUILD)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c $< -o $@

$(BUILD):
	mkdir -p $(BUILD) $(BUILD)/tests

$(BUILD)/libtaalspel.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/taalspel: $(BUILD)/main.o $(BUILD)/libtaalspel.a
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(BUILD)/libtaalspel.a | $(BUILD)
	$(CC) $(CPPFLAGS_ALL) -Isrc $(CFLAGS_ALL) -Wno-pedantic -o $@ $< $(BUILD)/libtaalspel.a $(LDLIBS_ALL) $(CHECK_LIBS)

$(BUILD)/fuzz/replay_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(BUILD)/libtaalspel.a | $(BUILD)
	@mkdir -p $(BUILD)/fuzz
	$(CC) $(CPPFLAGS_ALL) -Isrc $(CFLAGS_ALL) -o $@ tests/fuzz/replay.c tests/fuzz/fuzz_$*.c $(BUILD)/libtaalspel.a $(LDLIBS_ALL)

demo: ensure-deps
	@$(MAKE) -s all
	@mkdir -p out
	@./$(BUILD)/taalspel code --rules rules/nl corpora/sample/sessie.txt -o out/sessie.json
	@./$(BUILD)/taalspel code --rules rules/nl --format csv corpora/sample/sessie.txt -o out/sessie.csv
	@./$(BUILD)/taalspel report --rules rules/nl corpora/sample/sessie.txt -o out/verslag.html
	@echo "coded corpora/sample/sessie.txt:"
	@echo "  out/sessie.json      (JSON: every turn with its codes, and the scores)"
	@echo "  out/sessie.csv       (turn table; out/sessie.sessions.csv: the session row)"
	@echo "  out/verslag.html     (feedback report, open it in a browser)"

test: ensure-deps browser-deps
	@$(MAKE) -s all $(TEST_BIN) $(REPLAY_BIN)
	@bash tests/run.sh $(BUILD)

# The quick suite (TS_QUICK=1: unit suites with smaller pathological inputs,
# rules, fuzz regressions) under ASan+UBSan, and under valgrind memcheck.
# tests/run.sh runs both as steps of `make test`.
ASAN_OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
asan:
	@$(MAKE) -s ensure-deps
	@$(MAKE) -s BUILD=build-asan OPT="$(ASAN_OPT)" all build-asan/libtaalspel.a \
	  $(TEST_BIN:$(BUILD)/%=build-asan/%) $(REPLAY_BIN:$(BUILD)/%=build-asan/%)
	CK_FORK=no TS_QUICK=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  bash tests/run.sh build-asan

valgrind:
	@$(MAKE) -s all $(TEST_BIN) $(REPLAY_BIN)
	TS_VALGRIND=1 TS_QUICK=1 bash tests/run.sh $(BUILD)

# ---- fuzzing ------------------------------------------------------------
# The library objects with fuzzer-no-link + ASan + UBSan, each target with
# libFuzzer. RD_CHUNK=16 makes the file reader cross chunk boundaries on
# short inputs, so the memory-vs-file comparison of the reader targets means
# something.
$(FUZZ_BUILD)/obj/%.o: src/%.c src/*.h
	@mkdir -p $(FUZZ_BUILD)/obj
	$(FUZZ_CC) $(CPPFLAGS_ALL) $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(CPPFLAGS_ALL) -Isrc $(WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LDLIBS_ALL)

# Installs clang and libFuzzer (Debian: clang, libclang-rt-dev).
fuzz-deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	echo "installing: $(FUZZ_DEB_PKGS)"; \
	$$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(FUZZ_DEB_PKGS)

# Installs clang only when it cannot link a libFuzzer target.
ensure-fuzz-deps: ensure-deps
	@t=$$(mktemp); printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' | \
	  $(FUZZ_CC) -fsanitize=fuzzer -x c - -o "$$t" >/dev/null 2>&1; ok=$$?; rm -f "$$t"; \
	  [ $$ok = 0 ] || $(MAKE) fuzz-deps

fuzz-build: ensure-fuzz-deps
	@$(MAKE) -s $(FUZZ_BIN)

# Runs every target for FUZZ_SECONDS on a corpus seeded from corpora/,
# rules/ and tests/ (build-fuzz/corpus/<target>, kept between runs). Crashes
# and slow inputs land in build-fuzz/artifacts/<target>/; minimise them and
# keep them in tests/fuzz/regressions/<target>/ (see tests/fuzz/README.md).
fuzz: fuzz-build
	@bash tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR) \
	  $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/taalspel $(DESTDIR)$(BINDIR)/taalspel
	install -m 644 $(BUILD)/libtaalspel.a $(DESTDIR)$(LIBDIR)/libtaalspel.a
	install -m 644 src/taalspel.h $(DESTDIR)$(INCDIR)/taalspel.h
	cp -R rules/nl $(DESTDIR)$(DATADIR)/rules/
	install -m 644 docs/taalspel.1 $(DESTDIR)$(MANDIR)/man1/taalspel.1
	sed -e 's|@PREFIX@|$(PREFIX)|; s|@LIBDIR@|$(LIBDIR)|; s|@INCDIR@|$(INCDIR)|; s|@VERSION@|$(VERSION)|' \
	  taalspel.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/taalspel.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/taalspel $(DESTDIR)$(LIBDIR)/libtaalspel.a $(DESTDIR)$(INCDIR)/taalspel.h \
	  $(DESTDIR)$(LIBDIR)/pkgconfig/taalspel.pc $(DESTDIR)$(MANDIR)/man1/taalspel.1
	rm -rf $(DESTDIR)$(DATADIR)

docs: all
	./$(BUILD)/taalspel rules doc --rules rules/nl > docs/codebook.md

# Rewrites the golden output of the sample session after an intended change.
golden: all
	./$(BUILD)/taalspel code --rules rules/nl corpora/sample/sessie.txt > tests/golden/sessie.json

clean:
	rm -rf build build-asan build-fuzz out

# Headless Chromium for the browser test of the HTML report (Debian package
# "chromium"; apt-get, with sudo when not root). Installs only when missing.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  echo "installing: chromium"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# Opens the report of the sample, an empty and a 1,000-turn session in
# headless Chromium at phone and desktop width; checks for console errors and
# the key elements; writes docs/report-desktop.png and docs/report-phone.png.
browser-test: browser-deps
	@$(MAKE) -s all
	@bash tests/browser/run.sh $(BUILD)

# Accuracy on the gold corpora, dev and test side by side: docs/eval.md and
# the table in README.md.
eval: all
	python3 tests/eval_table.py $(BUILD)/taalspel > docs/eval.md
	python3 tests/readme_block.py eval docs/eval.md

# ---- benchmark ----------------------------------------------------------
# `make bench` measures taalspel against the reference matcher, Hyperscan or
# Vectorscan, ucto and memcpy on a BENCH_MB corpus built from corpora/, and
# writes bench/results.json (see bench/run.py and bench/RESULTS.md). The
# Hyperscan and ucto columns are skipped, with a note, when the libraries are
# missing: `make bench-deps` installs them. BENCH_RSS_MB=1000 also streams
# 1 GB in jsonl mode for the peak-RSS figure.
BENCH_MB     ?= 200
BENCH_RUNS   ?= 5
BENCH_REF_MB ?= 10
BENCH_UCTO_MB ?= 5
BENCH_RSS_MB ?= 0
HS_FOUND     := $(shell pkg-config --exists libhs 2>/dev/null && echo 1)
BENCH_HS     := $(if $(HS_FOUND),-DTS_HAVE_HS $(shell pkg-config --cflags libhs),)
BENCH_HSLIB  := $(if $(HS_FOUND),$(shell pkg-config --libs libhs),)

.PHONY: bench-deps
$(BUILD)/bench: bench/bench.c $(BUILD)/libtaalspel.a src/*.h | $(BUILD)
	$(CC) $(CPPFLAGS_ALL) -Isrc $(BENCH_HS) $(CFLAGS_ALL) -o $@ bench/bench.c $(BUILD)/libtaalspel.a $(LDLIBS_ALL) $(BENCH_HSLIB)

bench:
	@$(MAKE) -s all $(BUILD)/bench
	@[ -n "$(HS_FOUND)" ] || echo "bench: Hyperscan/Vectorscan not found (make bench-deps); its column is skipped"
	python3 bench/run.py --build $(BUILD) --mb $(BENCH_MB) --runs $(BENCH_RUNS) --ref-mb $(BENCH_REF_MB) \
	  --ucto-mb $(BENCH_UCTO_MB) --rss-mb $(BENCH_RSS_MB)

# Hyperscan (x86 with SSSE3) or else Vectorscan, and ucto, from Debian.
bench-deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	$$SUDO apt-get update -qq; \
	if grep -q ssse3 /proc/cpuinfo && apt-cache show libhyperscan-dev >/dev/null 2>&1; then HS=libhyperscan-dev; else HS=libvectorscan-dev; fi; \
	echo "installing: $$HS ucto"; \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$HS ucto
