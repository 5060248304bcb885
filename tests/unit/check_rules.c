/* check_rules.c - the rule compiler's error messages, and rule files that
 * try to hang or exhaust it.
 *
 * A rule author's mistake must come back as one clear
 * "file:line:col: error: message" pointing at the mistake; a hostile or
 * absurd rule set (10^5 rules, a 1 MB lexicon line, lexicons that refer to
 * each other, a pattern that backtracks catastrophically) must fail with
 * such errors or compile, within a time bound, and never hang or crash. */
#include "coder.h"
#include "limits.h"
#include "pipeline.h"
#include "rules.h"
#include "ruletools.h"
#include "testutil.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int quick(void) { return getenv("TS_QUICK") != NULL; }

/* Compiles text as "a.rules"; returns the diagnostics as printed (caller
 * frees), the status in *rc, the time in *secs. */
static char *compile(const char *text, size_t len, int *rc, double *secs, ts_ruleset **keep)
{
    ts_ruleset *rs = NULL;
    ts_diags d = {0};
    double t0 = now_s();
    *rc = ts_rules_load_text(&rs, "a.rules", text, len, &d);
    if (secs) *secs = now_s() - t0;
    char *out = tu_diag_text(&d);
    ck_assert_msg((*rc == 0) == (d.errors == 0), "status %d with %zu errors:\n%s", *rc, d.errors, out);
    ts_diag_clear(&d);
    if (keep) *keep = rs;
    else ts_rules_free(rs);
    return out;
}

/* Compiles text that must compile; returns the ruleset. */
static ts_ruleset *compile_ok(const char *text, size_t len)
{
    int rc;
    ts_ruleset *rs = NULL;
    char *out = compile(text, len, &rc, NULL, &rs);
    ck_assert_msg(rc == 0, "%s", out);
    free(out);
    return rs;
}

#define HEAD "code x.y\n  role client\n  explain T.\n\n"

/* ---- error messages ----------------------------------------------------- */

