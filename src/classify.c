/* classify.c - from rule matches to the codes of a turn.
 *
 * For one turn:
 *   1. tokenize; cut sentences into units (a sentence longer than
 *      TS_MAX_SENTENCE_TOKENS becomes several windows, so a 50 MB turn
 *      without a full stop costs linear time);
 *   2. for each stage (rules that "require" codes run after the rules that
 *      produce them), try every rule whose turn conditions hold (role,
 *      previous turn, recent turns, word counts) on every unit whose
 *      conditions hold (final punctuation, ^^/$$, requires/without), then
 *      its "unless" patterns, then its value;
 *   3. resolve: a live hit suppresses the codes its rule names (in the unit
 *      or the whole turn), highest priority first; then each exclusive group
 *      keeps one code per unit (highest priority, then earliest rule);
 *      duplicates of a code in one unit collapse to the best hit.
 * The previous turns' live codes are kept as bit sets for the context
 * conditions of the next turn.
 */
#include "coder.h"
#include "atoms.h"
#include "limits.h"
#include "util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HIST TS_MAX_RECENT_TURNS /* turns of codes kept for "recent N" (limits.h) */

struct ts_coder {
    const ts_ruleset *rs;
    ts_matcher *m;
    ts_tokens tok;
    ts_unit *units; size_t nunits, ucap;
    ts_hit *hits; size_t nhits, hcap;
    size_t nwords;
    ts_buf keytexts;  /* explain only: key text of each unit, NUL separated */
    size_t *keyoff; size_t kocap;
    int want_keytext;
    /* context */
    size_t nwords_code;          /* words per bitset */
    uint64_t *hist;              /* HIST bitsets of codes, ring */
    int hist_role[HIST];
    size_t nturns;
    uint64_t *cur_turn, *cur_unit;
    long live_unit;              /* the unit cur_unit holds, or -1 (stale) */
    int *order; size_t ocap;
    int profile;
    ts_rule_prof *prof;
    ts_structure sst;             /* conversation structure in progress */
    unsigned char *has;           /* per code: live in this turn */
    /* echo: content words of the previous turn (sorted keys) */
    char **stop; size_t nstop;
    ts_buf prevbuf, curbuf;       /* NUL-separated keys */
    size_t *prevoff, nprev, prevcap;
    size_t *curoff, ncur, curcap;
    uint64_t *prevpk; uint32_t *prevlen; size_t pkcap; /* prev words: first 8 bytes, length */
    uint8_t *cw; size_t cwcap;    /* per token of this turn: content word (echo) */
    double *uecho; size_t uecap;  /* per unit: echo share, < 0 until computed */
    ts_coded out;
    /* fast matcher (atoms.c): candidates per unit, native verification */
    ts_scanner *scan;
    int fast;                     /* 0 = the reference matcher */
    int fast_unit;                /* the current unit is scanned */
    int prepared;                 /* ts_matcher_prepare() done for the current unit */
    uint32_t cur_u;
    uint32_t turn_serial;         /* turn_conditions() cache, per rule */
    uint32_t *tc_stamp; uint8_t *tc_val;
    uint64_t *stage_rules;        /* per stage: bitset of its rules that give a code */
    /* after-match: the rules that have such patterns, and per rule whether
     * one matched a sentence of the previous turn / of this turn */
    size_t *after_rules, nafter_rules;
    uint64_t *ctx_prev, *ctx_cur;
    /* Hits linked per unit and per code, so the unit and turn code sets and
     * resolve() cost O(hits of a unit) or O(n log n), never O(n^2): a 50 MB
     * turn in windows has 10^5 hits. */
    int *hit_prev; size_t hpcap;    /* previous hit of the same unit, or -1 */
    int *unit_last; size_t ulcap;   /* per unit: its last hit, or -1 */
    int *code_head;                 /* resolve(): per code, its hits ... */
    int *code_next; size_t cncap;   /* ... linked; dead ones unlinked as met */
    int *ubeg; size_t ubcap;        /* resolve(): per unit, its range in uord */
    int *uord; size_t uocap;        /* resolve(): hits by unit, best first */
    struct hitkey *keys; size_t kcap;
};

/* A hit's rank for resolve(): priority, then rule order, then index. */
typedef struct hitkey { int prio, rule, idx; } hitkey;

static int hitkey_cmp(const void *x, const void *y)
{
    const hitkey *a = x, *b = y;
    if (a->prio != b->prio) return a->prio > b->prio ? -1 : 1;
    if (a->rule != b->rule) return a->rule < b->rule ? -1 : 1;
    return (a->idx > b->idx) - (a->idx < b->idx);
}

/* A turn has a handful of hits: insertion sort beats qsort's call per
 * comparison; both orders are total, so the result is the same. */
static void sort_small(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n > 24) { qsort(base, n, size, cmp); return; }
    unsigned char *a = base, tmp[64];
    if (size > sizeof tmp) { qsort(base, n, size, cmp); return; }
    for (size_t i = 1; i < n; i++) {
        size_t j = i;
        memcpy(tmp, a + i * size, size);
        while (j > 0 && cmp(a + (j - 1) * size, tmp) > 0) { memcpy(a + j * size, a + (j - 1) * size, size); j--; }
        if (j != i) memcpy(a + j * size, tmp, size);
    }
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int bit(const uint64_t *s, int i) { return (int)((s[i >> 6] >> (i & 63)) & 1u); }
static void setbit(uint64_t *s, int i) { s[i >> 6] |= (uint64_t)1 << (i & 63); }

