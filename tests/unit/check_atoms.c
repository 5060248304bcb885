/* check_atoms.c - the fast matcher (atoms.c) against its oracle.
 *
 * The fast matcher must give byte-identical results to the reference
 * matcher (every rule's PCRE2 on every sentence). These tests check:
 *   - atom extraction: which words a pattern needs, which rules are slow,
 *     and conservative literal extraction from user regexes;
 *   - native verification: seeded random transcripts built from the rule
 *     pack's own words, coded by both matchers, hit for hit - over
 *     rules/nl and over a small pack that uses every pattern construct;
 *   - the escape hatches: a key holding a space, a pattern that backtracks
 *     past its step budget;
 *   - the hand-written JSON writer against cJSON, over corpora/ and over
 *     nasty strings.
 * Set TS_ATOMS_SEED=N to vary the random transcripts, TS_ATOMS_TURNS=N for
 * more of them. */
#include "atoms.h"
#include "coder.h"
#include "emit.h"
#include "pipeline.h"
#include "token.h"
#include "testutil.h"
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ts_ruleset *load_text(const char *text)
{
    ts_ruleset *rs = NULL;
    ts_diags d = {0};
    if (ts_rules_load_text(&rs, "t.rules", text, strlen(text), &d) != 0) {
        ts_diag_print(&d, stderr);
        ck_abort_msg("test rules do not compile");
    }
    ts_diag_clear(&d);
    return rs;
}

static ts_ruleset *load_dir(const char *dir)
{
    ts_ruleset *rs = NULL;
    ts_diags d = {0};
    const char *dirs[] = {dir};
    if (ts_rules_load(&rs, dirs, 1, &d) != 0) {
        ts_diag_print(&d, stderr);
        ck_abort_msg("%s does not compile", dir);
    }
    ts_diag_clear(&d);
    return rs;
}

static int rule_index(const ts_ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->nrules; i++)
        if (!strcmp(rs->rules[i].id, id)) return (int)i;
    ck_abort_msg("no rule %s", id);
    return -1;
}

static char *atoms_of(const ts_ruleset *rs, const char *id)
{
    ts_buf b = {0};
    ts_atoms_describe(rs->atoms, rs, (size_t)rule_index(rs, id), &b);
    return b.p ? ts_buf_detach(&b) : ts_strdup("");
}

/* A pack that uses every construct of the pattern language. */
static const char *construct_pack =
    "code q.x\n  role professional\n  explain x\n"
    "code q.y\n  role professional client\n  explain y\n"
    "lexicon opener: en maar nou ja \"ja ja\" \"oke dus\" oke\n"
    "lexicon skip: eh ehm\n"
    "lexicon stop: je ik het dat de een\n"
    "lexicon vw: wie wat waar hoe welke waar*\n"
    "lexicon pron: ik je jij u het dat\n"
    "lexicon multi: \"heel erg\" \"heel erg veel\" heel \"zo'n beetje\" gestop*\n"
    "lexicon leeg: \"\"\n"
    "rule r-word\n  code q.x\n  match wat maakt dat\n  explain x\n"
    "rule r-start\n  code q.x\n  match ^ @vw !@pron\n  unless ^ hoe (oud | laat)\n  explain x\n"
    "rule r-gap\n  code q.x\n  match (kun | kunt) (je | u) ~4 vertellen\n  explain x\n"
    "rule r-opt\n  code q.y\n  match ik [wil | wou] [graag] stop*\n  explain x\n"
    "rule r-multi\n  code q.y\n  match @multi ~2 (moe | blij)\n  explain x\n"
    "rule r-notsub\n  code q.y\n  match !(niet | heel erg) _ goed $\n  explain x\n"
    "rule r-notword\n  code q.y\n  match dat is !niet <num>\n  explain x\n"
    "rule r-phrase\n  code q.x\n  match \"zeg het maar\"\n  match ^ vertel [eens]\n  explain x\n"
    "rule r-slow\n  code q.y\n  match _ ~3 <num>\n  explain x\n"
    "rule r-regex\n  code q.y\n  regex /\\bwil (niet|nooit) meer\\b/\n  explain x\n"
    "rule r-regex-slow\n  code q.y\n  regex /^(a|b)c?$/\n  explain x\n"
    "rule r-regex-flags\n  code q.y\n  regex /(?i)STOP/\n  explain x\n"
    "rule r-alt-top\n  code q.x\n  match wat dan | hoe dan ook\n  explain x\n"
    "rule r-end\n  code q.y\n  match (@vw | heel*) $\n  explain x\n";

