/* structure.h - conversation structure of a turn: problem vs solution talk,
 * the phase of the empowerment circle and the PRIMA pillar of professional
 * turns, and the client's interaction-type evidence.
 *
 * Derived from the turn's codes and the phase in progress: a turn without a
 * solution-focused move keeps the phase of the turn before it, the way a
 * trainer reads a session. Computed by the coder after each turn. */
#ifndef TS_STRUCTURE_H
#define TS_STRUCTURE_H
#include "rules.h"

typedef enum { TS_TALK_NONE = 0, TS_TALK_PROBLEM, TS_TALK_SOLUTION } ts_talk;
typedef enum { TS_PHASE_NONE = -1, TS_PHASE_SITUATION = 0, TS_PHASE_DESIRED, TS_PHASE_EXCEPTIONS, TS_PHASE_NEXT_STEP, TS_NPHASES } ts_phase;
typedef enum { TS_PILLAR_NONE = -1, TS_PILLAR_PERSPECTIVE = 0, TS_PILLAR_POSSIBILISM, TS_PILLAR_PROGRESSION, TS_NPILLARS } ts_pillar;
typedef enum { TS_IA_NONE = -1, TS_IA_VISITOR = 0, TS_IA_COMPLAINANT, TS_IA_CUSTOMER, TS_NIA } ts_interaction;

typedef struct ts_turn_structure {
    ts_talk talk;
    ts_phase phase;              /* professional turns only */
    ts_pillar pillar;            /* professional turns only */
    ts_interaction interaction;  /* client turns that show it */
    int epe;                     /* this turn completes permission -> information -> invitation */
    int info_without_permission; /* information or advice with no permission asked just before */
} ts_turn_structure;

/* Per-transcript state (the phase in progress, the last permission). */
typedef struct ts_structure {
    ts_phase phase;
    size_t turns;
    long last_permission;        /* turn index of the last permission, or -1 */
    long last_information;       /* turn index of information given after permission, or -1 */
    ts_talk prof_talk;           /* talk type of the last professional turn */
} ts_structure;

void ts_structure_reset(ts_structure *s);

/* Codes present in the turn: has[c] != 0 for code index c. role is the
 * turn's role, words its word count. Fills out and advances the state. */
void ts_structure_turn(ts_structure *s, const ts_ruleset *rs, int role, size_t words, const unsigned char *has, ts_turn_structure *out);

const char *ts_talk_name(ts_talk t);         /* "problem", "solution", NULL for none */
const char *ts_phase_name(ts_phase p);       /* "situation", "desired", "exceptions", "next_step" */
const char *ts_pillar_name(ts_pillar p);     /* "perspective", "possibilism", "progression" */
const char *ts_interaction_name(ts_interaction i); /* "visitor", "complainant", "customer" */

#endif
