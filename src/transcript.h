/* transcript.h - turns, and the readers that produce them.
 *
 * A turn is one speaker's uninterrupted speech (an MI "volley"). Every reader
 * (txt, jsonl, vtt, srt) yields the same ts_turn, one at a time, so a 100 MB
 * transcript streams through in constant memory.
 *
 * Readers never drop text in silence: invalid UTF-8 and NUL bytes are
 * replaced by U+FFFD and reported as warnings with file:line; a line or turn
 * over a limit (limits.h) is reported as an error and the turn is counted in
 * ts_reader_failed_turns(), never emitted half.
 */
#ifndef TS_TRANSCRIPT_H
#define TS_TRANSCRIPT_H
#include "diag.h"
#include <stddef.h>

typedef enum { TS_ROLE_PROFESSIONAL = 0, TS_ROLE_CLIENT = 1, TS_ROLE_OTHER = 2, TS_ROLE_UNKNOWN = 3 } ts_role;

const char *ts_role_name(ts_role r);            /* "professional", ... */
int ts_role_parse(const char *s, ts_role *out); /* 0 ok, -1 unknown */

typedef enum { TS_FMT_AUTO = 0, TS_FMT_TXT, TS_FMT_JSONL, TS_FMT_VTT, TS_FMT_SRT } ts_format;

const char *ts_format_name(ts_format f);
int ts_format_parse(const char *s, ts_format *out); /* "txt","jsonl","vtt","srt" */

typedef struct ts_turn {
    char *speaker;        /* owned, never NULL */
    ts_role role;
    char *text;           /* owned, valid UTF-8, NUL-terminated */
    size_t text_len;
    double start, end;    /* seconds; < 0 when unknown */
    unsigned long line;   /* source line where the turn starts (1-based) */
    char *extra_json;     /* owned JSON object text with passthrough fields
                             (JSONL unknown fields, e.g. "gold"), or NULL */
} ts_turn;

void ts_turn_clear(ts_turn *t); /* frees members, zeroes; NULL-safe */

/* Label -> role table. Built-in Dutch/English labels are always known
 * (T, P, H, B, Hulpverlener, Therapeut, Coach, Begeleider, Professional,
 * Interviewer -> professional; C, K, Cliënt, Client, Klant, Patiënt,
 * Deelnemer -> client), matched case-insensitively. */
typedef struct ts_rolemap ts_rolemap;

ts_rolemap *ts_rolemap_new(void);
void ts_rolemap_free(ts_rolemap *m);
/* Adds "Anna=professional,Bram=client" style pairs. Returns 0, or -1 with a
 * message in *err (caller frees) on a malformed spec. */
int ts_rolemap_add_spec(ts_rolemap *m, const char *spec, char **err);
/* Looks up a label: 0 and *out on success, -1 if unknown. */
int ts_rolemap_lookup(const ts_rolemap *m, const char *label, ts_role *out);
ts_rolemap *ts_rolemap_copy(const ts_rolemap *m);

typedef struct ts_reader ts_reader;

/* Opens path ("-" for stdin) in format fmt (TS_FMT_AUTO: by extension, then
 * by content). roles may be NULL; the reader copies it and adds the file's
 * own "# rollen:" header. Returns 0 and *out, or -1 with an error in diags
 * (file missing, unreadable, UTF-16, ...). */
int ts_reader_open(ts_reader **out, const char *path, ts_format fmt,
                   const ts_rolemap *roles, ts_diags *diags);

/* Same, over a memory buffer (not copied; must outlive the reader). name is
 * used in diagnostics. */
int ts_reader_open_mem(ts_reader **out, const char *name, const char *data,
                       size_t len, ts_format fmt, const ts_rolemap *roles,
                       ts_diags *diags);

/* Yields the next turn into *t (cleared first; caller owns its members and
 * clears them). Returns 1 for a turn, 0 at end of input. Problems with the
 * input go to diags and reading continues with the next turn. */
int ts_reader_next(ts_reader *r, ts_turn *t);

ts_format ts_reader_format(const ts_reader *r);
const char *ts_reader_name(const ts_reader *r);
/* Session metadata: JSON object text of a JSONL {"type":"meta",...} line,
 * or NULL. Valid until the reader is freed. */
const char *ts_reader_meta_json(const ts_reader *r);
/* Turns that could not be read (each reported as an error in diags). */
size_t ts_reader_failed_turns(const ts_reader *r);
/* Bytes consumed so far (for progress). */
size_t ts_reader_bytes(const ts_reader *r);

void ts_reader_free(ts_reader *r); /* NULL-safe */

#endif
