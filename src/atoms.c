/* atoms.c - the fast matcher: atoms, candidates, native verification.
 *
 * The reference matcher (match.c) runs every rule's PCRE2 on every
 * sentence: rules x sentences regex calls, nearly all of which fail. This
 * module makes the failing ones (almost) free, the way YARA does: a pattern
 * can only match a sentence that contains certain words, so one pass over
 * the sentence's tokens finds the few patterns worth verifying.
 *
 * Atoms. The key text of a sentence is its kept tokens' keys joined by
 * spaces (match.c), and a token-pattern element consumes exactly one key.
 * So the natural atom is a whole key, looked up once per token in a hash of
 * every word the rules mention, or a key prefix for "foo*", walked in a
 * small trie. For each element we know a set of atoms one of which MUST be
 * there when the element matches - its atom group:
 *
 *     WORD w            {w}
 *     @lex              the first word of every entry of lex
 *     ( a | b )         atoms(a) U atoms(b)   (none if a branch has none)
 *     [..] ~N _ <num> !x ^ $                  nothing required
 *
 * A pattern needs ALL the groups of its required elements: that is a
 * clause, a conjunction; a top-level alternation gives one clause per
 * branch. Worked example:
 *
 *   ik ~2 (wil | wou) ~2 (niet | geen) ~4 @verander
 *     -> stoppen|minderen|...(59) & wil|wou & niet|geen & ik
 *
 * Clauses hang off their cheapest group, the anchor (YARA's atom quality:
 * the estimated chance that a sentence holds it - function words from the
 * "stop" lexicon, short words and short prefixes are poor; thirty rare verbs
 * can beat one "ik"). Scanning a sentence sets one bit per group that
 * occurs (a word in many groups ORs in a precomputed row), then looks only
 * at clauses whose anchor bit is set and checks their other bits. A
 * satisfied clause makes its pattern slot - and the pattern's rule - a
 * candidate. A pattern with no required element ("_ ~3 <num>") has no
 * clause: it is a slow rule, a candidate on every sentence, and `rules
 * check` lists it. Identical clauses (the same unless line in ten rules, a
 * copied rule pack) are checked once.
 *
 * User regexes ("regex /.../") get byte atoms: a literal run every match
 * must contain, parsed conservatively from the source (anything not
 * modelled - flags, \Q..\E, \x{..}, back references - means no atom).
 * Runs are cut at spaces, so an atom lies inside one key; all byte atoms
 * share one Aho-Corasick automaton. A known word's prefix and byte atoms
 * are folded into its dictionary entry at build time; only unknown words
 * walk the automata.
 *
 * Verification. A candidate token pattern is run natively: each distinct
 * pattern is compiled to a tiny backtracking program over token ids (WORD,
 * LEX, ANY, SPLIT, ...) that tries start tokens left to right and
 * alternatives in PCRE2's order (greedy [..], lazy ~N, lexicon entries
 * longest first, the opener loop and \K of "^"), so it finds the same
 * leftmost match and the same span as the PCRE2 translation. Byte-identical
 * output is the contract, checked against `--matcher reference` on the
 * corpora and on random transcripts. Two escape hatches keep that simple: a
 * sentence with a key that contains a space (a compatibility character such
 * as U+00A8) goes to the reference matcher whole, and a program that
 * backtracks more than TS_NATIVE_MATCH_STEPS lets PCRE2 decide, limits and
 * all. User regexes are verified by PCRE2 JIT on the key text. A pattern's
 * result is remembered for the rest of the sentence.
 *
 * Threads: ts_atoms is built once and never written again; each worker's
 * ts_scanner owns the per-turn arrays (token ids, every unit's kept tokens,
 * candidate bits - scanned once per turn, used by every stage), the
 * backtracking stack and the memo. They grow to the largest turn seen and
 * are reused: the hot path does not allocate.
 */
#include "atoms.h"
#include "limits.h"
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ------------------------------------------------------------ dictionary */

enum { F_SKIP = 1, F_STOP = 2 };

typedef struct {
    uint32_t hash, off, len;
} dent;

typedef struct {
    dent *e;           /* ids in order */
    size_t n, cap;
    uint32_t *slot;    /* open addressing: id + 1, 0 = empty */
    size_t nslot;
    ts_buf pool;
} dict;

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 16777619u; }
    return h;
}

static int dict_find_h(const dict *d, const char *s, size_t n, uint32_t h)
{
    if (!d->nslot) return -1;
    size_t mask = d->nslot - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        uint32_t v = d->slot[i];
        if (!v) return -1;
        const dent *e = &d->e[v - 1];
        if (e->hash == h && e->len == n && !memcmp(d->pool.p + e->off, s, n)) return (int)(v - 1);
    }
}

static void dict_rehash(dict *d, size_t nslot)
{
    free(d->slot);
    d->slot = ts_xcalloc(nslot, sizeof *d->slot);
    d->nslot = nslot;
    for (size_t id = 0; id < d->n; id++) {
        size_t i = d->e[id].hash & (nslot - 1);
        while (d->slot[i]) i = (i + 1) & (nslot - 1);
        d->slot[i] = (uint32_t)id + 1;
    }
}

static int dict_add(dict *d, const char *s, size_t n)
{
    uint32_t h = hash_bytes(s, n);
    int id = dict_find_h(d, s, n, h);
    if (id >= 0) return id;
    TS_VEC_RESERVE(d->e, d->cap, d->n + 1);
    dent *e = &d->e[d->n];
    e->hash = h;
    e->off = (uint32_t)d->pool.len;
    e->len = (uint32_t)n;
    ts_buf_put(&d->pool, s, n);
    ts_buf_putc(&d->pool, 0);
    d->n++;
    if (d->n * 2 > d->nslot) dict_rehash(d, d->nslot ? d->nslot * 2 : 64);
    else {
        size_t i = h & (d->nslot - 1);
        while (d->slot[i]) i = (i + 1) & (d->nslot - 1);
        d->slot[i] = (uint32_t)d->n;
    }
    return (int)d->n - 1;
}

static const char *dict_str(const dict *d, int id) { return d->pool.p + d->e[id].off; }

static void dict_free(dict *d)
{
    free(d->e);
    free(d->slot);
    ts_buf_free(&d->pool);
}

/* ---------------------------------------------------- byte automata */

/* One structure for both the prefix trie (walked from the first byte of a
 * key, stops at the first missing edge) and the Aho-Corasick automaton of
 * regex atoms (full DFA after the failure links are folded in). Bytes that
 * occur in no atom share class 0, which keeps the table small. */
typedef struct {
    uint8_t cls[256];
    int ncls;
    int32_t *next;            /* nstate * ncls; 0 = root (dead for a trie) */
    size_t nstate, scap;
    uint32_t *out_off, *out_n; /* per state: rules in outs[] */
    uint32_t *outs;
    /* build only */
    uint32_t **bout; size_t *bn, *bcap;
} bauto;

static void ba_classes(bauto *A, char **s, size_t n)
{
    memset(A->cls, 0, sizeof A->cls);
    A->ncls = 1;
    for (size_t i = 0; i < n; i++)
        for (const unsigned char *p = (const unsigned char *)s[i]; *p; p++)
            if (!A->cls[*p]) A->cls[*p] = (uint8_t)A->ncls++;
}

static int32_t ba_state(bauto *A)
{
    if (A->nstate == A->scap) {
        A->scap = A->scap ? A->scap * 2 : 16;
        A->next = ts_xrealloc(A->next, A->scap * (size_t)A->ncls * sizeof *A->next);
        A->bout = ts_xrealloc(A->bout, A->scap * sizeof *A->bout);
        A->bn = ts_xrealloc(A->bn, A->scap * sizeof *A->bn);
        A->bcap = ts_xrealloc(A->bcap, A->scap * sizeof *A->bcap);
    }
    memset(A->next + A->nstate * (size_t)A->ncls, 0, (size_t)A->ncls * sizeof *A->next);
    A->bout[A->nstate] = NULL;
    A->bn[A->nstate] = A->bcap[A->nstate] = 0;
    return (int32_t)A->nstate++;
}

static void ba_out(bauto *A, int32_t st, uint32_t rule)
{
    for (size_t i = 0; i < A->bn[st]; i++) if (A->bout[st][i] == rule) return;
    TS_VEC_RESERVE(A->bout[st], A->bcap[st], A->bn[st] + 1);
    A->bout[st][A->bn[st]++] = rule;
}

/* Builds the trie of strings s[i] -> rule[i]; with ac set, adds failure
 * links and folds them into a DFA. */
static void ba_build(bauto *A, char **s, uint32_t *rule, size_t n, int ac)
{
    ba_classes(A, s, n);
    ba_state(A);
    for (size_t i = 0; i < n; i++) {
        int32_t st = 0;
        for (const unsigned char *p = (const unsigned char *)s[i]; *p; p++) {
            int32_t *nx = &A->next[(size_t)st * A->ncls + A->cls[*p]];
            if (!*nx) { int32_t ns = ba_state(A); nx = &A->next[(size_t)st * A->ncls + A->cls[*p]]; *nx = ns; }
            st = *nx;
        }
        ba_out(A, st, rule[i]);
    }
    if (ac && A->nstate > 1) {
        int32_t *fail = ts_xcalloc(A->nstate, sizeof *fail);
        int32_t *q = ts_xmalloc(A->nstate * sizeof *q);
        size_t qh = 0, qt = 0;
        for (int c = 0; c < A->ncls; c++) {
            int32_t t = A->next[c];
            if (t) { fail[t] = 0; q[qt++] = t; }
        }
        while (qh < qt) {
            int32_t st = q[qh++];
            for (size_t k = 0; k < A->bn[fail[st]]; k++) ba_out(A, st, A->bout[fail[st]][k]);
            for (int c = 0; c < A->ncls; c++) {
                int32_t *t = &A->next[(size_t)st * A->ncls + c];
                if (*t) { fail[*t] = A->next[(size_t)fail[st] * A->ncls + c]; q[qt++] = *t; }
                else *t = A->next[(size_t)fail[st] * A->ncls + c];
            }
        }
        free(fail);
        free(q);
    }
    /* flatten the outputs */
    size_t tot = 0;
    for (size_t i = 0; i < A->nstate; i++) tot += A->bn[i];
    A->outs = ts_xmalloc((tot ? tot : 1) * sizeof *A->outs);
    A->out_off = ts_xmalloc(A->nstate * sizeof *A->out_off);
    A->out_n = ts_xmalloc(A->nstate * sizeof *A->out_n);
    tot = 0;
    for (size_t i = 0; i < A->nstate; i++) {
        A->out_off[i] = (uint32_t)tot;
        A->out_n[i] = (uint32_t)A->bn[i];
        if (A->bn[i]) memcpy(A->outs + tot, A->bout[i], A->bn[i] * sizeof *A->outs);
        tot += A->bn[i];
        free(A->bout[i]);
    }
    free(A->bout); free(A->bn); free(A->bcap);
    A->bout = NULL; A->bn = A->bcap = NULL;
}

static void ba_free(bauto *A)
{
    free(A->next); free(A->outs); free(A->out_off); free(A->out_n);
}

/* ------------------------------------------------------------- word sets */

/* A lexicon (or the one word of a !word) as the matcher needs it: single
 * exact words through the dictionary (word id -> (set, rank) pairs), and the
 * rest - prefix entries, multi-word entries - as a short list. rank is the
 * entry's position in the PCRE2 alternation (longest key first), which
 * decides which of several entries of different lengths is tried first. */
typedef struct {
    int rank, nseg, last_prefix;
    uint32_t seg;      /* index of the first of nseg ids in a->segs; -2 = cannot match */
    uint32_t poff;     /* prefix string of the last segment in a->strs */
    uint32_t plen;
} wspecial;

