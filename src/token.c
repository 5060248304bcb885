/* token.c - Dutch tokenizer and sentence splitter.
 *
 * One forward pass over the code points of a turn. Each token records its
 * byte span in the original text and a matching key (see ts_key). The pass
 * allocates only when a turn is larger than any seen before by this
 * ts_tokens, so it runs at memory speed on long corpora.
 *
 * Worked example:  "Hoe gaat 't nu, op 'n schaal van 0-10?  Een 6,5… of zo."
 *   Hoe | gaat | 't | nu | , | op | 'n | schaal | van | 0-10 | ? || Een | 6,5
 *   | … | of | zo | .
 * Two sentences: the "?" ends the first; the ellipsis before the lower-case
 * "of" does not end the second.
 */
#include "token.h"
#include "limits.h"
#include "util.h"
#include <pthread.h>
#include <string.h>
#include <utf8proc.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

typedef enum { C_SPACE, C_LETTER, C_DIGIT, C_APOS, C_HYPHEN, C_SENT, C_PUNCT, C_QUOTE, C_BRACKET, C_SYMBOL } cclass;

static cclass classify(int32_t cp)
{
    if (cp < 0) return C_SYMBOL; /* an invalid byte: a token of its own, never dropped */
    if (cp < 0x80) {
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f') return C_SPACE;
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return C_LETTER;
        if (cp >= '0' && cp <= '9') return C_DIGIT;
        if (cp == '\'' || cp == '`') return C_APOS;
        if (cp == '-') return C_HYPHEN;
        if (cp == '.' || cp == '?' || cp == '!') return C_SENT;
        if (cp == '"') return C_QUOTE;
        if (cp == '(' || cp == ')' || cp == '[' || cp == ']' || cp == '{' || cp == '}') return C_BRACKET;
        if (cp == ',' || cp == ';' || cp == ':') return C_PUNCT;
        if (cp < 0x20 || cp == 0x7f) return C_SPACE; /* control chars separate */
        return C_SYMBOL;
    }
    switch (cp) {
    case 0x2019: case 0x2018: case 0x02BC: case 0x2032: case 0x00B4: case 0x02B9: case 0x201B: case 0xFF07: /* fullwidth */
        return C_APOS;
    case 0x2010: case 0x2011:
        return C_HYPHEN;
    case 0x2026: case 0x203D: case 0x2047: case 0x2048: case 0x2049: case 0xFF1F: case 0xFF01:
        return C_SENT;
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: case 0x2039: case 0x203A: case 0x201A:
        return C_QUOTE;
    case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF: case 0x00AD:
        return C_SPACE; /* zero-width characters and soft hyphen separate nothing visible */
    default: break;
    }
    if (cp < 0) return C_SYMBOL; /* invalid byte, becomes U+FFFD in the key */
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP: case UTF8PROC_CATEGORY_CC:
        return C_SPACE;
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
        return C_LETTER;
    case UTF8PROC_CATEGORY_ND:
        return C_DIGIT;
    case UTF8PROC_CATEGORY_PD:
        return C_PUNCT; /* en/em dash: a pause, not part of a word */
    case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
        return C_BRACKET;
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
        return C_QUOTE;
    case UTF8PROC_CATEGORY_PO:
        return C_PUNCT;
    default:
        return C_SYMBOL;
    }
}

size_t ts_key(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    if (cap == 0) return 0;
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned c = u[i];
        if (c < 0x80) {
            char ch = (char)c;
            if (ch >= 'A' && ch <= 'Z') ch = (char)(ch + 32);
            else if (ch == '`') ch = '\'';
            if (o + 1 < cap) out[o++] = ch;
            i++;
            continue;
        }
        int32_t cp;
        int l = ts_utf8_decode(u + i, n - i, &cp);
        i += (size_t)l;
        if (cp < 0) cp = 0xFFFD;
        if (classify(cp) == C_APOS) { if (o + 1 < cap) out[o++] = '\''; continue; }
        utf8proc_int32_t dst[8];
        int last = 0;
        utf8proc_ssize_t m = utf8proc_decompose_char(cp, dst, 8,
            (utf8proc_option_t)(UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_LUMP | UTF8PROC_DECOMPOSE),
            &last);
        if (m < 0 || m > 8) { dst[0] = cp; m = 1; }
        for (utf8proc_ssize_t k = 0; k < m; k++) {
            char e[4];
            int el = ts_utf8_encode(dst[k], e);
            if (o + (size_t)el < cap) { memcpy(out + o, e, (size_t)el); o += (size_t)el; }
        }
    }
    out[o] = 0;
    return o;
}

