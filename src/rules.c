/* rules.c - parser and compiler of the taalspel rule language.
 *
 * Two passes, like a small assembler:
 *   1. parse every file into blocks (code, rule, lexicon) of raw attribute
 *      lines, remembering file:line:col of every value;
 *   2. resolve names (codes, lexicons, lexicon-in-lexicon references), parse
 *      token patterns into an AST, translate each AST into one PCRE2 pattern
 *      over the sentence's key text, compute evaluation stages from
 *      "requires"/"without", and check for rules that can never fire.
 *
 * The key text of a sentence is the keys of its tokens (see token.h) each
 * followed by one space, without fillers (lexicon "skip"), quotes, brackets
 * and the sentence-final punctuation:  "wat maakt dat je belt "
 * A token pattern "^ wat maakt dat" becomes
 *   ^(?:(?:en |maar |...)*)\Kwat maakt dat
 * so one element always consumes exactly one token and its space, and the
 * match span maps back to whole tokens. User regexes ("regex /.../") see the
 * same text without the trailing space.
 */
#include "rules.h"
#include "atoms.h"
#include "limits.h"
#include "token.h"
#include "util.h"
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* ---------------------------------------------------------------- parse */

typedef struct {
    char *key, *val;
    unsigned long line, col; /* col of val */
} rattr;

typedef enum { B_CODE, B_RULE, B_LEX } bkind;

typedef struct {
    bkind kind;
    char *name;
    char *file;
    unsigned long line, col;
    rattr *a;
    size_t na, cap;
    int dir; /* index of the directory it came from */
    int dead; /* overridden by a later directory */
} rblock;

typedef struct {
    char **codes; /* names */
    size_t n;
    char *file;
    unsigned long line;
} rgroup;

typedef struct {
    rblock *b;
    size_t nb, cap;
    rgroup *g;
    size_t ng, gcap;
    char *version;
    ts_diags *d;
    int errors;
    size_t nrules;
    size_t bytes;        /* rule text read so far (TS_MAX_RULESET_BYTES) */
    size_t re_bytes;     /* regular expression text compiled so far */
    int re_full;         /* TS_MAX_RULESET_REGEX_BYTES reached and reported */
    ts_tokens tk;        /* key_of's tokens, reused: a pack normalises ~20,000 words */
    ts_buf line;         /* parse_text's current line, reused */
    ts_buf re;           /* compile_pattern's translation, reused */
} parser;

#define ERR(P, F, L, C, ...) do { ts_diag_add((P)->d, TS_SEV_ERROR, (F), (L), (C), __VA_ARGS__); (P)->errors++; } while (0)

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = 0;
    return s;
}

static void add_attr(rblock *b, const char *key, const char *val, unsigned long line, unsigned long col)
{
    TS_VEC_RESERVE(b->a, b->cap, b->na + 1);
    rattr *a = &b->a[b->na++];
    a->key = ts_strdup(key);
    a->val = ts_strdup(val);
    a->line = line;
    a->col = col;
}

static int valid_name(const char *s, int allow_dot)
{
    if (!*s) return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!(isalnum(c) || c == '_' || c == '-' || (allow_dot && (c == '.' || c == '/'))) ) return 0;
    }
    return 1;
}

static void parse_text(parser *P, const char *file, const char *text, size_t len, int dir)
{
    rblock *cur = NULL;
    int skipping = 0; /* the attribute lines of a refused block: already reported */
    unsigned long lineno = 0;
    size_t i = 0;
    if (len > TS_MAX_RULESET_BYTES - P->bytes) {
        ERR(P, file, 1, 1, "the rule files hold more than %u bytes together (TS_MAX_RULESET_BYTES); "
            "this file is not read", TS_MAX_RULESET_BYTES);
        return;
    }
    P->bytes += len;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) i = 3;
    while (i < len) {
        size_t e = i;
        while (e < len && text[e] != '\n') e++;
        lineno++;
        size_t raw = e - i;
        ts_buf_reset(&P->line);
        ts_buf_put(&P->line, text + i, raw);
        char *line = P->line.p;
        i = e + 1;
        size_t ll = strlen(line);
        if (ll < raw) {
            ERR(P, file, lineno, ll + 1, "NUL byte in rule file");
            continue;
        }
        int indented = line[0] == ' ' || line[0] == '\t';
        char *s = trim(line);
        if (!*s || *s == '#') continue;
        unsigned long col0 = (unsigned long)(s - line) + 1;
        if (!indented) {
            cur = NULL;
            skipping = 1; /* until a block is accepted below */
            char *kw = s;
            char *rest = s;
            while (*rest && *rest != ' ' && *rest != '\t' && *rest != ':') rest++;
            char save = *rest;
            *rest = 0;
            char *arg = save ? trim(rest + 1) : rest;
            unsigned long argcol = (unsigned long)(arg - line) + 1;
            if (!strcmp(kw, "rule") || !strcmp(kw, "code")) {
                if (!*arg) { ERR(P, file, lineno, argcol, "'%s' needs a name", kw); continue; }
                if (!valid_name(arg, 1)) { ERR(P, file, lineno, argcol, "invalid %s name '%s' (letters, digits, . _ - / only)", kw, arg); continue; }
                if (!strcmp(kw, "rule") && ++P->nrules > TS_MAX_RULES) {
                    if (P->nrules == TS_MAX_RULES + 1)
                        ERR(P, file, lineno, 1, "more than %d rules (TS_MAX_RULES)", TS_MAX_RULES);
                    continue;
                }
                TS_VEC_RESERVE(P->b, P->cap, P->nb + 1);
                cur = &P->b[P->nb++];
                skipping = 0;
                memset(cur, 0, sizeof *cur);
                cur->kind = !strcmp(kw, "rule") ? B_RULE : B_CODE;
                cur->name = ts_strdup(arg);
                cur->file = ts_strdup(file);
                cur->line = lineno;
                cur->col = argcol;
                cur->dir = dir;
            } else if (!strcmp(kw, "lexicon")) {
                /* lexicon NAME: entries...   |   lexicon NAME from FILE */
                char *name = arg;
                char *colon = strchr(arg, ':');
                char *from = NULL;
                if (colon) { *colon = 0; }
                else {
                    char *sp = strstr(arg, " from ");
                    if (sp) { *sp = 0; from = trim(sp + 6); }
                }
                name = trim(name);
                if (!valid_name(name, 0)) { ERR(P, file, lineno, argcol, "invalid lexicon name '%s'", name); continue; }
                TS_VEC_RESERVE(P->b, P->cap, P->nb + 1);
                cur = &P->b[P->nb++];
                skipping = 0;
                memset(cur, 0, sizeof *cur);
                cur->kind = B_LEX;
                cur->name = ts_strdup(name);
                cur->file = ts_strdup(file);
                cur->line = lineno;
                cur->col = argcol;
                cur->dir = dir;
                if (from) add_attr(cur, "from", from, lineno, (unsigned long)(from - line) + 1);
                else if (colon) {
                    char *ent = trim(colon + 1);
                    if (*ent) add_attr(cur, "entries", ent, lineno, (unsigned long)(ent - line) + 1);
                } else {
                    ERR(P, file, lineno, argcol, "write 'lexicon %s: word word ...' or 'lexicon %s from FILE.lex'", name, name);
                }
            } else if (!strcmp(kw, "exclusive")) {
                skipping = 0;
                TS_VEC_RESERVE(P->g, P->gcap, P->ng + 1);
                rgroup *g = &P->g[P->ng++];
                memset(g, 0, sizeof *g);
                g->file = ts_strdup(file);
                g->line = lineno;
                char *tok = strtok(arg, " \t,");
                while (tok) {
                    g->codes = ts_xrealloc(g->codes, (g->n + 1) * sizeof *g->codes);
                    g->codes[g->n++] = ts_strdup(tok);
                    tok = strtok(NULL, " \t,");
                }
                if (g->n < 2) ERR(P, file, lineno, argcol, "'exclusive' needs at least two codes");
            } else if (!strcmp(kw, "version")) {
                skipping = 0;
                free(P->version);
                P->version = ts_strdup(arg);
            } else {
                *rest = save;
                ERR(P, file, lineno, col0, "unknown statement '%.40s'; expected rule, code, lexicon, exclusive or version "
                    "(attribute lines of a block are indented)", kw);
            }
            continue;
        }
        if (!cur) {
            if (!skipping) ERR(P, file, lineno, col0, "indented line outside a rule, code or lexicon block");
            continue;
        }
        if (cur->kind == B_LEX) {
            add_attr(cur, "entries", s, lineno, col0);
            continue;
        }
        char *kw = s, *rest = s;
        while (*rest && *rest != ' ' && *rest != '\t') rest++;
        char save = *rest;
        *rest = 0;
        char *val = save ? trim(rest + 1) : rest;
        if (kw[strlen(kw) - 1] == ':') kw[strlen(kw) - 1] = 0; /* allow "code: x" */
        add_attr(cur, kw, val, lineno, (unsigned long)(val - line) + 1);
    }
}