static const struct { const char *name, *text, *want; } msgs[] = {
    {"unknown code", HEAD "rule r1\n  code x.z\n  match ik wil\n  explain T.\n",
     "a.rules:6:8: error: unknown code 'x.z' (declare it with a 'code x.z' block)"},
    {"unknown lexicon", HEAD "rule r1\n  code x.y\n  match ik @nope\n  explain T.\n",
     "a.rules:7:12: error: unknown lexicon '@nope'"},
    {"no explain", HEAD "rule r1\n  code x.y\n  match ik wil\n", "a.rules:5:6: error: rule 'r1' has no 'explain' line"},
    {"no match", HEAD "rule r1\n  code x.y\n  explain T.\n", "a.rules:5:6: error: rule 'r1' has no 'match' or 'regex' line"},
    {"no code", HEAD "rule r1\n  match ik\n  explain T.\n", "a.rules:5:6: error: rule 'r1' has no 'code' line"},
    {"bad regex", HEAD "rule r1\n  code x.y\n  regex /ik (wil/\n  explain T.\n",
     "a.rules:7:17: error: bad regular expression: missing closing parenthesis (at offset 7)"},
    {"regex without slashes", HEAD "rule r1\n  code x.y\n  regex ik wil\n  explain T.\n",
     "a.rules:7:9: error: regex must be written between slashes: regex /.../"},
    {"unclosed (", HEAD "rule r1\n  code x.y\n  match ik (wil | kan\n  explain T.\n",
     "a.rules:7:22: error: missing ')' to close '(' opened at column 12"},
    {"unclosed [", HEAD "rule r1\n  code x.y\n  match ik [wil\n  explain T.\n",
     "a.rules:7:16: error: missing ']' to close '[' opened at column 12"},
    {"unclosed phrase", HEAD "rule r1\n  code x.y\n  match ik \"wil graag\n  explain T.\n",
     "a.rules:7:22: error: missing '\"' to close the phrase opened at column 12"},
    {"gap too wide", HEAD "rule r1\n  code x.y\n  match ik ~99 wil\n  explain T.\n",
     "a.rules:7:12: error: gap '~99' must be ~1 .. ~40"},
    {"final punctuation in a pattern", HEAD "rule r1\n  code x.y\n  match ik wil ?\n  explain T.\n",
     "a.rules:7:16: error: sentence-final '?' is not part of the token text; use a 'final ?' line instead"},
    {"^ in the middle", HEAD "rule r1\n  code x.y\n  match ik ^ wil\n  explain T.\n",
     "a.rules:7:12: error: '^' must start the pattern"},
    {"pattern without a required token", HEAD "rule r1\n  code x.y\n  match [ik]\n  explain T.\n",
     "a.rules:7:9: error: pattern can match without any token"},
    {"stray )", HEAD "rule r1\n  code x.y\n  match ik ) wil\n  explain T.\n", "a.rules:7:12: error: unexpected ')'"},
    {"duplicate rule", HEAD "rule r1\n  code x.y\n  match ik\n  explain T.\nrule r1\n  code x.y\n  match jij\n  explain T.\n",
     "a.rules:9:6: error: duplicate rule id 'r1' (first defined at a.rules:5)"},
    {"unknown attribute", HEAD "rule r1\n  code x.y\n  match ik\n  explain T.\n  colour red\n",
     "a.rules:9:3: error: unknown rule attribute 'colour'"},
    {"unknown statement", "rul r1\n  code x.y\n" HEAD, "a.rules:1:1: error: unknown statement 'rul r1'"},
    {"indented line outside a block", "  code x.y\n" HEAD,
     "a.rules:1:3: error: indented line outside a rule, code or lexicon block"},
    {"bad rule name", HEAD "rule r 1\n  code x.y\n", "a.rules:5:6: error: invalid rule name 'r 1'"},
    {"unknown role", HEAD "rule r1\n  code x.y\n  role klant2\n  match ik\n  explain T.\n",
     "a.rules:7:8: error: unknown role 'klant2' (professional, client, other, any)"},
    {"unknown final", HEAD "rule r1\n  code x.y\n  final ;\n  match ik\n  explain T.\n",
     "a.rules:7:9: error: unknown final punctuation ';'"},
    {"priority not a number", HEAD "rule r1\n  code x.y\n  priority veel\n  match ik\n  explain T.\n",
     "a.rules:7:12: error: 'priority' needs a whole number from 0 to 1000"},
    {"circular requires", HEAD "code x.z\n  role client\n  explain T.\n\nrule a\n  code x.y\n  requires x.z\n  match ik\n"
                          "  explain T.\nrule b\n  code x.z\n  requires x.y\n  match ik\n  explain T.\n",
     "a.rules:9:1: error: rule 'a': 'requires'/'without' chain is circular"},
    {"lexicon cycle", HEAD "lexicon a: @b\nlexicon b: @a\n", "a.rules:5:9: error: lexicon 'a' refers to itself"},
    {"lexicon refers to itself", HEAD "lexicon a: een @a\n", "a.rules:5:9: error: lexicon 'a' refers to itself"},
    {"bad lexicon value", HEAD "lexicon a: een=1 twee=x\n",
     "a.rules:5:23: error: bad value in lexicon entry 'twee=x' (expected word=number)"},
    {"exclusive with one code", HEAD "exclusive x.y\n", "a.rules:5:11: error: 'exclusive' needs at least two codes"},
    {"role excludes the code's", "code x.y\n  role client\n  explain T.\nrule r1\n  code x.y\n  role professional\n"
                                 "  match ik\n  explain T.\n",
     "a.rules:4:6: error: rule 'r1' can never fire: its role excludes every role of code 'x.y'"},
    {"requires a code no rule emits", HEAD "code x.z\n  role client\n  explain T.\nrule r1\n  code x.y\n  requires x.z\n"
                                      "  match ik\n  explain T.\n",
     "a.rules:8:1: error: rule 'r1' can never fire: it requires code 'x.z', which no rule emits"},
    {"lexicon file missing", HEAD "lexicon a from nope.lex\n",
     "a.rules:5:16: error: cannot read lexicon file 'nope.lex': cannot open: No such file or directory"},
};

START_TEST(test_error_messages)
{
    int rc;
    char *out = compile(msgs[_i].text, strlen(msgs[_i].text), &rc, NULL, NULL);
    ck_assert_msg(rc != 0, "%s: compiled", msgs[_i].name);
    ck_assert_msg(strstr(out, msgs[_i].want) != NULL, "%s: want\n  %s\ngot\n%s", msgs[_i].name, msgs[_i].want, out);
    free(out);
}
END_TEST

/* "lexicon x from" a FIFO (or a device) is refused at once: opening a FIFO
 * would block the compiler forever. */
