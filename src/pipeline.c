/* pipeline.c - see pipeline.h */
#include "pipeline.h"
#include "util.h"
#include <string.h>

static int run(ts_reader *r, const char *name, ts_coder *coder, const ts_ruleset *rs, ts_emitter *em,
               ts_scores *scores, ts_turn_cb cb, void *ud, ts_diags *d, ts_pipe_result *res)
{
    size_t errors_before = d->errors;
    ts_coder_reset(coder);
    if (em) ts_emit_begin(em, name, ts_reader_meta_json(r));
    ts_turn t;
    memset(&t, 0, sizeof t);
    size_t index = 0;
    while (ts_reader_next(r, &t) == 1) {
        const ts_coded *cd = ts_coder_code(coder, &t, name, d);
        if (scores) ts_scores_add_turn(scores, rs, &t, index, cd);
        if (em) ts_emit_turn(em, index, &t, cd);
        if (cb) cb(ud, index, &t, cd);
        index++;
        ts_turn_clear(&t);
    }
    ts_turn_clear(&t);
    size_t failed = ts_reader_failed_turns(r);
    if (scores) {
        ts_scores_add_failed(scores, failed);
        ts_scores_finish(scores);
    }
    if (em) ts_emit_end(em, scores);
    if (res) {
        res->turns = index;
        res->failed = failed;
        res->bytes = ts_reader_bytes(r);
    }
    return d->errors > errors_before ? 1 : 0;
}

int ts_pipe_code(const char *path, const ts_pipe_opts *o, ts_coder *coder, const ts_ruleset *rs,
                 ts_emitter *em, ts_scores *scores, ts_turn_cb cb, void *ud, ts_diags *d, ts_pipe_result *res)
{
    ts_reader *r = NULL;
    if (res) memset(res, 0, sizeof *res);
    if (ts_reader_open(&r, path, o->informat, o->roles, d) != 0) {
        if (res) res->open_failed = 1;
        return 1;
    }
    int rc = run(r, ts_reader_name(r), coder, rs, em, scores, cb, ud, d, res);
    ts_reader_free(r);
    return rc;
}

int ts_pipe_code_mem(const char *name, const char *data, size_t len, const ts_pipe_opts *o, ts_coder *coder,
                     const ts_ruleset *rs, ts_emitter *em, ts_scores *scores, ts_turn_cb cb, void *ud,
                     ts_diags *d, ts_pipe_result *res)
{
    ts_reader *r = NULL;
    if (res) memset(res, 0, sizeof *res);
    if (ts_reader_open_mem(&r, name, data, len, o->informat, o->roles, d) != 0) {
        if (res) res->open_failed = 1;
        return 1;
    }
    int rc = run(r, name, coder, rs, em, scores, cb, ud, d, res);
    ts_reader_free(r);
    return rc;
}

int ts_pipe_code_reader(ts_reader *r, const char *name, ts_coder *coder, const ts_ruleset *rs,
                        ts_emitter *em, ts_scores *scores, ts_turn_cb cb, void *ud, ts_diags *d,
                        ts_pipe_result *res)
{
    if (res) memset(res, 0, sizeof *res);
    return run(r, name, coder, rs, em, scores, cb, ud, d, res);
}
