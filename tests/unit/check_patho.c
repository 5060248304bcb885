/* check_patho.c - pathological inputs, each under a time bound.
 *
 * The promise (issue 8): whatever a transcription pipeline or Teams export
 * produced, taalspel either codes it or fails with a clear file:line error,
 * in time linear in the input, and loses no turn on the way: every turn of
 * the input is an utterance or a failed turn that was reported.
 *
 * Every case runs the whole `code` pipeline (reader, tokenizer, the real
 * rule pack, classifier, JSON writer to /dev/null) through code(), which
 * asserts "turns + failed == the turns the test put in" and times the run.
 * Bounds are about 5x what this 2-core machine needs, so they hold on a
 * slow shared machine; a quadratic step blows them by far. TS_QUICK=1 (the
 * ASan and valgrind passes) shrinks the big inputs 10-50x and relaxes the
 * bounds, since those runs are 20-50x slower. TS_PATHO_VERBOSE=1 prints
 * each case's time. */
#include "coder.h"
#include "emit.h"
#include "limits.h"
#include "pipeline.h"
#include "read_internal.h"
#include "testutil.h"
#include "token.h"
#include <check.h>
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static ts_ruleset *rs;
static int quick, verbose;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void setup(void)
{
    const char *top = getenv("TS_SRCDIR");
    char *dir = ts_strdupf("%s/rules/nl", top ? top : ".");
    const char *dirs[] = {dir};
    ts_diags d = {0};
    quick = getenv("TS_QUICK") != NULL;
    verbose = getenv("TS_PATHO_VERBOSE") != NULL;
    int rc = ts_rules_load(&rs, dirs, 1, &d);
    if (rc != 0) ts_diag_print(&d, stderr);
    ts_diag_clear(&d);
    free(dir);
    ck_assert_msg(rc == 0, "rules/nl does not compile");
}

static void teardown(void)
{
    ts_rules_free(rs);
    rs = NULL;
}

/* Size for the full run, or the quick one. */
static size_t sz(size_t full, size_t q) { return quick ? q : full; }
/* Time bound in seconds: the full run's, or a relaxed one for sanitizers. */
static double bound(double full) { return quick ? full * 10 : full; }

typedef struct {
    ts_pipe_result res;
    ts_diags d;
    double secs;
    char *json; /* the JSON document, when asked for */
} coded;

static void coded_free(coded *c)
{
    ts_diag_clear(&c->d);
    free(c->json);
    memset(c, 0, sizeof *c);
}

/* Codes data (named name: its extension picks the format) through the whole
 * pipeline within max_s seconds. keep_json: keep the JSON output (small
 * inputs only). Asserts that turns + failed == want_turns. */
static void code(coded *c, const char *name, const char *data, size_t len, size_t want_turns, double max_s,
                 int keep_json)
{
    memset(c, 0, sizeof *c);
    size_t jlen = 0;
    FILE *out = keep_json ? open_memstream(&c->json, &jlen) : fopen("/dev/null", "w");
    ck_assert_ptr_nonnull(out);
    ts_coder *coder = ts_coder_new(rs);
    ts_emitter em = {TS_OUT_JSON, out, NULL, rs, NULL, 0};
    ts_scores sc;
    ts_scores_init(&sc);
    ts_pipe_opts po = {TS_FMT_AUTO, NULL};
    double t0 = now_s();
    ts_pipe_code_mem(name, data, len, &po, coder, rs, &em, &sc, NULL, NULL, &c->d, &c->res);
    fclose(out);
    c->secs = now_s() - t0;
    ts_scores_free(&sc);
    ts_coder_free(coder);
    if (verbose) printf("patho: %-44s %10zu bytes %9.3f s\n", name, len, c->secs);
    char *diags = tu_diag_text(&c->d);
    ck_assert_msg(c->res.turns + c->res.failed == want_turns, "%s: %zu turns + %zu failed, want %zu; diagnostics:\n%.2000s",
                  name, c->res.turns, c->res.failed, want_turns, diags);
    ck_assert_msg(c->res.failed <= c->d.errors, "%s: %zu failed turns but %zu errors", name, c->res.failed,
                  c->d.errors);
    ck_assert_msg(c->secs < bound(max_s), "%s: %.2f s, over the %.0f s bound", name, c->secs, bound(max_s));
    free(diags);
}

