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

static int has(const ts_ruleset *rs, const unsigned char *set, const char *name)
{
    int i = ts_rules_code_index(rs, name);
    return i >= 0 && set[i];
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

    int sol = has(rs, set, "talk.solution"), prob = has(rs, set, "talk.problem");
    if (sol && !prob) o->talk = TS_TALK_SOLUTION;
    else if (prob && !sol) o->talk = TS_TALK_PROBLEM;
    else if (sol && prob) o->talk = TS_TALK_NONE; /* both: decided by the caller's sentence counts */

    if (role == 0 /* professional */) {
        if (has(rs, set, "sf.next_step")) s->phase = TS_PHASE_NEXT_STEP;
        else if (has(rs, set, "sf.exception") || has(rs, set, "sf.success") || has(rs, set, "sf.coping")) s->phase = TS_PHASE_EXCEPTIONS;
        else if (has(rs, set, "sf.goal") || has(rs, set, "sf.miracle")) s->phase = TS_PHASE_DESIRED;
        else if (has(rs, set, "sf.difference") && s->phase != TS_PHASE_NEXT_STEP) s->phase = TS_PHASE_DESIRED;
        else if (has(rs, set, "sf.consequence")) s->phase = TS_PHASE_SITUATION;
        else if (has(rs, set, "sf.scaling") && s->phase == TS_PHASE_SITUATION) s->phase = TS_PHASE_DESIRED;
        o->phase = s->phase;
        /* no talk words of its own: a question or reflection takes the talk
         * of the phase it works in (exploring the problem, or the future) */
        if (o->talk == TS_TALK_NONE && !(sol && prob) && words >= 3 &&
            (has(rs, set, "question.open") || has(rs, set, "question.closed") || has(rs, set, "reflection.simple") ||
             has(rs, set, "reflection.complex") || has(rs, set, "summary")))
            o->talk = s->phase == TS_PHASE_SITUATION ? TS_TALK_PROBLEM : TS_TALK_SOLUTION;
        s->prof_talk = o->talk;
        if (has(rs, set, "sf.scaling") && !has(rs, set, "sf.goal") && !has(rs, set, "sf.exception")) o->pillar = TS_PILLAR_PROGRESSION;
        else switch (s->phase) {
            case TS_PHASE_EXCEPTIONS: o->pillar = TS_PILLAR_POSSIBILISM; break;
            case TS_PHASE_NEXT_STEP: o->pillar = TS_PILLAR_PROGRESSION; break;
            default: o->pillar = TS_PILLAR_PERSPECTIVE; break;
            }
        /* information exchange: elicit (permission) - provide - elicit */
        int perm = has(rs, set, "permission"), info = has(rs, set, "information"), adv = has(rs, set, "advice");
        int invite = has(rs, set, "question.open");
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
        if (has(rs, set, "interaction.complainant")) o->interaction = TS_IA_COMPLAINANT;
        else if (has(rs, set, "interaction.visitor")) o->interaction = TS_IA_VISITOR;
        else if (has(rs, set, "interaction.customer")) o->interaction = TS_IA_CUSTOMER;
    }
}
