/* emit.h - output: the JSON document, JSON Lines and CSV contracts.
 *
 *   json   one document per transcript:
 *          {"taalspel": VERSION, "source": FILE, "meta": {...}?,
 *           "utterances": [...], "scores": {...}}
 *   jsonl  one {"type":"utterance", "source", ...} line per turn, then one
 *          {"type":"session", "source", "scores"} line per transcript
 *   csv    a turn table (source,index,speaker,role,start,end,text,codes) and
 *          a session table (one row per transcript, every score a column)
 *
 * Every writer streams: a turn is written as soon as it is coded, and the
 * scores at the end, so memory does not grow with the transcript.
 */
#ifndef TS_EMIT_H
#define TS_EMIT_H
#include "coder.h"
#include "score.h"
#include "util.h"
#include <stdio.h>

typedef enum { TS_OUT_JSON = 0, TS_OUT_JSONL, TS_OUT_CSV } ts_outfmt;

int ts_outfmt_parse(const char *s, ts_outfmt *out);

typedef struct ts_emitter {
    ts_outfmt fmt;
    FILE *out;           /* turns / documents */
    FILE *sess;          /* csv session table, may be NULL */
    const ts_ruleset *rs;
    const char *source;
    size_t nturns;
} ts_emitter;

/* Header rows of the two CSV tables (written once per output file). */
void ts_emit_csv_headers(const ts_ruleset *rs, FILE *turns, FILE *sess);

void ts_emit_begin(ts_emitter *e, const char *source, const char *meta_json);
void ts_emit_turn(ts_emitter *e, size_t index, const ts_turn *t, const ts_coded *cd);
void ts_emit_end(ts_emitter *e, const ts_scores *s);

/* The scores object as compact JSON text (caller frees). */
char *ts_scores_json(const ts_scores *s, const ts_ruleset *rs, int pretty);

/* Reads the scores of a taalspel JSON document or JSONL session line back
 * (for merge). Returns 0, or -1 if text holds no scores. */
int ts_scores_from_json(ts_scores *s, const char *text);

/* The string member key of the JSON object text json (e.g. "title" of a
 * session's meta object), as a new string the caller frees; NULL when json
 * is NULL, not an object, or has no such string member. */
char *ts_json_string_member(const char *json, const char *key);

/* Appends turn t as one JSON object (no newline) to out: the bytes the
 * json/jsonl formats write. with_cjson = 1 builds them through cJSON, the
 * slow original the hand-written writer must equal (for the tests). */
void ts_emit_utterance(ts_buf *out, const ts_emitter *e, size_t index, const ts_turn *t, const ts_coded *cd, int with_cjson);

/* RFC 4180 field: quotes when needed. */
void ts_csv_field(FILE *f, const char *s);

#endif