/* Abbreviations that end in a period but do not end a sentence. Keys. */
static const char *const abbrevs[] = {
    "bijv", "bv", "bijvoorbeeld", "ca", "min", "max", "evt", "incl", "excl", "nl", "resp", "dhr",
    "mevr", "mw", "dr", "drs", "ir", "mr", "prof", "jl", "vs", "blz", "tel", "nr", "st", "gem",
    "ong", "vgl", "zgn", "m.a.w", "o.a", "d.w.z", "m.b.t", "i.p.v", "z.s.m", "t.z.t", "a.s", "i.v.m",
    "o.b.v", "m.n", "e.d", "e.a", "t.a.v", "n.a.v", "i.o.m", "p.p", "p.w", "w.o", "d.m.v", "i.c.m",
    "m.i.v", "n.v.t", "v.d", "z.g.a.n", "a.u.b", "s.v.p", "etc", "enz", "jr", "sr", "ggz", NULL};

/* Every word before a period is looked up (a sentence end, mostly): a hash
 * table instead of a scan of the list (12% of tokenizing time). */
enum { ABBREV_SLOTS = 256 };
static uint8_t abbrev_slot[ABBREV_SLOTS]; /* index + 1, or 0 */
static uint8_t abbrev_len[sizeof abbrevs / sizeof abbrevs[0]];
static pthread_once_t abbrev_once = PTHREAD_ONCE_INIT;

static unsigned abbrev_hash(const char *k, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)k[i]) * 16777619u;
    return (h ^ (h >> 16)) & (ABBREV_SLOTS - 1);
}

static void abbrev_init(void)
{
    for (int i = 0; abbrevs[i]; i++) {
        abbrev_len[i] = (uint8_t)strlen(abbrevs[i]);
        unsigned h = abbrev_hash(abbrevs[i], abbrev_len[i]);
        while (abbrev_slot[h]) h = (h + 1) & (ABBREV_SLOTS - 1);
        abbrev_slot[h] = (uint8_t)(i + 1);
    }
}

static int is_abbrev(const char *key, size_t n)
{
    if (n > 12) return 0; /* the longest is "bijvoorbeeld" */
    pthread_once(&abbrev_once, abbrev_init);
    for (unsigned h = abbrev_hash(key, n); abbrev_slot[h]; h = (h + 1) & (ABBREV_SLOTS - 1)) {
        int i = abbrev_slot[h] - 1;
        if (abbrev_len[i] == n && !memcmp(abbrevs[i], key, n)) return 1;
    }
    return 0;
}

/* The end of the run of ASCII letters starting at i (at most lim): most of
 * Dutch text, so sixteen bytes at a time where SSE2 is there. */
static inline size_t letter_run(const unsigned char *p, size_t i, size_t lim)
{
#if defined(__SSE2__)
    const __m128i lo = _mm_set1_epi8((char)('a' - 1 - 128)), hi = _mm_set1_epi8((char)('z' - 128));
    const __m128i bias = _mm_set1_epi8((char)-128), low = _mm_set1_epi8(0x20);
    while (i + 16 <= lim) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        v = _mm_add_epi8(_mm_or_si128(v, low), bias); /* to signed order, upper case folded */
        __m128i in = _mm_and_si128(_mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, _mm_add_epi8(hi, _mm_set1_epi8(1))));
        unsigned m = (unsigned)_mm_movemask_epi8(in) ^ 0xFFFFu; /* bits of the bytes that are not letters */
        if (m) return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#endif
    while (i < lim && (unsigned)((p[i] | 0x20) - 'a') < 26u) i++;
    return i;
}

typedef struct {
    const unsigned char *s;
    size_t n;
} src_t;

/* ASCII fast path: Dutch text is mostly ASCII, and a table saves a decode
 * call and a classify() per byte. classify() of 0..127, generated; the
 * unit test checks the two agree. */
static const uint8_t ascii_class[128] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 5, 7, 9, 9, 9, 9, 3, 8, 8, 9, 9, 6, 4, 5, 9, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 6, 6, 9, 9, 9, 5,
    9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8, 9, 8, 9, 9,
    3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8, 9, 8, 9, 0,
};