ts_coder *ts_coder_new(const ts_ruleset *rs)
{
    ts_coder *c = ts_xcalloc(1, sizeof *c);
    c->rs = rs;
    c->m = ts_matcher_new(rs);
    c->nwords_code = (rs->ncodes + 63) / 64 + 1;
    c->hist = ts_xcalloc(HIST * c->nwords_code, sizeof(uint64_t));
    c->cur_turn = ts_xcalloc(c->nwords_code, sizeof(uint64_t));
    c->cur_unit = ts_xcalloc(c->nwords_code, sizeof(uint64_t));
    c->live_unit = -1;
    c->prof = ts_xcalloc(rs->nrules ? rs->nrules : 1, sizeof *c->prof);
    c->has = ts_xcalloc(rs->ncodes ? rs->ncodes : 1, 1);
    c->code_head = ts_xcalloc(rs->ncodes ? rs->ncodes : 1, sizeof *c->code_head);
    ts_structure_reset(&c->sst);
    if (rs->atoms) {
        c->scan = ts_scanner_new(rs);
        c->fast = 1;
    }
    size_t nw = (rs->nrules + 63) / 64 + 1;
    c->stage_rules = ts_xcalloc((size_t)(rs->nstages > 0 ? rs->nstages : 1) * nw, sizeof *c->stage_rules);
    for (size_t ri = 0; ri < rs->nrules; ri++)
        if (rs->rules[ri].code >= 0 && rs->rules[ri].stage >= 0 && rs->rules[ri].stage < rs->nstages)
            setbit(c->stage_rules + (size_t)rs->rules[ri].stage * nw, (int)ri);
    c->after_rules = ts_xcalloc(rs->nrules ? rs->nrules : 1, sizeof *c->after_rules);
    for (size_t ri = 0; ri < rs->nrules; ri++)
        if (rs->rules[ri].nafter_match && rs->rules[ri].code >= 0) c->after_rules[c->nafter_rules++] = ri;
    c->ctx_prev = ts_xcalloc(nw, sizeof *c->ctx_prev);
    c->ctx_cur = ts_xcalloc(nw, sizeof *c->ctx_cur);
    c->tc_stamp = ts_xcalloc(rs->nrules ? rs->nrules : 1, sizeof *c->tc_stamp);
    c->tc_val = ts_xcalloc(rs->nrules ? rs->nrules : 1, sizeof *c->tc_val);
    if (rs->lex_stop >= 0) {
        const ts_lexicon *L = &rs->lex[rs->lex_stop];
        c->stop = ts_xcalloc(L->n ? L->n : 1, sizeof *c->stop);
        for (size_t i = 0; i < L->n; i++) c->stop[c->nstop++] = L->e[i].key;
        qsort(c->stop, c->nstop, sizeof *c->stop, cmpstr);
    }
    return c;
}

void ts_coder_free(ts_coder *c)
{
    if (!c) return;
    ts_matcher_free(c->m);
    ts_scanner_free(c->scan);
    free(c->hit_prev);
    free(c->unit_last);
    free(c->code_head);
    free(c->code_next);
    free(c->ubeg);
    free(c->uord);
    free(c->keys);
    free(c->tc_stamp);
    free(c->tc_val);
    free(c->stage_rules);
    free(c->after_rules);
    free(c->ctx_prev);
    free(c->ctx_cur);
    ts_tokens_free(&c->tok);
    free(c->units);
    free(c->hits);
    ts_buf_free(&c->keytexts);
    free(c->keyoff);
    free(c->hist);
    free(c->cur_turn);
    free(c->cur_unit);
    free(c->order);
    free(c->prof);
    free(c->has);
    free(c->stop);
    ts_buf_free(&c->prevbuf);
    ts_buf_free(&c->curbuf);
    free(c->prevoff);
    free(c->curoff);
    free(c->prevpk);
    free(c->prevlen);
    free(c->cw);
    free(c->uecho);
    free(c);
}

void ts_coder_reset(ts_coder *c)
{
    ts_structure_reset(&c->sst);
    c->nturns = 0;
    c->nprev = 0;
    memset(c->hist, 0, HIST * c->nwords_code * sizeof(uint64_t));
}

void ts_coder_profile(ts_coder *c, int on) { c->profile = on; }
void ts_coder_set_matcher(ts_coder *c, int fast) { c->fast = fast && c->scan; }
const ts_rule_prof *ts_coder_profile_data(const ts_coder *c) { return c->prof; }

static uint64_t *hist_at(ts_coder *c, size_t back) /* back = 1: previous turn */
{
    size_t idx = (c->nturns - back) % HIST;
    return c->hist + idx * c->nwords_code;
}

static int any_in(const uint64_t *set, const int *codes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (bit(set, codes[i])) return 1;
    return 0;
}