typedef struct {
    uint32_t sp_off, sp_n; /* its specials whose first word is a prefix, in a->psp */
} wset;

/* word id -> an entry that starts with it: a one-word entry (sp = -1) or a
 * multi-word entry (sp = its index in a->sp) */
typedef struct { uint32_t set; int32_t rank; int32_t sp; } memb;

/* ------------------------------------------------------------- programs */

enum { OP_WORD, OP_PREFIX, OP_LEX, OP_ANY, OP_NUM, OP_NOT, OP_NOTSUB, OP_START, OP_OPENERS, OP_KEEP, OP_END, OP_SPLIT, OP_JMP, OP_MATCH };

typedef struct { uint8_t op; int32_t x, y; } insn;

typedef struct {
    int native;        /* token pattern (else a user regex) */
    int anchored;      /* every branch starts with ^ */
    uint32_t off, n;   /* code in a->code */
    uint32_t foff, fn; /* its first-token tests in a->first; fn = 0: none known */
} prog;

/* A test one of which the first token of every match passes (the FIRST set
 * of the pattern): most patterns start with an alternation, whose SPLIT
 * says nothing about the token, so without these the machine is entered at
 * every start position. */
enum { FT_WORD, FT_PREFIX, FT_LEX };
typedef struct { uint8_t kind; int32_t x, y; } ftest;

typedef struct atom_s {
    int kind;          /* 0 word id, 1 prefix, 2 bytes */
    int id;
    char *s;
    double cost;       /* its word_cost / prefix_cost, kept for the sets it is copied into */
} atom;

struct ts_atoms {
    size_t nrules, nw;             /* rules, 64-bit words of a rule bit set */
    dict words;
    uint8_t *wflags;               /* per word id */
    uint32_t *trig_off, *trig_n, *trig; /* per word id: atom groups */
    uint32_t *memb_off, *memb_n;   /* per word id: exact lexicon memberships */
    memb *membs;
    wset *sets; size_t nsets, setcap;
    wspecial *sp; size_t nsp, spcap;
    uint32_t *psp; size_t npsp, pspcap;
    int32_t *segs; size_t nsegs, segcap;
    ts_buf strs;                   /* prefix strings */
    int opener_set;                /* set index of lexicon "opener" or -1 */
    bauto prefix;                  /* prefix trie of prefix atoms */
    bauto bytes;                   /* Aho-Corasick of regex atoms */
    int have_prefix, have_bytes;
    size_t nprefix_atoms, nbyte_atoms;
    insn *code; size_t ncode, codecap;
    ftest *first; size_t nfirst, firstcap;
    prog *progs; size_t nprogs, progcap;
    uint32_t *lprog[TS_PATTERN_LISTS]; /* per list (match, unless, after-match) and rule: its first slot in pidx */
    uint32_t *pidx; size_t npidx;
    /* An atom group is a set of atoms one of which an element needs
     * ("wil|wou"); a clause is a conjunction of groups that one pattern (or
     * one top-level branch of it) needs; a pattern slot (an entry of pidx)
     * is a candidate when one of its clauses holds. Each clause hangs off
     * its cheapest group, the anchor, so only clauses whose anchor occurred
     * are looked at. */
    size_t ngroups, ngw;           /* groups, 64-bit words of a group bit set */
    uint32_t *slot_rule;           /* per slot: its rule */
    uint8_t *slot_match;           /* per slot: a match (not unless) pattern */
    size_t nsw;                    /* 64-bit words of a slot bit set */
    uint64_t *slot_always;         /* slots without atoms */
    struct clause { uint32_t slot, off, n; } *clauses; size_t nclauses, clcap;
    uint32_t *cgroups; size_t ncg, cgcap; /* the non-anchor groups of the clauses */
    /* clauses with the same groups (the same pattern in several rules, or a
     * rule pack copied) are checked once: unique clause -> its slots */
    struct uclause { uint32_t off, n, soff, sn; } *ucl; size_t nucl;
    uint32_t *ucg, *ucs;           /* their non-anchor groups, their slots */
    /* a word in many groups sets them by OR-ing one precomputed row */
    int32_t *row_of;               /* per word id: row or -1 */
    uint64_t *rows; size_t nrows;
    /* per role and group: the unique clauses anchored there that have a
     * slot of a rule for that role (a client sentence need not test the
     * professional rules' clauses), and the groups that anchor any */
    uint32_t *ranch_off[3], *ranch_n[3], *ranch[3];
    uint64_t *ranchor_mask[3];
    uint64_t *stagemask;           /* TS_MAX_STAGES x nw: the rules of each stage */
    dict codes;                    /* code name -> index (ts_atoms_code_index) */
    uint64_t *always;              /* slow rules */
    uint64_t *rolemask;            /* 3 roles x nw */
    const char **slow_why;         /* per rule, NULL = has atoms */
    size_t nslow;
    ts_buf desc;                   /* per rule atom description, NUL separated */
    uint32_t *desc_off;
};

/* ----------------------------------------------------------- build: sets */

typedef struct {
    const ts_ruleset *rs;
    ts_atoms *a;
    /* build-time per word id: triggers and memberships */
    uint32_t **tv; size_t *tn, *tc;
    memb **mv; size_t *mn, *mc;
    size_t idcap;
    char **pstr; uint32_t *prule; size_t np, pcap;   /* prefix atoms */
    char **bstr; uint32_t *brule; size_t nb, bcap;   /* byte atoms */
    int *lexset;                                     /* lexicon -> set */
    struct aset_s *lexatoms;                         /* lexicon -> its atom set, built on first use */
    int32_t *lexgroup;                               /* lexicon -> the group of that set, or -1 */
    dict srcs;                                       /* pattern source -> program */
    size_t prog_off;                                 /* jump targets are relative to it */
    dict gkeys;                                      /* canonical atom list -> group */
    double *gcost; size_t gcostcap;
    uint32_t **av; size_t *an, *ac; size_t acap;     /* per group: anchored clauses */
    /* scratch, reused for every pattern (a pack has thousands) */
    ts_buf key;                                      /* program_of, group_of */
    const struct atom_s **kv; size_t kcap;           /* group_of's sorted atoms */
    struct aset_s *req; size_t reqcap;               /* add_clause's required sets */
} builder;

static void ensure_ids(builder *B)
{
    size_t n = B->a->words.n;
    if (n <= B->idcap) return;
    size_t nc = B->idcap ? B->idcap : 64;
    while (nc < n) nc *= 2;
    B->tv = ts_xrealloc(B->tv, nc * sizeof *B->tv);
    B->tn = ts_xrealloc(B->tn, nc * sizeof *B->tn);
    B->tc = ts_xrealloc(B->tc, nc * sizeof *B->tc);
    B->mv = ts_xrealloc(B->mv, nc * sizeof *B->mv);
    B->mn = ts_xrealloc(B->mn, nc * sizeof *B->mn);
    B->mc = ts_xrealloc(B->mc, nc * sizeof *B->mc);
    B->a->wflags = ts_xrealloc(B->a->wflags, nc);
    for (size_t i = B->idcap; i < nc; i++) {
        B->tv[i] = NULL; B->tn[i] = B->tc[i] = 0;
        B->mv[i] = NULL; B->mn[i] = B->mc[i] = 0;
        B->a->wflags[i] = 0;
    }
    B->idcap = nc;
}

static int word_id(builder *B, const char *s, size_t n)
{
    int id = dict_add(&B->a->words, s, n);
    ensure_ids(B);
    return id;
}

/* The word id of a word element, looked up once per element (its program
 * and its atoms both need it). */
static int elem_word_id(builder *B, const ts_pelem *e)
{
    if (e->wid < 0) ((ts_pelem *)e)->wid = word_id(B, e->word, strlen(e->word));
    return e->wid;
}

static int new_set(builder *B)
{
    ts_atoms *a = B->a;
    TS_VEC_RESERVE(a->sets, a->setcap, a->nsets + 1);
    a->sets[a->nsets].sp_off = (uint32_t)a->npsp;
    a->sets[a->nsets].sp_n = 0;
    return (int)a->nsets++;
}

/* Adds entry key (prefix flag) with rank to set si, which must be the last
 * set created. */
static void set_add(builder *B, int si, const char *key, int prefix, int rank)
{
    ts_atoms *a = B->a;
    const char *sp = strchr(key, ' ');
    if (!sp && !prefix) {
        if (!*key) return;
        int id = word_id(B, key, strlen(key));
        memb m = {(uint32_t)si, rank, -1};
        TS_VEC_RESERVE(B->mv[id], B->mc[id], B->mn[id] + 1);
        B->mv[id][B->mn[id]++] = m;
        return;
    }
    TS_VEC_RESERVE(a->sp, a->spcap, a->nsp + 1);
    size_t wi = a->nsp++;
    wspecial *w = &a->sp[wi];
    w->rank = rank;
    w->last_prefix = prefix;
    w->nseg = 0;
    w->seg = (uint32_t)a->nsegs;
    w->poff = w->plen = 0;
    const char *p = key;
    for (;;) {
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        int last = !e;
        int32_t id;
        if (last && prefix) {
            w->poff = (uint32_t)a->strs.len;
            w->plen = (uint32_t)l;
            ts_buf_put(&a->strs, p, l);
            ts_buf_putc(&a->strs, 0);
            id = -3; /* checked by prefix */
        } else id = l ? word_id(B, p, l) : -2; /* an empty segment never occurs on the fast path */
        TS_VEC_RESERVE(a->segs, a->segcap, a->nsegs + 1);
        a->segs[a->nsegs++] = id;
        w->nseg++;
        if (last) break;
        p = e + 1;
    }
    int32_t first = a->segs[w->seg];
    if (first == -3) { /* "foo*": scanned for in its set */
        TS_VEC_RESERVE(a->psp, a->pspcap, a->npsp + 1);
        a->psp[a->npsp++] = (uint32_t)wi;
        a->sets[si].sp_n++;
    } else if (first >= 0) { /* found through its first word */
        memb m = {(uint32_t)si, rank, (int32_t)wi};
        TS_VEC_RESERVE(B->mv[first], B->mc[first], B->mn[first] + 1);
        B->mv[first][B->mn[first]++] = m;
    } /* else an empty first word: never on the fast path */
}

static int memb_cmp(const void *x, const void *y)
{
    const memb *p = x, *q = y;
    return p->set < q->set ? -1 : p->set > q->set;
}

static int lex_set(builder *B, int li)
{
    if (B->lexset[li] >= 0) return B->lexset[li];
    const ts_lexicon *L = &B->rs->lex[li];
    int si = new_set(B);
    const ts_lexentry **v = ts_xmalloc((L->n ? L->n : 1) * sizeof *v);
    for (size_t i = 0; i < L->n; i++) v[i] = &L->e[i];
    qsort(v, L->n, sizeof *v, ts_lexentry_order); /* the order of emit_lex's alternation */
    for (size_t i = 0; i < L->n; i++) set_add(B, si, v[i]->key, v[i]->prefix, (int)i);
    free(v);
    B->lexset[li] = si;
    return si;
}

/* ------------------------------------------------------- build: atom sets */

typedef struct aset_s {
    int ok;            /* a usable atom set (possibly empty: never matches) */
    int borrowed, lex; /* borrowed: lexicon lex's cached set (not freed, not changed) */
    atom *v; size_t n, cap;
    double cost;
    uint64_t *wbits; size_t wbw; /* word ids present, once the set is large (dedup in O(1)) */
} aset;

static void aset_free(aset *s)
{
    if (s->borrowed) { memset(s, 0, sizeof *s); return; }
    for (size_t i = 0; i < s->n; i++) free(s->v[i].s);
    free(s->v);
    free(s->wbits);
    memset(s, 0, sizeof *s);
}

