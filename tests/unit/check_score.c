/* check_score.c - session scores on hand-checked sessions: the MITI 4.2.1
 * summary, client language, solution-focused profile, talk time, scale
 * trajectory, missing denominators and merge. Turns are built by hand with
 * their codes, so these tests check the formulas, not the rules. */
#include "coder.h"
#include "rules.h"
#include "score.h"
#include "util.h"
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static ts_ruleset *rs;

static const char *codes_text =
    "code question.open\n  role professional\n  explain x\n"
    "code question.closed\n  role professional\n  explain x\n"
    "code question.why\n  role professional\n  explain x\n"
    "code reflection.simple\n  role professional\n  explain x\n"
    "code reflection.complex\n  role professional\n  explain x\n"
    "code summary\n  role professional\n  explain x\n"
    "code affirmation\n  role professional\n  explain x\n"
    "code permission\n  role professional\n  explain x\n"
    "code autonomy\n  role professional\n  explain x\n"
    "code advice\n  role professional\n  explain x\n"
    "code sf.goal\n  role professional\n  explain x\n"
    "code sf.scaling\n  role professional\n  explain x\n"
    "code change_talk.desire\n  role client\n  explain x\n"
    "code change_talk.need\n  role client\n  explain x\n"
    "code sustain_talk.desire\n  role client\n  explain x\n"
    "code scale.answer\n  role client\n  explain x\n"
    "rule r\n  code question.open\n  match wat\n  explain x\n";

/* one turn: role, word count (text of n words), codes "a b c", value for scale.answer */
static void turn(ts_scores *s, size_t idx, ts_role role, int words, const char *codes, double value, double start, double end)
{
    ts_turn t;
    memset(&t, 0, sizeof t);
    t.speaker = role == TS_ROLE_PROFESSIONAL ? "T" : "C";
    t.role = role;
    t.start = start;
    t.end = end;
    ts_hit hits[16];
    size_t n = 0;
    char *tmp = ts_strdup(codes);
    for (char *c = strtok(tmp, " "); c && n < 16; c = strtok(NULL, " ")) {
        memset(&hits[n], 0, sizeof hits[n]);
        hits[n].code = ts_rules_code_index(rs, c);
        ck_assert_msg(hits[n].code >= 0, "unknown code %s", c);
        hits[n].state = TS_HIT_LIVE;
        if (!strcmp(c, "scale.answer")) { hits[n].has_value = 1; hits[n].value = value; }
        n++;
    }
    free(tmp);
    ts_coded cd;
    memset(&cd, 0, sizeof cd);
    cd.hits = hits;
    cd.nhits = n;
    cd.words = (size_t)words;
    ts_scores_add_turn(s, rs, &t, idx, &cd);
}

START_TEST(test_miti_summary)
{
    ts_scores s;
    ts_scores_init(&s);
    /* 6 professional turns: 3 with questions (one open+closed counts once, as open),
     * 4 with reflections (one simple+complex counts one complex, one summary = complex) */
    turn(&s, 0, TS_ROLE_PROFESSIONAL, 10, "question.open question.closed", 0, -1, -1);
    turn(&s, 1, TS_ROLE_CLIENT, 20, "change_talk.desire change_talk.need", 0, -1, -1);
    turn(&s, 2, TS_ROLE_PROFESSIONAL, 10, "reflection.simple reflection.complex", 0, -1, -1);
    turn(&s, 3, TS_ROLE_CLIENT, 20, "sustain_talk.desire", 0, -1, -1);
    turn(&s, 4, TS_ROLE_PROFESSIONAL, 10, "reflection.simple question.closed question.why", 0, -1, -1);
    turn(&s, 5, TS_ROLE_PROFESSIONAL, 10, "summary affirmation", 0, -1, -1);
    turn(&s, 6, TS_ROLE_PROFESSIONAL, 10, "reflection.simple advice", 0, -1, -1);
    turn(&s, 7, TS_ROLE_PROFESSIONAL, 10, "question.closed sf.scaling permission autonomy", 0, -1, -1);
    turn(&s, 8, TS_ROLE_CLIENT, 2, "scale.answer", 6.5, -1, -1);
    ts_scores_finish(&s);
    ts_derived d;
    ts_scores_derive(&s, &d);
    ck_assert_double_eq(d.questions, 3);
    ck_assert_double_eq(d.open_questions, 1);
    ck_assert_double_eq(d.closed_questions, 2);
    ck_assert_double_eq(d.reflections, 4);
    ck_assert_double_eq(d.complex_reflections, 2);
    ck_assert_double_eq(d.simple_reflections, 2);
    ck_assert_double_eq_tol(d.rq_ratio, 4.0 / 3.0, 1e-9);
    ck_assert_str_eq(d.rq_level, "fair");
    ck_assert_double_eq_tol(d.pct_complex_reflections, 50, 1e-9);
    ck_assert_str_eq(d.cr_level, "good");
    ck_assert_double_eq_tol(d.pct_open_questions, 100.0 / 3.0, 1e-9);
    ck_assert_double_eq(d.mi_adherent, 3);     /* affirmation, permission, autonomy */
    ck_assert_double_eq(d.mi_non_adherent, 1); /* advice */
    ck_assert_double_eq(d.change_talk, 2);     /* desire + need in one turn: two subtypes */
    ck_assert_double_eq(d.sustain_talk, 1);
    ck_assert_double_eq_tol(d.pct_change_talk, 200.0 / 3.0, 1e-9);
    ck_assert_double_eq(d.why_questions, 1);
    ck_assert_double_eq_tol(d.pct_why, 100.0 / 3.0, 1e-9);
    ck_assert_double_eq(d.sf_moves, 1);
    ck_assert_double_eq_tol(d.sf_per_10, 10.0 / 6.0, 1e-9);
    ck_assert_double_eq(d.words_prof, 60);
    ck_assert_double_eq(d.words_client, 42);
    ck_assert_double_eq_tol(d.prof_share_words, 6000.0 / 102.0, 1e-9);
    ck_assert(isnan(d.prof_share_seconds)); /* no times: null, not 0 */
    ck_assert_uint_eq(s.nscale, 1);
    ck_assert_uint_eq(s.scale[0].index, 8);
    ck_assert_double_eq(s.scale[0].value, 6.5);
    /* code counts: a simple+complex turn counts only complex */
    ck_assert_double_eq(ts_counts_get(&s.raw, "code.professional.reflection.simple"), 2);
    ck_assert_double_eq(ts_counts_get(&s.raw, "code.professional.reflection.complex"), 1);
    ts_scores_free(&s);
}
END_TEST