static int turn_conditions(ts_coder *c, const ts_rule *r, ts_role role)
{
    if (role == TS_ROLE_UNKNOWN || !(r->roles & (1u << role))) return 0;
    if (r->min_words && c->nwords < (size_t)r->min_words) return 0;
    if (r->max_words && c->nwords > (size_t)r->max_words) return 0;
    if (c->nturns == 0) {
        /* no previous turn: what it must have fails, what it must not have
         * holds, and recent (below) finds nothing */
        if (r->after_roles || r->nafter_codes || r->nafter_match) return 0;
    } else if (r->after_roles || r->nafter_codes || r->nafter_no || r->nafter_match) {
        if (r->nafter_match && !bit(c->ctx_prev, (int)(r - c->rs->rules))) return 0;
        if (r->after_roles && !(r->after_roles & (1u << c->hist_role[(c->nturns - 1) % HIST]))) return 0;
        uint64_t *prev = hist_at(c, 1);
        if (r->nafter_codes && !any_in(prev, r->after_codes, r->nafter_codes)) return 0;
        if (r->nafter_no && any_in(prev, r->after_no, r->nafter_no)) return 0;
    }
    if (r->recent_n) {
        int ok = 0;
        for (size_t b = 1; b <= (size_t)r->recent_n && b <= c->nturns && b <= HIST; b++)
            if (any_in(hist_at(c, b), r->recent_codes, r->nrecent_codes)) { ok = 1; break; }
        if (!ok) return 0;
    }
    return 1;
}

static unsigned final_bit(char f)
{
    switch (f) {
    case '?': return TS_FIN_Q;
    case '!': return TS_FIN_EXCL;
    case '.': return TS_FIN_DOT;
    case 'e': return TS_FIN_ELL;
    default: return TS_FIN_NONE;
    }
}

/* Live codes of unit u into cur_unit. cur_turn, the live codes of the whole
 * turn, is kept up to date by add_hit() and resolve(). */
static void live_sets(ts_coder *c, uint32_t u)
{
    /* every rule with requires/without asks, so the set is kept until a
     * hit is added or resolved (live_unit = -1 there) */
    if (c->live_unit == (long)u) return;
    memset(c->cur_unit, 0, c->nwords_code * sizeof(uint64_t));
    for (int i = c->unit_last[u]; i >= 0; i = c->hit_prev[i])
        if (c->hits[i].state == TS_HIT_LIVE) setbit(c->cur_unit, c->hits[i].code);
    c->live_unit = (long)u;
}

/* ------------------------------------------------------------------ echo */

static int is_stop(const ts_coder *c, const char *k)
{
    size_t lo = 0, hi = c->nstop;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int r = strcmp(c->stop[mid], k);
        if (!r) return 1;
        if (r < 0) lo = mid + 1; else hi = mid;
    }
    return 0;
}

static int content_word_slow(const ts_coder *c, size_t i)
{
    const ts_token *t = &c->tok.tok[i];
    if (t->kind == TS_TOK_NUMBER) return 1; /* "Een 6." echoes the client's 6 */
    if (t->kind != TS_TOK_WORD || t->keylen < 3) return 0;
    int st = c->fast ? ts_scanner_stopword(c->scan, i) : -1; /* a hash lookup done once per turn */
    if (st >= 0) return !st;
    return !is_stop(c, ts_tok_key(&c->tok, i));
}

/* computed once per turn (content_flags()), asked per rule and unit */
static inline int content_word(const ts_coder *c, size_t i) { return c->cw[i]; }

static void content_flags(ts_coder *c)
{
    TS_VEC_RESERVE(c->cw, c->cwcap, c->tok.ntok + 1);
    for (size_t i = 0; i < c->tok.ntok; i++) c->cw[i] = (uint8_t)content_word_slow(c, i);
}

/* The first min(n, 8) bytes of s as one integer, so that comparing prefixes
 * of up to 8 bytes is one masked compare. */
static uint64_t pack8(const char *s, size_t n)
{
    uint64_t v = 0;
    memcpy(&v, s, n < 8 ? n : 8);
    return v;
}

static inline uint64_t first_bytes(uint64_t v, size_t n) /* n <= 8; byte order of memcpy */
{
    if (n >= 8) return v;
    uint64_t m = ((uint64_t)1 << (8 * n)) - 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    m = ~(~(uint64_t)0 >> (8 * n));
#endif
    return v & m;
}

/* Two words "echo" when equal or, for longer words, when they share a
 * stem-like prefix (drinken ~ drink, gestopt ~ gestopte): with n the shorter
 * length, n == 3 needs both at most 4 long and the same 3 bytes (mis ~ mist,
 * rook ~ rookt), n >= 4 the same first min(n, 5) bytes. */
static int heard_before(const ts_coder *c, size_t ti)
{
    const char *k = ts_tok_key(&c->tok, ti);
    size_t la = c->tok.tok[ti].keylen;
    uint64_t pa = pack8(k, la);
    for (size_t j = 0; j < c->nprev; j++) {
        size_t lb = c->prevlen[j];
        uint64_t pb = c->prevpk[j];
        if (la == lb && pa == pb && (la <= 8 || !memcmp(k, c->prevbuf.p + c->prevoff[j], la))) return 1;
        size_t n = la < lb ? la : lb;
        if (n < 3) continue;
        if (n == 3) {
            if (la <= 4 && lb <= 4 && first_bytes(pa, 3) == first_bytes(pb, 3)) return 1;
            continue;
        }
        size_t m = n < 5 ? n : 5;
        if (first_bytes(pa, m) == first_bytes(pb, m)) return 1;
    }
    return 0;
}