/* The key of an ASCII byte: lower case, ` as ' (what ts_key does). */
static const unsigned char ascii_key[128] = {
#define K8(b) (b), (b) + 1, (b) + 2, (b) + 3, (b) + 4, (b) + 5, (b) + 6, (b) + 7
    K8(0), K8(8), K8(16), K8(24), K8(32), K8(40), K8(48), K8(56),
    64, K8(97), K8(105), K8(113), 121, 122, 91, 92, 93, 94, 95,
    '\'', K8(97), K8(105), K8(113), 121, 122, 123, 124, 125, 126, 127,
#undef K8
};

int ts_token_ascii_table_ok(void)
{
    for (int c = 0; c < 128; c++) {
        if (ascii_class[c] != (uint8_t)classify(c)) return 0;
        char in = (char)c, out[4];
        if (c && (ts_key(&in, 1, out, sizeof out) != 1 || (unsigned char)out[0] != ascii_key[c])) return 0;
    }
    return 1;
}

static inline int32_t cp_at(const src_t *s, size_t i, int *len)
{
    if (i >= s->n) { *len = 0; return -2; }
    if (s->s[i] < 0x80) { *len = 1; return s->s[i]; }
    int32_t cp;
    *len = ts_utf8_decode(s->s + i, s->n - i, &cp);
    return cp;
}

static inline cclass class_at(const src_t *s, size_t i, int *len)
{
    if (i < s->n && s->s[i] < 0x80) { *len = 1; return (cclass)ascii_class[s->s[i]]; }
    int32_t cp = cp_at(s, i, len);
    if (cp == -2) return C_SPACE;
    return classify(cp);
}

static int is_upper_cp(int32_t cp)
{
    if (cp >= 'A' && cp <= 'Z') return 1;
    if (cp < 0x80) return 0;
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

/* Lower-cases ASCII bytes the way ascii_key does (A-Z to a-z, ` to '),
 * sixteen at a time; returns how many of the n bytes it wrote before the
 * first non-ASCII byte. Reads and writes 16 bytes per step: the caller
 * guarantees p has 16 readable bytes per step (avail) and out room. */
static inline size_t ascii_lower(const unsigned char *p, size_t n, size_t avail, char *out)
{
    size_t j = 0;
#if defined(__SSE2__)
    const __m128i A1 = _mm_set1_epi8('A' - 1), Z1 = _mm_set1_epi8('Z' + 1), d = _mm_set1_epi8(0x20);
    const __m128i bt = _mm_set1_epi8('`'), ap = _mm_set1_epi8('\'');
    while (j < n && j + 16 <= avail) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + j));
        __m128i up = _mm_and_si128(_mm_cmpgt_epi8(v, A1), _mm_cmplt_epi8(v, Z1));
        __m128i lo = _mm_add_epi8(v, _mm_and_si128(up, d));
        __m128i isbt = _mm_cmpeq_epi8(v, bt);
        lo = _mm_or_si128(_mm_andnot_si128(isbt, lo), _mm_and_si128(isbt, ap));
        _mm_storeu_si128((__m128i *)(out + j), lo);
        unsigned hi = (unsigned)_mm_movemask_epi8(v); /* bytes >= 0x80 */
        if (hi) return j + (size_t)__builtin_ctz(hi) < n ? j + (size_t)__builtin_ctz(hi) : n;
        j += 16;
    }
    if (j >= n) return n;
#endif
    for (; j < n && p[j] < 0x80; j++) out[j] = (char)ascii_key[p[j]];
    return j;
}

static void push_token(ts_tokens *t, const char *text, size_t len, size_t a, size_t b, ts_tokkind kind)
{
    TS_VEC_RESERVE(t->tok, t->tokcap, t->ntok + 1);
    size_t need = t->keylen + (b - a) * 3 + 24; /* + 16: ascii_lower writes whole vectors */
    if (need > t->keycap) {
        size_t nc = t->keycap ? t->keycap : 256;
        while (nc < need) nc *= 2;
        t->keys = ts_xrealloc(t->keys, nc);
        t->keycap = nc;
    }
    ts_token *k = &t->tok[t->ntok++];
    k->start = (uint32_t)a;
    k->end = (uint32_t)b;
    k->kind = (uint8_t)kind;
    k->flags = 0;
    k->key = (uint32_t)t->keylen;
    /* ASCII tokens (most of them): the key is the lower-cased bytes */
    const unsigned char *p = (const unsigned char *)text + a;
    char *out = t->keys + t->keylen;
    size_t n = b - a;
    if (ascii_lower(p, n, len - a, out) == n) {
        out[n] = 0;
        k->keylen = (uint32_t)n;
        t->keylen += n + 1;
        if (n && p[0] >= 'A' && p[0] <= 'Z') k->flags |= TS_TF_UPPER;
        return;
    }
    size_t kl = ts_key(text + a, b - a, t->keys + t->keylen, t->keycap - t->keylen);
    k->keylen = (uint32_t)kl;
    t->keylen += kl + 1;
    int l;
    src_t s = {(const unsigned char *)text, b};
    int32_t cp = cp_at(&s, a, &l);
    if (is_upper_cp(cp)) k->flags |= TS_TF_UPPER;
    if (memchr(t->keys + k->key, 0xEF, kl)) k->flags |= TS_TF_INVALID; /* U+FFFD starts with EF */
}

