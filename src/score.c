/* score.c - see score.h.
 *
 * Counting follows MITI 4.2.1 (Moyers et al., 2016): behaviour codes are
 * counted per volley (here: per turn), each code at most once per turn; a
 * turn with a simple and a complex reflection counts one complex reflection
 * (section "Reflections"); a turn with several questions counts one question,
 * open if any is open. Summaries are counted as complex reflections, as
 * MITI 4.2.1 codes summaries as reflections. Client language follows the
 * MISC 2.5 DARN-CAT subtypes, each once per turn.
 */
#include "score.h"
#include "structure.h"
#include "util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const ts_subtypes[] = {"desire", "ability", "reason", "need", "commitment", "activation", "taking_steps", NULL};
const char *const ts_sf_codes[] = {"sf.goal", "sf.miracle", "sf.exception", "sf.success", "sf.scaling", "sf.coping",
                                   "sf.difference", "sf.more", "sf.relationship", "sf.next_step", "sf.consequence", NULL};

/* The counters are looked up by name several times per turn; a small
 * open-addressing index (load <= 1/2) keeps that O(1). */
static uint32_t counts_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) { h ^= (unsigned char)*s; h *= 16777619u; }
    return h;
}

static size_t counts_find(const ts_counts *c, const char *name, uint32_t h)
{
    if (!c->nslot) return (size_t)-1;
    for (size_t i = h & (c->nslot - 1);; i = (i + 1) & (c->nslot - 1)) {
        uint32_t v = c->slot[i];
        if (!v) return (size_t)-1;
        if (!strcmp(c->name[v - 1], name)) return v - 1;
    }
}

static void counts_index(ts_counts *c, size_t nslot)
{
    free(c->slot);
    c->slot = ts_xcalloc(nslot, sizeof *c->slot);
    c->nslot = nslot;
    for (size_t k = 0; k < c->n; k++) {
        size_t i = counts_hash(c->name[k]) & (nslot - 1);
        while (c->slot[i]) i = (i + 1) & (nslot - 1);
        c->slot[i] = (uint32_t)k + 1;
    }
}

/* The position of counter name, added with value 0 when new. Positions never
 * change, so callers may keep them (ts_scores keeps its fixed and per-code
 * counters' positions). */
static size_t counts_slot(ts_counts *c, const char *name)
{
    uint32_t h = counts_hash(name);
    size_t at = counts_find(c, name, h);
    if (at != (size_t)-1) return at;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->name = ts_xrealloc(c->name, c->cap * sizeof *c->name);
        c->val = ts_xrealloc(c->val, c->cap * sizeof *c->val);
    }
    c->name[c->n] = ts_strdup(name);
    c->val[c->n++] = 0;
    if (c->n * 2 > c->nslot) counts_index(c, c->nslot ? c->nslot * 2 : 256);
    else {
        size_t i = h & (c->nslot - 1);
        while (c->slot[i]) i = (i + 1) & (c->nslot - 1);
        c->slot[i] = (uint32_t)c->n;
    }
    return c->n - 1;
}

void ts_counts_add(ts_counts *c, const char *name, double v) { c->val[counts_slot(c, name)] += v; }

double ts_counts_get(const ts_counts *c, const char *name)
{
    size_t at = counts_find(c, name, counts_hash(name));
    return at == (size_t)-1 ? 0 : c->val[at];
}

void ts_counts_free(ts_counts *c)
{
    for (size_t i = 0; i < c->n; i++) free(c->name[i]);
    free(c->name);
    free(c->val);
    free(c->slot);
    memset(c, 0, sizeof *c);
}