static void wbit_set(aset *s, int id)
{
    size_t w = (size_t)id / 64;
    if (w >= s->wbw) {
        size_t nw = s->wbw ? s->wbw : 8;
        while (nw <= w) nw *= 2;
        s->wbits = ts_xrealloc(s->wbits, nw * sizeof *s->wbits);
        memset(s->wbits + s->wbw, 0, (nw - s->wbw) * sizeof *s->wbits);
        s->wbw = nw;
    }
    s->wbits[w] |= (uint64_t)1 << (id % 64);
}

static void aset_add(aset *s, int kind, int id, const char *str, double cost)
{
    /* a lexicon of hundreds of words is added word by word, for every
     * pattern that names it: word ids are looked up in a bitmap once the
     * set is large, the rest (prefixes, byte strings: few) by scanning */
    if (kind == 0 && id >= 0 && s->n >= 16) {
        if (!s->wbits) /* switching over: mark the words already in */
            for (size_t i = 0; i < s->n; i++)
                if (s->v[i].kind == 0 && s->v[i].id >= 0) wbit_set(s, s->v[i].id);
        if ((size_t)id / 64 < s->wbw && ((s->wbits[id / 64] >> (id % 64)) & 1)) return;
    } else {
        for (size_t i = 0; i < s->n; i++)
            if (s->v[i].kind == kind && s->v[i].id == id && (!str || !strcmp(s->v[i].s, str))) return;
    }
    if (kind == 0 && id >= 0 && s->wbits) wbit_set(s, id);
    if (s->n >= s->cap) { /* (a set built elsewhere may have n > cap = 0) */
        s->cap = s->n >= 4 ? s->n * 2 : 4;
        s->v = ts_xrealloc(s->v, s->cap * sizeof *s->v);
    }
    s->v[s->n].kind = kind;
    s->v[s->n].id = id;
    s->v[s->n].s = str ? ts_strdup(str) : NULL;
    s->v[s->n].cost = cost;
    s->n++;
    s->cost += cost;
}

/* Atom quality (YARA's atoms.c), here as the estimated chance that a
 * sentence holds the atom; a group costs the sum of its atoms, and a clause
 * hangs off its cheapest group. Function words (the "stop" lexicon) are in
 * nearly every sentence, short words and short prefixes in many; a list of
 * thirty rare verbs can still beat "ik". */
static double word_cost(builder *B, int id)
{
    size_t l = B->a->words.e[id].len;
    if (B->a->wflags[id] & F_STOP) return l <= 2 ? 0.08 : 0.05;
    return l <= 2 ? 0.01 : l == 3 ? 0.004 : l == 4 ? 0.002 : 0.001;
}

static double prefix_cost(size_t l)
{
    static const double c[] = {1, 0.3, 0.1, 0.02, 0.008, 0.004};
    return l < 6 ? c[l] : 0.002;
}

static aset atoms_of(builder *B, const ts_pelem *e)
{
    aset r = {0};
    switch (e->kind) {
    case TS_PE_WORD:
        r.ok = 1;
        if (e->prefix) aset_add(&r, 1, -1, e->word, prefix_cost(strlen(e->word)));
        else {
            int id = elem_word_id(B, e);
            aset_add(&r, 0, id, NULL, word_cost(B, id));
        }
        return r;
    case TS_PE_LEX: {
        /* a lexicon's set is the same wherever it is named: built once and
         * lent to every use (aset_free leaves a borrowed set alone; its
         * group is cached too, see group_of) */
        aset *c = &B->lexatoms[e->lex];
        if (!c->ok) {
            const ts_lexicon *L = &B->rs->lex[e->lex];
            c->ok = 1;
            for (size_t i = 0; i < L->n; i++) {
                const char *k = L->e[i].key;
                const char *sp = strchr(k, ' ');
                if (sp == k) continue; /* empty first segment: cannot match on the fast path */
                if (!sp && L->e[i].prefix) { aset_add(c, 1, -1, k, prefix_cost(strlen(k))); continue; }
                size_t l = sp ? (size_t)(sp - k) : strlen(k);
                int id = word_id(B, k, l);
                aset_add(c, 0, id, NULL, word_cost(B, id));
            }
        }
        r = *c;
        r.borrowed = 1;
        r.lex = e->lex;
        return r;
    }
    case TS_PE_ALT:
        r.ok = 1;
        for (size_t i = 0; i < e->nkids; i++) {
            aset k = atoms_of(B, e->kids[i]);
            if (!k.ok) { aset_free(&k); aset_free(&r); return r; }
            for (size_t j = 0; j < k.n; j++) {
                const atom *t = &k.v[j];
                aset_add(&r, t->kind, t->id, t->s, t->cost);
            }
            aset_free(&k);
        }
        return r;
    case TS_PE_SEQ:
        for (size_t i = 0; i < e->nkids; i++) {
            aset k = atoms_of(B, e->kids[i]);
            if (k.ok && (!r.ok || k.cost < r.cost)) { aset_free(&r); r = k; }
            else aset_free(&k);
        }
        return r;
    default:
        return r; /* ANY NUM GAP OPT NOT START END: nothing required */
    }
}

/* ----------------------------------------------- build: regex byte atoms */

/* Conservative literal extraction from a PCRE2 source. Returns a set of
 * byte strings one of which every match contains, ok = 0 when it cannot
 * tell (any construct it does not model gives up: flags, \Q..\E, \x{..},
 * back references, verbs). */
typedef struct {
    const char *s;
    size_t i, n;
    int abort;
} rx;

static aset rx_alt(rx *x, int depth);

static double bytes_quality_cost(const aset *s)
{
    /* unusable when any member is shorter than 3 bytes */
    double c = 0;
    for (size_t i = 0; i < s->n; i++) {
        size_t l = strlen(s->v[i].s);
        if (l < 3) return -1;
        c += 8.0 / (double)l;
    }
    return c;
}

static void rx_flush(ts_buf *run, aset *best)
{
    if (!run->len) return;
    /* the longest space-free piece: an atom lies inside one key */
    size_t bs = 0, bl = 0, st = 0;
    for (size_t i = 0; i <= run->len; i++)
        if (i == run->len || run->p[i] == ' ') {
            if (i - st > bl) { bl = i - st; bs = st; }
            st = i + 1;
        }
    if (bl >= 3) {
        aset k = {0};
        k.ok = 1;
        char *w = ts_strndup(run->p + bs, bl);
        aset_add(&k, 2, -1, w, 0);
        free(w);
        k.cost = bytes_quality_cost(&k);
        if (!best->ok || k.cost < best->cost) { aset_free(best); *best = k; }
        else aset_free(&k);
    }
    ts_buf_reset(run);
}

/* Parses a quantifier at x->i if any. Returns its minimum (1 when none),
 * -1 to abort. */
static int rx_quant(rx *x)
{
    const char *s = x->s;
    int min = 1;
    if (x->i >= x->n) return 1;
    char c = s[x->i];
    if (c == '?' || c == '*') { min = 0; x->i++; }
    else if (c == '+') { min = 1; x->i++; }
    else if (c == '{') {
        size_t j = x->i + 1;
        long lo = 0;
        int digits = 0;
        while (j < x->n && s[j] >= '0' && s[j] <= '9') { lo = lo * 10 + (s[j] - '0'); j++; digits++; if (lo > 100000) return -1; }
        if (!digits) return -1; /* "{,m}" or a literal brace: not modelled */
        if (j < x->n && s[j] == ',') { j++; while (j < x->n && s[j] >= '0' && s[j] <= '9') j++; }
        if (j >= x->n || s[j] != '}') return -1;
        x->i = j + 1;
        min = lo > 0;
    } else return 1;
    if (x->i < x->n && (s[x->i] == '?' || s[x->i] == '+')) x->i++;
    return min;
}

static void rx_skip_class(rx *x)
{
    const char *s = x->s;
    x->i++; /* [ */
    if (x->i < x->n && s[x->i] == '^') x->i++;
    if (x->i < x->n && s[x->i] == ']') x->i++;
    while (x->i < x->n && s[x->i] != ']') {
        if (s[x->i] == '\\') { x->i += 2; continue; }
        if (s[x->i] == '[' && x->i + 1 < x->n && s[x->i + 1] == ':') {
            const char *e = strstr(s + x->i + 2, ":]");
            if (!e) { x->abort = 1; return; }
            x->i = (size_t)(e - s) + 2;
            continue;
        }
        x->i++;
    }
    if (x->i >= x->n) { x->abort = 1; return; }
    x->i++; /* ] */
}

static aset rx_seq(rx *x, int depth)
{
    const char *s = x->s;
    aset best = {0};
    ts_buf run = {0};
    while (!x->abort && x->i < x->n && s[x->i] != '|' && s[x->i] != ')') {
        unsigned char c = (unsigned char)s[x->i];
        if (c == '\\') {
            if (x->i + 1 >= x->n) { x->abort = 1; break; }
            unsigned char d = (unsigned char)s[x->i + 1];
            if ((d >= '0' && d <= '9') || ((d | 0x20) >= 'a' && (d | 0x20) <= 'z')) {
                if (!strchr("dDwWsShHvVRNbBAzZGKX", d)) { x->abort = 1; break; }
                x->i += 2;
                rx_flush(&run, &best);
                if (rx_quant(x) < 0) x->abort = 1;
                continue;
            }
            x->i += 2;
            size_t qa = x->i;
            int q = rx_quant(x);
            if (q < 0) { x->abort = 1; break; }
            if (q == 0) { rx_flush(&run, &best); continue; }
            ts_buf_putc(&run, (char)d);
            if (x->i != qa) rx_flush(&run, &best);
            continue;
        }
        if (c == '[') {
            rx_flush(&run, &best);
            rx_skip_class(x);
            if (!x->abort && rx_quant(x) < 0) x->abort = 1;
            continue;
        }
        if (c == '(') {
            rx_flush(&run, &best);
            int look = 0;
            x->i++;
            if (x->i < x->n && s[x->i] == '*') { x->abort = 1; break; }
            if (x->i < x->n && s[x->i] == '?') {
                char t = x->i + 1 < x->n ? s[x->i + 1] : 0;
                char t2 = x->i + 2 < x->n ? s[x->i + 2] : 0;
                if (t == ':' || t == '>' || t == '|') x->i += 2;
                else if (t == '=' || t == '!') { look = 1; x->i += 2; }
                else if (t == '<' && (t2 == '=' || t2 == '!')) { look = 1; x->i += 3; }
                else if (t == '<' || t == '\'' || (t == 'P' && t2 == '<')) {
                    char close = t == '\'' ? '\'' : '>';
                    const char *e = memchr(s + x->i + 2, close, x->n - x->i - 2);
                    if (!e) { x->abort = 1; break; }
                    x->i = (size_t)(e - s) + 1;
                } else { x->abort = 1; break; }
            }
            aset in = rx_alt(x, depth + 1);
            if (x->abort || x->i >= x->n || s[x->i] != ')') { aset_free(&in); x->abort = 1; break; }
            x->i++;
            int q = rx_quant(x);
            if (q < 0) { aset_free(&in); x->abort = 1; break; }
            if (!look && q > 0 && in.ok && (!best.ok || in.cost < best.cost)) { aset_free(&best); best = in; }
            else aset_free(&in);
            continue;
        }
        if (c == '.' || c == '^' || c == '$') {
            rx_flush(&run, &best);
            x->i++;
            if (rx_quant(x) < 0) x->abort = 1;
            continue;
        }
        if (c == '*' || c == '+' || c == '?' || c == '{') { x->abort = 1; break; }
        /* a literal code point */
        size_t l = 1;
        if (c >= 0xC0) while (x->i + l < x->n && ((unsigned char)s[x->i + l] & 0xC0) == 0x80) l++;
        size_t at = x->i;
        x->i += l;
        size_t qa = x->i;
        int q = rx_quant(x);
        if (q < 0) { x->abort = 1; break; }
        if (q == 0) { rx_flush(&run, &best); continue; }
        ts_buf_put(&run, s + at, l);
        if (x->i != qa) rx_flush(&run, &best); /* "ab+c": the repeat breaks the run */
    }
    rx_flush(&run, &best);
    ts_buf_free(&run);
    if (x->abort) aset_free(&best);
    return best;
}

