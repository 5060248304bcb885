/* report.c - placeholder until the HTML report lands (issue 7). */
#include "report.h"

int ts_report(const ts_ruleset *rs, const char *const *files, size_t n, const ts_pipe_opts *po, FILE *out, ts_diags *d)
{
    (void)rs; (void)files; (void)n; (void)po;
    fputs("<!doctype html><title>taalspel</title><p>report not implemented yet</p>\n", out);
    ts_diag_add(d, TS_SEV_ERROR, files[0], 0, 0, "the HTML report is not implemented yet");
    return 1;
}