/* Asserts an error at line that contains needle; prints all on failure. */
#define ck_error_at(c, ln, needle)                                                                       \
    do {                                                                                                 \
        char *all_ = tu_diag_text(&(c)->d);                                                              \
        ck_assert_msg(tu_diag_has(&(c)->d, TS_SEV_ERROR, (ln), (needle)), "no error at line %lu with \"%s\":\n%s", \
                      (unsigned long)(ln), (needle), all_);                                              \
        free(all_);                                                                                      \
    } while (0)

#define ck_no_errors(c)                                                                                  \
    do {                                                                                                 \
        char *all_ = tu_diag_text(&(c)->d);                                                              \
        ck_assert_msg((c)->d.errors == 0, "unexpected errors:\n%.3000s", all_);                          \
        free(all_);                                                                                      \
    } while (0)

/* The code names of every utterance of a JSON document, as one string:
 * "turn0code turn0code | turn1code | ...". Caller frees. */
static char *codes_of(const char *json)
{
    ts_buf b = {0};
    cJSON *doc = cJSON_Parse(json);
    const cJSON *u, *k;
    cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(doc, "utterances"))
    {
        ts_buf_puts(&b, "|");
        cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(u, "codes"))
        {
            const cJSON *name = cJSON_GetObjectItemCaseSensitive(k, "code");
            ts_buf_printf(&b, " %s", cJSON_IsString(name) ? name->valuestring : "?");
        }
    }
    cJSON_Delete(doc);
    ts_buf_puts(&b, "");
    return ts_buf_detach(&b);
}

/* ---- size ----------------------------------------------------------------- */

/* 50 MB of one client turn without a full stop: one turn, coded in windows
 * of TS_MAX_SENTENCE_TOKENS tokens, in linear time and bounded memory. */
START_TEST(test_50mb_turn_without_sentence_end)
{
    size_t n = sz(50u * 1000 * 1000, 2u * 1000 * 1000);
    static const char words[] = "ik wil eigenlijk wel minder gamen maar het lukt me gewoon niet en dan ";
    ts_buf b = {0};
    ts_buf_puts(&b, "C: ");
    while (b.len < n) ts_buf_put(&b, words, sizeof words - 1);
    coded c;
    code(&c, "patho-50mb-turn.txt", b.p, b.len, 1, 20, 0);
    ck_assert_uint_eq(c.res.turns, 1);
    ck_no_errors(&c);
    coded_free(&c);
    ts_buf_free(&b);
}
END_TEST

/* 10^6 one-word turns. */
START_TEST(test_million_one_word_turns)
{
    size_t n = sz(1000000, 50000);
    ts_buf b = {0};
    for (size_t i = 0; i < n; i++) ts_buf_puts(&b, i % 2 ? "C: Ja\n" : "T: Nee\n");
    coded c;
    code(&c, "patho-1e6-turns.txt", b.p, b.len, n, 30, 0);
    ck_assert_uint_eq(c.res.turns, n);
    ck_no_errors(&c);
    coded_free(&c);
    ts_buf_free(&b);
}
END_TEST

/* A line of 10^6 question marks: as a turn, as spaced-out sentences, and
 * as a line without a label (text before the first label: one failed turn). */
START_TEST(test_million_question_marks)
{
    size_t n = sz(1000000, 100000);
    ts_buf b = {0};
    ts_buf_puts(&b, "T: Echt");
    for (size_t i = 0; i < n; i++) ts_buf_putc(&b, '?');
    ts_buf_putc(&b, '\n');
    coded c;
    code(&c, "patho-questionmarks.txt", b.p, b.len, 1, 10, 0);
    ck_no_errors(&c);
    coded_free(&c);

    ts_buf_reset(&b);
    ts_buf_puts(&b, "C: ");
    for (size_t i = 0; i < n / 2; i++) ts_buf_puts(&b, "? ");
    code(&c, "patho-questionmarks-spaced.txt", b.p, b.len, 1, 20, 0);
    ck_no_errors(&c);
    coded_free(&c);

    ts_buf_reset(&b);
    for (size_t i = 0; i < n; i++) ts_buf_putc(&b, '?');
    ts_buf_puts(&b, "\nT: Zo.\n");
    code(&c, "patho-questionmarks-nolabel.txt", b.p, b.len, 2, 10, 0);
    ck_assert_uint_eq(c.res.turns, 1);
    ck_error_at(&c, 1, "text before the first speaker label");
    coded_free(&c);
    ts_buf_free(&b);
}
END_TEST

/* ---- nesting ------------------------------------------------------------- */