static int read_file(const char *path, char **out, size_t *len, ts_diags *d)
{
    /* Only regular files: a FIFO, /dev/stdin or /dev/zero named by a rule
     * ("lexicon x from /dev/stdin") would block or stream forever. stat()
     * first, because opening a FIFO already blocks. */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        ts_diag_add(d, TS_SEV_ERROR, path, 0, 0, "cannot read: not a regular file");
        return -1;
    }
    FILE *f = fopen(path, "rb");
    if (!f) { ts_diag_add(d, TS_SEV_ERROR, path, 0, 0, "cannot open: %s", strerror(errno)); return -1; }
    ts_buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) {
        ts_buf_put(&b, tmp, n);
        if (b.len > TS_MAX_RULE_FILE_BYTES) {
            fclose(f);
            ts_buf_free(&b);
            ts_diag_add(d, TS_SEV_ERROR, path, 0, 0, "rule file larger than %u bytes (TS_MAX_RULE_FILE_BYTES)", TS_MAX_RULE_FILE_BYTES);
            return -1;
        }
    }
    fclose(f);
    *len = b.len;
    *out = ts_buf_detach(&b);
    return 0;
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* ------------------------------------------------------------- resolve */

typedef struct {
    parser *P;
    ts_ruleset *rs;
    const char *dir0;
} ctx;

static int find_lex(const ts_ruleset *rs, const char *name)
{
    for (size_t i = 0; i < rs->nlex; i++)
        if (!strcmp(rs->lex[i].name, name)) return (int)i;
    return -1;
}

static pthread_mutex_t jit_mu = PTHREAD_MUTEX_INITIALIZER;

static void *pcre2_of(const char *re, int *errc, size_t *off)
{
    PCRE2_SIZE o = 0;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, errc, &o, NULL);
    *off = (size_t)o;
    return code;
}

static void pattern_regex(ts_buf *b, const ts_pelem *ast, const ts_ruleset *rs);

void ts_rules_ensure_jit(const ts_pattern *p)
{
    ts_pattern *q = (ts_pattern *)p; /* the code is a cache; the pattern stays logically immutable */
    if (__atomic_load_n(&q->jit, __ATOMIC_ACQUIRE)) return; /* re is final (published by the release below) */
    pthread_mutex_lock(&jit_mu);
    if (!q->jit && q->lazy) {
        ts_buf re = {0};
        int errc;
        size_t off;
        pattern_regex(&re, q->ast, q->lazy);
        q->re = pcre2_of(re.p, &errc, &off); /* NULL: the matcher reports a PCRE2 error */
        ts_buf_free(&re);
    }
    if (!q->jit && q->re) {
        /* TS_PCRE2_NO_JIT=1: the interpreter only (valgrind cannot follow JIT code) */
        const char *no = getenv("TS_PCRE2_NO_JIT");
        if (!no || strcmp(no, "1"))
            pcre2_jit_compile((pcre2_code *)q->re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter if JIT is unavailable */
    }
    __atomic_store_n(&q->jit, 1, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&jit_mu);
}

int ts_rules_code_index(const ts_ruleset *rs, const char *name)
{
    if (rs->atoms) return ts_atoms_code_index(rs->atoms, name); /* hashed; called per turn by scores */
    for (size_t i = 0; i < rs->ncodes; i++)
        if (!strcmp(rs->codes[i].name, name)) return (int)i;
    return -1;
}

/* Splits a lexicon entry line into entries: words, "quoted multi word",
 * word=value, word*, @other. */
typedef struct { char *text; unsigned long col; } ent_t;

static size_t split_entries(const char *s, unsigned long col0, ent_t **out)
{
    size_t n = 0, cap = 0;
    ent_t *v = NULL;
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',') p++;
        if (!*p) break;
        const char *a = p;
        ts_buf b = {0};
        if (*p == '"') {
            p++;
            while (*p && *p != '"') ts_buf_putc(&b, *p++);
            if (*p == '"') p++;
            while (*p && *p != ' ' && *p != '\t' && *p != ',') ts_buf_putc(&b, *p++); /* ="x"=3 */
        } else {
            while (*p && *p != ' ' && *p != '\t' && *p != ',') ts_buf_putc(&b, *p++);
        }
        TS_VEC_RESERVE(v, cap, n + 1);
        v[n].text = ts_buf_detach(&b);
        v[n].col = col0 + (unsigned long)(a - s);
        n++;
    }
    *out = v;
    return n;
}

static void key_of(parser *P, const char *w, char *out, size_t cap)
{
    /* a multi-word entry: normalise each word, join with one space */
    size_t n = strlen(w), a = 0;
    while (a < n && w[a] >= 'a' && w[a] <= 'z') a++;
    if (a == n && n + 2 < cap) { /* most words: already their own key (check_token asserts it) */
        memcpy(out, w, n + 1);
        return;
    }
    ts_tokens *t = &P->tk;
    ts_tokenize(t, w, n);
    size_t o = 0;
    out[0] = 0;
    for (size_t i = 0; i < t->ntok; i++) {
        const char *k = ts_tok_key(t, i);
        size_t kl = t->tok[i].keylen;
        if (o + kl + 2 >= cap) break;
        if (o) out[o++] = ' ';
        memcpy(out + o, k, kl);
        o += kl;
    }
    out[o] = 0;
}

/* A lexicon being resolved, with a hash of its entries so adding one is
 * O(1): a lexicon may hold TS_MAX_LEXICON_ENTRIES words and be copied into
 * others through @references (a linear search made that quadratic). */
typedef struct {
    size_t cap;   /* of L->e */
    int *slot;    /* entry index + 1, or 0; nslot is a power of two */
    size_t nslot;
    int full;     /* TS_MAX_LEXICON_ENTRIES reached, and reported */
} lexidx;

static size_t lex_hash(const char *key, int prefix)
{
    uint64_t h = 14695981039346656037u ^ (uint64_t)prefix;
    for (; *key; key++) h = (h ^ (unsigned char)*key) * 1099511628211u;
    return (size_t)h;
}

static void lex_slot_put(lexidx *x, const ts_lexentry *e, int idx)
{
    size_t m = x->nslot - 1, i = lex_hash(e->key, e->prefix) & m;
    while (x->slot[i]) i = (i + 1) & m;
    x->slot[i] = idx + 1;
}

/* Adds an entry unless the same key (with the same '*') is there already.
 * Returns 0, or -1 when the lexicon is full (the caller reports it once). */
static int lex_add(ts_lexicon *L, lexidx *x, const char *key, int prefix, int hv, double v)
{
    if (x->nslot < 2 * (L->n + 1)) {
        free(x->slot);
        x->nslot = 64;
        while (x->nslot < 4 * (L->n + 1)) x->nslot *= 2;
        x->slot = ts_xcalloc(x->nslot, sizeof *x->slot);
        for (size_t k = 0; k < L->n; k++) lex_slot_put(x, &L->e[k], (int)k);
    }
    size_t m = x->nslot - 1;
    for (size_t i = lex_hash(key, prefix) & m; x->slot[i]; i = (i + 1) & m) {
        const ts_lexentry *e = &L->e[x->slot[i] - 1];
        if (e->prefix == prefix && !strcmp(e->key, key)) return 0;
    }
    if (L->n >= TS_MAX_LEXICON_ENTRIES) return -1;
    TS_VEC_RESERVE(L->e, x->cap, L->n + 1);
    ts_lexentry *e = &L->e[L->n];
    e->klen = strlen(key);
    e->key = ts_strndup(key, e->klen);
    e->prefix = prefix;
    e->has_value = hv;
    e->value = v;
    lex_slot_put(x, e, (int)L->n);
    L->n++;
    return 0;
}

/* Reports a full lexicon, once. */
static void lex_full(parser *P, lexidx *x, const ts_lexicon *L, const char *file, unsigned long line, unsigned long col)
{
    if (x->full) return;
    x->full = 1;
    ERR(P, file, line, col, "lexicon '%s' has more than %d entries (TS_MAX_LEXICON_ENTRIES)", L->name, TS_MAX_LEXICON_ENTRIES);
}

