/* read_internal.h - what read.c shares with the per-format readers.
 *
 * Not a public header: only src/read*.c and the reader's unit test include
 * it. read.c owns the byte source (FILE* or memory), cuts it into lines
 * within the limits, repairs bad UTF-8, and holds the turn being built
 * (rd_turn); read_txt.c, read_jsonl.c and read_vtt.c turn lines into turns.
 */
#ifndef TS_READ_INTERNAL_H
#define TS_READ_INTERNAL_H
#include "transcript.h"
#include "util.h"
#include <stdio.h>

/* The turn a reader is assembling from several lines or cues. */
typedef struct rd_turn {
    int open;             /* a turn has begun and is not finished */
    int failed;           /* already reported; counted, not emitted */
    char *speaker;        /* owned */
    char *key;            /* owned, folded speaker, for "same speaker?" */
    ts_role role;
    ts_buf text;
    double start, end;
    unsigned long line;
} rd_turn;

/* One speaker's piece of a WebVTT/SRT cue; see read_vtt.c. */
typedef struct rd_seg {
    char *speaker;        /* owned; NULL: continues the current speaker */
    char *text;           /* owned */
    double start, end;
    unsigned long line, col;
    int failed;           /* the line it came from was over the limit */
} rd_seg;

struct ts_reader {
    char *name;           /* for diagnostics */
    /* unknown speaker labels met so far: each turn is an error, but only the
     * first few are printed and a note at the end counts the rest */
    struct rd_unknown { char *label; unsigned long first_line; size_t n, quiet; } *unk;
    size_t nunk, unkcap;
    ts_format fmt;
    ts_rolemap *roles;    /* owned copy; "# rollen:" lines add to it */
    ts_diags *diags;      /* borrowed, or &own_diags when none was given */
    ts_diags own_diags;

    /* Byte source: a FILE* read in chunks, or a borrowed memory buffer. */
    FILE *fp;
    int own_fp;           /* fclose at free (not for stdin) */
    int eof;
    const char *mem;
    size_t mem_len;
    int mem_done;
    char *chunk;          /* fread buffer (FILE source only) */
    const char *win;      /* current window: chunk or mem */
    size_t wlen, wpos;
    int skip_lf;          /* last line ended in '\r'; a '\n' next is its pair */
    size_t bytes;

    /* Limits, copied from limits.h at open; tests lower them. */
    size_t max_line, max_turn;

    /* The current line: raw bytes in raw, repaired copy in fix; ln points at
     * whichever is valid UTF-8. */
    ts_buf raw, fix;
    const char *ln;
    size_t ln_len;
    unsigned long lineno;
    int ln_too_long;      /* reported; ln holds only the first max_line bytes */
    int pushed_back;      /* next rd_line() returns the same line again */

    rd_turn cur;
    size_t failed;
    char *meta_json;

    /* WebVTT/SRT: segments of the last cue not yet merged into turns. */
    rd_seg *q;
    size_t qn, qhead, qcap;
    int header_done;
    unsigned long fail_line; /* an over-long cue line that already failed a turn */
    ts_buf cue;           /* scratch: a cue line without its tags (vtt),
                             a line with \u0000 escapes replaced (jsonl) */
};

/* Reads the next line into r->ln/r->ln_len (no terminator, valid UTF-8, no
 * NUL). Returns 1, or 0 at end of input. A line over max_line is reported
 * here and flagged in r->ln_too_long; the caller fails its turn. */
int rd_line(ts_reader *r);
/* Makes the next rd_line() return the current line again (one level). */
void rd_unread(ts_reader *r);

/* Folds a label for comparison: NFC, case-folded, diacritics stripped,
 * whitespace trimmed and collapsed ("Cliënt " -> "client"). Caller frees. */
char *rd_fold(const char *s, size_t len);
/* ts_rolemap_lookup for a label that is not NUL-terminated (no allocation
 * for a short ASCII label: rd_label asks for every line of a text file). */
int rd_rolemap_lookup_n(const ts_rolemap *m, const char *label, size_t len, ts_role *out);

/* Label at the start of a line, "Label: text". */
typedef enum { RD_LABEL_NONE = 0, RD_LABEL_KNOWN, RD_LABEL_UNKNOWN } rd_label_kind;
/* Classifies s[0..len). For KNOWN and UNKNOWN: *lab_off and *lab_len give the
 * trimmed label, *text_off where the text after ':' starts, *role the role
 * (KNOWN only). See read_txt.c for when an unknown prefix counts as a label. */
rd_label_kind rd_label(const ts_reader *r, const char *s, size_t len,
                       size_t *lab_off, size_t *lab_len, size_t *text_off,
                       ts_role *role);
/* Reports an unknown label at line:col with the fix for this format. */
void rd_unknown_label(ts_reader *r, unsigned long line, unsigned long col,
                      const char *label, size_t len);
/* Applies a "rollen: A=professional" spec found at line:col; reports a
 * malformed one. */
void rd_roles_line(ts_reader *r, const char *spec, size_t len,
                   unsigned long line, unsigned long col);
/* A "rollen: A=professional" comment (s after the '#' or "NOTE", at byte
 * offset off of r->ln): applies it and returns 1; 0 if it is no such line. */
int rd_roles_comment(ts_reader *r, const char *s, size_t len, size_t off);
/* Column (1-based, in code points) of byte offset off in s. */
unsigned long rd_col(const char *s, size_t off);

/* rd_turn: begin a turn (role TS_ROLE_UNKNOWN with failed=1 for one that is
 * already reported), append a piece of text (trimmed, joined with one space,
 * limit checked), and finish: moves a good turn into *t and returns 1, or
 * counts a failed one and returns 0. */
void rd_turn_begin(ts_reader *r, const char *speaker, size_t len, ts_role role,
                   unsigned long line, int failed);
void rd_turn_append(ts_reader *r, const char *s, size_t len);
void rd_turn_fail(ts_reader *r);
int rd_turn_finish(ts_reader *r, ts_turn *t);

/* Parses a cue timing line "00:01:02.500 --> 00:01:05.000 [settings]"
 * (hours optional, '.' or ',' before the milliseconds). Returns 0 with the
 * times in seconds, or -1 with *bad the byte offset of the problem. */
int rd_parse_timing(const char *s, size_t len, double *start, double *end, size_t *bad);

/* The format readers: yield the next turn like ts_reader_next(). */
int rd_txt_next(ts_reader *r, ts_turn *t);
int rd_jsonl_next(ts_reader *r, ts_turn *t);
int rd_vtt_next(ts_reader *r, ts_turn *t); /* WebVTT and SRT */

/* Lowers the line and turn limits of an open reader, so tests and fuzzers
 * can reach them without 64 MiB inputs. 0 keeps a limit. */
void ts_reader_set_limits(ts_reader *r, size_t max_line, size_t max_turn);

#endif