START_TEST(test_deep_nesting)
{
    size_t n = sz(200000, 20000);
    static const char *const open[] = {"(", "[", "{", "\"", "\xE2\x80\x9C", "\xC2\xAB", "'", "\xE2\x80\x98"};
    static const char *const close[] = {")", "]", "}", "\"", "\xE2\x80\x9D", "\xC2\xBB", "'", "\xE2\x80\x99"};
    ts_buf b = {0};
    ts_buf_puts(&b, "C: ");
    for (size_t i = 0; i < n; i++) ts_buf_puts(&b, open[i % 8]);
    ts_buf_puts(&b, "Ik wil stoppen.");
    for (size_t i = n; i-- > 0;) ts_buf_puts(&b, close[i % 8]);
    ts_buf_puts(&b, "\nT: Je wilt stoppen.\n");
    coded c;
    code(&c, "patho-nested-quotes.txt", b.p, b.len, 2, 20, 0);
    ck_assert_uint_eq(c.res.turns, 2);
    ck_no_errors(&c);
    coded_free(&c);

    /* WebVTT tags nested 10^5 deep inside one cue */
    ts_buf_reset(&b);
    ts_buf_puts(&b, "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v T>");
    for (size_t i = 0; i < n / 2; i++) ts_buf_puts(&b, i % 2 ? "<i>" : "<c.x>");
    ts_buf_puts(&b, "Hoe gaat het?");
    for (size_t i = 0; i < n / 2; i++) ts_buf_puts(&b, i % 2 ? "</i>" : "</c>");
    ts_buf_puts(&b, "\n");
    code(&c, "patho-nested-tags.vtt", b.p, b.len, 1, 10, 0);
    ck_assert_uint_eq(c.res.turns, 1);
    coded_free(&c);

    /* a JSONL "gold" field nested deeper than cJSON parses: that line is
     * one failed turn with file:line; the turns around it are coded */
    ts_buf_reset(&b);
    ts_buf_puts(&b, "{\"speaker\":\"T\",\"text\":\"Hoe gaat het?\"}\n{\"speaker\":\"C\",\"text\":\"Goed.\",\"gold\":");
    for (size_t i = 0; i < n / 4; i++) ts_buf_putc(&b, '[');
    for (size_t i = 0; i < n / 4; i++) ts_buf_putc(&b, ']');
    ts_buf_puts(&b, "}\n{\"speaker\":\"T\",\"text\":\"Mooi.\"}\n");
    code(&c, "patho-nested.jsonl", b.p, b.len, 3, 10, 0);
    ck_assert_uint_eq(c.res.turns, 2);
    ck_assert_uint_eq(c.res.failed, 1);
    ck_error_at(&c, 2, "invalid JSON");
    coded_free(&c);
    ts_buf_free(&b);
}
END_TEST

/* ---- characters -------------------------------------------------------- */

/* Every Unicode space separates words; every apostrophe variant makes the
 * same key as ', so "zo’n" and "'t" match the rules written with '. */