START_TEST(test_lexicon_from_fifo)
{
    char dir[] = "/tmp/taalspel-test-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *fifo = ts_strdupf("%s/woorden.lex", dir);
    ck_assert_int_eq(mkfifo(fifo, 0600), 0);
    char *text = ts_strdupf(HEAD "lexicon a from %s\n", fifo);
    int rc;
    double secs;
    char *out = compile(text, strlen(text), &rc, &secs, NULL);
    char *want = ts_strdupf("a.rules:5:16: error: cannot read lexicon file '%s': cannot read: not a regular file", fifo);
    ck_assert_msg(rc != 0 && strstr(out, want), "want %s, got:\n%s", want, out);
    unlink(fifo);
    rmdir(dir);
    free(want);
    free(out);
    free(text);
    free(fifo);
}
END_TEST

/* A NUL byte and invalid UTF-8 in a rule file are errors, not crashes. */
START_TEST(test_binary_rule_text)
{
    static const char nul[] = HEAD "rule r1\n  code x.y\0\n  match ik\n  explain T.\n";
    int rc;
    char *out = compile(nul, sizeof nul - 1, &rc, NULL, NULL);
    ck_assert_msg(rc != 0 && strstr(out, "a.rules:6:11: error: NUL byte in rule file"), "%s", out);
    free(out);
    static const char bad[] = HEAD "rule r1\n  code x.y\n  match ik \xFF\xFE wil\n  explain T.\n";
    out = compile(bad, sizeof bad - 1, &rc, NULL, NULL);
    free(out);
    static const char bad2[] = HEAD "rule r1\n  code x.y\n  regex /ik \xC3(/\n  explain T.\n";
    out = compile(bad2, sizeof bad2 - 1, &rc, NULL, NULL);
    ck_assert_msg(rc != 0 && strstr(out, "a.rules:7:"), "%s", out);
    free(out);
}
END_TEST

/* ---- patterns that backtrack ------------------------------------------- */

/* A user regex with catastrophic backtracking is stopped by the PCRE2
 * match limit on that sentence, reported with the rule id and the sentence,
 * and the rest of the transcript is coded; with both matchers. */
START_TEST(test_catastrophic_backtracking)
{
    static const char rules[] = HEAD
        "rule traag\n  code x.y\n  regex /^(a|aa)+$|(?:a+)+b/\n  explain T.\n\n"
        "rule snel\n  code x.y\n  match ik wil\n  explain T.\n\n"
        "rule gaten\n  code x.y\n  match a ~40 ~40 ~40 ~40 ~40 b ~40 ~40 c\n  explain T.\n";
    ts_ruleset *rs = compile_ok(rules, sizeof rules - 1);
    ts_buf b = {0};
    ts_buf_puts(&b, "C: Ik wil.\nC: ");
    for (int i = 0; i < 60; i++) ts_buf_putc(&b, 'a');
    ts_buf_puts(&b, "c!\nC: ");
    for (int i = 0; i < 399; i++) ts_buf_puts(&b, "a ");
    ts_buf_puts(&b, "c\nC: Ik wil weer.\n");
    for (int fast = 0; fast <= 1; fast++) {
        ts_coder *coder = ts_coder_new(rs);
        ts_coder_set_matcher(coder, fast);
        ts_diags d = {0};
        ts_pipe_opts po = {TS_FMT_TXT, NULL};
        ts_pipe_result res;
        double t0 = now_s();
        ts_pipe_code_mem("traag.txt", b.p, b.len, &po, coder, rs, NULL, NULL, NULL, NULL, &d, &res);
        double el = now_s() - t0;
        char *all = tu_diag_text(&d);
        ck_assert_msg(res.turns == 4, "%zu turns", res.turns);
        ck_assert_msg(tu_diag_has(&d, TS_SEV_ERROR, 2, "rule 'traag' (a.rules:5) was stopped by the PCRE2 match/depth limit"),
                      "matcher %d: no limit error at line 2:\n%s", fast, all);
        ck_assert_msg(strstr(all, "on the sentence \"aaaaaaaa") != NULL, "the error does not quote the sentence:\n%s", all);
        ck_assert_msg(el < (quick() ? 60 : 5), "matcher %d: %.2f s", fast, el);
        free(all);
        ts_diag_clear(&d);
        ts_coder_free(coder);
    }
    ts_buf_free(&b);
    ts_rules_free(rs);
}
END_TEST

/* ---- absurd rule sets --------------------------------------------------- */

/* 10^5 rules: one error at the first rule over TS_MAX_RULES, not 10^5
 * errors; the rules under the limit are still checked, in bounded time. */
