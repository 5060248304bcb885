/* api.c - the public API (taalspel.h) over the internal modules. */
#include "taalspel.h"
#include "emit.h"
#include "pipeline.h"
#include "rules.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TS_VERSION
#define TS_VERSION "0.0.0"
#endif

const char *ts_version(void) { return TS_VERSION; }

char *ts_default_rules_dir(void) { return ts_rules_default_dir(NULL); }

static char *diag_text(const ts_diags *d)
{
    if (!d->n) return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    ts_diag_print(d, f);
    fclose(f);
    return buf;
}

int ts_load_rules(ts_ruleset **out, const char *const *dirs, size_t ndirs, char **errors)
{
    ts_diags d = {0};
    int rc = ts_rules_load(out, dirs, ndirs, &d);
    if (errors) *errors = diag_text(&d);
    ts_diag_clear(&d);
    return rc;
}

void ts_free_rules(ts_ruleset *rs) { ts_rules_free(rs); }

int ts_code_buffer(const ts_ruleset *rs, const char *name, const char *data, size_t len, const char *format,
                   char **out, char **errors)
{
    ts_outfmt fmt;
    if (!rs || !out || !format || ts_outfmt_parse(format, &fmt) != 0 || (!data && len)) return -1;
    *out = NULL;
    if (errors) *errors = NULL;
    char *tb = NULL, *sb = NULL;
    size_t tl = 0, sl = 0;
    FILE *tf = open_memstream(&tb, &tl);
    FILE *sf = fmt == TS_OUT_CSV ? open_memstream(&sb, &sl) : NULL;
    if (!tf || (fmt == TS_OUT_CSV && !sf)) {
        if (tf) fclose(tf);
        free(tb);
        return -1;
    }
    if (fmt == TS_OUT_CSV) ts_emit_csv_headers(rs, tf, sf);
    ts_emitter em = {fmt, tf, sf, rs, NULL, 0};
    ts_scores sc;
    ts_scores_init(&sc);
    ts_coder *coder = ts_coder_new(rs);
    ts_pipe_opts po = {TS_FMT_AUTO, NULL};
    ts_diags d = {0};
    int rc = ts_pipe_code_mem(name ? name : "<buffer>", data ? data : "", len, &po, coder, rs, &em, &sc, NULL, NULL, &d, NULL);
    ts_coder_free(coder);
    ts_scores_free(&sc);
    if (sf) {
        fclose(sf);
        fputs("\r\n", tf);
        fwrite(sb, 1, sl, tf);
        free(sb);
    }
    fclose(tf);
    *out = tb;
    if (errors) *errors = diag_text(&d);
    ts_diag_clear(&d);
    return rc ? 1 : 0;
}