static aset rx_alt(rx *x, int depth)
{
    aset r = {0};
    int all = 1;
    if (depth > 64) { x->abort = 1; return r; }
    r.ok = 1;
    for (;;) {
        aset b = rx_seq(x, depth);
        if (x->abort) { aset_free(&b); aset_free(&r); return r; }
        if (!b.ok) all = 0;
        for (size_t j = 0; j < b.n && all; j++) aset_add(&r, 2, -1, b.v[j].s, 0);
        aset_free(&b);
        if (x->i < x->n && x->s[x->i] == '|') { x->i++; continue; }
        break;
    }
    if (!all) { aset_free(&r); return r; }
    r.cost = bytes_quality_cost(&r);
    if (r.cost < 0) aset_free(&r);
    return r;
}

static aset regex_atoms(const char *src)
{
    size_t n = strlen(src);
    aset r = {0};
    if (n < 2 || src[0] != '/' || src[n - 1] != '/') return r;
    rx x = {src + 1, 0, n - 2, 0};
    r = rx_alt(&x, 0);
    if (x.abort || x.i != x.n) aset_free(&r);
    return r;
}

/* ----------------------------------------------------- build: programs */

static size_t emit(ts_atoms *a, int op, int32_t x, int32_t y)
{
    TS_VEC_RESERVE(a->code, a->codecap, a->ncode + 1);
    a->code[a->ncode].op = (uint8_t)op;
    a->code[a->ncode].x = x;
    a->code[a->ncode].y = y;
    return a->ncode++;
}

static int not_word_set(builder *B, const char *w)
{
    int si = new_set(B);
    set_add(B, si, w, 0, 0);
    return si;
}

/* A prefix word's string in a->strs (NUL-terminated); its offset. */
static int32_t prefix_str(ts_atoms *a, const char *w)
{
    uint32_t off = (uint32_t)a->strs.len;
    ts_buf_puts(&a->strs, w);
    ts_buf_putc(&a->strs, 0);
    return (int32_t)off;
}

/* Compiles e in the backtracking order of its PCRE2 translation (rules.c
 * emit_re): [x] greedy, ~N lazy, alternatives left to right. */
static void comp(builder *B, const ts_pelem *e)
{
    ts_atoms *a = B->a;
    switch (e->kind) {
    case TS_PE_WORD:
        if (e->prefix) emit(a, OP_PREFIX, prefix_str(a, e->word), (int32_t)strlen(e->word));
        else emit(a, OP_WORD, elem_word_id(B, e), 0);
        break;
    case TS_PE_LEX: emit(a, OP_LEX, lex_set(B, e->lex), 0); break;
    case TS_PE_ANY: emit(a, OP_ANY, 0, 0); break;
    case TS_PE_NUM: emit(a, OP_NUM, 0, 0); break;
    case TS_PE_NOT:
        if (e->nkids) {
            /* NOTSUB (sub at +2) ; JMP after ; sub ... MATCH ; after: */
            size_t n0 = emit(a, OP_NOTSUB, 0, 0);
            size_t j = emit(a, OP_JMP, 0, 0);
            a->code[n0].x = (int32_t)(a->ncode - B->prog_off);
            comp(B, e->kids[0]);
            emit(a, OP_MATCH, 0, 0);
            a->code[j].x = (int32_t)(a->ncode - B->prog_off);
        } else emit(a, OP_NOT, e->lex >= 0 ? lex_set(B, e->lex) : not_word_set(B, e->word), 0);
        break;
    case TS_PE_START:
        emit(a, OP_START, 0, 0);
        if (a->opener_set >= 0) { emit(a, OP_OPENERS, a->opener_set, 0); emit(a, OP_KEEP, 0, 0); }
        break;
    case TS_PE_END: emit(a, OP_END, 0, 0); break;
    case TS_PE_GAP: {
        /* (?:[^ ]+ ){0,n}? : stop first, then one more token, ... */
        size_t sp[TS_MAX_GAP + 1];
        for (int k = 0; k < e->gap; k++) {
            sp[k] = emit(a, OP_SPLIT, 0, 0);
            a->code[sp[k]].y = (int32_t)(a->ncode - B->prog_off);
            emit(a, OP_ANY, 0, 0);
        }
        for (int k = 0; k < e->gap; k++) a->code[sp[k]].x = (int32_t)(a->ncode - B->prog_off);
        break;
    }
    case TS_PE_OPT: {
        size_t s = emit(a, OP_SPLIT, 0, 0);
        a->code[s].x = (int32_t)(a->ncode - B->prog_off);
        comp(B, e->kids[0]);
        a->code[s].y = (int32_t)(a->ncode - B->prog_off);
        break;
    }
    case TS_PE_ALT: {
        size_t *j = ts_xmalloc((e->nkids ? e->nkids : 1) * sizeof *j);
        for (size_t i = 0; i < e->nkids; i++) {
            size_t s = 0;
            int last = i + 1 == e->nkids;
            if (!last) { s = emit(a, OP_SPLIT, 0, 0); a->code[s].x = (int32_t)(a->ncode - B->prog_off); }
            comp(B, e->kids[i]);
            if (!last) { j[i] = emit(a, OP_JMP, 0, 0); a->code[s].y = (int32_t)(a->ncode - B->prog_off); }
        }
        for (size_t i = 0; i + 1 < e->nkids; i++) a->code[j[i]].x = (int32_t)(a->ncode - B->prog_off);
        free(j);
        break;
    }
    case TS_PE_SEQ:
        for (size_t i = 0; i < e->nkids; i++) comp(B, e->kids[i]);
        break;
    }
}

static void add_ftest(ts_atoms *a, int kind, int32_t x, int32_t y)
{
    TS_VEC_RESERVE(a->first, a->firstcap, a->nfirst + 1);
    a->first[a->nfirst].kind = (uint8_t)kind;
    a->first[a->nfirst].x = x;
    a->first[a->nfirst].y = y;
    a->nfirst++;
}

/* Appends the tests for the first token e can consume. Returns 0 when e
 * must consume a token that passes one of them, 1 when e can also match no
 * token at all (the next element's tests apply too), -1 when its first
 * token can be anything (no test). */
static int first_of(builder *B, const ts_pelem *e)
{
    ts_atoms *a = B->a;
    switch (e->kind) {
    case TS_PE_WORD:
        if (e->prefix) add_ftest(a, FT_PREFIX, prefix_str(a, e->word), (int32_t)strlen(e->word));
        else add_ftest(a, FT_WORD, elem_word_id(B, e), 0);
        return 0;
    case TS_PE_LEX: add_ftest(a, FT_LEX, lex_set(B, e->lex), 0); return 0;
    case TS_PE_OPT: { int r = first_of(B, e->kids[0]); return r < 0 ? -1 : 1; }
    case TS_PE_ALT: {
        int nullable = 0;
        for (size_t i = 0; i < e->nkids; i++) {
            int r = first_of(B, e->kids[i]);
            if (r < 0) return -1;
            nullable |= r;
        }
        return nullable;
    }
    case TS_PE_SEQ:
        for (size_t i = 0; i < e->nkids; i++) {
            int r = first_of(B, e->kids[i]);
            if (r <= 0) return r;
        }
        return 1;
    default:
        return -1; /* _ <num> !x ~N ^ $: any token, or a position test */
    }
}

static int starts_anchored(const ts_pelem *e)
{
    if (e->kind == TS_PE_START) return 1;
    if (e->kind == TS_PE_SEQ) return e->nkids && starts_anchored(e->kids[0]);
    if (e->kind == TS_PE_ALT) {
        for (size_t i = 0; i < e->nkids; i++) if (!starts_anchored(e->kids[i])) return 0;
        return e->nkids > 0;
    }
    return 0;
}

static uint32_t program_of(builder *B, const ts_pattern *p)
{
    ts_atoms *a = B->a;
    /* one program per distinct pattern text */
    ts_buf *key = &B->key;
    ts_buf_reset(key);
    ts_buf_putc(key, p->is_regex ? 'r' : 'm');
    ts_buf_puts(key, p->src);
    int id = dict_add(&B->srcs, key->p, key->len);
    if ((size_t)id < a->nprogs) return (uint32_t)id;
    TS_VEC_RESERVE(a->progs, a->progcap, a->nprogs + 1);
    prog pr = {0};
    pr.native = !p->is_regex && p->ast;
    if (pr.native) {
        pr.off = (uint32_t)a->ncode;
        B->prog_off = a->ncode;
        comp(B, p->ast);
        emit(a, OP_MATCH, 0, 0);
        pr.n = (uint32_t)(a->ncode - pr.off);
        pr.anchored = starts_anchored(p->ast);
        size_t nf0 = a->nfirst, sl0 = a->strs.len;
        if (!pr.anchored && first_of(B, p->ast) == 0) {
            pr.foff = (uint32_t)nf0;
            pr.fn = (uint32_t)(a->nfirst - nf0);
        } else { /* no usable tests: drop what was added */
            a->nfirst = nf0;
            a->strs.len = sl0;
            if (a->strs.p) a->strs.p[sl0] = 0;
        }
    }
    a->progs[a->nprogs++] = pr;
    return (uint32_t)id;
}

/* --------------------------------------------------------- build: main */

static void trig_add(builder *B, int id, uint32_t g)
{
    for (size_t i = 0; i < B->tn[id]; i++) if (B->tv[id][i] == g) return;
    TS_VEC_RESERVE(B->tv[id], B->tc[id], B->tn[id] + 1);
    B->tv[id][B->tn[id]++] = g;
}

static void mark_lex(builder *B, int li, uint8_t flag)
{
    if (li < 0) return;
    const ts_lexicon *L = &B->rs->lex[li];
    for (size_t i = 0; i < L->n; i++)
        if (!strchr(L->e[i].key, ' ') && L->e[i].key[0]) {
            int id = word_id(B, L->e[i].key, strlen(L->e[i].key)); /* may move wflags */
            B->a->wflags[id] |= flag;
        }
}

static void describe_set(builder *B, const aset *s, ts_buf *d)
{
    if (!s->n) { ts_buf_puts(d, "(never)"); return; }
    for (size_t i = 0; i < s->n; i++) {
        if (i) ts_buf_putc(d, '|');
        if (i == 8 && s->n > 10) { ts_buf_printf(d, "...(%zu)", s->n); break; }
        if (s->v[i].kind == 0) ts_buf_puts(d, dict_str(&B->a->words, s->v[i].id));
        else if (s->v[i].kind == 1) { ts_buf_puts(d, s->v[i].s); ts_buf_putc(d, '*'); }
        else ts_buf_printf(d, "\"%s\"", s->v[i].s);
    }
}

/* A canonical order of atoms (kind, then word id or string), so equal sets
 * get equal keys. */
static int atom_cmp(const void *x, const void *y)
{
    const atom *a = *(const atom *const *)x, *b = *(const atom *const *)y;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    if (a->kind == 0) return (a->id > b->id) - (a->id < b->id);
    return strcmp(a->s, b->s);
}

/* The group of atom set s (one per distinct set), its triggers registered.
 * Called for every required element of every pattern (the same lexicon
 * hundreds of times), so the key is built without a string per atom. */
