/* diag.h - diagnostics: errors and warnings with file:line:col.
 *
 * The library never prints; it collects diagnostics here and the CLI prints
 * them as "file:line:col: error: message". Only the first TS_MAX_DIAGS are
 * kept with their text; the counters always count all of them.
 */
#ifndef TS_DIAG_H
#define TS_DIAG_H
#include <stddef.h>
#include <stdio.h>

#include "limits.h" /* TS_MAX_DIAGS */

typedef enum { TS_SEV_ERROR = 0, TS_SEV_WARNING = 1, TS_SEV_NOTE = 2 } ts_severity;

typedef struct ts_diag {
    ts_severity sev;
    char *file;          /* owned */
    unsigned long line;  /* 1-based, 0 = unknown */
    unsigned long col;   /* 1-based, 0 = unknown */
    char *msg;           /* owned */
    int quiet;           /* counted but not printed: a repeat that a later note sums up */
} ts_diag;

typedef struct ts_diags {
    ts_diag *v;
    size_t n, cap;
    size_t errors, warnings, dropped; /* dropped: not stored beyond TS_MAX_DIAGS */
} ts_diags;

/* Adds one diagnostic (printf-style message). Never fails visibly: on OOM the
 * message is counted but not stored. */
void ts_diag_add(ts_diags *d, ts_severity sev, const char *file,
                 unsigned long line, unsigned long col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/* Prints every stored diagnostic as "file:line:col: error: msg". */
void ts_diag_print(const ts_diags *d, FILE *out);

/* Moves all diagnostics of src to the end of dst; src is left empty. */
void ts_diag_move(ts_diags *dst, ts_diags *src);

void ts_diag_clear(ts_diags *d); /* frees the messages, keeps nothing */

#endif
