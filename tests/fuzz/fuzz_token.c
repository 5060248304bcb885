/* fuzz_token.c - the Dutch tokenizer and sentence splitter (and the key
 * and label folding they share) on arbitrary bytes.
 *
 * Promises checked: tokens are ordered, non-empty, non-overlapping spans of
 * the text no longer than TS_MAX_TOKEN_BYTES (plus one code point and an
 * abbreviation's period); every key is valid UTF-8 and keylen == strlen;
 * sentences tile the tokens exactly; a reused ts_tokens gives the same
 * result as a fresh one; ts_key never writes past its buffer. */
#include "fuzz.h"
#include "limits.h"
#include "token.h"

static void check_tokens(const ts_tokens *t, size_t len)
{
    for (size_t i = 0; i < t->ntok; i++) {
        const ts_token *k = &t->tok[i];
        FUZZ_CHECK(k->start < k->end && k->end <= len, "token %zu [%u,%u) of %zu bytes", i, k->start, k->end, len);
        FUZZ_CHECK(k->end - k->start <= TS_MAX_TOKEN_BYTES + 5, "token %zu is %u bytes", i, k->end - k->start);
        if (i) FUZZ_CHECK(t->tok[i - 1].end <= k->start, "token %zu overlaps the one before", i);
        FUZZ_CHECK(k->key + k->keylen < t->keylen + 1, "token %zu key out of range", i);
        const char *key = ts_tok_key(t, i);
        FUZZ_CHECK(strlen(key) == k->keylen, "token %zu keylen %u, strlen %zu", i, k->keylen, strlen(key));
        FUZZ_CHECK(fz_valid_utf8(key, k->keylen), "token %zu key is not valid UTF-8", i);
        FUZZ_CHECK(k->kind <= TS_TOK_SYMBOL, "token %zu kind %d", i, k->kind);
    }
    if (!t->ntok) {
        FUZZ_CHECK(t->nsent == 0, "%zu sentences without tokens", t->nsent);
        return;
    }
    FUZZ_CHECK(t->nsent >= 1, "tokens but no sentence");
    uint32_t at = 0;
    for (size_t s = 0; s < t->nsent; s++) {
        const ts_sentence *S = &t->sent[s];
        FUZZ_CHECK(S->tok_begin == at && S->tok_end > S->tok_begin && S->tok_end <= t->ntok,
                   "sentence %zu [%u,%u) after token %u of %zu", s, S->tok_begin, S->tok_end, at, t->ntok);
        FUZZ_CHECK(S->start == t->tok[S->tok_begin].start && S->end == t->tok[S->tok_end - 1].end,
                   "sentence %zu span", s);
        FUZZ_CHECK(S->final == 0 || S->final == '?' || S->final == '!' || S->final == '.' || S->final == 'e',
                   "sentence %zu final %d", s, S->final);
        at = S->tok_end;
    }
    FUZZ_CHECK(at == t->ntok, "sentences end at token %u of %zu", at, t->ntok);
}

static int same_tokens(const ts_tokens *a, const ts_tokens *b)
{
    if (a->ntok != b->ntok || a->nsent != b->nsent || a->keylen != b->keylen) return 0;
    for (size_t i = 0; i < a->ntok; i++) { /* field by field: the structs have padding */
        const ts_token *x = &a->tok[i], *y = &b->tok[i];
        if (x->start != y->start || x->end != y->end || x->key != y->key || x->keylen != y->keylen ||
            x->kind != y->kind || x->flags != y->flags)
            return 0;
    }
    for (size_t i = 0; i < a->nsent; i++) {
        const ts_sentence *x = &a->sent[i], *y = &b->sent[i];
        if (x->tok_begin != y->tok_begin || x->tok_end != y->tok_end || x->start != y->start || x->end != y->end ||
            x->final != y->final)
            return 0;
    }
    return !a->keylen || !memcmp(a->keys, b->keys, a->keylen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, so ASan sees any read past the end. */
    char *text = malloc(size ? size : 1);
    if (size) memcpy(text, data, size);
    static ts_tokens reused; /* lives across inputs, as in a coder */
    ts_tokens fresh = {0};
    ts_tokenize(&fresh, text, size);
    check_tokens(&fresh, size);
    ts_tokenize(&reused, text, size / 2);
    check_tokens(&reused, size / 2);
    ts_tokenize(&reused, text, size);
    FUZZ_CHECK(same_tokens(&fresh, &reused), "a reused ts_tokens differs from a fresh one");
    ts_tokens_free(&fresh);

    /* ts_key with every small buffer size stays inside it. */
    for (size_t cap = 1; cap <= 9; cap++) {
        char *out = malloc(cap);
        size_t n = ts_key(text, size, out, cap);
        /* (a NUL byte in the input is copied, so strlen may be shorter) */
        FUZZ_CHECK(n < cap && out[n] == 0 && strlen(out) <= n, "ts_key cap %zu gave %zu", cap, n);
        free(out);
    }
    /* Label folding (readers, --roles) on text the readers repaired. */
    if (fz_valid_utf8(text, size)) {
        char *k = rd_fold(text, size);
        FUZZ_CHECK(k != NULL, "rd_fold");
        free(k);
        ts_role role;
        char *z = ts_strndup(text, size);
        (void)ts_role_parse(z, &role);
        ts_rolemap *m = ts_rolemap_new();
        char *err = NULL;
        if (ts_rolemap_add_spec(m, z, &err) != 0) FUZZ_CHECK(err != NULL, "a refused role spec without a message");
        free(err);
        ts_rolemap_free(m);
        free(z);
    }
    free(text);
    return 0;
}