#define FIXED_COUNTERS(X) \
    X(TURNS_PROF, "turns.professional") X(TURNS_CLIENT, "turns.client") X(TURNS_OTHER, "turns.other") \
    X(TURNS_FAILED, "turns.failed") \
    X(WORDS_PROF, "words.professional") X(WORDS_CLIENT, "words.client") X(WORDS_OTHER, "words.other") \
    X(SECONDS_PROF, "seconds.professional") X(SECONDS_CLIENT, "seconds.client") X(SECONDS_OTHER, "seconds.other") \
    X(REFLECTIONS, "miti.reflections") X(COMPLEX_REFLECTIONS, "miti.complex_reflections") \
    X(SIMPLE_REFLECTIONS, "miti.simple_reflections") \
    X(QUESTIONS, "miti.questions") X(OPEN_QUESTIONS, "miti.open_questions") X(CLOSED_QUESTIONS, "miti.closed_questions") \
    X(MI_ADHERENT, "miti.mi_adherent") X(MI_NON_ADHERENT, "miti.mi_non_adherent") \
    X(CHANGE_TALK, "client.change_talk") X(SUSTAIN_TALK, "client.sustain_talk") \
    X(SF_MOVES, "sf.moves") X(WHY_QUESTIONS, "sf.why_questions") \
    X(TALK_PROF_PROBLEM, "talk.professional.problem") X(TALK_PROF_SOLUTION, "talk.professional.solution") \
    X(TALK_PROF_NONE, "talk.professional.none") \
    X(TALK_CLIENT_PROBLEM, "talk.client.problem") X(TALK_CLIENT_SOLUTION, "talk.client.solution") \
    X(TALK_CLIENT_NONE, "talk.client.none") \
    X(T1_PROF_PROBLEM, "talk.first_third.professional.problem") X(T1_PROF_SOLUTION, "talk.first_third.professional.solution") \
    X(T1_CLIENT_PROBLEM, "talk.first_third.client.problem") X(T1_CLIENT_SOLUTION, "talk.first_third.client.solution") \
    X(T3_PROF_PROBLEM, "talk.last_third.professional.problem") X(T3_PROF_SOLUTION, "talk.last_third.professional.solution") \
    X(T3_CLIENT_PROBLEM, "talk.last_third.client.problem") X(T3_CLIENT_SOLUTION, "talk.last_third.client.solution") \
    X(PHASE_SITUATION, "phase.situation") X(PHASE_DESIRED, "phase.desired") X(PHASE_EXCEPTIONS, "phase.exceptions") \
    X(PHASE_NEXT_STEP, "phase.next_step") \
    X(PILLAR_PERSPECTIVE, "pillar.perspective") X(PILLAR_POSSIBILISM, "pillar.possibilism") \
    X(PILLAR_PROGRESSION, "pillar.progression") \
    X(EPE, "info.epe_sequences") X(INFO_WITH_PERMISSION, "info.information_with_permission") \
    X(INFO_WITHOUT_PERMISSION, "info.without_permission") X(JUMPED, "structure.jumped_to_next_step")
#define FX_ENUM(e, n) FX_##e,
enum { FIXED_COUNTERS(FX_ENUM) FX_COUNT };
#undef FX_ENUM

void ts_scores_init(ts_scores *s)
{
    memset(s, 0, sizeof *s);
    s->sessions = 1;
    /* fixed counters first, so every session has every column; their
     * positions are the FX_* enum */
    static const char *const fixed[] = {
#define FX_NAME(e, n) n,
        FIXED_COUNTERS(FX_NAME)
#undef FX_NAME
    };
    for (int i = 0; i < FX_COUNT; i++) counts_slot(&s->raw, fixed[i]);
    for (int i = 0; i < 4; i++) s->first_phase[i] = -1;
    for (int i = 0; i < 3; i++) s->first_pillar[i] = -1;
}

void ts_scores_free(ts_scores *s)
{
    if (!s) return;
    ts_counts_free(&s->raw);
    free(s->code_slot);
    free(s->scale);
    free(s->talk);
    for (size_t i = 0; i < s->nia; i++) free(s->ia[i].speaker);
    free(s->ia);
    memset(s, 0, sizeof *s);
}

void ts_scores_add_failed(ts_scores *s, size_t n) { ts_counts_add(&s->raw, "turns.failed", (double)n); }

/* The counter "code.<role>.<code>", created on first use (so the columns of
 * a session appear in the order its codes did) and then kept by position. */
static double *code_counter(ts_scores *s, const ts_ruleset *rs, int role, size_t code)
{
    if (s->code_rs != rs) {
        free(s->code_slot);
        s->code_slot = ts_xmalloc(4 * (rs->ncodes ? rs->ncodes : 1) * sizeof *s->code_slot); /* 4 roles */
        for (size_t i = 0; i < 4 * rs->ncodes; i++) s->code_slot[i] = -1;
        s->code_rs = rs;
    }
    long *at = &s->code_slot[(size_t)role * rs->ncodes + code];
    if (*at < 0) {
        char key[256];
        snprintf(key, sizeof key, "code.%s.%s", ts_role_name((ts_role)role), rs->codes[code].name);
        *at = (long)counts_slot(&s->raw, key);
    }
    return &s->raw.val[*at];
}

