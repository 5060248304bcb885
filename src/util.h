/* util.h - owned growable byte buffers and small string helpers.
 *
 * ts_buf owns its bytes (always NUL-terminated when non-empty); callers that
 * need the bytes after the buffer dies take them with ts_buf_detach().
 * Allocation failure aborts with a message: taalspel cannot do anything
 * useful without memory and every caller would do the same.
 */
#ifndef TS_UTIL_H
#define TS_UTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct ts_buf {
    char *p;
    size_t len, cap;
} ts_buf;

void ts_buf_grow_slow(ts_buf *b, size_t extra);
void ts_buf_puts(ts_buf *b, const char *s);

/* Inline: the JSON writer calls these for every byte of punctuation. */
static inline void ts_buf_grow(ts_buf *b, size_t extra)
{
    if (b->len + extra + 1 > b->cap) ts_buf_grow_slow(b, extra);
}
static inline void ts_buf_put(ts_buf *b, const void *s, size_t n)
{
    ts_buf_grow(b, n);
    if (n) memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}
static inline void ts_buf_putc(ts_buf *b, char c)
{
    ts_buf_grow(b, 1);
    b->p[b->len++] = c;
    b->p[b->len] = 0;
}
void ts_buf_printf(ts_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void ts_buf_reset(ts_buf *b);          /* len = 0, keeps memory */
char *ts_buf_detach(ts_buf *b);        /* caller frees; buffer is empty */
void ts_buf_free(ts_buf *b);

void *ts_xmalloc(size_t n);
void *ts_xcalloc(size_t n, size_t sz);
void *ts_xrealloc(void *p, size_t n);
char *ts_strdup(const char *s);
char *ts_strndup(const char *s, size_t n);
char *ts_vstrdupf(const char *fmt, va_list ap);
char *ts_strdupf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* An arena: many small blocks that live and die together (a rule pack's
 * pattern trees: ~50,000 nodes and words, which as separate mallocs cost a
 * tenth of the pack's load time and as many frees again). Blocks are
 * zeroed and aligned for any scalar or pointer; ts_arena_free frees all. */
typedef struct ts_arena {
    struct ts_arena_chunk *head;
    char *p;           /* free space in head */
    size_t left;
} ts_arena;
void *ts_arena_alloc(ts_arena *a, size_t n);
char *ts_arena_strndup(ts_arena *a, const char *s, size_t n);
void ts_arena_free(ts_arena *a);

/* UTF-8: decodes one code point at s[0..n). Returns its length (1..4) and
 * stores it in *cp; on invalid input returns 1 and stores -1. */
int ts_utf8_decode(const unsigned char *s, size_t n, int32_t *cp);
/* Encodes cp into out (>= 4 bytes), returns the length. */
int ts_utf8_encode(int32_t cp, char *out);

/* Case-insensitive ASCII compare of NUL-terminated strings. */
int ts_strcaseeq(const char *a, const char *b);

/* Growable array helper: ensures (*v) has room for need elements. */
#define TS_VEC_RESERVE(v, cap, need)                                          \
    do {                                                                      \
        if ((need) > (cap)) {                                                 \
            size_t nc_ = (cap) ? (cap) : 8;                                   \
            while (nc_ < (need)) nc_ *= 2;                                    \
            (v) = ts_xrealloc((v), nc_ * sizeof *(v));                        \
            (cap) = nc_;                                                      \
        }                                                                     \
    } while (0)

#endif