START_TEST(test_hundred_thousand_rules)
{
    /* Under sanitizers TS_MAX_RULES rules still compile, which is slow
     * there; the full run covers it. */
    if (quick()) return;
    ts_buf b = {0};
    ts_buf_puts(&b, HEAD);
    for (int i = 0; i < 100000; i++)
        ts_buf_printf(&b, "rule r%d\n  code x.y\n  match woord%d\n  explain T.\n\n", i, i);
    int rc;
    double secs;
    char *out = compile(b.p, b.len, &rc, &secs, NULL);
    char *want = ts_strdupf("a.rules:%d:1: error: more than %d rules (TS_MAX_RULES)", 5 + 5 * TS_MAX_RULES, TS_MAX_RULES);
    ck_assert_msg(rc != 0 && strstr(out, want), "want %s, got:\n%.2000s", want, out);
    ck_assert_msg(strchr(out, '\n') == out + strlen(out) - 1, "more than one error:\n%.2000s", out);
    ck_assert_msg(secs < 20, "%.2f s", secs);
    free(want);
    free(out);
    ts_buf_free(&b);
}
END_TEST

/* A 1 MB lexicon line: over TS_MAX_LEXICON_ENTRIES it is one error, and
 * reading it is linear (duplicates are found by hashing). A rule using it
 * fails to compile with a clear message instead of building a giant regex. */
START_TEST(test_megabyte_lexicon_line)
{
    ts_buf b = {0};
    ts_buf_puts(&b, HEAD "lexicon groot:");
    for (int i = 0; b.len < 1024 * 1024; i++) ts_buf_printf(&b, " a%d b%d a%d", i, i, i / 2);
    ts_buf_puts(&b, "\n\nrule r1\n  code x.y\n  match ik @groot\n  explain T.\n");
    int rc;
    double secs;
    char *out = compile(b.p, b.len, &rc, &secs, NULL);
    ck_assert_msg(rc != 0 && strstr(out, "error: lexicon 'groot' has more than 50000 entries (TS_MAX_LEXICON_ENTRIES)"), "%.2000s", out);
    ck_assert_msg(strstr(out, "a.rules:9:9: error:"), "the rule using it: %.2000s", out);
    size_t n = 0;
    for (const char *p = out; (p = strstr(p, "more than 50000")); p++) n++;
    ck_assert_msg(n == 1, "%zu 'more than 50000 entries' errors", n);
    ck_assert_msg(secs < (quick() ? 60 : 5), "%.2f s", secs);
    free(out);

    /* one 1 MB entry */
    ts_buf_reset(&b);
    ts_buf_puts(&b, HEAD "lexicon lang: kort ");
    for (int i = 0; i < 1024 * 1024; i++) ts_buf_putc(&b, 'a' + i % 26);
    ts_buf_puts(&b, "\n");
    out = compile(b.p, b.len, &rc, &secs, NULL);
    ck_assert_msg(rc != 0 && strstr(out, "a.rules:5:20: error: lexicon entry longer than"), "%.500s", out);
    free(out);
    ts_buf_free(&b);
}
END_TEST

/* Lexicons that refer to each other: cycles and chains deeper than
 * TS_MAX_LEXICON_DEPTH are errors; a diamond (each lexicon twice the one
 * below) stays bounded by TS_MAX_LEXICON_ENTRIES. */
START_TEST(test_lexicon_references)
{
    ts_buf b = {0};
    ts_buf_puts(&b, HEAD);
    for (int i = 0; i < 20; i++) ts_buf_printf(&b, "lexicon l%d: w%d @l%d\n", i, i, i + 1);
    ts_buf_puts(&b, "lexicon l20: einde\n");
    int rc;
    char *out = compile(b.p, b.len, &rc, NULL, NULL);
    ck_assert_msg(rc != 0 && strstr(out, "error: lexicon references nested deeper than 8 (TS_MAX_LEXICON_DEPTH)"), "%s", out);
    free(out);

    ts_buf_reset(&b);
    ts_buf_puts(&b, HEAD "lexicon a: x @b\nlexicon b: y @c\nlexicon c: z @a\n");
    out = compile(b.p, b.len, &rc, NULL, NULL);
    ck_assert_msg(rc != 0 && strstr(out, "refers to itself"), "%s", out);
    free(out);

    ts_buf_reset(&b);
    ts_buf_puts(&b, HEAD "lexicon d0:");
    for (int i = 0; i < 20000; i++) ts_buf_printf(&b, " v%d", i);
    ts_buf_puts(&b, "\n");
    for (int i = 1; i <= 8; i++) ts_buf_printf(&b, "lexicon d%d: @d%d @d%d extra%d\nlexicon e%d: @d%d eigen%d\n", i, i - 1, i - 1, i, i, i - 1, i);
    ts_buf_puts(&b, "lexicon top: @d8 @e8 @e7 @e6\n");
    double secs;
    out = compile(b.p, b.len, &rc, &secs, NULL);
    ck_assert_msg(secs < (quick() ? 60 : 5), "%.2f s", secs);
    free(out);
    ts_buf_free(&b);
}
END_TEST

