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
#include "util.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const ts_subtypes[] = {"desire", "ability", "reason", "need", "commitment", "activation", "taking_steps", NULL};
const char *const ts_sf_codes[] = {"sf.goal", "sf.miracle", "sf.exception", "sf.success", "sf.scaling", "sf.coping",
                                   "sf.difference", "sf.more", "sf.relationship", "sf.next_step", "sf.consequence", NULL};

void ts_counts_add(ts_counts *c, const char *name, double v)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->name[i], name)) { c->val[i] += v; return; }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->name = ts_xrealloc(c->name, c->cap * sizeof *c->name);
        c->val = ts_xrealloc(c->val, c->cap * sizeof *c->val);
    }
    c->name[c->n] = ts_strdup(name);
    c->val[c->n++] = v;
}

double ts_counts_get(const ts_counts *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (!strcmp(c->name[i], name)) return c->val[i];
    return 0;
}

void ts_counts_free(ts_counts *c)
{
    for (size_t i = 0; i < c->n; i++) free(c->name[i]);
    free(c->name);
    free(c->val);
    memset(c, 0, sizeof *c);
}

void ts_scores_init(ts_scores *s)
{
    memset(s, 0, sizeof *s);
    s->sessions = 1;
    /* fixed counters first, so every session has every column */
    static const char *const fixed[] = {
        "turns.professional", "turns.client", "turns.other", "turns.failed",
        "words.professional", "words.client", "words.other",
        "seconds.professional", "seconds.client", "seconds.other",
        "miti.reflections", "miti.complex_reflections", "miti.simple_reflections",
        "miti.questions", "miti.open_questions", "miti.closed_questions",
        "miti.mi_adherent", "miti.mi_non_adherent",
        "client.change_talk", "client.sustain_talk",
        "sf.moves", "sf.why_questions", NULL};
    for (int i = 0; fixed[i]; i++) ts_counts_add(&s->raw, fixed[i], 0);
}

void ts_scores_free(ts_scores *s)
{
    if (!s) return;
    ts_counts_free(&s->raw);
    free(s->scale);
    memset(s, 0, sizeof *s);
}

void ts_scores_add_failed(ts_scores *s, size_t n) { ts_counts_add(&s->raw, "turns.failed", (double)n); }

static int has(const ts_ruleset *rs, const unsigned char *set, const char *name)
{
    int i = ts_rules_code_index(rs, name);
    return i >= 0 && set[i];
}

void ts_scores_add_turn(ts_scores *s, const ts_ruleset *rs, const ts_turn *t, size_t index, const ts_coded *cd)
{
    const char *role = ts_role_name(t->role);
    char key[256];
    snprintf(key, sizeof key, "turns.%s", role);
    ts_counts_add(&s->raw, key, 1);
    snprintf(key, sizeof key, "words.%s", role);
    ts_counts_add(&s->raw, key, (double)cd->words);
    if (t->start >= 0 && t->end >= t->start) {
        snprintf(key, sizeof key, "seconds.%s", role);
        ts_counts_add(&s->raw, key, t->end - t->start);
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
        if (!scale_done && h->has_value && !strcmp(rs->codes[h->code].name, "scale.answer")) {
            TS_VEC_RESERVE(s->scale, s->scalecap, s->nscale + 1);
            s->scale[s->nscale].index = index;
            s->scale[s->nscale].value = h->value;
            s->nscale++;
            scale_done = 1; /* one answer per turn: the first number given */
        }
    }
    int cr = has(rs, set, "reflection.complex") || has(rs, set, "reflection.double_sided") || has(rs, set, "summary");
    int sr = !cr && has(rs, set, "reflection.simple");
    for (size_t c = 0; c < rs->ncodes; c++) {
        if (!set[c]) continue;
        if (cr && !strcmp(rs->codes[c].name, "reflection.simple")) continue; /* complex wins in a turn */
        snprintf(key, sizeof key, "code.%s.%s", role, rs->codes[c].name);
        ts_counts_add(&s->raw, key, 1);
    }
    if (t->role == TS_ROLE_PROFESSIONAL) {
        if (cr || sr) ts_counts_add(&s->raw, "miti.reflections", 1);
        if (cr) ts_counts_add(&s->raw, "miti.complex_reflections", 1);
        if (sr) ts_counts_add(&s->raw, "miti.simple_reflections", 1);
        int oq = has(rs, set, "question.open"), cq = has(rs, set, "question.closed");
        if (oq || cq) ts_counts_add(&s->raw, "miti.questions", 1);
        if (oq) ts_counts_add(&s->raw, "miti.open_questions", 1);
        else if (cq) ts_counts_add(&s->raw, "miti.closed_questions", 1);
        ts_counts_add(&s->raw, "miti.mi_adherent",
                      has(rs, set, "affirmation") + has(rs, set, "permission") + has(rs, set, "autonomy"));
        ts_counts_add(&s->raw, "miti.mi_non_adherent", has(rs, set, "advice"));
        int moves = 0;
        for (int k = 0; ts_sf_codes[k]; k++) moves += has(rs, set, ts_sf_codes[k]);
        ts_counts_add(&s->raw, "sf.moves", moves);
        ts_counts_add(&s->raw, "sf.why_questions", has(rs, set, "question.why"));
    }
    if (t->role == TS_ROLE_CLIENT) {
        int ct = 0, st = 0;
        for (int k = 0; ts_subtypes[k]; k++) {
            char n[64];
            snprintf(n, sizeof n, "change_talk.%s", ts_subtypes[k]);
            ct += has(rs, set, n);
            snprintf(n, sizeof n, "sustain_talk.%s", ts_subtypes[k]);
            st += has(rs, set, n);
        }
        ts_counts_add(&s->raw, "client.change_talk", ct);
        ts_counts_add(&s->raw, "client.sustain_talk", st);
    }
    if (set != stack) free(set);
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