static uint32_t group_of(builder *B, const aset *s)
{
    if (s->borrowed && B->lexgroup[s->lex] >= 0) return (uint32_t)B->lexgroup[s->lex];
    TS_VEC_RESERVE(B->kv, B->kcap, s->n + 1);
    const atom **k = B->kv;
    for (size_t i = 0; i < s->n; i++) k[i] = &s->v[i];
    if (s->n > 1) qsort(k, s->n, sizeof *k, atom_cmp);
    ts_buf *key = &B->key;
    ts_buf_reset(key);
    ts_buf_grow(key, 1 + s->n * 6);
    ts_buf_putc(key, '#');
    for (size_t i = 0; i < s->n; i++) {
        const atom *t = k[i];
        if (t->kind == 0) {
            uint32_t id = (uint32_t)t->id;
            char w[5] = {'w', (char)(id & 0xFF), (char)((id >> 8) & 0xFF), (char)((id >> 16) & 0xFF), (char)((id >> 24) & 0xFF)};
            ts_buf_put(key, w, sizeof w);
        } else {
            ts_buf_putc(key, t->kind == 1 ? 'p' : 'b');
            ts_buf_put(key, t->s, strlen(t->s) + 1); /* with its NUL: ends the string */
        }
    }
    size_t before = B->gkeys.n;
    uint32_t g = (uint32_t)dict_add(&B->gkeys, key->p, key->len);
    if (s->borrowed) B->lexgroup[s->lex] = (int32_t)g;
    if (B->gkeys.n == before) return g;
    TS_VEC_RESERVE(B->gcost, B->gcostcap, (size_t)g + 1);
    B->gcost[g] = s->cost;
    if ((size_t)g >= B->acap) {
        size_t nc = B->acap ? B->acap * 2 : 64;
        B->av = ts_xrealloc(B->av, nc * sizeof *B->av);
        B->an = ts_xrealloc(B->an, nc * sizeof *B->an);
        B->ac = ts_xrealloc(B->ac, nc * sizeof *B->ac);
        for (size_t i = B->acap; i < nc; i++) { B->av[i] = NULL; B->an[i] = B->ac[i] = 0; }
        B->acap = nc;
    }
    for (size_t j = 0; j < s->n; j++) {
        const atom *t = &s->v[j];
        if (t->kind == 0) trig_add(B, t->id, g);
        else if (t->kind == 1) {
            TS_VEC_RESERVE(B->pstr, B->pcap, B->np + 1);
            B->prule = ts_xrealloc(B->prule, B->pcap * sizeof *B->prule);
            B->pstr[B->np] = ts_strdup(t->s);
            B->prule[B->np++] = g;
        } else {
            TS_VEC_RESERVE(B->bstr, B->bcap, B->nb + 1);
            B->brule = ts_xrealloc(B->brule, B->bcap * sizeof *B->brule);
            B->bstr[B->nb] = ts_strdup(t->s);
            B->brule[B->nb++] = g;
        }
    }
    return g;
}

/* The required elements of a sequence (nested sequences flattened): each
 * usable atom set is appended to v. */
static void required(builder *B, const ts_pelem *e, size_t *n)
{
    if (e->kind == TS_PE_SEQ) {
        for (size_t i = 0; i < e->nkids; i++) required(B, e->kids[i], n);
        return;
    }
    aset k = atoms_of(B, e);
    if (!k.ok) { aset_free(&k); return; }
    TS_VEC_RESERVE(B->req, B->reqcap, *n + 1);
    B->req[(*n)++] = k;
}

static int cost_cmp(const void *x, const void *y)
{
    const aset *a = x, *b = y;
    return a->cost < b->cost ? -1 : a->cost > b->cost;
}

enum { MAX_CLAUSE_GROUPS = 8 };

/* Adds the clauses of one clause body (a sequence) for slot; returns 0 when
 * the body requires nothing. */
static int add_clause(builder *B, uint32_t slot, const ts_pelem *body, ts_buf *d)
{
    ts_atoms *a = B->a;
    size_t n = 0;
    required(B, body, &n);
    if (!n) return 0;
    aset *v = B->req;
    qsort(v, n, sizeof *v, cost_cmp); /* cheapest first: the anchor */
    size_t nall = n;
    if (n > MAX_CLAUSE_GROUPS) n = MAX_CLAUSE_GROUPS;
    uint32_t anchor = group_of(B, &v[0]);
    TS_VEC_RESERVE(a->clauses, a->clcap, a->nclauses + 1);
    struct clause *c = &a->clauses[a->nclauses];
    c->slot = slot;
    c->off = (uint32_t)a->ncg;
    c->n = 0;
    for (size_t i = 1; i < n; i++) {
        uint32_t g = group_of(B, &v[i]);
        if (g == anchor) continue;
        TS_VEC_RESERVE(a->cgroups, a->cgcap, a->ncg + 1);
        a->cgroups[a->ncg++] = g;
        c->n++;
    }
    TS_VEC_RESERVE(B->av[anchor], B->ac[anchor], B->an[anchor] + 1);
    B->av[anchor][B->an[anchor]++] = (uint32_t)a->nclauses;
    a->nclauses++;
    for (size_t i = 0; i < n; i++) {
        if (i) ts_buf_puts(d, " & ");
        describe_set(B, &v[i], d);
    }
    for (size_t i = 0; i < nall; i++) aset_free(&v[i]);
    return 1;
}

/* The clauses of pattern p for slot. Returns 0 (and adds none) when some
 * way of matching p needs no atom: the pattern is slow. */
static int add_pattern(builder *B, uint32_t slot, const ts_pattern *p, ts_buf *d)
{
    ts_atoms *a = B->a;
    size_t nc0 = a->nclauses, ncg0 = a->ncg;
    if (p->is_regex) {
        aset s = regex_atoms(p->src);
        if (!s.ok) { ts_buf_putc(d, '-'); return 0; }
        uint32_t g = group_of(B, &s);
        TS_VEC_RESERVE(a->clauses, a->clcap, a->nclauses + 1);
        a->clauses[a->nclauses].slot = slot;
        a->clauses[a->nclauses].off = (uint32_t)a->ncg;
        a->clauses[a->nclauses].n = 0;
        TS_VEC_RESERVE(B->av[g], B->ac[g], B->an[g] + 1);
        B->av[g][B->an[g]++] = (uint32_t)a->nclauses;
        a->nclauses++;
        describe_set(B, &s, d);
        aset_free(&s);
        return 1;
    }
    if (!p->ast) { ts_buf_putc(d, '-'); return 0; }
    size_t dl = d->len;
    int ok = 1;
    if (p->ast->kind == TS_PE_ALT) {
        for (size_t i = 0; i < p->ast->nkids && ok; i++) {
            if (i) ts_buf_puts(d, " / ");
            ok = add_clause(B, slot, p->ast->kids[i], d);
        }
    } else ok = add_clause(B, slot, p->ast, d);
    if (!ok) {
        /* undo: drop this pattern's clauses from their anchors */
        for (size_t c = a->nclauses; c-- > nc0;)
            for (size_t g = 0; g < B->acap; g++)
                if (B->an[g] && B->av[g][B->an[g] - 1] == c) { B->an[g]--; break; }
        a->nclauses = nc0;
        a->ncg = ncg0;
        d->len = dl;
        ts_buf_putc(d, '-');
        d->p[d->len] = 0;
    }
    return ok;
}