void ts_scores_add_turn(ts_scores *s, const ts_ruleset *rs, const ts_turn *t, size_t index, const ts_coded *cd)
{
    double *v = s->raw.val;
    int r3 = t->role <= TS_ROLE_OTHER ? (int)t->role : -1; /* the three roles with fixed counters */
    const char *role = ts_role_name(t->role);
    char key[256];
    if (r3 >= 0) {
        v[FX_TURNS_PROF + r3] += 1;
        v[FX_WORDS_PROF + r3] += (double)cd->words;
    } else {
        snprintf(key, sizeof key, "turns.%s", role);
        ts_counts_add(&s->raw, key, 1);
        snprintf(key, sizeof key, "words.%s", role);
        ts_counts_add(&s->raw, key, (double)cd->words);
    }
    if (t->start >= 0 && t->end >= t->start) {
        if (r3 >= 0) s->raw.val[FX_SECONDS_PROF + r3] += t->end - t->start;
        else {
            snprintf(key, sizeof key, "seconds.%s", role);
            ts_counts_add(&s->raw, key, t->end - t->start);
        }
        s->has_time = 1;
    }
    unsigned char stack[512];
    unsigned char *set = rs->ncodes <= sizeof stack ? stack : ts_xcalloc(rs->ncodes, 1);
    memset(set, 0, rs->ncodes);
    int scale_done = 0;
    for (size_t i = 0; i < cd->nhits; i++) {
        const ts_hit *h = &cd->hits[i];
        if (h->state != TS_HIT_LIVE) continue;
        set[h->code] = 1;
        if (!scale_done && h->has_value && h->code == rs->known[TS_K_SCALE_ANSWER]) {
            TS_VEC_RESERVE(s->scale, s->scalecap, s->nscale + 1);
            s->scale[s->nscale].index = index;
            s->scale[s->nscale].value = h->value;
            s->nscale++;
            scale_done = 1; /* one answer per turn: the first number given */
        }
    }
    int cr = TS_HAS(rs, set, R_COMPLEX) || TS_HAS(rs, set, R_DOUBLE) || TS_HAS(rs, set, SUMMARY);
    int sr = !cr && TS_HAS(rs, set, R_SIMPLE);
    for (size_t c = 0; c < rs->ncodes; c++) {
        if (!set[c]) continue;
        if (cr && (int)c == rs->known[TS_K_R_SIMPLE]) continue; /* complex wins in a turn */
        *code_counter(s, rs, (int)t->role, c) += 1;
    }
    v = s->raw.val; /* code_counter may have grown the table */
    if (t->role == TS_ROLE_PROFESSIONAL) {
        if (cr || sr) v[FX_REFLECTIONS] += 1;
        if (cr) v[FX_COMPLEX_REFLECTIONS] += 1;
        if (sr) v[FX_SIMPLE_REFLECTIONS] += 1;
        int oq = TS_HAS(rs, set, Q_OPEN), cq = TS_HAS(rs, set, Q_CLOSED);
        if (oq || cq) v[FX_QUESTIONS] += 1;
        if (oq) v[FX_OPEN_QUESTIONS] += 1;
        else if (cq) v[FX_CLOSED_QUESTIONS] += 1;
        v[FX_MI_ADHERENT] += TS_HAS(rs, set, AFFIRMATION) + TS_HAS(rs, set, PERMISSION) + TS_HAS(rs, set, AUTONOMY);
        v[FX_MI_NON_ADHERENT] += TS_HAS(rs, set, ADVICE);
        int moves = 0;
        for (int k = TS_K_SF_GOAL; k <= TS_K_SF_CONSEQUENCE; k++) moves += ts_known_in(rs, set, k);
        v[FX_SF_MOVES] += moves;
        v[FX_WHY_QUESTIONS] += TS_HAS(rs, set, Q_WHY);
    }
    if (t->role == TS_ROLE_CLIENT) {
        int ct = 0, st = 0;
        for (int k = 0; k <= TS_K_CT_TAKING_STEPS - TS_K_CT_DESIRE; k++) {
            ct += ts_known_in(rs, set, TS_K_CT_DESIRE + k);
            st += ts_known_in(rs, set, TS_K_ST_DESIRE + k);
        }
        v[FX_CHANGE_TALK] += ct;
        v[FX_SUSTAIN_TALK] += st;
    }
    if (set != stack) free(set);

    /* conversation structure */
    const ts_turn_structure *st = &cd->st;
    if (t->role == TS_ROLE_PROFESSIONAL || t->role == TS_ROLE_CLIENT) {
        static const int talk_slot[2][3] = {{FX_TALK_PROF_NONE, FX_TALK_PROF_PROBLEM, FX_TALK_PROF_SOLUTION},
                                            {FX_TALK_CLIENT_NONE, FX_TALK_CLIENT_PROBLEM, FX_TALK_CLIENT_SOLUTION}};
        v[talk_slot[t->role][st->talk]] += 1;
    }
    TS_VEC_RESERVE(s->talk, s->talkcap, s->ntalk + 1);
    s->talk[s->ntalk++] = (unsigned char)(t->role * 3 + st->talk);
    if (st->phase >= 0) {
        v[FX_PHASE_SITUATION + st->phase] += 1;
        if (s->first_phase[st->phase] < 0) s->first_phase[st->phase] = (long)index;
    }
    if (st->pillar >= 0) {
        v[FX_PILLAR_PERSPECTIVE + st->pillar] += 1;
        if (s->first_pillar[st->pillar] < 0) s->first_pillar[st->pillar] = (long)index;
    }
    if (st->epe) v[FX_EPE] += 1;
    if (st->info_without_permission) v[FX_INFO_WITHOUT_PERMISSION] += 1;
    if (st->interaction >= 0) {
        TS_VEC_RESERVE(s->ia, s->iacap, s->nia + 1);
        s->ia[s->nia].speaker = ts_strdup(t->speaker);
        s->ia[s->nia].index = index;
        s->ia[s->nia].type = st->interaction;
        s->nia++;
    }
}