/* Patterns that name a big lexicon hundreds of times: each fails with a
 * clear message, and all together stay within TS_MAX_RULESET_REGEX_BYTES,
 * so compiling takes seconds, not minutes (it took 250 s and 770 MB). */
START_TEST(test_regex_expansion_bounded)
{
    ts_buf b = {0};
    ts_buf_puts(&b, HEAD "lexicon groot:");
    for (int i = 0; i < 40000; i++) ts_buf_printf(&b, " w%d", i);
    ts_buf_puts(&b, "\n\n");
    int nrules = quick() ? 10 : 300;
    for (int r = 0; r < nrules; r++) {
        ts_buf_printf(&b, "rule r%d\n  code x.y\n  match", r);
        for (int k = 0; k < 400; k++) ts_buf_puts(&b, " @groot");
        ts_buf_puts(&b, "\n  explain T.\n\n");
    }
    int rc;
    double secs;
    char *out = compile(b.p, b.len, &rc, &secs, NULL);
    ck_assert_msg(rc != 0 && strstr(out, "a.rules:9:9: error: pattern expands to more than"), "%.1000s", out);
    ck_assert_msg(secs < (quick() ? 120 : 10), "%.2f s", secs);
    if (!quick()) ck_assert_msg(strstr(out, "(TS_MAX_RULESET_REGEX_BYTES)") != NULL, "%.1000s", out);
    free(out);
    ts_buf_free(&b);
}
END_TEST

/* Rule text over TS_MAX_RULESET_BYTES is refused before parsing; patterns
 * over TS_MAX_PATTERN_BYTES and parentheses nested thousands deep are
 * errors. */
START_TEST(test_size_limits)
{
    size_t n = (size_t)TS_MAX_RULESET_BYTES + 10;
    char *big = ts_xmalloc(n);
    memset(big, '#', n);
    big[0] = '\n';
    int rc;
    char *out = compile(big, n, &rc, NULL, NULL);
    ck_assert_msg(rc != 0 && strstr(out, "a.rules:1:1: error: the rule files hold more than"), "%.500s", out);
    free(out);
    free(big);

    ts_buf b = {0};
    ts_buf_puts(&b, HEAD "rule r1\n  code x.y\n  match");
    while (b.len < 6000) ts_buf_puts(&b, " ik");
    ts_buf_puts(&b, "\n  explain T.\n");
    out = compile(b.p, b.len, &rc, NULL, NULL);
    ck_assert_msg(rc != 0 && strstr(out, "a.rules:7:9: error: pattern longer than 4096 bytes (TS_MAX_PATTERN_BYTES)"), "%.500s", out);
    free(out);

    static const int depths[] = {100, 300, 1300};
    for (int k = 0; k < 3; k++) {
        ts_buf_reset(&b);
        ts_buf_puts(&b, HEAD "rule r1\n  code x.y\n  match ");
        for (int i = 0; i < depths[k]; i++) ts_buf_puts(&b, i % 2 ? "[" : "(");
        ts_buf_puts(&b, "ik");
        for (int i = depths[k]; i-- > 0;) ts_buf_puts(&b, i % 2 ? "]" : ")");
        ts_buf_puts(&b, " wil\n  explain T.\n");
        double secs;
        out = compile(b.p, b.len, &rc, &secs, NULL);
        ck_assert_msg(secs < (quick() ? 30 : 3), "depth %d: %.2f s", depths[k], secs);
        if (rc != 0) ck_assert_msg(strstr(out, "a.rules:7:9: error:"), "depth %d: %.500s", depths[k], out);
        free(out);
    }
    ts_buf_free(&b);
}
END_TEST

/* ---- context conditions on a session's first turn ------------------------ */