START_TEST(test_unicode_spaces_and_apostrophes)
{
    static const char *const spaces[] = {
        " ", "\t", "\v", "\f", "\xC2\xA0", "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82",
        "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88",
        "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F",
        "\xE3\x80\x80", "\xC2\x85",
    };
    static const char *const apos[] = {
        "'", "`", "\xE2\x80\x99", "\xE2\x80\x98", "\xCA\xBC", "\xE2\x80\xB2", "\xC2\xB4", "\xE2\x80\x9B",
        "\xEF\xBC\x87",
    };
    ts_tokens t = {0};
    for (size_t i = 0; i < sizeof spaces / sizeof spaces[0]; i++) {
        char *s = ts_strdupf("hoe%sgaat%shet", spaces[i], spaces[i]);
        ts_tokenize(&t, s, strlen(s));
        ck_assert_msg(t.ntok == 3, "space %zu (%s): %zu tokens in \"%s\"", i, spaces[i], t.ntok, s);
        ck_assert_str_eq(ts_tok_key(&t, 1), "gaat");
        free(s);
    }
    for (size_t i = 0; i < sizeof apos / sizeof apos[0]; i++) {
        char *s = ts_strdupf("Hoe is zo%sn dag, en hoe was %st?", apos[i], apos[i]);
        ts_tokenize(&t, s, strlen(s));
        ck_assert_msg(t.ntok == 10, "apostrophe %zu (%s): %zu tokens in \"%s\"", i, apos[i], t.ntok, s);
        ck_assert_msg(!strcmp(ts_tok_key(&t, 2), "zo'n"), "apostrophe %zu: key \"%s\"", i, ts_tok_key(&t, 2));
        ck_assert_msg(!strcmp(ts_tok_key(&t, 8), "'t"), "apostrophe %zu: key \"%s\"", i, ts_tok_key(&t, 8));
        free(s);
    }
    ts_tokens_free(&t);

    /* and through a reader: a label followed by a no-break space, and
     * space variants inside turns: the codes are those of the same
     * transcript written with plain spaces and apostrophes */
    static const char odd[] = "T:\xC2\xA0Hoe\xE2\x80\xAFgaat\xE3\x80\x80het met je?\n"
                              "C:\tIk\xE2\x80\x82wil\xC2\xA0" "eigenlijk\xE2\x80\x89stoppen.\n"
                              "T: Je wilt stoppen, zo\xE2\x80\x99n leven wil je niet meer.\n";
    static const char plain[] = "T: Hoe gaat het met je?\nC: Ik wil eigenlijk stoppen.\n"
                                "T: Je wilt stoppen, zo'n leven wil je niet meer.\n";
    coded c, p;
    code(&c, "patho-spaces.txt", odd, sizeof odd - 1, 3, 5, 1);
    code(&p, "patho-plain.txt", plain, sizeof plain - 1, 3, 5, 1);
    ck_no_errors(&c);
    ck_assert_uint_eq(c.res.turns, 3);
    char *a = codes_of(c.json), *z = codes_of(p.json);
    ck_assert_msg(!strcmp(a, z), "odd spaces give codes %s, plain ones %s", a, z);
    ck_assert_msg(strlen(z) > 10, "the plain transcript has no codes: %s", z);
    free(a);
    free(z);
    coded_free(&c);
    coded_free(&p);

    /* an unknown name followed by a no-break space is still a label (an
     * error), not text glued onto the turn before it */
    static const char nbsp[] = "T: Hoi.\nSanne:\xC2\xA0Hallo.\n";
    code(&c, "patho-nbsp-label.txt", nbsp, sizeof nbsp - 1, 2, 5, 0);
    ck_assert_uint_eq(c.res.turns, 1);
    ck_error_at(&c, 2, "unknown speaker label 'Sanne'");
    coded_free(&c);
}
END_TEST

/* UTF-16 and UTF-32, with and without BOM: refused at line 1 with the
 * iconv command that converts them (decoding them as UTF-8 would only give
 * replacement characters). */
START_TEST(test_utf16_refused)
{
    static const char *const names[] = {"le.txt", "be.txt", "nobom.txt", "le.jsonl", "u32.vtt"};
    static const char le[] = "\xFF\xFET\0:\0 \0H\0o\0i\0\n\0";
    static const char be[] = "\xFE\xFF\0T\0:\0 \0H\0o\0i\0\n";
    static const char nobom[] = "T\0:\0 \0H\0o\0i\0\n\0";
    static const char lej[] = "\xFF\xFE{\0\"\0t\0";
    static const char u32[] = "\xFF\xFE\0\0W\0\0\0E\0\0\0";
    const char *data[] = {le, be, nobom, lej, u32};
    size_t lens[] = {sizeof le - 1, sizeof be - 1, sizeof nobom - 1, sizeof lej - 1, sizeof u32 - 1};
    for (int i = 0; i < 5; i++) {
        coded c;
        code(&c, names[i], data[i], lens[i], 0, 2, 0);
        ck_assert_int_eq(c.res.open_failed, 1);
        ck_error_at(&c, 1, i == 4 ? "UTF-32" : "UTF-16");
        ck_error_at(&c, 1, "iconv");
        coded_free(&c);
    }
}
END_TEST

/* ---- file ends and empty files --------------------------------------- */