START_TEST(test_atom_extraction)
{
    ts_ruleset *rs = load_text(construct_pack);
    char *s;
    s = atoms_of(rs, "r-word");
    ck_assert_msg(strstr(s, "maakt") && strstr(s, "wat") && strstr(s, " & "), "r-word: %s", s);
    ck_assert_msg(!strncmp(s, "maakt", 5), "r-word should hang off 'maakt' (not a stop word): %s", s);
    free(s);
    s = atoms_of(rs, "r-start");
    ck_assert_msg(strstr(s, "wie|wat|waar|hoe|welke|waar*") || strstr(s, "wat"), "r-start: %s", s);
    free(s);
    s = atoms_of(rs, "r-gap");
    ck_assert_msg(!strncmp(s, "vertellen", 9), "r-gap should hang off 'vertellen': %s", s);
    free(s);
    s = atoms_of(rs, "r-opt");
    ck_assert_msg(strstr(s, "stop*") != NULL, "r-opt needs the prefix stop*: %s", s);
    free(s);
    s = atoms_of(rs, "r-alt-top");
    ck_assert_msg(strstr(s, " / ") != NULL, "a top-level alternation has one clause per branch: %s", s);
    free(s);
    s = atoms_of(rs, "r-regex");
    ck_assert_msg(strstr(s, "\"meer\"") || strstr(s, "\"wil\"") || strstr(s, "\"niet\""), "r-regex byte atom: %s", s);
    free(s);
    const char *why = NULL;
    ck_assert(ts_atoms_rule_slow(rs->atoms, (size_t)rule_index(rs, "r-slow"), &why) && why);
    ck_assert(ts_atoms_rule_slow(rs->atoms, (size_t)rule_index(rs, "r-regex-slow"), NULL));
    ck_assert_msg(ts_atoms_rule_slow(rs->atoms, (size_t)rule_index(rs, "r-regex-flags"), NULL), "(?i) is not modelled: slow");
    ck_assert(!ts_atoms_rule_slow(rs->atoms, (size_t)rule_index(rs, "r-word"), NULL));
    ck_assert(!ts_atoms_rule_slow(rs->atoms, (size_t)rule_index(rs, "r-notsub"), NULL));
    ck_assert_uint_eq(ts_atoms_nslow(rs->atoms), 3);
    ck_assert_int_eq(ts_atoms_code_index(rs->atoms, "q.y"), ts_rules_code_index(rs, "q.y"));
    ck_assert_int_eq(ts_atoms_code_index(rs->atoms, "nope"), -1);
    ck_assert_msg(ts_token_ascii_table_ok(), "token.c's ASCII table disagrees with classify()");
    ts_rules_free(rs);
}
END_TEST

/* ------------------------------------------- fast == reference, hit by hit */

typedef struct { ts_buf out; const ts_ruleset *rs; } collect;

static void on_turn(void *ud, size_t index, const ts_turn *t, const ts_coded *cd)
{
    collect *c = ud;
    ts_buf_printf(&c->out, "turn %zu [%s]\n", index, t->text);
    for (size_t i = 0; i < cd->nhits; i++) {
        const ts_hit *h = &cd->hits[i];
        ts_buf_printf(&c->out, "  %s %s u%u %u-%u s%d by%d v%d:%.4f\n", c->rs->codes[h->code].name, c->rs->rules[h->rule].id,
                      h->unit, h->start, h->end, (int)h->state, h->by_rule, h->has_value, h->value);
    }
}

static char *code_with(const ts_ruleset *rs, const char *transcript, int fast, size_t *errors)
{
    ts_coder *coder = ts_coder_new(rs);
    ts_coder_set_matcher(coder, fast);
    collect c = {{0}, rs};
    ts_pipe_opts o = {TS_FMT_TXT, NULL};
    ts_diags d = {0};
    ts_pipe_code_mem("random.txt", transcript, strlen(transcript), &o, coder, rs, NULL, NULL, on_turn, &c, &d, NULL);
    if (errors) *errors = d.errors;
    ts_diag_clear(&d);
    ts_coder_free(coder);
    return c.out.p ? ts_buf_detach(&c.out) : ts_strdup("");
}

static void add_word(char ***v, size_t *n, size_t *cap, const char *w)
{
    if (!*w) return;
    TS_VEC_RESERVE(*v, *cap, *n + 1);
    (*v)[(*n)++] = ts_strdup(w);
}

static void words_of(const ts_pelem *e, char ***v, size_t *n, size_t *cap)
{
    if (!e) return;
    if ((e->kind == TS_PE_WORD || e->kind == TS_PE_NOT) && e->word) add_word(v, n, cap, e->word);
    for (size_t i = 0; i < e->nkids; i++) words_of(e->kids[i], v, n, cap);
}

/* The vocabulary of a pack: every lexicon entry and pattern word, plus
 * words that make tokenizing and matching interesting. */
