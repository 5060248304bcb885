# taalspel - codes Dutch MI and solution-focused conversation transcripts.
#
#   make demo      install what is missing, build, code the bundled sample
#   make test      build and run every test (unit, rules, corpus, contract)
#   make deps      install the build dependencies with apt-get
#   make asan      the unit and CLI tests under AddressSanitizer + UBSan
#   make valgrind  the unit and CLI tests under valgrind memcheck
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
DEB_PKGS  := build-essential pkg-config libpcre2-dev libutf8proc-dev libcjson-dev check python3
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

.PHONY: golden all deps check-deps demo test unit-test cli-test rules-test asan valgrind install uninstall clean bench fuzz docs

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
	@$(MAKE) -s check-deps >/dev/null 2>&1 || $(MAKE) deps

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

test: ensure-deps
	@$(MAKE) -s all $(TEST_BIN)
	@bash tests/run.sh $(BUILD)

asan:
	@$(MAKE) -s ensure-deps
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" all build-asan/libtaalspel.a $(TEST_BIN:$(BUILD)/%=build-asan/%)
	CK_FORK=no TS_QUICK=1 bash tests/run.sh build-asan

valgrind:
	@$(MAKE) -s all $(TEST_BIN)
	TS_VALGRIND=1 TS_QUICK=1 bash tests/run.sh $(BUILD)

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
	rm -rf build build-asan out