/* does tokens [b, e) hold a content word the previous turn did not use? */
static int has_novel(const ts_coder *c, uint32_t b, uint32_t e)
{
    for (uint32_t i = b; i < e; i++)
        if (content_word(c, i) && !heard_before(c, i)) return 1;
    return 0;
}

static double echo_share(const ts_coder *c, const ts_unit *u)
{
    size_t n = 0, hit = 0;
    for (uint32_t i = u->tok_begin; i < u->tok_end; i++) {
        if (!content_word(c, i)) continue;
        n++;
        if (heard_before(c, i)) hit++;
    }
    if (!n || !hit) return 0;
    return (double)hit / (double)n;
}

static void remember_turn(ts_coder *c)
{
    /* swap: the current turn's content words become "previous" */
    ts_buf_reset(&c->curbuf);
    c->ncur = 0;
    for (size_t i = 0; i < c->tok.ntok && c->ncur < 512; i++) {
        if (!content_word(c, i)) continue;
        TS_VEC_RESERVE(c->curoff, c->curcap, c->ncur + 1);
        c->curoff[c->ncur++] = c->curbuf.len;
        ts_buf_put(&c->curbuf, ts_tok_key(&c->tok, i), c->tok.tok[i].keylen);
        ts_buf_putc(&c->curbuf, 0);
    }
    ts_buf tb = c->prevbuf; c->prevbuf = c->curbuf; c->curbuf = tb;
    size_t *to = c->prevoff; c->prevoff = c->curoff; c->curoff = to;
    size_t tc = c->prevcap; c->prevcap = c->curcap; c->curcap = tc;
    c->nprev = c->ncur;
    size_t oldcap = c->pkcap;
    TS_VEC_RESERVE(c->prevpk, c->pkcap, c->nprev + 1);
    if (c->pkcap != oldcap || !c->prevlen) c->prevlen = ts_xrealloc(c->prevlen, c->pkcap * sizeof *c->prevlen);
    for (size_t j = 0; j < c->nprev; j++) {
        const char *w = c->prevbuf.p + c->prevoff[j];
        size_t l = strlen(w);
        c->prevlen[j] = (uint32_t)l;
        c->prevpk[j] = pack8(w, l);
    }
}

static int num_of_token(const ts_coder *c, const ts_rule *r, uint32_t ti, double *v, int *is_een)
{
    const ts_token *t = &c->tok.tok[ti];
    const char *k = ts_tok_key(&c->tok, ti);
    *is_een = 0;
    if (t->kind == TS_TOK_NUMBER) {
        if (strchr(k, ':')) return 0; /* a clock time */
        char buf[64];
        size_t n = strlen(k);
        if (n >= sizeof buf) return 0;
        memcpy(buf, k, n + 1);
        for (char *p = buf; *p; p++) if (*p == ',') *p = '.';
        char *slash = strchr(buf, '/');
        if (slash) *slash = 0; /* 7/10 -> 7 */
        char *dash = strchr(buf, '-');
        if (dash) { /* 6-7 -> 6.5 */
            *dash = 0;
            double a = strtod(buf, NULL), b = strtod(dash + 1, NULL);
            if (b < a || b - a > 2) return 0; /* 0-10 is a scale, not an answer */
            *v = (a + b) / 2;
            return 1;
        }
        char *end;
        *v = strtod(buf, &end);
        return *end == 0;
    }
    for (size_t l = 0; l < r->nvalue_lex; l++) {
        const ts_lexicon *L = &c->rs->lex[r->value_lex[l]];
        for (size_t i = 0; i < L->n; i++)
            if (L->e[i].has_value && !strcmp(L->e[i].key, k)) {
                *v = L->e[i].value;
                *is_een = !strcmp(k, "een") || !strcmp(k, "'n");
                return 1;
            }
    }
    return 0;
}

static int is_connector(const char *k)
{
    static const char *const w[] = {"a", "of", "tot", "-", ",", "en", "de", "misschien", "ongeveer", "zo'n", "\xc3\xa0", NULL};
    for (int i = 0; w[i]; i++) if (!strcmp(w[i], k)) return 1;
    return 0;
}

/* Finds the number a scale answer gives in tokens [b, e): "een 7", "zes à
 * zeven" (6.5), "3,5", "tussen de vier en de vijf" (4.5), "zes en een half".
 * "een" is also the article, so it counts as 1 only when no other number
 * follows. */
static int extract_value(const ts_coder *c, const ts_rule *r, uint32_t b, uint32_t e, double *out)
{
    double vals[6];
    uint32_t at[6];
    int een[6];
    int n = 0;
    for (uint32_t i = b; i < e && n < 6; i++) {
        double v;
        int ie;
        if (num_of_token(c, r, i, &v, &ie)) { vals[n] = v; at[n] = i; een[n] = ie; n++; }
    }
    if (!n) return 0;
    int k = 0;
    while (k < n - 1 && een[k]) k++;
    double v = vals[k];
    for (uint32_t i = at[k] + 1; i < e && i <= at[k] + 3; i++) {
        const char *w = ts_tok_key(&c->tok, i);
        if (!strcmp(w, "half") || !strcmp(w, "halve")) { *out = v + 0.5; return 1; }
    }
    if (k + 1 < n && !een[k + 1]) {
        int connected = 1;
        for (uint32_t i = at[k] + 1; i < at[k + 1]; i++)
            if (!is_connector(ts_tok_key(&c->tok, i))) { connected = 0; break; }
        if (connected && at[k + 1] - at[k] <= 4 && vals[k + 1] > v && vals[k + 1] - v <= 2) v = (v + vals[k + 1]) / 2;
    }
    *out = v;
    return 1;
}

