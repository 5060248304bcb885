/* testutil.h - small helpers shared by the Check suites.
 *
 * Everything is static inline so each check_*.c can include it without a
 * separate object file. Helpers speak in domain terms (turns, diagnostics)
 * and leave the asserting to the caller, so a failure points at the test.
 */
#ifndef TS_TESTUTIL_H
#define TS_TESTUTIL_H
#include "transcript.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A whole transcript read into memory. */
typedef struct tu_read {
    int open_rc;         /* what ts_reader_open*() returned */
    ts_format fmt;       /* the format the reader chose */
    ts_turn *turns;
    size_t n, cap;
    size_t failed;       /* ts_reader_failed_turns() */
    size_t bytes;        /* ts_reader_bytes() at the end */
    char *meta;          /* copy of ts_reader_meta_json(), or NULL */
    ts_diags diags;
} tu_read;

/* Reads every turn of an open reader into out (which must be zeroed or
 * come from tu_read_free) and frees the reader. */
static inline void tu_read_reader(tu_read *out, ts_reader *r)
{
    ts_turn t = {0};
    out->fmt = ts_reader_format(r);
    while (ts_reader_next(r, &t) == 1) {
        TS_VEC_RESERVE(out->turns, out->cap, out->n + 1);
        out->turns[out->n++] = t;
        memset(&t, 0, sizeof t);
    }
    ts_turn_clear(&t);
    out->failed = ts_reader_failed_turns(r);
    out->bytes = ts_reader_bytes(r);
    const char *m = ts_reader_meta_json(r);
    out->meta = m ? ts_strdup(m) : NULL;
    ts_reader_free(r);
}

/* Parses a --roles spec into a new map; NULL spec gives NULL. */
static inline ts_rolemap *tu_roles(const char *spec)
{
    if (!spec) return NULL;
    ts_rolemap *m = ts_rolemap_new();
    char *err = NULL;
    if (ts_rolemap_add_spec(m, spec, &err) != 0) {
        fprintf(stderr, "tu_roles: bad spec '%s': %s\n", spec, err ? err : "?");
        free(err);
        abort();
    }
    return m;
}

/* Reads data[0..len) named name (the name's extension counts for
 * TS_FMT_AUTO) with an optional --roles spec. Returns out->open_rc. */
static inline int tu_read_mem(tu_read *out, const char *name, const char *data, size_t len,
                              ts_format fmt, const char *roles_spec)
{
    ts_rolemap *roles = tu_roles(roles_spec);
    ts_reader *r = NULL;
    memset(out, 0, sizeof *out);
    out->open_rc = ts_reader_open_mem(&r, name, data, len, fmt, roles, &out->diags);
    ts_rolemap_free(roles);
    if (out->open_rc == 0) tu_read_reader(out, r);
    return out->open_rc;
}

/* Same, for a NUL-terminated string. */
static inline int tu_read_str(tu_read *out, const char *name, const char *s, const char *roles_spec)
{
    return tu_read_mem(out, name, s, strlen(s), TS_FMT_AUTO, roles_spec);
}

/* Same, for a file ("-" is stdin). */
static inline int tu_read_file(tu_read *out, const char *path, ts_format fmt, const char *roles_spec)
{
    ts_rolemap *roles = tu_roles(roles_spec);
    ts_reader *r = NULL;
    memset(out, 0, sizeof *out);
    out->open_rc = ts_reader_open(&r, path, fmt, roles, &out->diags);
    ts_rolemap_free(roles);
    if (out->open_rc == 0) tu_read_reader(out, r);
    return out->open_rc;
}

static inline void tu_read_free(tu_read *x)
{
    for (size_t i = 0; i < x->n; i++) ts_turn_clear(&x->turns[i]);
    free(x->turns);
    free(x->meta);
    ts_diag_clear(&x->diags);
    memset(x, 0, sizeof *x);
}

/* The diagnostics as the CLI prints them ("file:line:col: error: msg\n"
 * each). Caller frees. */
static inline char *tu_diag_text(const ts_diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) abort();
    ts_diag_print(d, f);
    fclose(f);
    return buf;
}

/* Does a diagnostic of severity sev at line (0: any line) contain needle? */
static inline int tu_diag_has(const ts_diags *d, ts_severity sev, unsigned long line, const char *needle)
{
    for (size_t i = 0; i < d->n; i++) {
        const ts_diag *g = &d->v[i];
        if (g->sev == sev && (!line || g->line == line) && strstr(g->msg, needle)) return 1;
    }
    return 0;
}

/* Reads a whole file into a NUL-terminated buffer, or NULL. Caller frees. */
static inline char *tu_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ts_buf b = {0};
    char tmp[4096];
    size_t n;
    if (!f) return NULL;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) ts_buf_put(&b, tmp, n);
    fclose(f);
    if (len) *len = b.len;
    return ts_buf_detach(&b);
}

/* Writes len bytes to a file called name in a new temporary directory
 * (the name's extension matters to the readers). Returns its path, or NULL;
 * tu_tempfile_remove() deletes both and frees the path. */
static inline char *tu_tempfile(const char *name, const void *data, size_t len)
{
    char dir[] = "/tmp/taalspel-test-XXXXXX";
    if (!mkdtemp(dir)) return NULL;
    char *path = ts_strdupf("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len) {
        if (f) fclose(f);
        unlink(path);
        rmdir(dir);
        free(path);
        return NULL;
    }
    fclose(f);
    return path;
}

static inline void tu_tempfile_remove(char *path)
{
    if (!path) return;
    unlink(path);
    char *slash = strrchr(path, '/');
    if (slash) {
        *slash = 0;
        rmdir(path);
    }
    free(path);
}

#endif