/* Resolves lexicon li (entries and @references) with cycle detection. */
static int resolve_lex(ctx *C, rblock **lb, size_t nlb, size_t li, int *state, lexidx *ix, int depth)
{
    parser *P = C->P;
    ts_ruleset *rs = C->rs;
    if (state[li] == 2) return 0;
    if (state[li] == 1) {
        ERR(P, lb[li]->file, lb[li]->line, lb[li]->col, "lexicon '%s' refers to itself (through @references)", lb[li]->name);
        return -1;
    }
    if (depth > TS_MAX_LEXICON_DEPTH) {
        ERR(P, lb[li]->file, lb[li]->line, lb[li]->col, "lexicon references nested deeper than %d (TS_MAX_LEXICON_DEPTH)", TS_MAX_LEXICON_DEPTH);
        return -1;
    }
    state[li] = 1;
    ts_lexicon *L = &rs->lex[li];
    rblock *b = lb[li];
    for (size_t k = 0; k < b->na; k++) {
        rattr *a = &b->a[k];
        char *data = NULL;
        size_t dlen = 0;
        const char *lfile = b->file;
        if (!strcmp(a->key, "from")) {
            /* path relative to the rule file's directory, unless absolute */
            char *dirp = ts_strdup(b->file);
            char *slash = a->val[0] == '/' ? NULL : strrchr(dirp, '/');
            char *path = slash ? (slash[1] = 0, ts_strdupf("%s%s", dirp, a->val)) : ts_strdup(a->val);
            free(dirp);
            ts_diags tmpd = {0};
            if (read_file(path, &data, &dlen, &tmpd) != 0) {
                ERR(P, b->file, a->line, a->col, "cannot read lexicon file '%s': %s", path,
                    tmpd.n && tmpd.v[0].msg ? tmpd.v[0].msg : "unreadable");
                ts_diag_clear(&tmpd);
                free(path);
                continue;
            }
            ts_diag_clear(&tmpd);
            /* one entry per line; '#' comments */
            unsigned long ln = 0;
            char *save = NULL;
            for (char *l = strtok_r(data, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
                ln++;
                char *t = trim(l);
                if (!*t || *t == '#') continue;
                char key[512];
                int prefix = 0;
                size_t tl = strlen(t);
                if (tl && t[tl - 1] == '*') { prefix = 1; t[--tl] = 0; }
                key_of(P, t, key, sizeof key);
                if (!*key) continue;
                if (lex_add(L, &ix[li], key, prefix, 0, 0) < 0) { lex_full(P, &ix[li], L, path, ln, 1); break; }
            }
            free(data);
            free(path);
            (void)lfile;
            continue;
        }
        ent_t *ents;
        size_t ne = split_entries(a->val, a->col, &ents);
        for (size_t j = 0; j < ne; j++) {
            char *t = ents[j].text;
            if (t[0] == '@') {
                int ref = find_lex(rs, t + 1);
                if (ref < 0) ERR(P, b->file, a->line, ents[j].col, "unknown lexicon '@%s'", t + 1);
                else if (resolve_lex(C, lb, nlb, (size_t)ref, state, ix, depth + 1) == 0) {
                    ts_lexicon *R = &rs->lex[ref];
                    for (size_t q = 0; q < R->n; q++)
                        if (lex_add(L, &ix[li], R->e[q].key, R->e[q].prefix, R->e[q].has_value, R->e[q].value) < 0) {
                            lex_full(P, &ix[li], L, b->file, a->line, ents[j].col);
                            break;
                        }
                }
                free(t);
                continue;
            }
            int hv = 0;
            double v = 0;
            char *eq = strrchr(t, '=');
            if (eq && eq != t) {
                char *endp;
                v = strtod(eq + 1, &endp);
                if (*endp || endp == eq + 1) ERR(P, b->file, a->line, ents[j].col + (unsigned long)(eq - t) + 1, "bad value in lexicon entry '%s' (expected word=number)", t);
                else hv = 1;
                *eq = 0;
            }
            size_t tl = strlen(t);
            int prefix = 0;
            if (tl > 1 && t[tl - 1] == '*') { prefix = 1; t[--tl] = 0; }
            char key[512];
            if (tl >= sizeof key / 2) { ERR(P, b->file, a->line, ents[j].col, "lexicon entry longer than %zu bytes", sizeof key / 2); free(t); continue; }
            key_of(P, t, key, sizeof key);
            if (!*key) { free(t); continue; }
            if (lex_add(L, &ix[li], key, prefix, hv, v) < 0) lex_full(P, &ix[li], L, b->file, a->line, ents[j].col);
            free(t);
        }
        free(ents);
    }
    state[li] = 2;
    return 0;
}

/* -------------------------------------------------------- token patterns */

typedef struct {
    const char *s;     /* pattern text */
    size_t i;
    const char *file;
    unsigned long line, col0;
    parser *P;
    ts_ruleset *rs;
    int err;
    int turn_start, turn_end;
    int nelems;
} pp;

/* Pattern trees live in the ruleset's arena (rs->pe_arena) and are freed
 * with it, also the half-built tree of a pattern with an error. */
static ts_pelem *pe_new(pp *x, ts_pe_kind k)
{
    ts_pelem *e = ts_arena_alloc(&x->rs->pe_arena, sizeof *e);
    e->kind = k;
    e->lex = -1;
    e->wid = -1;
    return e;
}

static void pe_add(pp *x, ts_pelem *p, ts_pelem *k)
{
    /* capacity is implicit: the next power of two >= nkids (at least 2) */
    size_t n = p->nkids;
    if (n < 2 ? !p->kids : !(n & (n - 1))) {
        size_t cap = n < 2 ? 2 : n * 2;
        ts_pelem **v = ts_arena_alloc(&x->rs->pe_arena, cap * sizeof *v);
        if (n) memcpy(v, p->kids, n * sizeof *v);
        p->kids = v;
    }
    p->kids[p->nkids++] = k;
}

#define PERR(X, ...) do { if (!(X)->err) ERR((X)->P, (X)->file, (X)->line, (X)->col0 + (unsigned long)(X)->i, __VA_ARGS__); (X)->err = 1; } while (0)

static ts_pelem *parse_alt(pp *x, int top);

static int special(char c) { return c == '(' || c == ')' || c == '[' || c == ']' || c == '|'; }

/* A word element (w may end in '*': a prefix); w is changed. */
static void add_word(pp *x, ts_pelem *seq, char *w)
{
    size_t wl = strlen(w);
    int prefix = 0;
    if (wl > 1 && w[wl - 1] == '*') { prefix = 1; w[--wl] = 0; }
    char key[256];
    key_of(x->P, w, key, sizeof key);
    if (!*key) PERR(x, "empty word in pattern");
    else if (strchr(key, ' ')) PERR(x, "'%s' is more than one token; write the words separately", w);
    ts_pelem *e = pe_new(x, TS_PE_WORD);
    e->word = ts_arena_strndup(&x->rs->pe_arena, key, strlen(key));
    e->prefix = prefix;
    pe_add(x, seq, e);
}

static ts_pelem *parse_seq(pp *x, int top)
{
    ts_pelem *seq = pe_new(x, TS_PE_SEQ);
    for (;;) {
        while (x->s[x->i] == ' ' || x->s[x->i] == '\t') x->i++;
        char c = x->s[x->i];
        if (!c || c == ')' || c == ']' || c == '|') break;
        size_t at = x->i;
        if (c == '!' && x->s[x->i + 1] == '(') {
            /* !( a | b ): one token that does not start any of these */
            size_t at2 = x->i;
            x->i += 2;
            ts_pelem *in = parse_alt(x, 0);
            if (x->s[x->i] != ')') { PERR(x, "missing ')' to close '!(' opened at column %lu", x->col0 + (unsigned long)at2); break; }
            x->i++;
            ts_pelem *ne = pe_new(x, TS_PE_NOT);
            pe_add(x, ne, in);
            pe_add(x, seq, ne);
            x->nelems++;
            continue;
        }
        if (c == '"') {
            /* "several words": the words in sequence */
            size_t at2 = x->i++;
            size_t a2 = x->i;
            while (x->s[x->i] && x->s[x->i] != '"') x->i++;
            if (x->s[x->i] != '"') { PERR(x, "missing '\"' to close the phrase opened at column %lu", x->col0 + (unsigned long)at2); break; }
            char *ph = ts_strndup(x->s + a2, x->i - a2);
            x->i++;
            ts_tokens *tk = &x->P->tk;
            ts_tokenize(tk, ph, strlen(ph));
            if (!tk->ntok) PERR(x, "empty phrase");
            for (size_t q = 0; q < tk->ntok; q++) {
                ts_pelem *e = pe_new(x, TS_PE_WORD);
                e->word = ts_arena_strndup(&x->rs->pe_arena, ts_tok_key(tk, q), tk->tok[q].keylen);
                pe_add(x, seq, e);
                x->nelems++;
            }
            free(ph);
            continue;
        }
        if (c == '(' || c == '[') {
            x->i++;
            ts_pelem *in = parse_alt(x, 0);
            char want = c == '(' ? ')' : ']';
            if (x->s[x->i] != want) { PERR(x, "missing '%c' to close '%c' opened at column %lu", want, c, x->col0 + (unsigned long)at); break; }
            x->i++;
            if (c == '[') { ts_pelem *o = pe_new(x, TS_PE_OPT); pe_add(x, o, in); pe_add(x, seq, o); }
            else pe_add(x, seq, in);
            continue;
        }
        size_t a = x->i;
        while (x->s[x->i] && x->s[x->i] != ' ' && x->s[x->i] != '\t' && x->s[x->i] != '"' && !special(x->s[x->i])) x->i++;
        char wb[128], *w = x->i - a < sizeof wb ? wb : ts_xmalloc(x->i - a + 1);
        memcpy(w, x->s + a, x->i - a);
        w[x->i - a] = 0;
        size_t save_i = x->i;
        x->i = a; /* errors point at the element */
        x->nelems++;
        if (!strchr("^$_<~@!?.\xE2", w[0])) {
            /* a plain word: the common case, without the string tests below */
            add_word(x, seq, w);
        } else if (!strcmp(w, "^") || !strcmp(w, "^^")) {
            if (seq->nkids || !top) PERR(x, "'%s' must start the pattern", w);
            if (w[1]) x->turn_start = 1;
            pe_add(x, seq, pe_new(x, TS_PE_START));
        } else if (!strcmp(w, "$") || !strcmp(w, "$$")) {
            if (w[1]) x->turn_end = 1;
            pe_add(x, seq, pe_new(x, TS_PE_END));
        } else if (!strcmp(w, "_") || !strcmp(w, "<word>")) {
            pe_add(x, seq, pe_new(x, TS_PE_ANY));
        } else if (!strcmp(w, "<num>")) {
            pe_add(x, seq, pe_new(x, TS_PE_NUM));
        } else if (w[0] == '~') {
            ts_pelem *g = pe_new(x, TS_PE_GAP);
            g->gap = 6;
            if (w[1]) {
                char *endp;
                long n = strtol(w + 1, &endp, 10);
                if (*endp || n < 1 || n > TS_MAX_GAP) PERR(x, "gap '%s' must be ~1 .. ~%d", w, TS_MAX_GAP);
                else g->gap = (int)n;
            }
            pe_add(x, seq, g);
        } else if (w[0] == '@' || (w[0] == '!' && w[1])) {
            int neg = w[0] == '!';
            const char *nm = w + neg;
            ts_pelem *e = pe_new(x, neg ? TS_PE_NOT : TS_PE_LEX);
            if (nm[0] == '@') {
                e->lex = find_lex(x->rs, nm + 1);
                if (e->lex < 0) PERR(x, "unknown lexicon '%s'", nm);
            } else if (neg) {
                char key[256];
                key_of(x->P, nm, key, sizeof key);
                e->word = ts_arena_strndup(&x->rs->pe_arena, key, strlen(key));
            } else PERR(x, "'@' must be followed by a lexicon name");
            pe_add(x, seq, e);
        } else if (!strcmp(w, "?") && a > 0 && x->s[a - 1] != ' ' && x->s[a - 1] != '\t') {
            PERR(x, "'?' after an element does not make it optional; write [ ... ] for an optional element");
        } else if (!strcmp(w, "?") || !strcmp(w, "!") || !strcmp(w, ".") || !strcmp(w, "...") || !strcmp(w, "\xE2\x80\xA6")) {
            PERR(x, "sentence-final '%s' is not part of the token text; use a 'final %s' line instead", w, w);
        } else add_word(x, seq, w);
        x->i = save_i;
        if (w != wb) free(w);
    }
    return seq;
}

static ts_pelem *parse_alt(pp *x, int top)
{
    ts_pelem *first = parse_seq(x, top);
    if (x->s[x->i] != '|') return first;
    ts_pelem *alt = pe_new(x, TS_PE_ALT);
    pe_add(x, alt, first);
    while (x->s[x->i] == '|') {
        x->i++;
        pe_add(x, alt, parse_seq(x, top));
    }
    return alt;
}

static void re_escape(ts_buf *b, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\^$.[]|()?*+{}#/-", *s)) ts_buf_putc(b, '\\');
        ts_buf_putc(b, *s);
    }
}