/* ------------------------------------------------------------- matching */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void add_hit(ts_coder *c, int rule, uint32_t u, uint32_t tb, uint32_t te, int hv, double v)
{
    TS_VEC_RESERVE(c->hits, c->hcap, c->nhits + 1);
    c->live_unit = -1;
    ts_hit *h = &c->hits[c->nhits++];
    h->code = c->rs->rules[rule].code;
    h->rule = rule;
    h->unit = u;
    h->start = c->tok.tok[tb].start;
    h->end = c->tok.tok[te - 1].end;
    h->has_value = hv;
    h->value = v;
    h->state = TS_HIT_LIVE;
    h->by_rule = -1;
    TS_VEC_RESERVE(c->hit_prev, c->hpcap, c->nhits);
    c->hit_prev[c->nhits - 1] = c->unit_last[u];
    c->unit_last[u] = (int)(c->nhits - 1);
    setbit(c->cur_turn, h->code);
}

static void report_limit(const ts_rule *r, const ts_turn *t, const char *file, ts_diags *d, const char *text, int rc)
{
    ts_diag_add(d, TS_SEV_ERROR, file, t->line, 1,
                "rule '%s' (%s:%lu) was stopped by %s on the sentence \"%.80s\"; the rule did not fire here",
                r->id, r->file, r->line, rc == -1 ? "the PCRE2 match/depth limit (catastrophic backtracking?)" : "a PCRE2 error", text);
}

/* One pattern on the current unit: natively when the unit was scanned,
 * else (or when atoms.c says so) PCRE2 on the key text, built on demand. */
static int run_pattern(ts_coder *c, int ri, int list, size_t k, const ts_pattern *p, uint32_t *tb, uint32_t *te)
{
    if (c->fast_unit) {
        int rc = ts_scanner_match(c->scan, (size_t)ri, list, k, tb, te);
        if (rc != TS_SCAN_PCRE) return rc;
    }
    if (!c->prepared) {
        ts_matcher_prepare(c->m, &c->tok, c->units[c->cur_u].tok_begin, c->units[c->cur_u].tok_end);
        c->prepared = 1;
    }
    return ts_matcher_run(c->m, p, tb, te);
}

static void run_rule_on_unit(ts_coder *c, int ri, uint32_t u, const ts_turn *t, const char *file, ts_diags *d)
{
    const ts_rule *r = &c->rs->rules[ri];
    const ts_unit *U = &c->units[u];
    if (r->finals && !(r->finals & final_bit(U->final))) return;
    if (r->echo_min > 0 || r->echo_max < 1) {
        if (c->uecho[u] < 0) c->uecho[u] = c->nturns ? echo_share(c, U) : 0;
        double e = c->uecho[u];
        if (e < r->echo_min || e > r->echo_max) return;
    }
    if (r->nrequires || r->nwithout || r->nwithout_turn) {
        live_sets(c, u);
        if (r->nrequires && !any_in(c->cur_unit, r->requires, r->nrequires)) return;
        if (r->nwithout && any_in(c->cur_unit, r->without, r->nwithout)) return;
        if (r->nwithout_turn && any_in(c->cur_turn, r->without_turn, r->nwithout_turn)) return;
    }
    double t0 = c->profile ? now_ns() : 0;
    uint32_t tb = 0, te = 0;
    int found = 0;
    for (size_t k = 0; k < r->nmatch && !found; k++) {
        if (c->fast_unit && (k = ts_scanner_next(c->scan, (size_t)ri, TS_PL_MATCH, k, r->nmatch)) == r->nmatch) break;
        const ts_pattern *p = &r->match[k];
        if ((p->turn_start && !U->first) || (p->turn_end && !U->last)) continue;
        int rc = run_pattern(c, ri, TS_PL_MATCH, k, p, &tb, &te);
        if (rc < 0) { report_limit(r, t, file, d, ts_matcher_keytext(c->m, NULL), rc); break; }
        found = rc;
    }
    if (c->profile) c->prof[ri].tries++;
    if (found) {
        int rejected = 0;
        for (size_t k = 0; k < r->nunless && !rejected; k++) {
            if (c->fast_unit && (k = ts_scanner_next(c->scan, (size_t)ri, TS_PL_UNLESS, k, r->nunless)) == r->nunless) break;
            const ts_pattern *p = &r->unless[k];
            if ((p->turn_start && !U->first) || (p->turn_end && !U->last)) continue;
            uint32_t ub, ue;
            int rc = run_pattern(c, ri, TS_PL_UNLESS, k, p, &ub, &ue);
            if (rc < 0) { report_limit(r, t, file, d, ts_matcher_keytext(c->m, NULL), rc); rejected = 1; }
            else if (rc) rejected = 1;
        }
        /* novel: the match itself brings a new content word, or (for a
         * marker made of function words, "eigenlijk", "voor jou") the
         * sentence around it does */
        if (!rejected && r->novel) {
            int any_content = 0;
            for (uint32_t i = tb; i < te; i++) any_content |= content_word(c, i);
            if (any_content ? !has_novel(c, tb, te) : !has_novel(c, U->tok_begin, U->tok_end)) rejected = 1;
        }
        double v = 0;
        int hv = 0;
        if (!rejected && r->value) {
            hv = extract_value(c, r, tb, U->tok_end, &v) || extract_value(c, r, U->tok_begin, U->tok_end, &v);
            if (!hv || v < r->value_min || v > r->value_max) rejected = 1;
        }
        if (rejected) { if (c->profile) c->prof[ri].rejected++; }
        else {
            add_hit(c, ri, u, tb, te, hv, v);
            if (c->profile) c->prof[ri].hits++;
        }
    }
    if (c->profile) c->prof[ri].ns += (unsigned long long)(now_ns() - t0);
}

