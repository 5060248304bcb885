/* pipeline.h - coding whole transcripts: reader -> coder -> scores -> emitter.
 *
 * Used by `code`, `eval`, `report` and `rules test`. One call codes one
 * transcript in order, streaming each turn to the emitter (if any) and to an
 * optional per-turn callback, so the CLI commands share one pipeline.
 */
#ifndef TS_PIPELINE_H
#define TS_PIPELINE_H
#include "coder.h"
#include "emit.h"
#include "score.h"
#include "transcript.h"

typedef struct ts_pipe_opts {
    ts_format informat;
    const ts_rolemap *roles;
} ts_pipe_opts;

/* Called for every coded turn (turn and coded result are valid only during
 * the call). */
typedef void (*ts_turn_cb)(void *ud, size_t index, const ts_turn *t, const ts_coded *cd);

typedef struct ts_pipe_result {
    size_t turns, failed;     /* turns coded, turns that could not be read */
    size_t bytes;
    int open_failed;          /* the file could not be opened at all */
} ts_pipe_result;

/* Codes one transcript. em may be NULL; scores (initialised by the caller)
 * receive every turn; cb may be NULL. Returns 0 if the file was read without
 * errors, 1 if errors were reported (the good turns are still coded). */
int ts_pipe_code(const char *path, const ts_pipe_opts *o, ts_coder *coder, const ts_ruleset *rs,
                 ts_emitter *em, ts_scores *scores, ts_turn_cb cb, void *ud, ts_diags *d, ts_pipe_result *res);

/* Same over an in-memory transcript. */
int ts_pipe_code_mem(const char *name, const char *data, size_t len, const ts_pipe_opts *o, ts_coder *coder,
                     const ts_ruleset *rs, ts_emitter *em, ts_scores *scores, ts_turn_cb cb, void *ud,
                     ts_diags *d, ts_pipe_result *res);

/* Same over a reader the caller opened (and frees afterwards), so the caller
 * can still ask the reader for its metadata (ts_reader_meta_json) once the
 * turns are coded. name is used in diagnostics and for the emitter. */
int ts_pipe_code_reader(ts_reader *r, const char *name, ts_coder *coder, const ts_ruleset *rs,
                        ts_emitter *em, ts_scores *scores, ts_turn_cb cb, void *ud, ts_diags *d,
                        ts_pipe_result *res);

#endif