static char **vocabulary(const ts_ruleset *rs, size_t *n)
{
    char **v = NULL;
    size_t cap = 0;
    *n = 0;
    for (size_t l = 0; l < rs->nlex; l++)
        for (size_t i = 0; i < rs->lex[l].n; i++) {
            const ts_lexentry *e = &rs->lex[l].e[i];
            char *w = e->prefix ? ts_strdupf("%sje", e->key) : ts_strdup(e->key);
            add_word(&v, n, &cap, w);
            free(w);
        }
    for (size_t r = 0; r < rs->nrules; r++) {
        for (size_t k = 0; k < rs->rules[r].nmatch; k++) words_of(rs->rules[r].match[k].ast, &v, n, &cap);
        for (size_t k = 0; k < rs->rules[r].nunless; k++) words_of(rs->rules[r].unless[k].ast, &v, n, &cap);
    }
    static const char *const extra[] = {",", "eh", "7", "6,5", "0-10", "Wat", "HOE", "\"", "(", ")", "'t", "zo'n",
                                        "cliënt", "één", "...", "-", "bijv.", "koffie", "fiets", "morgen", NULL};
    for (int i = 0; extra[i]; i++) add_word(&v, n, &cap, extra[i]);
    return v;
}

static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rng_state >> 33);
}

static char *random_transcript(char **vocab, size_t nv, size_t turns)
{
    static const char *const finals[] = {"?", ".", "!", "...", "", "?", "."};
    ts_buf b = {0};
    for (size_t t = 0; t < turns; t++) {
        ts_buf_puts(&b, rnd() % 2 ? "T: " : "C: ");
        size_t sents = 1 + rnd() % 3;
        for (size_t s = 0; s < sents; s++) {
            size_t words = 1 + rnd() % 12;
            for (size_t w = 0; w < words; w++) {
                if (w) ts_buf_putc(&b, ' ');
                ts_buf_puts(&b, vocab[rnd() % nv]);
            }
            ts_buf_puts(&b, finals[rnd() % 7]);
            ts_buf_putc(&b, ' ');
        }
        ts_buf_putc(&b, '\n');
    }
    return ts_buf_detach(&b);
}

static void first_difference(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && a[i] == b[i]) i++;
    size_t st = i > 300 ? i - 300 : 0;
    fprintf(stderr, "fast:      ...%.400s\nreference: ...%.400s\n", a + st, b + st);
}

static void compare_random(const ts_ruleset *rs, uint64_t seed, size_t turns)
{
    size_t nv;
    char **vocab = vocabulary(rs, &nv);
    rng_state = seed;
    char *tr = random_transcript(vocab, nv, turns);
    size_t e1 = 0, e2 = 0;
    char *fast = code_with(rs, tr, 1, &e1);
    char *ref = code_with(rs, tr, 0, &e2);
    int same = !strcmp(fast, ref);
    if (!same) first_difference(fast, ref);
    ck_assert_msg(same, "fast and reference matchers differ (seed %llu)", (unsigned long long)seed);
    ck_assert_uint_eq(e1, e2);
    size_t hits = 0;
    for (const char *p = fast; (p = strstr(p, "\n  ")); p++) hits++;
    ck_assert_msg(hits > turns / 20, "random transcripts should give hits (%zu)", hits);
    free(fast);
    free(ref);
    free(tr);
    for (size_t i = 0; i < nv; i++) free(vocab[i]);
    free(vocab);
}

static uint64_t seed_env(void)
{
    const char *s = getenv("TS_ATOMS_SEED");
    return s ? strtoull(s, NULL, 10) : 20261123;
}

static size_t turns_env(size_t dflt)
{
    const char *s = getenv("TS_ATOMS_TURNS");
    return s ? strtoul(s, NULL, 10) : dflt;
}

START_TEST(test_random_construct_pack)
{
    ts_ruleset *rs = load_text(construct_pack);
    compare_random(rs, seed_env(), turns_env(3000));
    ts_rules_free(rs);
}
END_TEST

START_TEST(test_random_rule_pack)
{
    ts_ruleset *rs = load_dir("rules/nl");
    compare_random(rs, seed_env() + 1, turns_env(3000));
    ts_rules_free(rs);
}
END_TEST