START_TEST(test_no_final_newline)
{
    static const struct { const char *name, *text; size_t turns; } cases[] = {
        {"end.txt", "T: Hoe gaat het?\nC: Goed", 2},
        {"end-cr.txt", "T: Hoe gaat het?\rC: Goed\r", 2},
        {"end.jsonl", "{\"speaker\":\"T\",\"text\":\"Hoe gaat het?\"}\n{\"speaker\":\"C\",\"text\":\"Goed\"}", 2},
        {"end.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v T>Hoe gaat het?\n\n00:02.000 --> 00:03.000\n<v C>Goed", 2},
        {"end.srt", "1\n00:00:01,000 --> 00:00:02,000\nT: Hoe gaat het?\n\n2\n00:00:02,000 --> 00:00:03,000\nC: Goed", 2},
        {"end-timing.srt", "1\n00:00:01,000 --> 00:00:02,000\nT: Hoe gaat het?\n\n2\n00:00:02,000 --> 00:00:03,000", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        coded c;
        code(&c, cases[i].name, cases[i].text, strlen(cases[i].text), cases[i].turns, 2, 1);
        ck_assert_msg(c.res.turns == cases[i].turns, "%s: %zu turns", cases[i].name, c.res.turns);
        ck_no_errors(&c);
        if (cases[i].turns == 2) ck_assert_msg(strstr(c.json, "\"Goed\""), "%s: last turn lost:\n%s", cases[i].name, c.json);
        coded_free(&c);
    }
}
END_TEST

START_TEST(test_empty_files)
{
    static const char *const names[] = {"leeg.txt", "leeg.jsonl", "leeg.vtt", "leeg.srt", "leeg"};
    static const char *const bodies[] = {"", "\n\n\n", "\xEF\xBB\xBF", "\r\n \t\r\n"};
    for (size_t i = 0; i < 5; i++)
        for (size_t k = 0; k < 4; k++) {
            coded c;
            char *name = ts_strdupf("%zu-%s", k, names[i]);
            code(&c, name, bodies[k], strlen(bodies[k]), 0, 2, 1);
            ck_assert_int_eq(c.res.open_failed, 0);
            ck_assert_msg(c.json && strstr(c.json, "\"utterances\": ["), "%s: no JSON document:\n%s", name, c.json);
            free(name);
            coded_free(&c);
        }
    /* a WebVTT file with only its header, named and sniffed */
    coded c;
    code(&c, "kop.vtt", "WEBVTT\n", 7, 0, 2, 0);
    ck_no_errors(&c);
    coded_free(&c);
    code(&c, "kop", "WEBVTT", 6, 0, 2, 0);
    ck_no_errors(&c);
    coded_free(&c);
}
END_TEST

/* ---- format specifics ------------------------------------------------- */

/* Overlapping cues (two people talking at once, as Teams exports it): each
 * speaker's words stay in that speaker's turn, in the order of the cues. */
START_TEST(test_vtt_overlapping_cues)
{
    static const char vtt[] =
        "WEBVTT\n\n"
        "00:00:01.000 --> 00:00:06.000\n<v Marieke>Hoe gaat het nu met je?\n\n"
        "00:00:02.000 --> 00:00:03.000\n<v Daan>Goed.\n\n"
        "00:00:02.500 --> 00:00:09.000\n<v Marieke>Echt waar?\n\n"
        "00:00:00.000 --> 00:00:10.000\n<v Marieke>Fijn.\n\n"
        "00:00:05.000 --> 00:00:04.000\n<v Daan>Ja.\n";
    ts_rolemap *roles = tu_roles("Marieke=professional,Daan=client");
    ts_reader *r = NULL;
    ts_diags d = {0};
    ck_assert_int_eq(ts_reader_open_mem(&r, "overlap.vtt", vtt, sizeof vtt - 1, TS_FMT_AUTO, roles, &d), 0);
    tu_read x = {0};
    tu_read_reader(&x, r);
    ck_assert_uint_eq(x.n, 4);
    ck_assert_str_eq(x.turns[0].text, "Hoe gaat het nu met je?");
    ck_assert_str_eq(x.turns[1].text, "Goed.");
    ck_assert_str_eq(x.turns[2].text, "Echt waar? Fijn.");
    ck_assert(x.turns[2].start == 2.5 && x.turns[2].end == 10.0);
    ck_assert_str_eq(x.turns[3].text, "Ja.");
    ck_assert_uint_eq(x.failed, 0);
    tu_read_free(&x);
    ts_diag_clear(&d);
    ts_rolemap_free(roles);
}
END_TEST

/* Wrong JSON types in every field: each such line is one failed turn with
 * file:line and what was wrong; every good line around them is coded. */
START_TEST(test_jsonl_wrong_types)
{
    static const struct { const char *line, *msg; } bad[] = {
        {"{\"speaker\":\"T\",\"text\":42}", "\"text\" must be a string, not a number"},
        {"{\"speaker\":\"T\",\"text\":null}", "\"text\" must be a string, not null"},
        {"{\"speaker\":\"T\",\"text\":[\"a\"]}", "\"text\" must be a string, not an array"},
        {"{\"speaker\":[\"T\"],\"text\":\"a\"}", "\"speaker\" must be a string, not an array"},
        {"{\"speaker\":\"T\",\"role\":true,\"text\":\"a\"}", "\"role\" must be a string, not true/false"},
        {"{\"speaker\":\"T\",\"role\":{},\"text\":\"a\"}", "\"role\" must be a string, not an object"},
        {"{\"speaker\":\"T\",\"text\":\"a\",\"start\":\"1.0\"}", "\"start\" must be a number of seconds"},
        {"{\"speaker\":\"T\",\"text\":\"a\",\"end\":-1}", "\"end\" must be a number of seconds"},
        {"{\"speaker\":\"T\",\"text\":\"a\",\"start\":1e999}", "not an out-of-range number"},
        {"[\"T\",\"a\"]", "must be a JSON object (one turn), not an array"},
        {"\"T: a\"", "must be a JSON object (one turn), not a string"},
        {"42", "must be a JSON object (one turn), not a number"},
        {"null", "must be a JSON object (one turn), not null"},
        {"{\"speaker\":\"T\"}", "missing \"text\""},
        {"{\"text\":\"a\"}", "neither \"speaker\" nor \"role\""},
        {"{\"speaker\":\"T\",\"text\":\"a\"} {}", "text after the object"},
        {"{\"speaker\":\"T\",\"text\":\"a\"", "the line ends inside the object"},
        {"{\"type\":\"meta\",\"text\":5}", ""}, /* a meta line, not a turn */
    };
    size_t n = sizeof bad / sizeof bad[0];
    ts_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        ts_buf_printf(&b, "{\"speaker\":\"T\",\"text\":\"Beurt %zu.\"}\n", i);
        ts_buf_printf(&b, "%s\n", bad[i].line);
    }
    coded c;
    code(&c, "patho-types.jsonl", b.p, b.len, 2 * n - 1, 5, 0);
    ck_assert_uint_eq(c.res.turns, n);
    ck_assert_uint_eq(c.res.failed, n - 1);
    for (size_t i = 0; i + 1 < n; i++) ck_error_at(&c, 2 * i + 2, bad[i].msg);
    coded_free(&c);
    ts_buf_free(&b);
}
END_TEST