START_TEST(test_missing_denominators)
{
    /* no questions, no reflections, no client turns */
    ts_scores s;
    ts_scores_init(&s);
    turn(&s, 0, TS_ROLE_PROFESSIONAL, 12, "affirmation", 0, 0, 10);
    turn(&s, 1, TS_ROLE_PROFESSIONAL, 8, "advice", 0, 10, 14);
    ts_scores_finish(&s);
    ts_derived d;
    ts_scores_derive(&s, &d);
    ck_assert(isnan(d.rq_ratio));
    ck_assert_ptr_null(d.rq_level);
    ck_assert(isnan(d.pct_complex_reflections));
    ck_assert_ptr_null(d.cr_level);
    ck_assert(isnan(d.pct_open_questions));
    ck_assert(isnan(d.pct_change_talk));
    ck_assert(isnan(d.pct_why));
    ck_assert_double_eq(d.turns_client, 0);
    ck_assert_double_eq_tol(d.prof_share_words, 100, 1e-9);
    ck_assert_double_eq_tol(d.sec_prof, 14, 1e-9);
    ck_assert_double_eq_tol(d.prof_share_seconds, 100, 1e-9);
    ts_scores_free(&s);
}
END_TEST

START_TEST(test_levels)
{
    ck_assert_str_eq(ts_level(2.0, 1, 2), "good");
    ck_assert_str_eq(ts_level(1.99, 1, 2), "fair");
    ck_assert_str_eq(ts_level(1.0, 1, 2), "fair");
    ck_assert_str_eq(ts_level(0.99, 1, 2), "below");
    ck_assert_ptr_null(ts_level(NAN, 1, 2));
}
END_TEST

START_TEST(test_merge_equals_whole)
{
    /* two sessions merged = the counters summed, ratios recomputed */
    ts_scores a, b, m;
    ts_scores_init(&a);
    ts_scores_init(&b);
    turn(&a, 0, TS_ROLE_PROFESSIONAL, 5, "question.open", 0, -1, -1);
    turn(&a, 1, TS_ROLE_PROFESSIONAL, 5, "reflection.complex", 0, -1, -1);
    turn(&b, 0, TS_ROLE_PROFESSIONAL, 5, "question.closed", 0, -1, -1);
    turn(&b, 1, TS_ROLE_PROFESSIONAL, 5, "reflection.simple", 0, -1, -1);
    turn(&b, 2, TS_ROLE_PROFESSIONAL, 5, "reflection.simple", 0, -1, -1);
    ts_scores_finish(&a);
    ts_scores_finish(&b);
    ts_scores_init(&m);
    m.sessions = 0;
    ts_scores_merge(&m, &a);
    ts_scores_merge(&m, &b);
    ts_derived d;
    ts_scores_derive(&m, &d);
    ck_assert_uint_eq(m.sessions, 2);
    ck_assert_double_eq(d.questions, 2);
    ck_assert_double_eq(d.reflections, 3);
    ck_assert_double_eq_tol(d.rq_ratio, 1.5, 1e-9);
    ck_assert_double_eq_tol(d.pct_complex_reflections, 100.0 / 3.0, 1e-9);
    ts_scores_free(&a);
    ts_scores_free(&b);
    ts_scores_free(&m);
}
END_TEST

int main(void)
{
    ts_diags d = {0};
    if (ts_rules_load_text(&rs, "codes", codes_text, strlen(codes_text), &d) != 0) {
        ts_diag_print(&d, stderr);
        return 1;
    }
    ts_diag_clear(&d);
    Suite *s = suite_create("score");
    TCase *tc = tcase_create("score");
    tcase_add_test(tc, test_miti_summary);
    tcase_add_test(tc, test_missing_denominators);
    tcase_add_test(tc, test_levels);
    tcase_add_test(tc, test_merge_equals_whole);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    ts_rules_free(rs);
    return nf ? 1 : 0;
}