ts_atoms *ts_atoms_build(const ts_ruleset *rs)
{
    ts_atoms *a = ts_xcalloc(1, sizeof *a);
    builder B;
    memset(&B, 0, sizeof B);
    B.rs = rs;
    B.a = a;
    a->nrules = rs->nrules;
    a->nw = (rs->nrules + 63) / 64 + 1;
    a->opener_set = -1;
    B.lexatoms = ts_xcalloc(rs->nlex ? rs->nlex : 1, sizeof *B.lexatoms);
    B.lexgroup = ts_xmalloc((rs->nlex ? rs->nlex : 1) * sizeof *B.lexgroup);
    for (size_t i = 0; i < rs->nlex; i++) B.lexgroup[i] = -1;
    B.lexset = ts_xmalloc((rs->nlex ? rs->nlex : 1) * sizeof *B.lexset);
    for (size_t i = 0; i < rs->nlex; i++) B.lexset[i] = -1;
    /* the special lexicons first: fillers are dropped, stop words are poor atoms */
    mark_lex(&B, rs->lex_skip, F_SKIP);
    mark_lex(&B, rs->lex_stop, F_STOP);
    if (rs->lex_opener >= 0) a->opener_set = lex_set(&B, rs->lex_opener);

    size_t nslots = 0;
    for (size_t ri = 0; ri < rs->nrules; ri++) nslots += rs->rules[ri].nmatch + rs->rules[ri].nunless + rs->rules[ri].nafter_match;
    a->nsw = (nslots + 63) / 64 + 1;
    a->slot_always = ts_xcalloc(a->nsw, sizeof *a->slot_always);
    a->slot_rule = ts_xcalloc(nslots + 1, sizeof *a->slot_rule);
    a->slot_match = ts_xcalloc(nslots + 1, 1);
    a->always = ts_xcalloc(a->nw, sizeof *a->always);
    a->rolemask = ts_xcalloc(3 * a->nw, sizeof *a->rolemask);
    a->stagemask = ts_xcalloc((size_t)TS_MAX_STAGES * a->nw, sizeof *a->stagemask);
    a->slow_why = ts_xcalloc(rs->nrules ? rs->nrules : 1, sizeof *a->slow_why);
    for (int l = 0; l < TS_PATTERN_LISTS; l++) a->lprog[l] = ts_xcalloc(rs->nrules + 1, sizeof *a->lprog[l]);
    a->desc_off = ts_xcalloc(rs->nrules + 1, sizeof *a->desc_off);
    a->pidx = ts_xcalloc(nslots + 1, sizeof *a->pidx);
    ts_buf scratch = {0};
    for (size_t ri = 0; ri < rs->nrules; ri++) {
        const ts_rule *r = &rs->rules[ri];
        for (int role = 0; role < 3; role++)
            if (r->roles & (1u << role)) a->rolemask[(size_t)role * a->nw + ri / 64] |= (uint64_t)1 << (ri % 64);
        if (r->stage >= 0 && r->stage < TS_MAX_STAGES)
            a->stagemask[(size_t)r->stage * a->nw + ri / 64] |= (uint64_t)1 << (ri % 64);
        a->desc_off[ri] = (uint32_t)a->desc.len;
        /* slots in list order: match (makes the rule a candidate), unless,
         * after-match (looked for in every turn, for the next one) */
        for (int un = 0; un < TS_PATTERN_LISTS; un++) {
            size_t np;
            const ts_pattern *pv = ts_rule_patterns(r, un, &np);
            a->lprog[un][ri] = (uint32_t)a->npidx;
            for (size_t k = 0; k < np; k++) {
                uint32_t slot = (uint32_t)a->npidx++;
                const ts_pattern *p = &pv[k];
                a->pidx[slot] = program_of(&B, p);
                a->slot_rule[slot] = (uint32_t)ri;
                a->slot_match[slot] = (uint8_t)!un;
                ts_buf *d = un ? &scratch : &a->desc;
                if (!un && k) ts_buf_puts(d, " ; ");
                if (!add_pattern(&B, slot, p, d)) {
                    a->slot_always[slot / 64] |= (uint64_t)1 << (slot % 64);
                    if (!un && !a->slow_why[ri])
                        a->slow_why[ri] = p->is_regex ? "its regex has no literal of 3 or more bytes that every match must contain"
                                                      : "a match pattern requires no particular word (only _ ~N <num> [..] !x)";
                }
                ts_buf_reset(&scratch);
            }
        }
        ts_buf_putc(&a->desc, 0);
        if (a->slow_why[ri]) { a->always[ri / 64] |= (uint64_t)1 << (ri % 64); a->nslow++; }
    }
    ts_buf_free(&scratch);
    for (int l = 0; l < TS_PATTERN_LISTS; l++) a->lprog[l][rs->nrules] = (uint32_t)a->npidx;
    ensure_ids(&B);
    a->have_prefix = B.np > 0;
    a->nprefix_atoms = B.np;
    ba_build(&a->prefix, B.pstr, B.prule, B.np, 0);
    a->have_bytes = B.nb > 0;
    a->nbyte_atoms = B.nb;
    ba_build(&a->bytes, B.bstr, B.brule, B.nb, 1);
    /* a known word's prefix and byte atoms never change: fold them into its
     * trigger list, so only unknown words walk the automata */
    for (size_t id = 0; id < a->words.n; id++) {
        const unsigned char *k = (const unsigned char *)dict_str(&a->words, (int)id);
        size_t kl = a->words.e[id].len;
        for (int which = 0; which < 2; which++) {
            const bauto *A = which ? &a->bytes : &a->prefix;
            if (!(which ? a->have_bytes : a->have_prefix)) continue;
            int32_t st = 0;
            for (size_t j = 0; j < kl; j++) {
                st = A->next[(size_t)st * A->ncls + A->cls[k[j]]];
                if (!st && !which) break;
                for (uint32_t q = 0; q < A->out_n[st]; q++) trig_add(&B, (int)id, A->outs[A->out_off[st] + q]);
            }
        }
    }

    /* flatten: per word the groups it triggers, per group its clauses, per
     * word its lexicon memberships */
    size_t nid = a->words.n, tt = 0, tm = 0;
    a->trig_off = ts_xmalloc((nid + 1) * sizeof *a->trig_off);
    a->trig_n = ts_xmalloc((nid + 1) * sizeof *a->trig_n);
    a->memb_off = ts_xmalloc((nid + 1) * sizeof *a->memb_off);
    a->memb_n = ts_xmalloc((nid + 1) * sizeof *a->memb_n);
    for (size_t i = 0; i < nid; i++) { tt += B.tn[i]; tm += B.mn[i]; }
    a->trig = ts_xmalloc((tt ? tt : 1) * sizeof *a->trig);
    a->membs = ts_xmalloc((tm ? tm : 1) * sizeof *a->membs);
    tt = tm = 0;
    for (size_t i = 0; i < nid; i++) {
        a->trig_off[i] = (uint32_t)tt;
        a->trig_n[i] = (uint32_t)B.tn[i];
        if (B.tn[i]) memcpy(a->trig + tt, B.tv[i], B.tn[i] * sizeof *a->trig);
        tt += B.tn[i];
        a->memb_off[i] = (uint32_t)tm;
        a->memb_n[i] = (uint32_t)B.mn[i];
        if (B.mn[i]) memcpy(a->membs + tm, B.mv[i], B.mn[i] * sizeof *a->membs);
        /* by set, for memb_of's binary search (set_add appends to the newest
         * set, so they already are; the check keeps that a non-assumption) */
        for (size_t j = 1; j < B.mn[i]; j++)
            if (a->membs[tm + j - 1].set > a->membs[tm + j].set) { qsort(a->membs + tm, B.mn[i], sizeof *a->membs, memb_cmp); break; }
        tm += B.mn[i];
    }
    for (size_t i = 0; i < B.idcap; i++) { free(B.tv[i]); free(B.mv[i]); }
    free(B.tv); free(B.tn); free(B.tc); free(B.mv); free(B.mn); free(B.mc);
    a->ngroups = B.gkeys.n;
    a->ngw = (a->ngroups + 63) / 64 + 1;
    /* unique clauses per anchor, in anchor order: group g's are
     * ucl[uoff[g] .. uoff[g] + un[g]) */
    uint32_t *uoff = ts_xmalloc((a->ngroups + 1) * sizeof *uoff);
    uint32_t *un = ts_xcalloc(a->ngroups + 1, sizeof *un);
    a->ucl = ts_xmalloc((a->nclauses ? a->nclauses : 1) * sizeof *a->ucl);
    a->ucg = ts_xmalloc((a->ncg ? a->ncg : 1) * sizeof *a->ucg);
    a->ucs = ts_xmalloc((a->nclauses ? a->nclauses : 1) * sizeof *a->ucs);
    size_t ng = 0, ns = 0;
    uint8_t *done = ts_xcalloc(a->nclauses ? a->nclauses : 1, 1);
    for (size_t g = 0; g < a->ngroups; g++) {
        uoff[g] = (uint32_t)a->nucl;
        for (size_t j = 0; j < B.an[g]; j++) {
            uint32_t c0 = B.av[g][j];
            if (done[c0]) continue;
            struct clause *c = &a->clauses[c0];
            struct uclause *u = &a->ucl[a->nucl];
            u->off = (uint32_t)ng;
            u->n = c->n;
            if (c->n) memcpy(a->ucg + ng, a->cgroups + c->off, c->n * sizeof *a->ucg);
            ng += c->n;
            u->soff = (uint32_t)ns;
            u->sn = 0;
            for (size_t j2 = j; j2 < B.an[g]; j2++) {
                uint32_t c1 = B.av[g][j2];
                const struct clause *d = &a->clauses[c1];
                if (done[c1] || d->n != c->n || (c->n && memcmp(a->cgroups + d->off, a->cgroups + c->off, c->n * sizeof *a->cgroups))) continue;
                done[c1] = 1;
                a->ucs[ns++] = d->slot;
                u->sn++;
            }
            a->nucl++;
            un[g]++;
        }
    }
    free(done);
    for (int role = 0; role < 3; role++) {
        a->ranch_off[role] = ts_xmalloc((a->ngroups + 1) * sizeof **a->ranch_off);
        a->ranch_n[role] = ts_xcalloc(a->ngroups + 1, sizeof **a->ranch_n);
        a->ranch[role] = ts_xmalloc((a->nucl ? a->nucl : 1) * sizeof **a->ranch);
        a->ranchor_mask[role] = ts_xcalloc(a->ngw, sizeof **a->ranchor_mask);
        size_t tr = 0;
        for (size_t g = 0; g < a->ngroups; g++) {
            a->ranch_off[role][g] = (uint32_t)tr;
            for (uint32_t u = uoff[g]; u < uoff[g] + un[g]; u++) {
                const struct uclause *c = &a->ucl[u];
                int any = 0;
                for (uint32_t x = 0; x < c->sn && !any; x++) {
                    uint32_t slot = a->ucs[c->soff + x], ri = a->slot_rule[slot];
                    /* an after-match pattern is looked for whoever speaks */
                    any = slot >= a->lprog[TS_PL_AFTER][ri] || ((rs->rules[ri].roles >> role) & 1);
                }
                if (!any) continue;
                a->ranch[role][tr++] = u;
                a->ranch_n[role][g]++;
            }
            if (a->ranch_n[role][g]) a->ranchor_mask[role][g / 64] |= (uint64_t)1 << (g % 64);
        }
    }
    free(uoff);
    free(un);
    for (size_t c = 0; c < rs->ncodes; c++) dict_add(&a->codes, rs->codes[c].name, strlen(rs->codes[c].name));
    /* rows for the words that trigger many groups */
    a->row_of = ts_xmalloc((nid ? nid : 1) * sizeof *a->row_of);
    for (size_t i = 0; i < nid; i++) a->row_of[i] = a->trig_n[i] > 6 ? (int32_t)a->nrows++ : -1;
    a->rows = ts_xcalloc((a->nrows ? a->nrows : 1) * a->ngw, sizeof *a->rows);
    for (size_t i = 0; i < nid; i++)
        if (a->row_of[i] >= 0)
            for (uint32_t j = 0; j < a->trig_n[i]; j++) {
                uint32_t gi = a->trig[a->trig_off[i] + j];
                a->rows[(size_t)a->row_of[i] * a->ngw + gi / 64] |= (uint64_t)1 << (gi % 64);
            }
    for (size_t g = 0; g < B.acap; g++) free(B.av[g]);
    free(B.av); free(B.an); free(B.ac); free(B.gcost);
    dict_free(&B.gkeys);

    for (size_t i = 0; i < B.np; i++) free(B.pstr[i]);
    for (size_t i = 0; i < B.nb; i++) free(B.bstr[i]);
    free(B.pstr); free(B.prule); free(B.bstr); free(B.brule);
    free(B.lexset);
    for (size_t i = 0; i < rs->nlex; i++) aset_free(&B.lexatoms[i]);
    free(B.lexatoms);
    free(B.lexgroup);
    dict_free(&B.srcs);
    ts_buf_free(&B.key);
    free(B.kv);
    free(B.req);
    if (!a->strs.p) ts_buf_putc(&a->strs, 0);
    return a;
}

void ts_atoms_free(ts_atoms *a)
{
    if (!a) return;
    dict_free(&a->words);
    free(a->wflags);
    free(a->trig_off); free(a->trig_n); free(a->trig);
    free(a->memb_off); free(a->memb_n); free(a->membs);
    free(a->sets); free(a->sp); free(a->psp); free(a->segs);
    ts_buf_free(&a->strs);
    ba_free(&a->prefix);
    ba_free(&a->bytes);
    free(a->code); free(a->progs); free(a->first);
    for (int l = 0; l < TS_PATTERN_LISTS; l++) free(a->lprog[l]);
    free(a->pidx);
    free(a->always); free(a->rolemask); free(a->stagemask);
    free(a->slot_rule); free(a->slot_match); free(a->slot_always);
    free(a->clauses); free(a->cgroups);
    free(a->ucl); free(a->ucg); free(a->ucs);
    free(a->row_of); free(a->rows);
    for (int role = 0; role < 3; role++) {
        free(a->ranch_off[role]); free(a->ranch_n[role]); free(a->ranch[role]); free(a->ranchor_mask[role]);
    }
    dict_free(&a->codes);
    free(a->slow_why);
    ts_buf_free(&a->desc);
    free(a->desc_off);
    free(a);
}

int ts_atoms_rule_slow(const ts_atoms *a, size_t rule, const char **why)
{
    if (!a || rule >= a->nrules || !a->slow_why[rule]) return 0;
    if (why) *why = a->slow_why[rule];
    return 1;
}

size_t ts_atoms_nslow(const ts_atoms *a) { return a ? a->nslow : 0; }

void ts_atoms_describe(const ts_atoms *a, const ts_ruleset *rs, size_t rule, ts_buf *out)
{
    (void)rs;
    if (!a || rule >= a->nrules) return;
    ts_buf_puts(out, a->desc.p + a->desc_off[rule]);
}

void ts_atoms_stats_get(const ts_atoms *a, ts_atoms_stats *st)
{
    memset(st, 0, sizeof *st);
    if (!a) return;
    st->words = a->words.n;
    st->prefixes = a->nprefix_atoms;
    st->byte_atoms = a->nbyte_atoms;
    st->programs = a->nprogs;
    for (size_t i = 0; i < a->nprogs; i++) st->native += (size_t)a->progs[i].native;
    st->groups = a->ngroups;
    st->clauses = a->nucl;
    for (size_t i = 0; i < a->words.n; i++) st->triggers += a->trig_n[i];
}

/* --------------------------------------------------------------- scanner */

enum { T_DROP = 1, T_SPACE = 2 };

typedef struct { int32_t pc, i, k; } frame;