/* ---- the promise over everything at once ----------------------------- */

/* A file that has every problem above in one: each bad turn is reported,
 * every good one is coded. */
START_TEST(test_mixed_bad_input_nothing_lost)
{
    ts_buf b = {0};
    size_t want = 0;
    ts_buf_puts(&b, "Inleiding zonder label\n"); want++;
    for (int i = 0; i < 200; i++) {
        ts_buf_printf(&b, "T: Beurt %d?\n", i); want++;
        static const char bad[] = "C: Ongeldig \xFF\xFE en NUL \0 hier.\n";
        ts_buf_put(&b, bad, sizeof bad - 1); want++;
        ts_buf_puts(&b, "Onbekend: wie is dit\n"); want++; /* "Onbekend" looks like a name: unknown label */
        ts_buf_puts(&b, "\r\n\r\n");
    }
    coded c;
    code(&c, "patho-mixed.txt", b.p, b.len, want, 5, 0);
    ck_assert_uint_eq(c.res.turns, 400);
    ck_assert_uint_eq(c.res.failed, 201);
    ck_error_at(&c, 1, "text before the first speaker label");
    ck_error_at(&c, 4, "unknown speaker label 'Onbekend'");
    coded_free(&c);
    ts_buf_free(&b);
}
END_TEST

static Suite *patho_suite(void)
{
    Suite *s = suite_create("patho");
    TCase *tc = tcase_create("patho");
    tcase_add_checked_fixture(tc, setup, teardown);
    /* Check's own timeout is a backstop far above each case's bound, so a
     * hang fails instead of stalling make test. */
    tcase_set_timeout(tc, getenv("TS_QUICK") ? 600 : 120);
    tcase_add_test(tc, test_50mb_turn_without_sentence_end);
    tcase_add_test(tc, test_million_one_word_turns);
    tcase_add_test(tc, test_million_question_marks);
    tcase_add_test(tc, test_deep_nesting);
    tcase_add_test(tc, test_unicode_spaces_and_apostrophes);
    tcase_add_test(tc, test_utf16_refused);
    tcase_add_test(tc, test_no_final_newline);
    tcase_add_test(tc, test_empty_files);
    tcase_add_test(tc, test_vtt_overlapping_cues);
    tcase_add_test(tc, test_jsonl_wrong_types);
    tcase_add_test(tc, test_mixed_bad_input_nothing_lost);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(patho_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
