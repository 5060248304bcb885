/* diag.c - see diag.h */
#include "diag.h"
#include "util.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void ts_diag_add(ts_diags *d, ts_severity sev, const char *file,
                 unsigned long line, unsigned long col, const char *fmt, ...)
{
    if (sev == TS_SEV_ERROR) d->errors++;
    else if (sev == TS_SEV_WARNING) d->warnings++;
    if (d->n >= TS_MAX_DIAGS) { d->dropped++; return; }
    if (d->n == d->cap) {
        size_t nc = d->cap ? d->cap * 2 : 16;
        ts_diag *nv = realloc(d->v, nc * sizeof *nv);
        if (!nv) { d->dropped++; return; }
        d->v = nv; d->cap = nc;
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = ts_vstrdupf(fmt, ap);
    va_end(ap);
    ts_diag *g = &d->v[d->n++];
    g->sev = sev;
    g->file = ts_strdup(file ? file : "<input>");
    g->line = line;
    g->col = col;
    g->msg = msg;
    g->quiet = 0;
}

static const char *sevname(ts_severity s)
{
    return s == TS_SEV_ERROR ? "error" : s == TS_SEV_WARNING ? "warning" : "note";
}

void ts_diag_print(const ts_diags *d, FILE *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const ts_diag *g = &d->v[i];
        if (g->quiet) continue;
        if (g->line && g->col)
            fprintf(out, "%s:%lu:%lu: %s: %s\n", g->file, g->line, g->col, sevname(g->sev), g->msg ? g->msg : "");
        else if (g->line)
            fprintf(out, "%s:%lu: %s: %s\n", g->file, g->line, sevname(g->sev), g->msg ? g->msg : "");
        else
            fprintf(out, "%s: %s: %s\n", g->file, sevname(g->sev), g->msg ? g->msg : "");
    }
    if (d->dropped)
        fprintf(out, "taalspel: %zu more diagnostics not shown\n", d->dropped);
}

void ts_diag_move(ts_diags *dst, ts_diags *src)
{
    for (size_t i = 0; i < src->n; i++) {
        ts_diag *g = &src->v[i];
        if (dst->n >= TS_MAX_DIAGS) { dst->dropped++; free(g->file); free(g->msg); continue; }
        if (dst->n == dst->cap) {
            size_t nc = dst->cap ? dst->cap * 2 : 16;
            ts_diag *nv = realloc(dst->v, nc * sizeof *nv);
            if (!nv) { dst->dropped++; free(g->file); free(g->msg); continue; }
            dst->v = nv; dst->cap = nc;
        }
        dst->v[dst->n++] = *g;
    }
    dst->errors += src->errors;
    dst->warnings += src->warnings;
    dst->dropped += src->dropped;
    free(src->v);
    memset(src, 0, sizeof *src);
}

void ts_diag_clear(ts_diags *d)
{
    if (!d) return;
    for (size_t i = 0; i < d->n; i++) { free(d->v[i].file); free(d->v[i].msg); }
    free(d->v);
    memset(d, 0, sizeof *d);
}