int ts_lexentry_order(const void *a, const void *b)
{
    const ts_lexentry *x = *(ts_lexentry *const *)a, *y = *(ts_lexentry *const *)b;
    if (x->klen != y->klen) return x->klen > y->klen ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* The alternation of a lexicon's entries, longest first (PCRE2 takes the
 * first alternative that matches). Written once per lexicon and copied for
 * each reference: a pack names its big lexicons thousands of times. The
 * cache is filled while the pack is built (one thread: compile_pattern
 * translates every pattern), so the translation on first use only reads it. */
static void emit_lex(ts_buf *b, const ts_lexicon *Lc)
{
    if (b->len > TS_MAX_REGEX_BYTES) return; /* over the limit already: compile_pattern() reports it */
    ts_lexicon *L = (ts_lexicon *)Lc;
    if (!L->re) {
        ts_buf r = {0};
        ts_lexentry **v = ts_xmalloc((L->n ? L->n : 1) * sizeof *v);
        for (size_t i = 0; i < L->n; i++) v[i] = &L->e[i];
        qsort(v, L->n, sizeof *v, ts_lexentry_order);
        ts_buf_puts(&r, "(?:");
        for (size_t i = 0; i < L->n && r.len <= TS_MAX_REGEX_BYTES; i++) {
            if (i) ts_buf_putc(&r, '|');
            re_escape(&r, v[i]->key);
            if (v[i]->prefix) ts_buf_puts(&r, "[^ ]*");
            ts_buf_putc(&r, ' ');
        }
        if (!L->n) ts_buf_puts(&r, "(*FAIL)");
        ts_buf_putc(&r, ')');
        free(v);
        L->relen = r.len;
        L->re = ts_buf_detach(&r);
    }
    ts_buf_put(b, L->re, L->relen);
}

static void emit_re(ts_buf *b, const ts_pelem *e, const ts_ruleset *rs, int first)
{
    if (b->len > TS_MAX_REGEX_BYTES) return; /* compile_pattern() reports it */
    switch (e->kind) {
    case TS_PE_WORD:
        re_escape(b, e->word);
        if (e->prefix) ts_buf_puts(b, "[^ ]*");
        ts_buf_putc(b, ' ');
        break;
    case TS_PE_LEX: emit_lex(b, &rs->lex[e->lex]); break;
    case TS_PE_ANY: ts_buf_puts(b, "[^ ]+ "); break;
    case TS_PE_NUM: ts_buf_puts(b, "[0-9][^ ]* "); break;
    case TS_PE_GAP: ts_buf_printf(b, "(?:[^ ]+ ){0,%d}?", e->gap); break;
    case TS_PE_NOT:
        ts_buf_puts(b, "(?!");
        if (e->nkids) emit_re(b, e->kids[0], rs, 0);
        else if (e->lex >= 0) emit_lex(b, &rs->lex[e->lex]);
        else { re_escape(b, e->word); ts_buf_putc(b, ' '); }
        ts_buf_puts(b, ")[^ ]+ ");
        break;
    case TS_PE_START:
        ts_buf_putc(b, '^');
        if (rs->lex_opener >= 0) { emit_lex(b, &rs->lex[rs->lex_opener]); ts_buf_puts(b, "*\\K"); }
        break;
    case TS_PE_END: ts_buf_putc(b, '$'); break;
    case TS_PE_OPT:
        ts_buf_puts(b, "(?:");
        emit_re(b, e->kids[0], rs, 0);
        ts_buf_puts(b, ")?");
        break;
    case TS_PE_ALT:
        ts_buf_puts(b, "(?:");
        for (size_t i = 0; i < e->nkids; i++) {
            if (i) ts_buf_putc(b, '|');
            emit_re(b, e->kids[i], rs, first);
        }
        ts_buf_putc(b, ')');
        break;
    case TS_PE_SEQ:
        for (size_t i = 0; i < e->nkids; i++) emit_re(b, e->kids[i], rs, first && i == 0);
        break;
    }
}