struct ts_scanner {
    const ts_ruleset *rs;
    const ts_atoms *a;
    const ts_tokens *tok;
    int32_t *tid; uint8_t *tfl; size_t tcap;     /* per token of the turn */
    /* the current unit: kept tokens (ids and token indexes), candidate
     * slots and rules; they point into the per-turn arrays below */
    int32_t *kid; uint32_t *ktok; size_t nk;
    uint64_t *cand, *sbits;
    uint64_t *gbits;               /* groups seen (scratch) */
    /* every unit of the turn, scanned once and kept for all stages */
    int32_t *tkid; uint32_t *tktok; size_t tkcap;
    uint64_t *tcand, *tsb; size_t ucap;
    struct uscan { uint32_t koff, nk; int rc; unsigned stages; } *us; size_t nus;
    frame *stack; size_t sp, scap;
    uint32_t unit_serial;
    uint32_t *memo_stamp; int8_t *memo_rc; uint32_t *memo_tb, *memo_te;
};

ts_scanner *ts_scanner_new(const ts_ruleset *rs)
{
    ts_scanner *s = ts_xcalloc(1, sizeof *s);
    s->rs = rs;
    s->a = rs->atoms;
    s->gbits = ts_xcalloc(s->a->ngw, sizeof *s->gbits);
    size_t np = s->a->nprogs ? s->a->nprogs : 1;
    s->memo_stamp = ts_xcalloc(np, sizeof *s->memo_stamp);
    s->memo_rc = ts_xcalloc(np, sizeof *s->memo_rc);
    s->memo_tb = ts_xcalloc(np, sizeof *s->memo_tb);
    s->memo_te = ts_xcalloc(np, sizeof *s->memo_te);
    return s;
}

void ts_scanner_free(ts_scanner *s)
{
    if (!s) return;
    free(s->tid); free(s->tfl);
    free(s->tkid); free(s->tktok);
    free(s->tcand); free(s->tsb); free(s->us);
    free(s->gbits);
    free(s->stack);
    free(s->memo_stamp); free(s->memo_rc); free(s->memo_tb); free(s->memo_te);
    free(s);
}

void ts_scanner_turn(ts_scanner *s, const ts_tokens *tok)
{
    const ts_atoms *a = s->a;
    s->tok = tok;
    if (tok->ntok > s->tcap) {
        size_t nc = s->tcap ? s->tcap : 256;
        while (nc < tok->ntok) nc *= 2;
        s->tid = ts_xrealloc(s->tid, nc * sizeof *s->tid);
        s->tfl = ts_xrealloc(s->tfl, nc * sizeof *s->tfl);
        s->tcap = nc;
    }
    const dict *d = &a->words;
    for (size_t i = 0; i < tok->ntok; i++) {
        const ts_token *t = &tok->tok[i];
        const char *k = tok->keys + t->key;
        uint32_t n = t->keylen;
        uint8_t fl = 0;
        if ((t->flags & TS_TF_SENTEND) || t->kind == TS_TOK_QUOTE || t->kind == TS_TOK_BRACKET || !n) fl = T_DROP;
        /* FNV-1a, and look for a space in the same pass */
        uint32_t h = 2166136261u;
        int space = 0;
        for (uint32_t j = 0; j < n; j++) {
            unsigned char c = (unsigned char)k[j];
            space |= c == ' ';
            h ^= c;
            h *= 16777619u;
        }
        int id = -1;
        if (d->nslot) {
            size_t mask = d->nslot - 1;
            for (size_t q = h & mask;; q = (q + 1) & mask) {
                uint32_t v = d->slot[q];
                if (!v) break;
                const dent *e = &d->e[v - 1];
                if (e->hash == h && e->len == n && !memcmp(d->pool.p + e->off, k, n)) { id = (int)(v - 1); break; }
            }
        }
        if (id >= 0 && (a->wflags[id] & F_SKIP)) fl |= T_DROP;
        if (space) fl |= T_SPACE;
        s->tid[i] = id;
        s->tfl[i] = fl;
    }
}

static inline void setbits(uint64_t *c, const uint32_t *v, uint32_t n)
{
    for (uint32_t j = 0; j < n; j++) c[v[j] >> 6] |= (uint64_t)1 << (v[j] & 63);
}

/* A frequent word's groups: two words at a time where SSE2 is there (a
 * row is 47 words with the Dutch pack, OR-ed for most tokens). */
static inline void or_row(uint64_t *restrict g, const uint64_t *restrict row, size_t n)
{
    size_t w = 0;
#ifdef __SSE2__
    for (; w + 2 <= n; w += 2)
        _mm_storeu_si128((__m128i *)(g + w), _mm_or_si128(_mm_loadu_si128((const __m128i *)(g + w)),
                                                          _mm_loadu_si128((const __m128i *)(row + w))));
#endif
    for (; w < n; w++) g[w] |= row[w];
}

/* Scans tokens [b, e) into the current unit (s->kid ... s->cand). */
static int scan_one(ts_scanner *s, uint32_t b, uint32_t e, int role)
{
    const ts_atoms *a = s->a;
    const ts_tokens *tok = s->tok;
    /* 1. the kept tokens, and the atom groups they hit */
    uint64_t *g = s->gbits;
    memset(g, 0, a->ngw * sizeof *g);
    size_t nk = 0;
    int spaced = 0;
    for (uint32_t i = b; i < e; i++) {
        uint8_t fl = s->tfl[i];
        if (fl & T_DROP) continue;
        spaced |= fl & T_SPACE;
        int32_t id = s->tid[i];
        s->kid[nk] = id;
        s->ktok[nk] = i;
        nk++;
        if (id >= 0) {
            if (a->row_of[id] >= 0) {
                or_row(g, a->rows + (size_t)a->row_of[id] * a->ngw, a->ngw);
            } else if (a->trig_n[id]) setbits(g, a->trig + a->trig_off[id], a->trig_n[id]);
        }
        const unsigned char *k = (const unsigned char *)tok->keys + tok->tok[i].key;
        uint32_t kl = tok->tok[i].keylen;
        if (id >= 0) continue; /* its automata results are in its row */
        if (a->have_prefix) {
            const bauto *A = &a->prefix;
            int32_t st = 0;
            for (uint32_t j = 0; j < kl; j++) {
                st = A->next[(size_t)st * A->ncls + A->cls[k[j]]];
                if (!st) break;
                if (A->out_n[st]) setbits(g, A->outs + A->out_off[st], A->out_n[st]);
            }
        }
        if (a->have_bytes) {
            const bauto *A = &a->bytes;
            int32_t st = 0;
            for (uint32_t j = 0; j < kl; j++) {
                st = A->next[(size_t)st * A->ncls + A->cls[k[j]]];
                if (A->out_n[st]) setbits(g, A->outs + A->out_off[st], A->out_n[st]);
            }
        }
    }
    s->nk = nk;
    if (spaced) return -1;
    /* 2. the clauses anchored on a group that occurred */
    uint64_t *sb = s->sbits, *cand = s->cand;
    memcpy(sb, a->slot_always, a->nsw * sizeof *sb);
    memcpy(cand, a->always, a->nw * sizeof *cand);
    if (role < 0 || role > 2) { memset(cand, 0, a->nw * sizeof *cand); return 0; } /* no rule runs */
    const uint64_t *amask = a->ranchor_mask[role];
    const uint32_t *aoff = a->ranch_off[role], *an = a->ranch_n[role], *al = a->ranch[role];
    for (size_t w = 0; w < a->ngw; w++)
        for (uint64_t bits = g[w] & amask[w]; bits; bits &= bits - 1) {
            size_t gi = w * 64 + (size_t)__builtin_ctzll(bits);
            const uint32_t *cl = al + aoff[gi];
            for (uint32_t j = 0; j < an[gi]; j++) {
                const struct uclause *c = &a->ucl[cl[j]];
                uint32_t q = 0;
                while (q < c->n) {
                    uint32_t o = a->ucg[c->off + q];
                    if (!((g[o >> 6] >> (o & 63)) & 1)) break;
                    q++;
                }
                if (q < c->n) continue;
                for (uint32_t x = 0; x < c->sn; x++) {
                    uint32_t slot = a->ucs[c->soff + x];
                    sb[slot >> 6] |= (uint64_t)1 << (slot & 63);
                    if (a->slot_match[slot]) {
                        uint32_t r = a->slot_rule[slot];
                        cand[r >> 6] |= (uint64_t)1 << (r & 63);
                    }
                }
            }
        }
    const uint64_t *rm = a->rolemask + (size_t)role * a->nw;
    for (size_t w = 0; w < a->nw; w++) cand[w] &= rm[w];
    return 0;
}

static unsigned cand_stages(const ts_scanner *s)
{
    const ts_atoms *a = s->a;
    unsigned m = 0;
    for (int st = 0; st < TS_MAX_STAGES; st++)
        for (size_t w = 0; w < a->nw; w++)
            if (s->cand[w] & a->stagemask[(size_t)st * a->nw + w]) { m |= 1u << st; break; }
    return m;
}

void ts_scanner_units(ts_scanner *s, const ts_unit *units, size_t n, int role)
{
    const ts_atoms *a = s->a;
    size_t ntok = s->tok->ntok;
    if (ntok > s->tkcap) {
        size_t nc = s->tkcap ? s->tkcap : 256;
        while (nc < ntok) nc *= 2;
        s->tkid = ts_xrealloc(s->tkid, nc * sizeof *s->tkid);
        s->tktok = ts_xrealloc(s->tktok, nc * sizeof *s->tktok);
        s->tkcap = nc;
    }
    if (n > s->ucap) {
        size_t nc = s->ucap ? s->ucap : 16;
        while (nc < n) nc *= 2;
        s->tcand = ts_xrealloc(s->tcand, nc * a->nw * sizeof *s->tcand);
        s->tsb = ts_xrealloc(s->tsb, nc * a->nsw * sizeof *s->tsb);
        s->us = ts_xrealloc(s->us, nc * sizeof *s->us);
        s->ucap = nc;
    }
    size_t koff = 0;
    for (size_t u = 0; u < n; u++) {
        s->kid = s->tkid + koff;
        s->ktok = s->tktok + koff;
        s->cand = s->tcand + u * a->nw;
        s->sbits = s->tsb + u * a->nsw;
        s->us[u].rc = scan_one(s, units[u].tok_begin, units[u].tok_end, role);
        s->us[u].koff = (uint32_t)koff;
        s->us[u].nk = (uint32_t)s->nk;
        s->us[u].stages = s->us[u].rc ? ~0u : cand_stages(s);
        koff += s->nk;
    }
    s->nus = n;
}

int ts_scanner_use(ts_scanner *s, size_t u, unsigned *stages)
{
    const ts_atoms *a = s->a;
    const struct uscan *x = &s->us[u];
    s->kid = s->tkid + x->koff;
    s->ktok = s->tktok + x->koff;
    s->nk = x->nk;
    s->cand = s->tcand + u * a->nw;
    s->sbits = s->tsb + u * a->nsw;
    if (stages) *stages = x->stages;
    if (!++s->unit_serial) { /* wrapped: forget every remembered result */
        memset(s->memo_stamp, 0, (a->nprogs ? a->nprogs : 1) * sizeof *s->memo_stamp);
        s->unit_serial = 1;
    }
    return x->rc;
}

const uint64_t *ts_scanner_candidates(const ts_scanner *s) { return s->cand; }

int ts_scanner_stopword(const ts_scanner *s, size_t i)
{
    if (!s->tok || i >= s->tok->ntok || (s->tfl[i] & T_SPACE)) return -1;
    return s->tid[i] >= 0 && (s->a->wflags[s->tid[i]] & F_STOP);
}

int ts_atoms_code_index(const ts_atoms *a, const char *name)
{
    size_t n = strlen(name);
    return dict_find_h(&a->codes, name, n, hash_bytes(name, n));
}

