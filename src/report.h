/* report.h - `taalspel report`: the self-contained HTML feedback report. */
#ifndef TS_REPORT_H
#define TS_REPORT_H
#include "diag.h"
#include "pipeline.h"
#include "rules.h"
#include <stdio.h>

/* Codes n (1 or 2) transcripts and writes one HTML page to out: for one
 * session the full report; for two, the key figures side by side with their
 * change, followed by the report of the second. Returns 0, or 1 when input
 * errors were reported to diags. */
int ts_report(const ts_ruleset *rs, const char *const *files, size_t n, const ts_pipe_opts *po, FILE *out, ts_diags *d);

#endif
