/* util.c - see util.h */
#include "util.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void oom(void)
{
    fputs("taalspel: out of memory\n", stderr);
    abort();
}

void *ts_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *ts_xcalloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p) oom();
    return p;
}

void *ts_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom();
    return q;
}

char *ts_strndup(const char *s, size_t n)
{
    char *p = ts_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *ts_strdup(const char *s) { return ts_strndup(s, strlen(s)); }

struct ts_arena_chunk {
    struct ts_arena_chunk *next;
    _Alignas(max_align_t) char data[];
};

enum { ARENA_CHUNK = 64 * 1024 };

void *ts_arena_alloc(ts_arena *a, size_t n)
{
    size_t al = _Alignof(max_align_t);
    n = (n + al - 1) & ~(al - 1);
    if (n > a->left) {
        /* a new chunk; a block over a quarter chunk gets one of its own */
        size_t sz = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
        struct ts_arena_chunk *c = ts_xmalloc(sizeof *c + sz);
        if (n > ARENA_CHUNK / 4 && a->head) {
            /* keep the current chunk's free space for the blocks to come */
            c->next = a->head->next;
            a->head->next = c;
            memset(c->data, 0, n);
            return c->data;
        }
        c->next = a->head;
        a->head = c;
        a->p = c->data;
        a->left = sz;
    }
    void *r = a->p;
    a->p += n;
    a->left -= n;
    memset(r, 0, n);
    return r;
}

char *ts_arena_strndup(ts_arena *a, const char *s, size_t n)
{
    char *p = ts_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    return p; /* zeroed: already terminated */
}

void ts_arena_free(ts_arena *a)
{
    struct ts_arena_chunk *c = a->head;
    while (c) {
        struct ts_arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    memset(a, 0, sizeof *a);
}

char *ts_vstrdupf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return ts_strdup("");
    char *p = ts_xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *ts_strdupf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = ts_vstrdupf(fmt, ap);
    va_end(ap);
    return p;
}

void ts_buf_grow_slow(ts_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return;
    size_t nc = b->cap ? b->cap : 64;
    while (nc < need) nc *= 2;
    b->p = ts_xrealloc(b->p, nc);
    b->cap = nc;
}


void ts_buf_puts(ts_buf *b, const char *s) { ts_buf_put(b, s, strlen(s)); }



void ts_buf_printf(ts_buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0) {
        ts_buf_grow(b, (size_t)n);
        vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

void ts_buf_reset(ts_buf *b)
{
    b->len = 0;
    if (b->p) b->p[0] = 0;
}

char *ts_buf_detach(ts_buf *b)
{
    char *p = b->p ? b->p : ts_strdup("");
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

void ts_buf_free(ts_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

int ts_utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) { *cp = (int32_t)c; return 1; }
    int len;
    int32_t v, min;
    if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; min = 0x10000; }
    else { *cp = -1; return 1; }
    if ((size_t)len > n) { *cp = -1; return 1; }
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) { *cp = -1; return 1; }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) { *cp = -1; return 1; }
    *cp = v;
    return len;
}

int ts_utf8_encode(int32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) { o[0] = (unsigned char)(0xC0 | (cp >> 6)); o[1] = (unsigned char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12)); o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F)); return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18)); o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

int ts_strcaseeq(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = (unsigned char)*a, cb = (unsigned char)*b;
        if (ca >= 'A' && ca <= 'Z') ca += 32;
        if (cb >= 'A' && cb <= 'Z') cb += 32;
        if (ca != cb) return 0;
        if (!ca) return 1;
    }
}