void ts_scores_finish(ts_scores *s)
{
    if (s->finished) return;
    s->finished = 1;
    size_t n = s->ntalk, third = n / 3;
    for (size_t i = 0; i < n && third; i++) {
        int role = s->talk[i] / 3, talk = s->talk[i] % 3;
        if (role > 1 || talk == TS_TALK_NONE) continue;
        const char *part = i < third ? "first_third" : i >= n - third ? "last_third" : NULL;
        if (!part) continue;
        char key[96];
        snprintf(key, sizeof key, "talk.%s.%s.%s", part, ts_role_name((ts_role)role), ts_talk_name((ts_talk)talk));
        ts_counts_add(&s->raw, key, 1);
    }
    /* a session that asks for next steps before any desired situation */
    long ns = s->first_phase[TS_PHASE_NEXT_STEP], de = s->first_phase[TS_PHASE_DESIRED];
    if (ns >= 0 && (de < 0 || ns < de)) ts_counts_add(&s->raw, "structure.jumped_to_next_step", 1);
}

/* Segments: the type changes when two pieces of evidence in a row (or the
 * last one) show a new type; one stray piece does not start a segment. */
void ts_ia_summarise(const ts_scores *s, ts_ia_summary *out)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < s->nia; i++) {
        ts_ia_client *c = NULL;
        for (size_t k = 0; k < out->n; k++)
            if (!strcmp(out->c[k].speaker, s->ia[i].speaker)) c = &out->c[k];
        if (!c) {
            out->c = ts_xrealloc(out->c, (out->n + 1) * sizeof *out->c);
            c = &out->c[out->n++];
            memset(c, 0, sizeof *c);
            c->speaker = ts_strdup(s->ia[i].speaker);
        }
        int type = s->ia[i].type;
        ts_ia_segment *cur = c->nseg ? &c->seg[c->nseg - 1] : NULL;
        if (cur && cur->type != type) {
            /* look ahead: does the next piece of this speaker agree? */
            int confirm = 1;
            for (size_t j = i + 1; j < s->nia; j++)
                if (!strcmp(s->ia[j].speaker, c->speaker)) { confirm = s->ia[j].type == type; break; }
            if (!confirm) continue;
        }
        if (!cur || cur->type != type) {
            c->seg = ts_xrealloc(c->seg, (c->nseg + 1) * sizeof *c->seg);
            cur = &c->seg[c->nseg++];
            memset(cur, 0, sizeof *cur);
            cur->type = type;
            cur->from = s->ia[i].index;
        }
        cur->turns = ts_xrealloc(cur->turns, (cur->nturns + 1) * sizeof *cur->turns);
        cur->turns[cur->nturns++] = s->ia[i].index;
    }
    /* the session's type: the segment that covers the most evidence, later wins ties */
    for (size_t k = 0; k < out->n; k++) {
        ts_ia_client *c = &out->c[k];
        size_t best = 0;
        c->type = -1;
        for (size_t g = 0; g < c->nseg; g++)
            if (c->seg[g].nturns >= best) { best = c->seg[g].nturns; c->type = c->seg[g].type; }
    }
}