/* A token pattern's whole PCRE2 translation: every match starts at a
 * token boundary; "^" branches are anchored. */
static void pattern_regex(ts_buf *b, const ts_pelem *ast, const ts_ruleset *rs)
{
    ts_buf_puts(b, "(?<![^ ])");
    emit_re(b, ast, rs, 1);
}


/* The fewest tokens a match of e consumes (what PCRE2's minimum length says
 * of its translation, counted in tokens). */
static int pe_min_tokens(const ts_pelem *e, const ts_ruleset *rs)
{
    switch (e->kind) {
    case TS_PE_WORD: case TS_PE_ANY: case TS_PE_NUM: case TS_PE_NOT: return 1;
    case TS_PE_LEX: return rs->lex[e->lex].n ? 1 : 0; /* an empty lexicon is (*FAIL) */
    case TS_PE_SEQ: {
        int n = 0;
        for (size_t i = 0; i < e->nkids; i++) n += pe_min_tokens(e->kids[i], rs);
        return n;
    }
    case TS_PE_ALT: {
        int n = -1;
        for (size_t i = 0; i < e->nkids; i++) {
            int k = pe_min_tokens(e->kids[i], rs);
            if (n < 0 || k < n) n = k;
        }
        return n < 0 ? 0 : n;
    }
    default: return 0; /* ~N, [..], ^, $ */
    }
}

static int pe_depth(const ts_pelem *e)
{
    int d = 0;
    for (size_t i = 0; i < e->nkids; i++) {
        int k = pe_depth(e->kids[i]);
        if (k > d) d = k;
    }
    return d + 1;
}

/* PCRE2's translation of a pattern with the pack's checks (compiles, not
 * too big, needs a token); a failure is reported to d. Used when the pack
 * loads and by ts_rules_compile_all. */
static void *compile_checked(ts_diags *d, const char *file, unsigned long line, unsigned long col, const char *re, int user)
{
    int errc;
    size_t off;
    pcre2_code *code = pcre2_of(re, &errc, &off);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errc, msg, sizeof msg);
        if (user) ts_diag_add(d, TS_SEV_ERROR, file, line, col + (unsigned long)off, "bad regular expression: %s (at offset %zu)", (char *)msg, (size_t)off);
        else ts_diag_add(d, TS_SEV_ERROR, file, line, col, "pattern does not compile (%s); simplify it", (char *)msg);
        return NULL;
    }
    size_t sz = 0;
    pcre2_pattern_info(code, PCRE2_INFO_SIZE, &sz);
    if (sz > TS_MAX_COMPILED_REGEX_BYTES) {
        ts_diag_add(d, TS_SEV_ERROR, file, line, col, "pattern compiles to %zu bytes, over TS_MAX_COMPILED_REGEX_BYTES; split it into several rules", sz);
        pcre2_code_free(code);
        return NULL;
    }
    uint32_t minlen = 0;
    pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen);
    if (minlen == 0 && !user) {
        ts_diag_add(d, TS_SEV_ERROR, file, line, col, "pattern can match without any token; a rule must require at least one word");
        pcre2_code_free(code);
        return NULL;
    }
    /* JIT compilation happens on first use (ts_rules_ensure_jit): most token
     * patterns are verified natively and never need it */
    return code;
}

static void *compile_re(parser *P, const char *file, unsigned long line, unsigned long col, const char *re, int user)
{
    void *code = compile_checked(P->d, file, line, col, re, user);
    if (!code) P->errors++;
    return code;
}

static int compile_pattern(ctx *C, rblock *b, rattr *a, ts_pattern *out, int regex)
{
    parser *P = C->P;
    memset(out, 0, sizeof *out);
    out->src = ts_strdup(a->val);
    out->line = a->line;
    out->col = a->col;
    if (strlen(a->val) > TS_MAX_PATTERN_BYTES) {
        ERR(P, b->file, a->line, a->col, "pattern longer than %d bytes (TS_MAX_PATTERN_BYTES)", TS_MAX_PATTERN_BYTES);
        return -1;
    }
    if (P->re_bytes > TS_MAX_RULESET_REGEX_BYTES) {
        /* compile time and memory stay bounded whatever the rule files say */
        if (!P->re_full)
            ERR(P, b->file, a->line, a->col, "the patterns expand to more than %u bytes of regular expressions together "
                "(TS_MAX_RULESET_REGEX_BYTES); this and later patterns are not compiled; use smaller lexicons", TS_MAX_RULESET_REGEX_BYTES);
        P->re_full = 1;
        return -1;
    }
    if (regex) {
        out->is_regex = 1;
        const char *v = a->val;
        size_t n = strlen(v);
        if (n < 2 || v[0] != '/' || v[n - 1] != '/') {
            ERR(P, b->file, a->line, a->col, "regex must be written between slashes: regex /.../");
            return -1;
        }
        char *body = ts_strndup(v + 1, n - 2);
        out->re = compile_re(P, b->file, a->line, a->col + 1, body, 1);
        free(body);
        return out->re ? 0 : -1;
    }
    pp x = {0};
    x.s = a->val;
    x.file = b->file;
    x.line = a->line;
    x.col0 = a->col;
    x.P = P;
    x.rs = C->rs;
    ts_pelem *ast = parse_alt(&x, 1);
    if (!x.err && x.s[x.i]) PERR(&x, "unexpected '%c'", x.s[x.i]);
    if (x.err) return -1;
    if (!x.nelems) { ERR(P, b->file, a->line, a->col, "empty pattern"); return -1; }
    out->ast = ast;
    out->turn_start = x.turn_start;
    out->turn_end = x.turn_end;
    /* Most token patterns are verified natively and never reach PCRE2:
     * they are compiled on first use (ts_rules_ensure_jit), which took the
     * pack's load time from 40 to ~20 ms; the translation is written here
     * only to count it against the limits (into a reused buffer, then
     * dropped) and written again on first use. Load still refuses a pattern
     * that needs no token (as PCRE2's minimum length would); a deep or long
     * one is compiled now, so its PCRE2 limits are reported with file:line. */
    ts_buf *re = &P->re;
    ts_buf_reset(re);
    pattern_regex(re, ast, C->rs);
    P->re_bytes += re->len;
    if (re->len > TS_MAX_REGEX_BYTES) {
        ERR(P, b->file, a->line, a->col, "pattern expands to more than %u bytes of regular expression (TS_MAX_REGEX_BYTES); "
            "use a smaller lexicon or fewer references to it", TS_MAX_REGEX_BYTES);
        return -1;
    }
    if (pe_depth(ast) > TS_EAGER_PATTERN_DEPTH || re->len > TS_EAGER_REGEX_BYTES) {
        out->re = compile_re(P, b->file, a->line, a->col, re->p, 0);
        return out->re ? 0 : -1;
    }
    if (pe_min_tokens(ast, C->rs) == 0) {
        ERR(P, b->file, a->line, a->col, "pattern can match without any token; a rule must require at least one word");
        return -1;
    }
    out->lazy = C->rs;
    return 0;
}

size_t ts_rules_compile_all(ts_ruleset *rs, ts_diags *d)
{
    size_t errs = 0;
    for (size_t i = 0; rs && i < rs->nrules; i++) {
        ts_rule *r = &rs->rules[i];
        for (int u = 0; u < TS_PATTERN_LISTS; u++) {
            size_t n;
            ts_pattern *v = ts_rule_patterns(r, u, &n);
            for (size_t k = 0; k < n; k++) {
                ts_pattern *p = &v[k];
                if (!p->lazy || p->re) continue;
                ts_buf re = {0};
                pattern_regex(&re, p->ast, rs);
                void *code = compile_checked(d, r->file, p->line, p->col, re.p, 0);
                ts_buf_free(&re);
                if (code) pcre2_code_free(code);
                else errs++;
            }
        }
    }
    return errs;
}

