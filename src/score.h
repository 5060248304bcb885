/* score.h - session scores: MITI 4.2.1 summary, client language,
 * solution-focused profile, talk time, scale trajectory.
 *
 * Scores are kept as raw named counters (so shards can be summed exactly by
 * `taalspel merge`) and the ratios are derived from them at output time.
 * Every definition is documented in README.md ("Scores").
 */
#ifndef TS_SCORE_H
#define TS_SCORE_H
#include "coder.h"
#include "transcript.h"
#include <stddef.h>
#include <stdint.h>

/* a named counter set: name -> count (insertion order kept) */
typedef struct ts_counts {
    char **name;
    double *val;
    size_t n, cap;
    uint32_t *slot; size_t nslot; /* hash index: name -> position + 1 (speed only) */
} ts_counts;

void ts_counts_add(ts_counts *c, const char *name, double v);
double ts_counts_get(const ts_counts *c, const char *name);
void ts_counts_free(ts_counts *c);

typedef struct ts_scale_point { size_t index; double value; } ts_scale_point;

typedef struct ts_scores {
    size_t sessions;          /* 1 for one transcript; more after merge */
    ts_counts raw;            /* every counter, e.g. "turns.client", "code.professional.question.open",
                                 "miti.reflections", "words.client", "seconds.professional" */
    ts_scale_point *scale; size_t nscale, scalecap;
    int has_time;             /* some turn had start and end */
    /* conversation structure (structure.h): per-turn talk labels for the
     * first/last third, the first turn of each phase and pillar, and the
     * client's interaction-type evidence */
    unsigned char *talk; size_t ntalk, talkcap;   /* role * 3 + talk, per turn */
    long first_phase[4], first_pillar[3];
    struct ts_ia_evidence { char *speaker; size_t index; int type; } *ia; size_t nia, iacap;
    int finished;
    /* positions of the "code.<role>.<code>" counters in raw, per role and
     * code of the rule set code_rs (-1: not created yet); speed only */
    long *code_slot; const void *code_rs;
} ts_scores;

/* Computes the counters that need the whole session (talk by thirds).
 * Call once after the last turn, before emitting; idempotent. */
void ts_scores_finish(ts_scores *s);

/* The client's interaction type: segments of one type, with the turns that
 * show it. Caller frees with ts_ia_summary_free. */
typedef struct ts_ia_segment { int type; size_t from; size_t *turns; size_t nturns; } ts_ia_segment;
typedef struct ts_ia_client { char *speaker; int type; ts_ia_segment *seg; size_t nseg; } ts_ia_client;
typedef struct ts_ia_summary { ts_ia_client *c; size_t n; } ts_ia_summary;
void ts_ia_summarise(const ts_scores *s, ts_ia_summary *out);
void ts_ia_summary_free(ts_ia_summary *sum);

void ts_scores_init(ts_scores *s);
void ts_scores_free(ts_scores *s);

/* Adds one coded turn. */
void ts_scores_add_turn(ts_scores *s, const ts_ruleset *rs, const ts_turn *t, size_t index, const ts_coded *cd);
/* Counts a turn that could not be read (reported as an error). */
void ts_scores_add_failed(ts_scores *s, size_t n);
/* Adds another session's scores (merge). */
void ts_scores_merge(ts_scores *dst, const ts_scores *src);

/* Derived figures; NAN where a denominator is zero. */
typedef struct ts_derived {
    double reflections, complex_reflections, simple_reflections, questions, open_questions, closed_questions;
    double rq_ratio, pct_complex_reflections, pct_open_questions;
    const char *rq_level, *cr_level; /* "good", "fair", "below" or NULL */
    double mi_adherent, mi_non_adherent;
    double change_talk, sustain_talk, pct_change_talk;
    double sf_moves, sf_per_10, why_questions, pct_why;
    double words_prof, words_client, words_other, prof_share_words;
    double sec_prof, sec_client, sec_other, prof_share_seconds;
    double turns_prof, turns_client, turns_other, turns_total, turns_failed;
} ts_derived;

void ts_scores_derive(const ts_scores *s, ts_derived *d);

/* MITI 4.2.1 level of a value: "good" when >= good, "fair" when >= fair,
 * "below" otherwise, NULL for NAN. */
const char *ts_level(double v, double fair, double good);

/* The client-talk subtypes (DARN-CAT) and the solution-focused codes, in
 * report order. NULL-terminated. */
extern const char *const ts_subtypes[];
extern const char *const ts_sf_codes[];

#endif