void ts_ia_summary_free(ts_ia_summary *sum)
{
    for (size_t k = 0; k < sum->n; k++) {
        for (size_t g = 0; g < sum->c[k].nseg; g++) free(sum->c[k].seg[g].turns);
        free(sum->c[k].seg);
        free(sum->c[k].speaker);
    }
    free(sum->c);
    memset(sum, 0, sizeof *sum);
}

void ts_scores_merge(ts_scores *dst, const ts_scores *src)
{
    dst->sessions += src->sessions;
    for (size_t i = 0; i < src->raw.n; i++) ts_counts_add(&dst->raw, src->raw.name[i], src->raw.val[i]);
    dst->has_time |= src->has_time;
}

const char *ts_level(double v, double fair, double good)
{
    if (isnan(v)) return NULL;
    return v >= good ? "good" : v >= fair ? "fair" : "below";
}

static double ratio(double a, double b) { return b > 0 ? a / b : NAN; }

void ts_scores_derive(const ts_scores *s, ts_derived *d)
{
    const ts_counts *r = &s->raw;
#define G(n) ts_counts_get(r, n)
    d->reflections = G("miti.reflections");
    d->complex_reflections = G("miti.complex_reflections");
    d->simple_reflections = G("miti.simple_reflections");
    d->questions = G("miti.questions");
    d->open_questions = G("miti.open_questions");
    d->closed_questions = G("miti.closed_questions");
    d->rq_ratio = ratio(d->reflections, d->questions);
    d->pct_complex_reflections = 100 * ratio(d->complex_reflections, d->reflections);
    d->pct_open_questions = 100 * ratio(d->open_questions, d->questions);
    d->rq_level = ts_level(d->rq_ratio, 1.0, 2.0);
    d->cr_level = ts_level(d->pct_complex_reflections, 40.0, 50.0);
    d->mi_adherent = G("miti.mi_adherent");
    d->mi_non_adherent = G("miti.mi_non_adherent");
    d->change_talk = G("client.change_talk");
    d->sustain_talk = G("client.sustain_talk");
    d->pct_change_talk = 100 * ratio(d->change_talk, d->change_talk + d->sustain_talk);
    d->turns_prof = G("turns.professional");
    d->turns_client = G("turns.client");
    d->turns_other = G("turns.other");
    d->turns_failed = G("turns.failed");
    d->turns_total = d->turns_prof + d->turns_client + d->turns_other;
    d->sf_moves = G("sf.moves");
    d->sf_per_10 = 10 * ratio(d->sf_moves, d->turns_prof);
    d->why_questions = G("sf.why_questions");
    d->pct_why = 100 * ratio(d->why_questions, d->questions);
    d->words_prof = G("words.professional");
    d->words_client = G("words.client");
    d->words_other = G("words.other");
    d->prof_share_words = 100 * ratio(d->words_prof, d->words_prof + d->words_client);
    d->sec_prof = G("seconds.professional");
    d->sec_client = G("seconds.client");
    d->sec_other = G("seconds.other");
    d->prof_share_seconds = s->has_time ? 100 * ratio(d->sec_prof, d->sec_prof + d->sec_client) : NAN;
#undef G
}