static int code_list(ctx *C, rblock *b, rattr *a, int **out, size_t *n)
{
    char *tmp = ts_strdup(a->val);
    int ok = 0;
    char *save = NULL;
    for (char *t = strtok_r(tmp, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
        int ci = ts_rules_code_index(C->rs, t);
        if (ci < 0) {
            ERR(C->P, b->file, a->line, a->col + (unsigned long)(t - tmp), "unknown code '%s' (declare it with a 'code %s' block)", t, t);
            ok = -1;
            continue;
        }
        *out = ts_xrealloc(*out, (*n + 1) * sizeof **out);
        (*out)[(*n)++] = ci;
    }
    if (!*n && ok == 0) { ERR(C->P, b->file, a->line, a->col, "'%s' needs at least one code", a->key); ok = -1; }
    free(tmp);
    return ok;
}

static unsigned roles_of(ctx *C, rblock *b, rattr *a)
{
    unsigned m = 0;
    char *tmp = ts_strdup(a->val);
    char *save = NULL;
    for (char *t = strtok_r(tmp, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
        ts_role r;
        if (!strcmp(t, "any")) m |= 7;
        else if (ts_role_parse(t, &r) == 0 && r != TS_ROLE_UNKNOWN) m |= 1u << r;
        else ERR(C->P, b->file, a->line, a->col + (unsigned long)(t - tmp), "unknown role '%s' (professional, client, other, any)", t);
    }
    free(tmp);
    return m;
}

static int parse_int(ctx *C, rblock *b, rattr *a, int lo, int hi, int *out)
{
    char *endp;
    long v = strtol(a->val, &endp, 10);
    if (!*a->val || *endp || v < lo || v > hi) {
        ERR(C->P, b->file, a->line, a->col, "'%s' needs a whole number from %d to %d", a->key, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static void compile_rule(ctx *C, rblock *b, ts_rule *r)
{
    parser *P = C->P;
    memset(r, 0, sizeof *r);
    r->id = ts_strdup(b->name);
    r->file = ts_strdup(b->file);
    r->line = b->line;
    r->code = -1;
    r->priority = 50;
    r->echo_max = 1;
    r->value_min = -1e300;
    r->value_max = 1e300;
    for (size_t k = 0; k < b->na; k++) {
        rattr *a = &b->a[k];
        const char *key = a->key;
        if (!strcmp(key, "code")) {
            r->code = ts_rules_code_index(C->rs, a->val);
            if (r->code < 0) ERR(P, b->file, a->line, a->col, "unknown code '%s' (declare it with a 'code %s' block)", a->val, a->val);
        } else if (!strcmp(key, "role")) r->roles = roles_of(C, b, a);
        else if (!strcmp(key, "match") || !strcmp(key, "regex")) {
            r->match = ts_xrealloc(r->match, (r->nmatch + 1) * sizeof *r->match);
            if (compile_pattern(C, b, a, &r->match[r->nmatch], key[0] == 'r') == 0) r->nmatch++;
            else free(r->match[r->nmatch].src);
        } else if (!strcmp(key, "unless") || !strcmp(key, "unless-regex")) {
            r->unless = ts_xrealloc(r->unless, (r->nunless + 1) * sizeof *r->unless);
            if (compile_pattern(C, b, a, &r->unless[r->nunless], key[6] == '-') == 0) r->nunless++;
            else free(r->unless[r->nunless].src);
        } else if (!strcmp(key, "after-match")) {
            r->after_match = ts_xrealloc(r->after_match, (r->nafter_match + 1) * sizeof *r->after_match);
            if (compile_pattern(C, b, a, &r->after_match[r->nafter_match], 0) == 0) r->nafter_match++;
            else free(r->after_match[r->nafter_match].src);
        } else if (!strcmp(key, "final")) {
            char *tmp = ts_strdup(a->val);
            char *save = NULL;
            for (char *t = strtok_r(tmp, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
                if (!strcmp(t, "?")) r->finals |= TS_FIN_Q;
                else if (!strcmp(t, "!")) r->finals |= TS_FIN_EXCL;
                else if (!strcmp(t, ".")) r->finals |= TS_FIN_DOT;
                else if (!strcmp(t, "...") || !strcmp(t, "\xE2\x80\xA6")) r->finals |= TS_FIN_ELL;
                else if (!strcmp(t, "none")) r->finals |= TS_FIN_NONE;
                else if (!strcmp(t, "statement")) r->finals |= TS_FIN_EXCL | TS_FIN_DOT | TS_FIN_ELL | TS_FIN_NONE;
                else ERR(P, b->file, a->line, a->col + (unsigned long)(t - tmp), "unknown final punctuation '%s' (? ! . ... none statement)", t);
            }
            free(tmp);
        } else if (!strcmp(key, "requires")) code_list(C, b, a, &r->requires, &r->nrequires);
        else if (!strcmp(key, "without")) code_list(C, b, a, &r->without, &r->nwithout);
        else if (!strcmp(key, "without-turn")) code_list(C, b, a, &r->without_turn, &r->nwithout_turn);
        else if (!strcmp(key, "suppresses")) code_list(C, b, a, &r->suppress, &r->nsuppress);
        else if (!strcmp(key, "suppresses-turn")) code_list(C, b, a, &r->suppress_turn, &r->nsuppress_turn);
        else if (!strcmp(key, "after-role")) r->after_roles = roles_of(C, b, a);
        else if (!strcmp(key, "after-code")) code_list(C, b, a, &r->after_codes, &r->nafter_codes);
        else if (!strcmp(key, "after-no-code")) code_list(C, b, a, &r->after_no, &r->nafter_no);
        else if (!strcmp(key, "recent")) {
            /* recent N code code ... */
            char *endp;
            long n = strtol(a->val, &endp, 10);
            if (endp == a->val || n < 1 || n > TS_MAX_RECENT_TURNS) { ERR(P, b->file, a->line, a->col, "'recent' needs a number of turns (1..%d) and codes: recent 3 sf.scaling", TS_MAX_RECENT_TURNS); continue; }
            rattr tmp = *a;
            tmp.val = endp;
            tmp.col = a->col + (unsigned long)(endp - a->val);
            r->recent_n = (int)n;
            code_list(C, b, &tmp, &r->recent_codes, &r->nrecent_codes);
        } else if (!strcmp(key, "echo") || !strcmp(key, "echo-max")) {
            char *endp;
            double v = strtod(a->val, &endp);
            if (!*a->val || *endp || v < 0 || v > 1) ERR(P, b->file, a->line, a->col, "'%s' needs a share from 0 to 1, e.g. echo 0.4", key);
            else if (key[4]) r->echo_max = v;
            else r->echo_min = v;
        } else if (!strcmp(key, "novel")) {
            if (*a->val) ERR(P, b->file, a->line, a->col, "'novel' takes no value");
            r->novel = 1;
        } else if (!strcmp(key, "min-words")) parse_int(C, b, a, 0, 1000000, &r->min_words);
        else if (!strcmp(key, "max-words")) parse_int(C, b, a, 0, 1000000, &r->max_words);
        else if (!strcmp(key, "priority")) parse_int(C, b, a, 0, 1000, &r->priority);
        else if (!strcmp(key, "value")) {
            r->value = 1;
            char *tmp = ts_strdup(a->val);
            char *save = NULL;
            int want = 0; /* 1 = expecting range lo, 2 = range hi */
            for (char *t = strtok_r(tmp, " \t,", &save); t; t = strtok_r(NULL, " \t,", &save)) {
                if (!strcmp(t, "range")) { want = 1; continue; }
                if (want) {
                    char *endp;
                    double v = strtod(t, &endp);
                    if (*endp) ERR(P, b->file, a->line, a->col + (unsigned long)(t - tmp), "range needs numbers: value @getal range 0 10");
                    if (want == 1) r->value_min = v; else r->value_max = v;
                    want = want == 1 ? 2 : 0;
                    continue;
                }
                if (t[0] == '@') {
                    int li = find_lex(C->rs, t + 1);
                    if (li < 0) ERR(P, b->file, a->line, a->col + (unsigned long)(t - tmp), "unknown lexicon '%s'", t);
                    else {
                        r->value_lex = ts_xrealloc(r->value_lex, (r->nvalue_lex + 1) * sizeof(int));
                        r->value_lex[r->nvalue_lex++] = li;
                    }
                } else if (strcmp(t, "number")) ERR(P, b->file, a->line, a->col + (unsigned long)(t - tmp), "'value' takes 'number', @lexicons with word=value entries and 'range LO HI'");
            }
            free(tmp);
        } else if (!strcmp(key, "explain")) { free(r->explain); r->explain = ts_strdup(a->val); }
        else if (!strcmp(key, "tip")) { free(r->tip); r->tip = ts_strdup(a->val); }
        else if (!strcmp(key, "yes") || !strcmp(key, "no")) {
            if (!*a->val) { ERR(P, b->file, a->line, a->col, "empty example"); continue; }
            r->ex = ts_xrealloc(r->ex, (r->nex + 1) * sizeof *r->ex);
            ts_example *e = &r->ex[r->nex++];
            e->positive = key[0] == 'y';
            e->text = ts_strdup(a->val);
            e->line = a->line;
        } else {
            ERR(P, b->file, a->line, a->col > (unsigned long)strlen(key) + 1 ? a->col - (unsigned long)strlen(key) - 1 : 1,
                "unknown rule attribute '%s' (code role match regex unless unless-regex final requires without without-turn "
                "suppresses suppresses-turn after-role after-code after-no-code after-match recent echo echo-max novel min-words max-words priority value explain tip yes no)", key);
        }
    }
    if (r->code < 0) {
        int has = 0;
        for (size_t k = 0; k < b->na; k++) if (!strcmp(b->a[k].key, "code")) has = 1;
        if (!has) ERR(P, b->file, b->line, b->col, "rule '%s' has no 'code' line", b->name);
    }
    if (!r->nmatch) {
        int has = 0;
        for (size_t k = 0; k < b->na; k++) if (!strcmp(b->a[k].key, "match") || !strcmp(b->a[k].key, "regex")) has = 1;
        if (!has) ERR(P, b->file, b->line, b->col, "rule '%s' has no 'match' or 'regex' line", b->name);
    }
    if (!r->explain) ERR(P, b->file, b->line, b->col, "rule '%s' has no 'explain' line (a one-line Dutch explanation)", b->name);
    if (r->code >= 0) {
        unsigned cr = C->rs->codes[r->code].roles;
        if (!r->roles) r->roles = cr;
        else if (!(r->roles & cr)) ERR(P, b->file, b->line, b->col, "rule '%s' can never fire: its role excludes every role of code '%s'", b->name, C->rs->codes[r->code].name);
    }
}

static void compile_code(ctx *C, rblock *b, ts_codedef *c)
{
    memset(c, 0, sizeof *c);
    c->name = ts_strdup(b->name);
    c->file = ts_strdup(b->file);
    c->line = b->line;
    c->roles = 7;
    const char *dot = strchr(b->name, '.');
    c->family = dot ? ts_strndup(b->name, (size_t)(dot - b->name)) : ts_strdup(b->name);
    for (size_t k = 0; k < b->na; k++) {
        rattr *a = &b->a[k];
        if (!strcmp(a->key, "role")) c->roles = roles_of(C, b, a);
        else if (!strcmp(a->key, "family")) { free(c->family); c->family = ts_strdup(a->val); }
        else if (!strcmp(a->key, "explain")) { free(c->explain); c->explain = ts_strdup(a->val); }
        else ERR(C->P, b->file, a->line, a->col, "unknown code attribute '%s' (role, family, explain)", a->key);
    }
    if (!c->explain) ERR(C->P, b->file, b->line, b->col, "code '%s' has no 'explain' line", b->name);
}

static int emitted_by_some_rule(const ts_ruleset *rs, int code)
{
    for (size_t i = 0; i < rs->nrules; i++)
        if (rs->rules[i].code == code) return 1;
    return 0;
}

static void check_never(ctx *C)
{
    ts_ruleset *rs = C->rs;
    for (size_t i = 0; i < rs->nrules; i++) {
        ts_rule *r = &rs->rules[i];
        for (size_t k = 0; k < r->nrequires; k++)
            if (!emitted_by_some_rule(rs, r->requires[k]))
                ERR(C->P, r->file, r->line, 1, "rule '%s' can never fire: it requires code '%s', which no rule emits", r->id, rs->codes[r->requires[k]].name);
        for (size_t k = 0; k < r->nafter_codes; k++)
            if (!emitted_by_some_rule(rs, r->after_codes[k]))
                ERR(C->P, r->file, r->line, 1, "rule '%s' can never fire: it needs code '%s' on the previous turn, which no rule emits", r->id, rs->codes[r->after_codes[k]].name);
        if (r->finals && r->nmatch) {
            /* a pattern that must end a sentence ('$') on a statement-only rule is fine;
             * but 'final' that only allows what the role never produces cannot be checked here */
        }
    }
}

static void compute_stages(ctx *C)
{
    ts_ruleset *rs = C->rs;
    int changed = 1, round = 0;
    for (size_t i = 0; i < rs->nrules; i++) rs->rules[i].stage = 0;
    while (changed && round <= TS_MAX_STAGES) {
        changed = 0;
        round++;
        for (size_t i = 0; i < rs->nrules; i++) {
            ts_rule *r = &rs->rules[i];
            int st = 0;
            /* a rule that looks at other codes of its sentence or turn runs
             * after every rule that can produce them */
            const int *lists[3] = {r->requires, r->without, r->without_turn};
            size_t ns[3] = {r->nrequires, r->nwithout, r->nwithout_turn};
            for (int l = 0; l < 3; l++)
                for (size_t k = 0; k < ns[l]; k++)
                    for (size_t j = 0; j < rs->nrules; j++)
                        if (rs->rules[j].code == lists[l][k] && rs->rules[j].stage + 1 > st) st = rs->rules[j].stage + 1;
            if (st != r->stage) { r->stage = st; changed = 1; }
        }
    }
    rs->nstages = 1;
    for (size_t i = 0; i < rs->nrules; i++) {
        if (rs->rules[i].stage >= TS_MAX_STAGES) {
            ERR(C->P, rs->rules[i].file, rs->rules[i].line, 1,
                "rule '%s': 'requires'/'without' chain is circular or deeper than %d stages", rs->rules[i].id, TS_MAX_STAGES);
            rs->rules[i].stage = TS_MAX_STAGES - 1;
        }
        if (rs->rules[i].stage + 1 > rs->nstages) rs->nstages = rs->rules[i].stage + 1;
    }
}

static void parser_free(parser *P)
{
    for (size_t i = 0; i < P->nb; i++) {
        rblock *b = &P->b[i];
        for (size_t k = 0; k < b->na; k++) { free(b->a[k].key); free(b->a[k].val); }
        free(b->a);
        free(b->name);
        free(b->file);
    }
    free(P->b);
    for (size_t i = 0; i < P->ng; i++) {
        for (size_t k = 0; k < P->g[i].n; k++) free(P->g[i].codes[k]);
        free(P->g[i].codes);
        free(P->g[i].file);
    }
    free(P->g);
    free(P->version);
    ts_tokens_free(&P->tk);
    ts_buf_free(&P->line);
    ts_buf_free(&P->re);
}

static ts_ruleset *build(parser *P)
{
    ts_ruleset *rs = ts_xcalloc(1, sizeof *rs);
    ctx C = {P, rs, NULL};
    rs->lex_opener = rs->lex_skip = rs->lex_stop = -1;
    rs->version = ts_strdup(P->version ? P->version : "unversioned");

    /* later directories override earlier rule ids; duplicates within one directory are errors */
    for (size_t i = 0; i < P->nb; i++) {
        if (P->b[i].dead) continue;
        for (size_t j = i + 1; j < P->nb; j++) {
            if (P->b[j].dead || P->b[j].kind != P->b[i].kind || strcmp(P->b[i].name, P->b[j].name)) continue;
            if (P->b[j].dir != P->b[i].dir) { P->b[i].dead = 1; break; }
            ERR(P, P->b[j].file, P->b[j].line, P->b[j].col, "duplicate %s '%s' (first defined at %s:%lu)",
                P->b[j].kind == B_RULE ? "rule id" : P->b[j].kind == B_CODE ? "code" : "lexicon", P->b[j].name, P->b[i].file, P->b[i].line);
            P->b[j].dead = 1;
        }
    }
    /* codes */
    for (size_t i = 0; i < P->nb; i++)
        if (!P->b[i].dead && P->b[i].kind == B_CODE) rs->ncodes++;
    rs->codes = ts_xcalloc(rs->ncodes, sizeof *rs->codes);
    size_t ci = 0;
    for (size_t i = 0; i < P->nb; i++)
        if (!P->b[i].dead && P->b[i].kind == B_CODE) compile_code(&C, &P->b[i], &rs->codes[ci++]);
    /* lexicons: declare all names first so @references resolve in any order */
    size_t nlb = 0;
    for (size_t i = 0; i < P->nb; i++) if (!P->b[i].dead && P->b[i].kind == B_LEX) nlb++;
    rblock **lb = ts_xcalloc(nlb, sizeof *lb);
    rs->lex = ts_xcalloc(nlb, sizeof *rs->lex);
    for (size_t i = 0; i < P->nb; i++)
        if (!P->b[i].dead && P->b[i].kind == B_LEX) {
            lb[rs->nlex] = &P->b[i];
            rs->lex[rs->nlex].name = ts_strdup(P->b[i].name);
            rs->lex[rs->nlex].file = ts_strdup(P->b[i].file);
            rs->lex[rs->nlex].line = P->b[i].line;
            rs->nlex++;
        }
    int *state = ts_xcalloc(nlb, sizeof *state);
    lexidx *ix = ts_xcalloc(nlb ? nlb : 1, sizeof *ix);
    for (size_t i = 0; i < nlb; i++) resolve_lex(&C, lb, nlb, i, state, ix, 0);
    for (size_t i = 0; i < nlb; i++) free(ix[i].slot);
    for (size_t i = 0; i < nlb; i++)
        if (!rs->lex[i].n) ts_diag_add(P->d, TS_SEV_WARNING, lb[i]->file, lb[i]->line, lb[i]->col, "lexicon '%s' is empty", rs->lex[i].name);
    free(state);
    free(ix);
    free(lb);
    rs->lex_opener = find_lex(rs, "opener");
    rs->lex_skip = find_lex(rs, "skip");
    rs->lex_stop = find_lex(rs, "stop");
    /* rules */
    for (size_t i = 0; i < P->nb; i++)
        if (!P->b[i].dead && P->b[i].kind == B_RULE) rs->nrules++;
    rs->rules = ts_xcalloc(rs->nrules, sizeof *rs->rules);
    size_t ri = 0;
    for (size_t i = 0; i < P->nb; i++)
        if (!P->b[i].dead && P->b[i].kind == B_RULE) compile_rule(&C, &P->b[i], &rs->rules[ri++]);
    /* exclusive groups */
    rs->code_group = ts_xmalloc((rs->ncodes ? rs->ncodes : 1) * sizeof(int));
    for (size_t i = 0; i < rs->ncodes; i++) rs->code_group[i] = -1;
    rs->groups = ts_xcalloc(P->ng ? P->ng : 1, sizeof *rs->groups);
    rs->groupn = ts_xcalloc(P->ng ? P->ng : 1, sizeof *rs->groupn);
    for (size_t g = 0; g < P->ng; g++) {
        rgroup *G = &P->g[g];
        size_t gi = rs->ngroups++;
        rs->groups[gi] = ts_xcalloc(G->n, sizeof(int));
        for (size_t k = 0; k < G->n; k++) {
            int c = ts_rules_code_index(rs, G->codes[k]);
            if (c < 0) { ERR(P, G->file, G->line, 1, "unknown code '%s' in exclusive group", G->codes[k]); continue; }
            if (rs->code_group[c] >= 0) { ERR(P, G->file, G->line, 1, "code '%s' is already in another exclusive group", G->codes[k]); continue; }
            rs->code_group[c] = (int)gi;
            rs->groups[gi][rs->groupn[gi]++] = c;
        }
    }
    compute_stages(&C);
    check_never(&C);
    static const char *const known[] = {
#define TS_K_NAME(e, s) s,
        TS_KNOWN_CODES(TS_K_NAME)
#undef TS_K_NAME
    };
    for (int k = 0; k < TS_K_COUNT; k++) rs->known[k] = ts_rules_code_index(rs, known[k]);
    if (!P->errors) rs->atoms = ts_atoms_build(rs); /* the fast matcher's table (atoms.c) */
    return rs;
}

static int finish(parser *P, ts_ruleset **out)
{
    ts_ruleset *rs = build(P);
    int errs = P->errors;
    parser_free(P);
    if (errs) { ts_rules_free(rs); *out = NULL; return -1; }
    *out = rs;
    return 0;
}

int ts_rules_load_text(ts_ruleset **out, const char *name, const char *text, size_t len, ts_diags *diags)
{
    parser P = {0};
    P.d = diags;
    parse_text(&P, name, text, len, 0);
    return finish(&P, out);
}

int ts_rules_load(ts_ruleset **out, const char *const *dirs, size_t ndirs, ts_diags *diags)
{
    parser P = {0};
    P.d = diags;
    *out = NULL;
    for (size_t d = 0; d < ndirs; d++) {
        struct stat st;
        if (stat(dirs[d], &st) != 0) { ERR(&P, dirs[d], 0, 0, "rule directory not found: %s", strerror(errno)); continue; }
        if (!S_ISDIR(st.st_mode)) {
            /* a single rule file */
            char *data; size_t len;
            if (read_file(dirs[d], &data, &len, diags) == 0) { parse_text(&P, dirs[d], data, len, (int)d); free(data); }
            else P.errors++;
            continue;
        }
        DIR *dh = opendir(dirs[d]);
        if (!dh) { ERR(&P, dirs[d], 0, 0, "cannot open rule directory: %s", strerror(errno)); continue; }
        char **names = NULL;
        size_t nn = 0;
        struct dirent *de;
        while ((de = readdir(dh))) {
            size_t l = strlen(de->d_name);
            if (l > 6 && !strcmp(de->d_name + l - 6, ".rules")) {
                names = ts_xrealloc(names, (nn + 1) * sizeof *names);
                names[nn++] = ts_strdup(de->d_name);
            }
        }
        closedir(dh);
        if (nn > 1) qsort(names, nn, sizeof *names, cmpstr); /* deterministic order; names is NULL when nn == 0 */
        if (!nn) ERR(&P, dirs[d], 0, 0, "no *.rules files in this directory");
        for (size_t i = 0; i < nn; i++) {
            const char *sep = dirs[d][strlen(dirs[d]) - 1] == '/' ? "" : "/";
            char *path = ts_strdupf("%s%s%s", dirs[d], sep, names[i]);
            char *data; size_t len;
            if (read_file(path, &data, &len, diags) == 0) { parse_text(&P, path, data, len, (int)d); free(data); }
            else P.errors++;
            free(path);
            free(names[i]);
        }
        free(names);
    }
    int rc = finish(&P, out);
    if (rc == 0) {
        (*out)->dirs = ts_xcalloc(ndirs ? ndirs : 1, sizeof(char *));
        for (size_t d = 0; d < ndirs; d++) (*out)->dirs[d] = ts_strdup(dirs[d]);
        (*out)->ndirs = ndirs;
    }
    return rc;
}

static void pattern_free(ts_pattern *p)
{
    free(p->src);
    if (p->re) pcre2_code_free((pcre2_code *)p->re);
}

void ts_rules_free(ts_ruleset *rs)
{
    if (!rs) return;
    ts_atoms_free(rs->atoms);
    ts_arena_free(&rs->pe_arena);
    for (size_t i = 0; i < rs->nrules; i++) {
        ts_rule *r = &rs->rules[i];
        free(r->id); free(r->file);
        for (size_t k = 0; k < r->nmatch; k++) pattern_free(&r->match[k]);
        for (size_t k = 0; k < r->nunless; k++) pattern_free(&r->unless[k]);
        for (size_t k = 0; k < r->nafter_match; k++) pattern_free(&r->after_match[k]);
        free(r->match); free(r->unless); free(r->after_match);
        free(r->requires); free(r->without); free(r->without_turn); free(r->suppress); free(r->suppress_turn);
        free(r->after_codes); free(r->after_no); free(r->recent_codes); free(r->value_lex);
        free(r->explain); free(r->tip);
        for (size_t k = 0; k < r->nex; k++) free(r->ex[k].text);
        free(r->ex);
    }
    free(rs->rules);
    for (size_t i = 0; i < rs->ncodes; i++) {
        free(rs->codes[i].name); free(rs->codes[i].family); free(rs->codes[i].explain); free(rs->codes[i].file);
    }
    free(rs->codes);
    for (size_t i = 0; i < rs->nlex; i++) {
        for (size_t k = 0; k < rs->lex[i].n; k++) free(rs->lex[i].e[k].key);
        free(rs->lex[i].e); free(rs->lex[i].name); free(rs->lex[i].file); free(rs->lex[i].re);
    }
    free(rs->lex);
    for (size_t g = 0; g < rs->ngroups; g++) free(rs->groups[g]);
    free(rs->groups); free(rs->groupn); free(rs->code_group);
    free(rs->version);
    for (size_t d = 0; d < rs->ndirs; d++) free(rs->dirs[d]);
    free(rs->dirs);
    free(rs);
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *ts_rules_default_dir(const char *argv0)
{
    const char *env = getenv("TAALSPEL_RULES");
    if (env && *env) return ts_strdup(env);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 && argv0) { snprintf(exe, sizeof exe, "%s", argv0); n = (ssize_t)strlen(exe); }
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            const char *rel[] = {"/../share/taalspel/rules/nl", "/../rules/nl", "/../../rules/nl", NULL};
            for (int i = 0; rel[i]; i++) {
                char *p = ts_strdupf("%s%s", exe, rel[i]);
                if (is_dir(p)) return p;
                free(p);
            }
        }
    }
#ifdef TS_DATADIR
    {
        char *p = ts_strdupf("%s/rules/nl", TS_DATADIR);
        if (is_dir(p)) return p;
        free(p);
    }
#endif
    return NULL;
}