/* Which rules' after-match patterns match a sentence of this turn: the
 * context those rules need on the next turn. Looked for on every turn,
 * whatever its role (the fast matcher's prefilter keeps that cheap); a
 * turn of unknown role is scanned for no rule, so PCRE2 looks there. */
static void after_context(ts_coder *c, const ts_turn *t, const char *file, ts_diags *d)
{
    const ts_ruleset *rs = c->rs;
    memset(c->ctx_cur, 0, ((rs->nrules + 63) / 64 + 1) * sizeof *c->ctx_cur);
    if (!c->nafter_rules) return;
    for (size_t u = 0; u < c->nunits; u++) {
        const ts_unit *U = &c->units[u];
        c->fast_unit = c->fast && t->role != TS_ROLE_UNKNOWN && ts_scanner_use(c->scan, u, NULL) == 0;
        c->cur_u = (uint32_t)u;
        c->prepared = 0;
        for (size_t x = 0; x < c->nafter_rules; x++) {
            int ri = (int)c->after_rules[x];
            const ts_rule *r = &rs->rules[ri];
            if (bit(c->ctx_cur, ri)) continue;
            double t0 = c->profile ? now_ns() : 0; /* counted in the rule's time: --profile shows it */
            for (size_t k = 0; k < r->nafter_match; k++) {
                if (c->fast_unit && (k = ts_scanner_next(c->scan, (size_t)ri, TS_PL_AFTER, k, r->nafter_match)) == r->nafter_match) break;
                const ts_pattern *p = &r->after_match[k];
                if ((p->turn_start && !U->first) || (p->turn_end && !U->last)) continue;
                uint32_t tb, te;
                int rc = run_pattern(c, ri, TS_PL_AFTER, k, p, &tb, &te);
                if (rc < 0) { report_limit(r, t, file, d, ts_matcher_keytext(c->m, NULL), rc); continue; }
                if (rc) { setbit(c->ctx_cur, ri); break; }
            }
            if (c->profile) c->prof[ri].ns += (unsigned long long)(now_ns() - t0);
        }
    }
}

/* Suppression, exclusive groups and duplicates. Hits are taken best first
 * (priority, then rule order); a live hit suppresses the codes its rule
 * names in its unit and in the whole turn; then, per unit, the best hit of
 * an exclusive group or of a code wins. O(n log n) plus the hits of a unit
 * squared (a unit has at most one hit per rule). */
