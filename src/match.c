/* match.c - the reference matcher: PCRE2 (JIT) over a sentence's key text.
 *
 * The key text is built once per sentence: each kept token's key followed by
 * one space; kpos[] remembers where each token starts so a match's byte
 * offsets map back to whole tokens (and from there to the original text).
 * Every pattern is a compiled pcre2_code shared by all threads; the match
 * data, match context and JIT stack belong to this matcher alone.
 */
#include "coder.h"
#include "limits.h"
#include "util.h"
#include <stdlib.h>
#include <string.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

struct ts_matcher {
    const ts_ruleset *rs;
    pcre2_match_data *md;
    pcre2_match_context *mc;
    pcre2_jit_stack *js;
    ts_buf text;
    uint32_t *kpos, *ktok; /* per kept token: start offset in text, token index */
    size_t nk, kcap;
    char **skip; size_t nskip; /* sorted filler keys */
};

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

ts_matcher *ts_matcher_new(const ts_ruleset *rs)
{
    ts_matcher *m = ts_xcalloc(1, sizeof *m);
    m->rs = rs;
    m->md = pcre2_match_data_create(32, NULL);
    m->mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(m->mc, TS_PCRE2_MATCH_LIMIT);
    pcre2_set_depth_limit(m->mc, TS_PCRE2_DEPTH_LIMIT);
    m->js = pcre2_jit_stack_create(32 * 1024, TS_PCRE2_JIT_STACK_BYTES, NULL);
    if (m->js) pcre2_jit_stack_assign(m->mc, NULL, m->js);
    if (rs->lex_skip >= 0) {
        const ts_lexicon *L = &rs->lex[rs->lex_skip];
        m->skip = ts_xcalloc(L->n ? L->n : 1, sizeof *m->skip);
        for (size_t i = 0; i < L->n; i++)
            if (!strchr(L->e[i].key, ' ')) m->skip[m->nskip++] = L->e[i].key;
        qsort(m->skip, m->nskip, sizeof *m->skip, cmpstr);
    }
    return m;
}

void ts_matcher_free(ts_matcher *m)
{
    if (!m) return;
    pcre2_match_data_free(m->md);
    pcre2_match_context_free(m->mc);
    if (m->js) pcre2_jit_stack_free(m->js);
    ts_buf_free(&m->text);
    free(m->kpos);
    free(m->ktok);
    free(m->skip);
    free(m);
}

static int is_skip(const ts_matcher *m, const char *key)
{
    if (!m->nskip) return 0;
    size_t lo = 0, hi = m->nskip;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(m->skip[mid], key);
        if (!c) return 1;
        if (c < 0) lo = mid + 1; else hi = mid;
    }
    return 0;
}

void ts_matcher_prepare(ts_matcher *m, const ts_tokens *tok, uint32_t b, uint32_t e)
{
    ts_buf_reset(&m->text);
    m->nk = 0;
    for (uint32_t i = b; i < e; i++) {
        const ts_token *t = &tok->tok[i];
        if (t->flags & TS_TF_SENTEND) continue;
        if (t->kind == TS_TOK_QUOTE || t->kind == TS_TOK_BRACKET) continue;
        const char *k = ts_tok_key(tok, i);
        if (!t->keylen || is_skip(m, k)) continue;
        if (m->nk == m->kcap) {
            m->kcap = m->kcap ? m->kcap * 2 : 64;
            m->kpos = ts_xrealloc(m->kpos, m->kcap * sizeof *m->kpos);
            m->ktok = ts_xrealloc(m->ktok, m->kcap * sizeof *m->ktok);
        }
        m->kpos[m->nk] = (uint32_t)m->text.len;
        m->ktok[m->nk] = i;
        m->nk++;
        ts_buf_put(&m->text, k, t->keylen);
        ts_buf_putc(&m->text, ' ');
    }
    if (!m->text.p) ts_buf_put(&m->text, "", 0);
    /* PCRE2's JIT reads the subject in aligned 16/32-byte blocks and may
     * look past its end (harmless, within the allocation); keep those bytes
     * defined so valgrind's memcheck stays quiet and exact. */
    ts_buf_grow(&m->text, 64);
    memset(m->text.p + m->text.len, 0, 64);
}

const char *ts_matcher_keytext(const ts_matcher *m, size_t *len)
{
    if (len) *len = m->text.len ? m->text.len - 1 : 0;
    return m->text.p;
}

/* index of the kept token that contains text offset off */
static size_t tok_at(const ts_matcher *m, size_t off)
{
    size_t lo = 0, hi = m->nk;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (m->kpos[mid] <= off) lo = mid; else hi = mid;
    }
    return lo;
}

int ts_matcher_run(ts_matcher *m, const ts_pattern *p, uint32_t *tb, uint32_t *te)
{
    if (!m->nk) return 0;
    size_t len = m->text.len;
    if (p->is_regex) len--; /* user regexes see the text without the trailing space */
    ts_rules_ensure_jit(p);
    if (!p->re) return -2; /* PCRE2 refused the translation: reported as a PCRE2 error */
    int rc = pcre2_match((const pcre2_code *)p->re, (PCRE2_SPTR)m->text.p, len, 0, PCRE2_NO_UTF_CHECK, m->md, m->mc);
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc < 0) return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT ||
                       rc == PCRE2_ERROR_HEAPLIMIT ? -1 : -2;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);
    size_t s = ov[0], e = ov[1];
    if (e <= s) { /* empty match (a user regex like x*): point at the token */
        size_t k = tok_at(m, s < m->text.len ? s : m->text.len - 1);
        *tb = m->ktok[k];
        *te = m->ktok[k] + 1;
        return 1;
    }
    size_t k0 = tok_at(m, s), k1 = tok_at(m, e - 1);
    *tb = m->ktok[k0];
    *te = m->ktok[k1] + 1;
    return 1;
}