/* Leading-apostrophe clitics: 't 's 'k 'n 'm 'r 'ns 'em 'er. */
static int clitic_after_apos(const src_t *s, size_t i, size_t *end)
{
    size_t j = i;
    char w[4];
    int wl = 0, l;
    while (wl < 3) {
        int32_t cp = cp_at(s, j, &l);
        if (cp < 0 || classify(cp) != C_LETTER || cp >= 0x80) break;
        w[wl++] = (char)(cp | 0x20);
        j += (size_t)l;
    }
    if (wl == 0) return 0;
    if (class_at(s, j, &l) == C_LETTER || class_at(s, j, &l) == C_DIGIT) return 0;
    w[wl] = 0;
    static const char *const cl[] = {"t", "s", "k", "n", "m", "r", "ns", "em", "er", NULL};
    for (int k = 0; cl[k]; k++)
        if (!strcmp(cl[k], w)) { *end = j; return 1; }
    return 0;
}

void ts_tokenize(ts_tokens *t, const char *text, size_t len)
{
    t->ntok = t->nsent = t->keylen = 0;
    src_t s = {(const unsigned char *)text, len};
    size_t i = 0;
    int l;
    while (i < len) {
        cclass c = class_at(&s, i, &l);
        if (c == C_SPACE) { i += (size_t)l; continue; }
        size_t a = i;
        if (c == C_APOS) {
            size_t e;
            if (clitic_after_apos(&s, i + (size_t)l, &e)) {
                push_token(t, text, len, a, e, TS_TOK_WORD);
                i = e;
            } else {
                push_token(t, text, len, a, i + (size_t)l, TS_TOK_QUOTE);
                i += (size_t)l;
            }
            continue;
        }
        if (c == C_LETTER || c == C_DIGIT) {
            int all_num = (c == C_DIGIT);
            int seg_letters = 0, dotted = 0;
            i += (size_t)l;
            if (c == C_LETTER) seg_letters = 1;
            const size_t lim = len - a > TS_MAX_TOKEN_BYTES ? a + TS_MAX_TOKEN_BYTES : len;
            while (i < lim) {
                int l2, l3;
                /* a run of ASCII letters, the bulk of Dutch text, in a tight loop */
                size_t r0 = i;
                i = letter_run(s.s, i, lim);
                if (i > r0) { all_num = 0; seg_letters += (int)(i - r0); if (i >= lim) break; }
                unsigned char ch = (unsigned char)text[i];
                if (ch >= '0' && ch <= '9') { i++; continue; }
                if (ch < 0x80 && ascii_class[ch] == C_SPACE) break; /* the usual end of a word */
                cclass d = class_at(&s, i, &l2);
                if (d == C_LETTER) { all_num = 0; seg_letters++; i += (size_t)l2; continue; }
                if (d == C_DIGIT) { i += (size_t)l2; continue; }
                if (d == C_SPACE || (d == C_SENT && ch != '.') || d == C_QUOTE || d == C_BRACKET) break;
                cclass nx = class_at(&s, i + (size_t)l2, &l3);
                int32_t cpd = cp_at(&s, i, &l2);
                if (d == C_APOS && nx == C_LETTER && !all_num) { i += (size_t)l2; continue; } /* auto's zo'n */
                if (d == C_HYPHEN && (nx == C_LETTER || nx == C_DIGIT)) { if (nx == C_LETTER) all_num = 0; i += (size_t)l2; continue; }
                if (all_num && nx == C_DIGIT && (cpd == ',' || cpd == '.' || cpd == '/' || cpd == ':')) { i += (size_t)l2; continue; }
                if (!all_num && cpd == '.' && nx == C_LETTER && seg_letters <= 3) {
                    /* dotted abbreviation o.a. d.w.z.: only when the next
                     * segment is short and is itself followed by a period */
                    size_t j = i + 1;
                    int seg = 0, l4;
                    while (class_at(&s, j, &l4) == C_LETTER && seg < 4) { j += (size_t)l4; seg++; }
                    int32_t after = cp_at(&s, j, &l4);
                    if (seg >= 1 && seg <= 3 && after == '.') { dotted = 1; seg_letters = 0; i += 1; continue; }
                }
                break;
            }
            /* an abbreviation swallows its period */
            if (!all_num && i < len && text[i] == '.') {
                if (dotted) i++;
                else {
                    char key[64];
                    size_t kl = ts_key(text + a, i - a, key, sizeof key);
                    if (kl < sizeof key - 1 && is_abbrev(key, kl)) i++;
                }
            }
            push_token(t, text, len, a, i, all_num ? TS_TOK_NUMBER : TS_TOK_WORD);
            continue;
        }
        if (c == C_SENT) {
            i += (size_t)l;
            while (i < len && i - a < TS_MAX_TOKEN_BYTES && class_at(&s, i, &l) == C_SENT) i += (size_t)l;
            push_token(t, text, len, a, i, TS_TOK_PUNCT);
            continue;
        }
        i += (size_t)l;
        if (c == C_HYPHEN || c == C_PUNCT) {
            /* "--" or "- -" style dashes as one token */
            while (i < len && i - a < TS_MAX_TOKEN_BYTES && class_at(&s, i, &l) == C_HYPHEN) i += (size_t)l;
            push_token(t, text, len, a, i, TS_TOK_PUNCT);
        } else if (c == C_QUOTE) push_token(t, text, len, a, i, TS_TOK_QUOTE);
        else if (c == C_BRACKET) push_token(t, text, len, a, i, TS_TOK_BRACKET);
        else push_token(t, text, len, a, i, TS_TOK_SYMBOL);
    }

    /* sentences */
    size_t begin = 0;
    for (size_t k = 0; k < t->ntok; k++) {
        ts_token *tk = &t->tok[k];
        if (tk->kind != TS_TOK_PUNCT) continue;
        const char *key = ts_tok_key(t, k);
        int q = 0, ex = 0, dots = 0;
        for (uint32_t j = 0; j < tk->keylen; j++) {
            q |= key[j] == '?';
            ex |= key[j] == '!';
            dots |= key[j] == '.';
        }
        if (!q && !ex && !dots) continue;
        int ell = !q && !ex && tk->keylen >= 2;
        size_t nx = k + 1;
        while (nx < t->ntok && (t->tok[nx].kind == TS_TOK_QUOTE || t->tok[nx].kind == TS_TOK_BRACKET) &&
               t->tok[nx].start == t->tok[nx - 1].end)
            nx++; /* closing quotes/brackets glued to the end belong to it */
        if (ell && nx < t->ntok) {
            /* an ellipsis inside a sentence: the next word is lower case */
            const ts_token *n = &t->tok[nx];
            if ((n->kind == TS_TOK_WORD || n->kind == TS_TOK_NUMBER) && !(n->flags & TS_TF_UPPER)) continue;
        }
        for (size_t m = k; m < nx; m++) t->tok[m].flags |= TS_TF_SENTEND;
        TS_VEC_RESERVE(t->sent, t->sentcap, t->nsent + 1);
        ts_sentence *se = &t->sent[t->nsent++];
        se->tok_begin = (uint32_t)begin;
        se->tok_end = (uint32_t)nx;
        se->start = t->tok[begin].start;
        se->end = t->tok[nx - 1].end;
        se->final = q ? '?' : ex ? '!' : ell ? 'e' : '.';
        begin = nx;
        k = nx - 1;
    }
    if (begin < t->ntok) {
        TS_VEC_RESERVE(t->sent, t->sentcap, t->nsent + 1);
        ts_sentence *se = &t->sent[t->nsent++];
        se->tok_begin = (uint32_t)begin;
        se->tok_end = (uint32_t)t->ntok;
        se->start = t->tok[begin].start;
        se->end = t->tok[t->ntok - 1].end;
        se->final = 0;
    }
}

void ts_tokens_free(ts_tokens *t)
{
    if (!t) return;
    free(t->tok);
    free(t->sent);
    free(t->keys);
    memset(t, 0, sizeof *t);
}

const char *ts_tokkind_name(int kind)
{
    static const char *const n[] = {"word", "number", "punct", "quote", "bracket", "symbol"};
    return kind >= 0 && kind < 6 ? n[kind] : "?";
}