/* ------------------------------------------------------------- matching */

static inline const char *kkey(const ts_scanner *s, size_t i)
{
    return s->tok->keys + s->tok->tok[s->ktok[i]].key;
}

static inline int has_prefix(const ts_scanner *s, size_t i, const char *p, uint32_t pl)
{
    const ts_token *t = &s->tok->tok[s->ktok[i]];
    return t->keylen >= pl && !memcmp(s->tok->keys + t->key, p, pl);
}

static int special_match(const ts_scanner *s, const wspecial *w, size_t i)
{
    const ts_atoms *a = s->a;
    if (i + (size_t)w->nseg > s->nk) return 0;
    for (int j = 0; j < w->nseg; j++) {
        int32_t id = a->segs[w->seg + (uint32_t)j];
        if (id == -3) { if (!has_prefix(s, i + (size_t)j, a->strs.p + w->poff, w->plen)) return 0; }
        else if (id < 0 || s->kid[i + (size_t)j] != id) return 0;
    }
    return 1;
}

/* Word id's memberships in set: *n entries from the returned one (a word
 * like "ik" is in a hundred lexicons; its list is sorted by set). */
static inline const memb *memb_of(const ts_atoms *a, int32_t id, uint32_t set, uint32_t *n)
{
    const memb *m = a->membs + a->memb_off[id];
    uint32_t lo = 0, hi = a->memb_n[id];
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (m[mid].set < set) lo = mid + 1; else hi = mid;
    }
    uint32_t e = lo;
    while (e < a->memb_n[id] && m[e].set == set) e++;
    *n = e - lo;
    return m + lo;
}

/* Does some entry of set match at kept token i? (for !x) */
static int set_any(const ts_scanner *s, int set, size_t i)
{
    const ts_atoms *a = s->a;
    int32_t id = s->kid[i];
    if (id >= 0) {
        uint32_t nm;
        const memb *m = memb_of(a, id, (uint32_t)set, &nm);
        for (uint32_t j = 0; j < nm; j++)
            if (m[j].sp < 0 || special_match(s, &a->sp[m[j].sp], i)) return 1;
    }
    const wset *ws = &a->sets[set];
    for (uint32_t j = 0; j < ws->sp_n; j++)
        if (special_match(s, &a->sp[a->psp[ws->sp_off + j]], i)) return 1;
    return 0;
}

enum { MAX_LENS = 16 };

/* The distinct numbers of tokens an entry of set can consume at kept token
 * i, in the order PCRE2 tries them (entry rank). Returns how many, or -1
 * when more than MAX_LENS differ (PCRE2 decides then). */
static int set_lengths(const ts_scanner *s, int set, size_t i, int *len)
{
    const ts_atoms *a = s->a;
    int rank[MAX_LENS], n = 0;
    if (i >= s->nk) return 0;
    int32_t id = s->kid[i];
    uint32_t nm = 0;
    const memb *m = id >= 0 ? memb_of(a, id, (uint32_t)set, &nm) : NULL;
    const wset *ws = &a->sets[set];
    for (uint32_t j = 0; j < nm + ws->sp_n; j++) {
        int r, l;
        if (j < nm) {
            if (m[j].sp < 0) { r = m[j].rank; l = 1; }
            else {
                const wspecial *w = &a->sp[m[j].sp];
                if (!special_match(s, w, i)) continue;
                r = w->rank; l = w->nseg;
            }
        } else {
            const wspecial *w = &a->sp[a->psp[ws->sp_off + (j - nm)]];
            if (!special_match(s, w, i)) continue;
            r = w->rank; l = w->nseg;
        }
        int k = 0;
        while (k < n && len[k] != l) k++;
        if (k < n) { if (r < rank[k]) rank[k] = r; continue; }
        if (n == MAX_LENS) return -1;
        rank[n] = r;
        len[n] = l;
        n++;
    }
    for (int x = 1; x < n; x++)
        for (int y = x; y > 0 && rank[y - 1] > rank[y]; y--) {
            int t = rank[y]; rank[y] = rank[y - 1]; rank[y - 1] = t;
            t = len[y]; len[y] = len[y - 1]; len[y - 1] = t;
        }
    return n;
}

static inline void push(ts_scanner *s, int32_t pc, int32_t i, int32_t k)
{
    if (s->sp == s->scap) {
        s->scap = s->scap ? s->scap * 2 : 64;
        s->stack = ts_xrealloc(s->stack, s->scap * sizeof *s->stack);
    }
    s->stack[s->sp].pc = pc;
    s->stack[s->sp].i = i;
    s->stack[s->sp].k = k;
    s->sp++;
}

/* Runs code from pc with the match at kept token i (start k) and backtracks
 * depth first, in PCRE2's order. Returns 1 at OP_MATCH with the end token
 * in *ei and the start in *ek, 0 when every path fails, -1 when the step
 * budget ran out. The backtracking stack is shared with the caller: frames
 * above the entry depth belong to this call. */
static int vm(ts_scanner *s, const insn *code, int32_t pc, int32_t i, int32_t k, unsigned long *steps, int32_t *ei, int32_t *ek)
{
    const ts_atoms *a = s->a;
    const int32_t nk = (int32_t)s->nk;
    const size_t base = s->sp;
    int lens[MAX_LENS];
    for (;;) {
        if (++*steps > TS_NATIVE_MATCH_STEPS) { s->sp = base; return -1; }
        const insn *in = &code[pc];
        switch (in->op) {
        case OP_WORD:
            if (i < nk && s->kid[i] == in->x) { i++; pc++; continue; }
            break;
        case OP_PREFIX:
            if (i < nk && has_prefix(s, (size_t)i, a->strs.p + in->x, (uint32_t)in->y)) { i++; pc++; continue; }
            break;
        case OP_ANY:
            if (i < nk) { i++; pc++; continue; }
            break;
        case OP_NUM:
            if (i < nk) {
                char c = kkey(s, (size_t)i)[0];
                if (c >= '0' && c <= '9') { i++; pc++; continue; }
            }
            break;
        case OP_NOT:
            if (i < nk && !set_any(s, in->x, (size_t)i)) { i++; pc++; continue; }
            break;
        case OP_NOTSUB: {
            /* (?!sub)[^ ]+ : an atomic look-ahead, then one token */
            if (i >= nk) break;
            int32_t e1, k1;
            int r = vm(s, code, in->x, i, i, steps, &e1, &k1);
            if (r < 0) { s->sp = base; return -1; }
            if (r) break;
            i++;
            pc++;
            continue;
        }
        case OP_LEX: {
            int n = set_lengths(s, in->x, (size_t)i, lens);
            if (n < 0) { s->sp = base; return -1; }
            if (!n) break;
            for (int j = n - 1; j > 0; j--) push(s, pc + 1, i + lens[j], k);
            i += lens[0];
            pc++;
            continue;
        }
        case OP_START:
            if (i == 0) { pc++; continue; }
            break;
        case OP_OPENERS: {
            /* (?:openers)* greedy: one more opener (in entry order), else leave the loop */
            int n = set_lengths(s, in->x, (size_t)i, lens);
            if (n < 0) { s->sp = base; return -1; }
            if (!n) { pc++; continue; }
            push(s, pc + 1, i, k);
            for (int j = n - 1; j > 0; j--) push(s, pc, i + lens[j], k);
            i += lens[0];
            continue;
        }
        case OP_KEEP: k = i; pc++; continue;
        case OP_END:
            if (i == nk) { pc++; continue; }
            break;
        case OP_SPLIT:
            push(s, in->y, i, k);
            pc = in->x;
            continue;
        case OP_JMP: pc = in->x; continue;
        case OP_MATCH:
            s->sp = base;
            *ei = i;
            *ek = k;
            return 1;
        }
        /* this path failed: backtrack */
        if (s->sp == base) return 0;
        s->sp--;
        pc = s->stack[s->sp].pc;
        i = s->stack[s->sp].i;
        k = s->stack[s->sp].k;
    }
}

/* Does kept token i pass one of the program's first-token tests? (They
 * cover every program whose first element is a word, prefix or lexicon, so
 * this is the only start test.) */
static int first_ok(const ts_scanner *s, const prog *p, int32_t i)
{
    const ts_atoms *a = s->a;
    const ftest *f = a->first + p->foff;
    int32_t id = s->kid[i];
    for (uint32_t j = 0; j < p->fn; j++) {
        switch (f[j].kind) {
        case FT_WORD: if (id == f[j].x) return 1; break;
        case FT_PREFIX: if (has_prefix(s, (size_t)i, a->strs.p + f[j].x, (uint32_t)f[j].y)) return 1; break;
        case FT_LEX: {
            if (a->sets[f[j].x].sp_n) return 1;
            uint32_t nm;
            if (id >= 0 && (memb_of(a, id, (uint32_t)f[j].x, &nm), nm)) return 1;
            break;
        }
        }
    }
    return 0;
}

/* The leftmost match, as PCRE2 finds it: start tokens left to right. */
static int run_prog(ts_scanner *s, const prog *p, uint32_t *tb, uint32_t *te)
{
    const insn *code = s->a->code + p->off;
    const int32_t nk = (int32_t)s->nk;
    unsigned long steps = 0;
    int32_t starts = p->anchored ? 1 : nk;
    s->sp = 0;
    for (int32_t st = 0; st < starts; st++) {
        int32_t i, k;
        if (p->fn && !first_ok(s, p, st)) continue; /* (fn = 0: the first token can be anything) */
        int r = vm(s, code, 0, st, st, &steps, &i, &k);
        if (r < 0) return TS_SCAN_PCRE;
        if (!r) continue;
        if (i <= k) { /* empty match: the reference points at the token */
            int32_t t = k < nk ? k : nk - 1;
            *tb = s->ktok[t];
            *te = s->ktok[t] + 1;
        } else {
            *tb = s->ktok[k];
            *te = s->ktok[i - 1] + 1;
        }
        return 1;
    }
    return 0;
}

size_t ts_scanner_next(const ts_scanner *s, size_t rule, int list, size_t k, size_t n)
{
    const ts_atoms *a = s->a;
    if (k >= n) return n;
    size_t base = a->lprog[list][rule];
    size_t b = base + k, e = base + n;
    size_t w = b >> 6;
    uint64_t bits = s->sbits[w] & (~(uint64_t)0 << (b & 63));
    for (;;) {
        if (bits) {
            size_t slot = w * 64 + (size_t)__builtin_ctzll(bits);
            return slot < e ? slot - base : n;
        }
        if (++w * 64 >= e) return n;
        bits = s->sbits[w];
    }
}

int ts_scanner_match(ts_scanner *s, size_t rule, int list, size_t k, uint32_t *tb, uint32_t *te)
{
    const ts_atoms *a = s->a;
    uint32_t slot = a->lprog[list][rule] + (uint32_t)k;
    if (!((s->sbits[slot >> 6] >> (slot & 63)) & 1)) return 0; /* an atom it needs is absent */
    uint32_t pi = a->pidx[slot];
    const prog *p = &a->progs[pi];
    if (!p->native) return TS_SCAN_PCRE;
    if (!s->nk) return 0;
    if (s->memo_stamp[pi] == s->unit_serial) {
        *tb = s->memo_tb[pi];
        *te = s->memo_te[pi];
        return s->memo_rc[pi];
    }
    uint32_t b = 0, e = 0;
    int rc = run_prog(s, p, &b, &e);
    if (rc == TS_SCAN_PCRE) return rc;
    s->memo_stamp[pi] = s->unit_serial;
    s->memo_rc[pi] = (int8_t)rc;
    s->memo_tb[pi] = b;
    s->memo_te[pi] = e;
    *tb = b;
    *te = e;
    return rc;
}