static void resolve(ts_coder *c)
{
    const ts_ruleset *rs = c->rs;
    size_t n = c->nhits;
    c->live_unit = -1; /* states change below */
    if (!n) return;
    TS_VEC_RESERVE(c->order, c->ocap, n);
    TS_VEC_RESERVE(c->keys, c->kcap, n);
    for (size_t i = 0; i < n; i++) {
        c->keys[i].prio = rs->rules[c->hits[i].rule].priority;
        c->keys[i].rule = c->hits[i].rule;
        c->keys[i].idx = (int)i;
    }
    sort_small(c->keys, n, sizeof *c->keys, hitkey_cmp);
    for (size_t i = 0; i < n; i++) c->order[i] = c->keys[i].idx;
    /* hits per code, for turn-wide suppression */
    TS_VEC_RESERVE(c->code_next, c->cncap, n);
    for (size_t k = 0; k < rs->ncodes; k++) c->code_head[k] = -1;
    for (size_t i = n; i-- > 0;) {
        c->code_next[i] = c->code_head[c->hits[i].code];
        c->code_head[c->hits[i].code] = (int)i;
    }
    /* suppression */
    for (size_t oi = 0; oi < n; oi++) {
        ts_hit *h = &c->hits[c->order[oi]];
        if (h->state != TS_HIT_LIVE) continue;
        const ts_rule *r = &rs->rules[h->rule];
        for (size_t k = 0; k < r->nsuppress; k++)
            for (int j = c->unit_last[h->unit]; j >= 0; j = c->hit_prev[j]) {
                ts_hit *o = &c->hits[j];
                if (o != h && o->state == TS_HIT_LIVE && o->code == r->suppress[k]) { o->state = TS_HIT_SUPPRESSED; o->by_rule = h->rule; }
            }
        for (size_t k = 0; k < r->nsuppress_turn; k++)
            for (int *link = &c->code_head[r->suppress_turn[k]]; *link >= 0;) {
                ts_hit *o = &c->hits[*link];
                if (o != h && o->state == TS_HIT_LIVE) { o->state = TS_HIT_SUPPRESSED; o->by_rule = h->rule; }
                if (o->state != TS_HIT_LIVE) *link = c->code_next[*link]; /* never live again: unlink */
                else link = &c->code_next[*link];
            }
    }
    /* exclusive groups and duplicates, per unit, best first (a stable
     * counting sort of order[] by unit) */
    TS_VEC_RESERVE(c->ubeg, c->ubcap, c->nunits + 1);
    TS_VEC_RESERVE(c->uord, c->uocap, n);
    memset(c->ubeg, 0, (c->nunits + 1) * sizeof *c->ubeg);
    for (size_t i = 0; i < n; i++) c->ubeg[c->hits[i].unit + 1]++;
    for (size_t u = 0; u < c->nunits; u++) c->ubeg[u + 1] += c->ubeg[u];
    for (size_t oi = 0; oi < n; oi++) c->uord[c->ubeg[c->hits[c->order[oi]].unit]++] = c->order[oi];
    for (size_t u = c->nunits; u > 0; u--) c->ubeg[u] = c->ubeg[u - 1]; /* back to the starts */
    c->ubeg[0] = 0;
    for (size_t u = 0; u < c->nunits; u++)
        for (int oi = c->ubeg[u]; oi < c->ubeg[u + 1]; oi++) {
            ts_hit *h = &c->hits[c->uord[oi]];
            if (h->state != TS_HIT_LIVE) continue;
            int g = rs->code_group[h->code];
            for (int oj = oi + 1; oj < c->ubeg[u + 1]; oj++) {
                ts_hit *o = &c->hits[c->uord[oj]];
                if (o->state != TS_HIT_LIVE) continue;
                if (o->code == h->code) { o->state = TS_HIT_DUPLICATE; o->by_rule = h->rule; }
                else if (g >= 0 && rs->code_group[o->code] == g) { o->state = TS_HIT_EXCLUSIVE; o->by_rule = h->rule; }
            }
        }
    /* the turn's live codes, for the next stage's without-turn */
    memset(c->cur_turn, 0, c->nwords_code * sizeof(uint64_t));
    for (size_t i = 0; i < n; i++)
        if (c->hits[i].state == TS_HIT_LIVE) setbit(c->cur_turn, c->hits[i].code);
}

static void make_units(ts_coder *c)
{
    c->nunits = 0;
    for (size_t s = 0; s < c->tok.nsent; s++) {
        const ts_sentence *S = &c->tok.sent[s];
        uint32_t b = S->tok_begin;
        do {
            uint32_t e = S->tok_end - b > TS_MAX_SENTENCE_TOKENS ? b + TS_MAX_SENTENCE_TOKENS : S->tok_end;
            TS_VEC_RESERVE(c->units, c->ucap, c->nunits + 1);
            ts_unit *u = &c->units[c->nunits++];
            u->sentence = (uint32_t)s;
            u->tok_begin = b;
            u->tok_end = e;
            u->final = e == S->tok_end ? S->final : 0;
            u->first = c->nunits == 1;
            u->last = 0;
            b = e;
        } while (b < S->tok_end);
    }
    if (c->nunits) c->units[c->nunits - 1].last = 1;
}

static int hit_pos_cmp(const void *x, const void *y)
{
    const ts_hit *a = x, *b = y;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->unit != b->unit) return a->unit < b->unit ? -1 : 1;
    if (a->code != b->code) return a->code < b->code ? -1 : 1;
    return a->rule < b->rule ? -1 : a->rule > b->rule;
}