START_TEST(test_escape_hatches)
{
    ts_ruleset *rs = load_text(construct_pack);
    /* U+00A8 keys to " " (a space inside a key): the unit goes to PCRE2 */
    const char *spaced = "T: Wat maakt dat \xC2\xA8 ik wil stoppen?\nC: heel erg \xC2\xA8 moe.\n";
    char *a = code_with(rs, spaced, 1, NULL), *b = code_with(rs, spaced, 0, NULL);
    ck_assert_str_eq(a, b);
    ck_assert_msg(strstr(a, "r-word") != NULL, "the spaced sentence is still coded: %s", a);
    free(a);
    free(b);
    ts_rules_free(rs);
    /* gaps within gaps on a long sentence: past the step budget PCRE2 decides */
    rs = load_text("code q.x\n  role any\n  explain x\n"
                   "rule deep\n  code q.x\n  match a ~12 a ~12 a ~12 a ~12 b\n  explain x\n");
    ts_buf t = {0};
    ts_buf_puts(&t, "T: ");
    for (int i = 0; i < 300; i++) ts_buf_puts(&t, "a ");
    ts_buf_puts(&t, "c.\nT: a a a a b.\n");
    a = code_with(rs, t.p, 1, NULL);
    b = code_with(rs, t.p, 0, NULL);
    ck_assert_str_eq(a, b);
    ck_assert_msg(strstr(a, "deep") != NULL, "the short sentence matches: %s", a);
    free(a);
    free(b);
    ts_buf_free(&t);
    ts_rules_free(rs);
}
END_TEST

/* --------------------------------------------- JSON writer == cJSON */

typedef struct { const ts_emitter *e; size_t checked; int bad; } wcheck;

static void check_writer(void *ud, size_t index, const ts_turn *t, const ts_coded *cd)
{
    wcheck *w = ud;
    ts_buf a = {0}, b = {0};
    ts_emit_utterance(&a, w->e, index, t, cd, 0);
    ts_emit_utterance(&b, w->e, index, t, cd, 1);
    if (strcmp(a.p, b.p) && !w->bad) {
        first_difference(a.p, b.p);
        w->bad = 1;
    }
    w->checked++;
    ts_buf_free(&a);
    ts_buf_free(&b);
}

static size_t writer_on(const ts_ruleset *rs, const char *name, const char *data, size_t len, ts_format fmt)
{
    size_t n = 0;
    for (int f = 0; f < 2; f++) {
        ts_emitter em = {f ? TS_OUT_JSONL : TS_OUT_JSON, NULL, NULL, rs, "bron \"x\"\\y.txt", 0};
        wcheck w = {&em, 0, 0};
        ts_coder *coder = ts_coder_new(rs);
        ts_pipe_opts o = {fmt, NULL};
        ts_diags d = {0};
        ts_pipe_code_mem(name, data, len, &o, coder, rs, NULL, NULL, check_writer, &w, &d, NULL);
        ts_diag_clear(&d);
        ts_coder_free(coder);
        ck_assert_msg(!w.bad, "%s: the JSON writer differs from cJSON", name);
        n += w.checked;
    }
    return n;
}

START_TEST(test_writer_equals_cjson)
{
    ts_ruleset *rs = load_dir("rules/nl");
    size_t n = 0;
    const char *dirs[] = {"corpora/nl/dev", "corpora/nl/test", "corpora/sample"};
    for (int k = 0; k < 3; k++) {
        DIR *dh = opendir(dirs[k]);
        if (!dh) continue;
        struct dirent *de;
        while ((de = readdir(dh))) {
            if (de->d_name[0] == '.') continue;
            char *p = ts_strdupf("%s/%s", dirs[k], de->d_name);
            size_t len;
            char *data = tu_slurp(p, &len);
            if (data) n += writer_on(rs, p, data, len, TS_FMT_AUTO);
            free(data);
            free(p);
        }
        closedir(dh);
    }
    /* escapes, control characters, times with fractions, passthrough fields */
    const char *nasty =
        "{\"speaker\":\"A\\\"b\",\"role\":\"professional\",\"text\":\"Wat \\\"maakt\\\" dat\\\\ je\\tbelt?\\u0001 \\u00e9\\u001f\","
        "\"start\":1.5,\"end\":3.1234567890123,\"gold\":[\"x\",{\"code\":\"y\",\"value\":6.5}],\"text2\":null,\"gold\":1,\"n\":1e300}\n"
        "{\"speaker\":\"C\",\"role\":\"client\",\"text\":\"Een zes, denk ik. Of 7,5...\",\"start\":2147483648,\"end\":-0.0}\n";
    n += writer_on(rs, "nasty.jsonl", nasty, strlen(nasty), TS_FMT_JSONL);
    ck_assert_msg(n > 500, "only %zu turns checked", n);
    ts_rules_free(rs);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("atoms");
    TCase *tc = tcase_create("atoms");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_atom_extraction);
    tcase_add_test(tc, test_random_construct_pack);
    tcase_add_test(tc, test_random_rule_pack);
    tcase_add_test(tc, test_escape_hatches);
    tcase_add_test(tc, test_writer_equals_cjson);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? 1 : 0;
}
