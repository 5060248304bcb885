/* structure.c - see structure.h.
 *
 * Phase rules (empowerment circle), on professional turns:
 *   sf.goal, sf.miracle                         -> desired situation
 *   sf.difference, unless a next step is on the table -> desired situation
 *   sf.exception, sf.success, sf.coping         -> exceptions and successes
 *   sf.next_step                                -> next step
 *   sf.consequence                              -> current situation
 *   sf.scaling in the current situation         -> desired situation
 *   anything else (reflections, sf.more, ...)   -> the phase in progress
 * Pillar (PRIMA): a scale question is progression (confidence, what goes
 * better); otherwise situation and desired -> perspective, exceptions ->
 * possibilism, next step -> progression.
 * Talk type: the majority of the turn's sentence codes talk.problem /
 * talk.solution (see rules/nl/structure.rules); a tie goes to solution
 * talk when the turn also carries a solution-focused move or change talk.
 */
#include "structure.h"
#include <string.h>

void ts_structure_reset(ts_structure *s)
{
    s->phase = TS_PHASE_SITUATION;
    s->turns = 0;
    s->last_permission = -1;
    s->last_information = -1;
    s->prof_talk = TS_TALK_NONE;
}

const char *ts_talk_name(ts_talk t) { return t == TS_TALK_PROBLEM ? "problem" : t == TS_TALK_SOLUTION ? "solution" : NULL; }

const char *ts_phase_name(ts_phase p)
{
    static const char *const n[] = {"situation", "desired", "exceptions", "next_step"};
    return p >= 0 && p < TS_NPHASES ? n[p] : NULL;
}

const char *ts_pillar_name(ts_pillar p)
{
    static const char *const n[] = {"perspective", "possibilism", "progression"};
    return p >= 0 && p < TS_NPILLARS ? n[p] : NULL;
}

const char *ts_interaction_name(ts_interaction i)
{
    static const char *const n[] = {"visitor", "complainant", "customer"};
    return i >= 0 && i < TS_NIA ? n[i] : NULL;
}

void ts_structure_turn(ts_structure *s, const ts_ruleset *rs, int role, size_t words, const unsigned char *set, ts_turn_structure *o)
{
    memset(o, 0, sizeof *o);
    o->phase = TS_PHASE_NONE;
    o->pillar = TS_PILLAR_NONE;
    o->interaction = TS_IA_NONE;
    long idx = (long)s->turns++;

    int sol = TS_HAS(rs, set, TALK_SOLUTION), prob = TS_HAS(rs, set, TALK_PROBLEM);
    if (sol && !prob) o->talk = TS_TALK_SOLUTION;
    else if (prob && !sol) o->talk = TS_TALK_PROBLEM;
    else if (sol && prob) o->talk = TS_TALK_NONE; /* both: decided by the caller's sentence counts */

    if (role == 0 /* professional */) {
        if (TS_HAS(rs, set, SF_NEXT_STEP)) s->phase = TS_PHASE_NEXT_STEP;
        else if (TS_HAS(rs, set, SF_EXCEPTION) || TS_HAS(rs, set, SF_SUCCESS) || TS_HAS(rs, set, SF_COPING)) s->phase = TS_PHASE_EXCEPTIONS;
        else if (TS_HAS(rs, set, SF_GOAL) || TS_HAS(rs, set, SF_MIRACLE)) s->phase = TS_PHASE_DESIRED;
        else if (TS_HAS(rs, set, SF_DIFFERENCE) && s->phase != TS_PHASE_NEXT_STEP) s->phase = TS_PHASE_DESIRED;
        else if (TS_HAS(rs, set, SF_CONSEQUENCE)) s->phase = TS_PHASE_SITUATION;
        else if (TS_HAS(rs, set, SF_SCALING) && s->phase == TS_PHASE_SITUATION) s->phase = TS_PHASE_DESIRED;
        o->phase = s->phase;
        /* no talk words of its own: a question or reflection takes the talk
         * of the phase it works in (exploring the problem, or the future) */
        if (o->talk == TS_TALK_NONE && !(sol && prob) && words >= 3 &&
            (TS_HAS(rs, set, Q_OPEN) || TS_HAS(rs, set, Q_CLOSED) || TS_HAS(rs, set, R_SIMPLE) ||
             TS_HAS(rs, set, R_COMPLEX) || TS_HAS(rs, set, SUMMARY)))
            o->talk = s->phase == TS_PHASE_SITUATION ? TS_TALK_PROBLEM : TS_TALK_SOLUTION;
        s->prof_talk = o->talk;
        if (TS_HAS(rs, set, SF_SCALING) && !TS_HAS(rs, set, SF_GOAL) && !TS_HAS(rs, set, SF_EXCEPTION)) o->pillar = TS_PILLAR_PROGRESSION;
        else switch (s->phase) {
            case TS_PHASE_EXCEPTIONS: o->pillar = TS_PILLAR_POSSIBILISM; break;
            case TS_PHASE_NEXT_STEP: o->pillar = TS_PILLAR_PROGRESSION; break;
            default: o->pillar = TS_PILLAR_PERSPECTIVE; break;
            }
        /* information exchange: elicit (permission) - provide - elicit */
        int perm = TS_HAS(rs, set, PERMISSION), info = TS_HAS(rs, set, INFORMATION), adv = TS_HAS(rs, set, ADVICE);
        int invite = TS_HAS(rs, set, Q_OPEN);
        if (perm) s->last_permission = idx;
        if ((info || adv) && !perm) {
            if (s->last_permission >= 0 && idx - s->last_permission <= 4) {
                s->last_information = idx;
                if (invite) { o->epe = 1; s->last_permission = -1; s->last_information = -1; }
            } else o->info_without_permission = 1;
        } else if (invite && s->last_information >= 0 && idx - s->last_information <= 2) {
            o->epe = 1;
            s->last_permission = -1;
            s->last_information = -1;
        }
    } else if (role == 1 /* client */) {
        /* a client answer without talk words stays in the frame of the question */
        if (o->talk == TS_TALK_NONE && !(sol && prob) && words >= 5) o->talk = s->prof_talk;
        /* the strongest evidence wins when a turn shows more than one */
        if (TS_HAS(rs, set, IA_COMPLAINANT)) o->interaction = TS_IA_COMPLAINANT;
        else if (TS_HAS(rs, set, IA_VISITOR)) o->interaction = TS_IA_VISITOR;
        else if (TS_HAS(rs, set, IA_CUSTOMER)) o->interaction = TS_IA_CUSTOMER;
    }
}