const ts_coded *ts_coder_code(ts_coder *c, const ts_turn *t, const char *file, ts_diags *d)
{
    const ts_ruleset *rs = c->rs;
    ts_tokenize(&c->tok, t->text, t->text_len);
    c->nwords = 0;
    for (size_t i = 0; i < c->tok.ntok; i++)
        if (c->tok.tok[i].kind == TS_TOK_WORD || c->tok.tok[i].kind == TS_TOK_NUMBER) c->nwords++;
    make_units(c);
    if (c->fast) {
        ts_scanner_turn(c->scan, &c->tok);
        ts_scanner_units(c->scan, c->units, c->nunits, (int)t->role);
    }
    content_flags(c);
    TS_VEC_RESERVE(c->uecho, c->uecap, c->nunits + 1);
    for (size_t u = 0; u < c->nunits; u++) c->uecho[u] = -1;
    if (!++c->turn_serial) { memset(c->tc_stamp, 0, c->rs->nrules * sizeof *c->tc_stamp); c->turn_serial = 1; }
    c->nhits = 0;
    c->live_unit = -1;
    memset(c->cur_turn, 0, c->nwords_code * sizeof(uint64_t));
    TS_VEC_RESERVE(c->unit_last, c->ulcap, c->nunits + 1);
    for (size_t u = 0; u < c->nunits; u++) c->unit_last[u] = -1;
    ts_buf_reset(&c->keytexts);
    TS_VEC_RESERVE(c->keyoff, c->kocap, c->nunits + 1);
    /* which rules may run on this turn at all */
    for (int st = 0; st < rs->nstages; st++) {
        for (size_t u = 0; u < c->nunits; u++) {
            unsigned stages = ~0u;
            c->fast_unit = c->fast && ts_scanner_use(c->scan, u, &stages) == 0;
            if (!(stages & (1u << st)) && !(st == 0 && c->want_keytext)) continue; /* no candidate of this stage here */
            c->cur_u = (uint32_t)u;
            c->prepared = 0;
            if (c->fast_unit && !(st == 0 && c->want_keytext)) {
                /* only the candidates (atoms.c), in rule order */
                const uint64_t *cand = ts_scanner_candidates(c->scan);
                const uint64_t *sr = c->stage_rules + (size_t)st * ((rs->nrules + 63) / 64 + 1);
                for (size_t w = 0; w * 64 < rs->nrules; w++)
                    for (uint64_t bits = cand[w] & sr[w]; bits; bits &= bits - 1) {
                        size_t ri = w * 64 + (size_t)__builtin_ctzll(bits);
                        const ts_rule *r = &rs->rules[ri];
                        if (c->tc_stamp[ri] != c->turn_serial) {
                            c->tc_stamp[ri] = c->turn_serial;
                            c->tc_val[ri] = (uint8_t)turn_conditions(c, r, t->role);
                        }
                        if (c->tc_val[ri]) run_rule_on_unit(c, (int)ri, (uint32_t)u, t, file, d);
                    }
                continue;
            }
            ts_matcher_prepare(c->m, &c->tok, c->units[u].tok_begin, c->units[u].tok_end);
            c->prepared = 1;
            if (st == 0 && c->want_keytext) {
                size_t kl;
                const char *kt = ts_matcher_keytext(c->m, &kl);
                c->keyoff[u] = c->keytexts.len;
                ts_buf_put(&c->keytexts, kt, kl);
                ts_buf_putc(&c->keytexts, 0);
            }
            for (size_t ri = 0; ri < rs->nrules; ri++) {
                const ts_rule *r = &rs->rules[ri];
                if (r->stage != st || r->code < 0) continue;
                if (!turn_conditions(c, r, t->role)) continue;
                run_rule_on_unit(c, (int)ri, (uint32_t)u, t, file, d);
            }
        }
        resolve(c);
    }
    /* stable output order: by position, then code */
    if (c->nhits > 1) sort_small(c->hits, c->nhits, sizeof *c->hits, hit_pos_cmp); /* qsort(NULL, 0) is UB */
    /* context for the next turn */
    after_context(c, t, file, d);
    uint64_t *swap = c->ctx_prev;
    c->ctx_prev = c->ctx_cur;
    c->ctx_cur = swap;
    c->nturns++;
    uint64_t *cur = hist_at(c, 1);
    memset(cur, 0, c->nwords_code * sizeof(uint64_t));
    size_t live = 0;
    for (size_t i = 0; i < c->nhits; i++)
        if (c->hits[i].state == TS_HIT_LIVE) {
            if (++live > TS_MAX_CODES_PER_TURN) {
                c->hits[i].state = TS_HIT_SUPPRESSED;
                continue;
            }
            setbit(cur, c->hits[i].code);
        }
    if (live > TS_MAX_CODES_PER_TURN)
        ts_diag_add(d, TS_SEV_WARNING, file, t->line, 1, "turn has %zu codes; only the first %d are kept (TS_MAX_CODES_PER_TURN)", live, TS_MAX_CODES_PER_TURN);
    c->hist_role[(c->nturns - 1) % HIST] = t->role;
    remember_turn(c);
    /* conversation structure: talk type by majority of sentences, phase, pillar */
    memset(c->has, 0, rs->ncodes);
    int ntalk[3] = {0, 0, 0}, lasttalk = TS_TALK_NONE;
    int ip = rs->known[TS_K_TALK_PROBLEM], is = rs->known[TS_K_TALK_SOLUTION];
    for (size_t i = 0; i < c->nhits; i++) {
        if (c->hits[i].state != TS_HIT_LIVE) continue;
        c->has[c->hits[i].code] = 1;
        if (c->hits[i].code == ip) { ntalk[TS_TALK_PROBLEM]++; lasttalk = TS_TALK_PROBLEM; }
        if (c->hits[i].code == is) { ntalk[TS_TALK_SOLUTION]++; lasttalk = TS_TALK_SOLUTION; }
    }
    ts_structure_turn(&c->sst, rs, t->role, c->nwords, c->has, &c->out.st);
    if (ntalk[TS_TALK_PROBLEM] && ntalk[TS_TALK_SOLUTION])
        c->out.st.talk = ntalk[TS_TALK_PROBLEM] > ntalk[TS_TALK_SOLUTION] ? TS_TALK_PROBLEM
                       : ntalk[TS_TALK_SOLUTION] > ntalk[TS_TALK_PROBLEM] ? TS_TALK_SOLUTION : (ts_talk)lasttalk;
    c->out.tok = &c->tok;
    c->out.units = c->units;
    c->out.nunits = c->nunits;
    c->out.hits = c->hits;
    c->out.nhits = c->nhits;
    c->out.words = c->nwords;
    return &c->out;
}

const char *ts_coder_keytext(ts_coder *c, size_t u)
{
    if (!c->want_keytext || u >= c->nunits) return "";
    return c->keytexts.p + c->keyoff[u];
}

void ts_coder_want_keytext(ts_coder *c, int on) { c->want_keytext = on; }
