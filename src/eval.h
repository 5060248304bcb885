/* eval.h - `taalspel eval`: code gold transcripts and compare with their gold
 * codes, per turn (each code present or not, as MITI counts per volley). */
#ifndef TS_EVAL_H
#define TS_EVAL_H
#include "diag.h"
#include "rules.h"
#include "transcript.h"
#include <stdio.h>

/* Prints per-code support/precision/recall/F1, Cohen's kappa per family,
 * confusion matrices for question and reflection type, scale values, and
 * with verbose every disagreeing turn. json: one JSON object instead.
 * Gold problems (bad JSON, unknown code) go to diags with file:line.
 * Returns 0, or 1 if any gold file had errors. */
int ts_eval(const ts_ruleset *rs, const char *const *paths, size_t n, const ts_rolemap *roles, int json, int verbose,
            FILE *out, ts_diags *d);

#endif
