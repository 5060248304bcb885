/* token.h - the Dutch tokenizer and sentence splitter.
 *
 * Input: one turn's UTF-8 text. Output: tokens and sentences whose spans are
 * byte offsets into that text (the original is never changed), plus for each
 * token a matching key: NFC/NFKC-folded, case-folded and stripped of
 * diacritics, apostrophe variants unified to ', so "Één", "een" and "eén"
 * share the key "een" and "cliënt" matches "client".
 *
 * Dutch specifics kept whole: 't 's 'k m'n z'n d'r zo'n, auto's, sms'je;
 * hyphenated compounds (e-mailen); numbers and scales (6,5  0-10  6/10);
 * abbreviations (bijv. o.a. d.w.z. ca. min.) do not end a sentence; an
 * ellipsis followed by a lower-case word does not either.
 *
 * ts_tokens is reusable: ts_tokenize() resets it and keeps its memory, so a
 * worker tokenizing turn after turn allocates only when a turn is larger
 * than any before it.
 */
#ifndef TS_TOKEN_H
#define TS_TOKEN_H
#include <stddef.h>
#include <stdint.h>

typedef enum {
    TS_TOK_WORD = 0,   /* letters, digits mixed, apostrophes, hyphens */
    TS_TOK_NUMBER,     /* 7  6,5  0-10  7/10  3.5  12:30 */
    TS_TOK_PUNCT,      /* , ; : - ( sentence punctuation runs: ?  ?!  ...  … */
    TS_TOK_QUOTE,      /* " ' « » “ ” „ */
    TS_TOK_BRACKET,    /* ( ) [ ] { } */
    TS_TOK_SYMBOL      /* anything else: emoji, %, &, ... */
} ts_tokkind;

enum {
    TS_TF_UPPER = 1,      /* first letter is upper case */
    TS_TF_SENTEND = 2,    /* part of the punctuation that ends a sentence */
    TS_TF_INVALID = 4     /* contained U+FFFD (invalid input bytes) */
};

typedef struct ts_token {
    uint32_t start, end;  /* byte span in the turn text */
    uint32_t key, keylen; /* key bytes at keys[key .. key+keylen) */
    uint8_t kind;         /* ts_tokkind */
    uint8_t flags;        /* TS_TF_* */
} ts_token;

typedef struct ts_sentence {
    uint32_t tok_begin, tok_end; /* tokens [begin, end) incl. final punct */
    uint32_t start, end;         /* byte span in the turn text */
    char final;                  /* '?', '!', '.', 'e' (ellipsis) or 0 */
} ts_sentence;

typedef struct ts_tokens {
    ts_token *tok;
    size_t ntok, tokcap;
    ts_sentence *sent;
    size_t nsent, sentcap;
    char *keys;                  /* all keys, each NUL-terminated */
    size_t keylen, keycap;
} ts_tokens;

/* Tokenizes text[0..len) into t (reset first, memory reused). Never fails:
 * invalid UTF-8 is treated as U+FFFD. */
void ts_tokenize(ts_tokens *t, const char *text, size_t len);

void ts_tokens_free(ts_tokens *t); /* frees the arrays; t itself is not freed */

/* Writes the matching key of the UTF-8 string s[0..n) to out (cap bytes,
 * NUL-terminated, truncated if needed); returns the key length. Used for
 * tokens and for the words in rule files, so both normalise alike. */
size_t ts_key(const char *s, size_t n, char *out, size_t cap);

static inline const char *ts_tok_key(const ts_tokens *t, size_t i)
{
    return t->keys + t->tok[i].key;
}

const char *ts_tokkind_name(int kind);

/* 1 if the tokenizer's ASCII fast-path table agrees with its classifier (a
 * self-check for the tests). */
int ts_token_ascii_table_ok(void);

#endif