/* A client "ja" is an answer only after the question: with after-no-code
 * and recent, the first turn of a session (no previous turn at all) must
 * not count as an answer. The examples are the assertions: "no C: Ja."
 * is a first turn. */
START_TEST(test_first_turn_context)
{
    static const char text[] =
        "code p.q\n  role professional\n  explain Q.\n"
        "code c.a\n  role client\n  explain A.\n"
        "rule vraag\n  code p.q\n  match vraag\n  explain q\n"
        "  yes T: Een vraag?\n  no T: Niets.\n"
        "rule antwoord\n  code c.a\n  after-no-code c.a\n  recent 1 p.q\n  match ja\n  explain a\n"
        "  yes T: Een vraag? >> C: Ja.\n  no C: Ja.\n  no T: Niets. >> C: Ja.\n"
        "rule na-iets\n  code c.a\n  after-code p.q\n  match klopt\n  explain b\n"
        "  yes T: Een vraag? >> C: Klopt.\n  no C: Klopt.\n";
    ts_ruleset *rs = compile_ok(text, sizeof text - 1);
    char *buf = NULL;
    size_t len = 0, total = 0;
    FILE *f = open_memstream(&buf, &len);
    size_t failed = ts_rules_test(rs, f, &total, 1);
    fclose(f);
    ck_assert_msg(failed == 0 && total == 7, "%zu of %zu examples failed:\n%s", failed, total, buf);
    free(buf);
    ts_rules_free(rs);
}
END_TEST

/* after-match: a client's bare "ja" is change talk only when the turn
 * before asked about the change - words a code on that turn cannot carry.
 * Any sentence of the previous turn counts; no previous turn, or a previous
 * turn that asked something else, does not. */
START_TEST(test_after_match)
{
    static const char text[] =
        "code p.q\n  role professional\n  explain Q.\n"
        "code c.wens\n  role client\n  explain W.\n"
        "rule vraag\n  code p.q\n  match (wil | rook) je\n  explain q\n"
        "  yes T: Wil je dat?\n  no T: Niets.\n"
        "rule ja-wens\n  code c.wens\n  after-role professional\n"
        "  after-match (wil | wilt) (je | u) ~3 (stoppen | minderen)\n"
        "  after-match ^ zou (je | u) ~2 willen ~2 stoppen\n"
        "  match ^ (ja | zeker) $\n  explain w\n"
        "  yes T: Wil je eigenlijk stoppen? >> C: Ja.\n"
        "  yes T: Goed dat je er bent. Wilt u minderen? >> C: Zeker.\n"
        "  yes T: Zou je dat willen, stoppen? >> C: Ja.\n"
        "  no T: Rook je nog? >> C: Ja.\n"
        "  no C: Ja.\n"
        "  no T: Wil je stoppen? >> C: Ik weet het niet. >> C: Ja.\n"
        "  no T: Wil je stoppen? >> C: Ja, maar niet nu.\n";
    ts_ruleset *rs = compile_ok(text, sizeof text - 1);
    ck_assert_uint_eq(rs->rules[1].nafter_match, 2);
    char *buf = NULL;
    size_t len = 0, total = 0;
    FILE *f = open_memstream(&buf, &len);
    size_t failed = ts_rules_test(rs, f, &total, 1);
    fclose(f);
    ck_assert_msg(failed == 0 && total == 9, "%zu of %zu examples failed:\n%s", failed, total, buf);
    free(buf);
    ts_rules_free(rs);
}
END_TEST

static Suite *rules_suite(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("messages");
    tcase_add_loop_test(tc, test_error_messages, 0, (int)(sizeof msgs / sizeof msgs[0]));
    tcase_add_test(tc, test_binary_rule_text);
    tcase_add_test(tc, test_lexicon_from_fifo);
    tcase_add_test(tc, test_first_turn_context);
    tcase_add_test(tc, test_after_match);
    suite_add_tcase(s, tc);
    TCase *absurd = tcase_create("absurd");
    tcase_set_timeout(absurd, getenv("TS_QUICK") ? 600 : 120);
    tcase_add_test(absurd, test_catastrophic_backtracking);
    tcase_add_test(absurd, test_hundred_thousand_rules);
    tcase_add_test(absurd, test_megabyte_lexicon_line);
    tcase_add_test(absurd, test_lexicon_references);
    tcase_add_test(absurd, test_regex_expansion_bounded);
    tcase_add_test(absurd, test_size_limits);
    suite_add_tcase(s, absurd);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rules_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
