/* check_cases.c - the readable case files in tests/cases/ run through the
 * whole pipeline (reader -> tokens -> rules -> codes), the way cmark runs
 * spec.txt. Format of a case file:
 *
 *   # comment
 *   C: Ik wil eigenlijk stoppen. >> T: Je wilt stoppen.
 *   => reflection.simple
 *
 * The line before "=>" is a mini transcript (turns separated by ">>"; an
 * unlabelled turn is the professional's). The codes after "=>" must be
 * exactly the codes of the last turn ("-" for none); "scale.answer=6.5"
 * also checks the value. The structure codes (talk.*, interaction.*) are
 * compared only when the expected line names one of them. Set
 * TS_CASES_VERBOSE=1 to see every case. */
#include "coder.h"
#include "pipeline.h"
#include "ruletools.h"
#include "util.h"
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ts_ruleset *rs;

typedef struct { ts_buf got; } last_codes;

static int structure_wanted; /* the expected codes name talk./interaction. codes */

static void on_turn(void *ud, size_t index, const ts_turn *t, const ts_coded *cd)
{
    last_codes *lc = ud;
    (void)index; (void)t;
    ts_buf_reset(&lc->got);
    /* sorted, unique code names (with value) */
    char *names[128];
    size_t n = 0;
    for (size_t i = 0; i < cd->nhits && n < 128; i++) {
        const ts_hit *h = &cd->hits[i];
        if (h->state != TS_HIT_LIVE) continue;
        const char *nm = rs->codes[h->code].name;
        if (!structure_wanted && (!strncmp(nm, "talk.", 5) || !strncmp(nm, "interaction.", 12))) continue;
        char *s = h->has_value ? ts_strdupf("%s=%g", rs->codes[h->code].name, h->value) : ts_strdup(rs->codes[h->code].name);
        int dup = 0;
        for (size_t k = 0; k < n; k++) if (!strcmp(names[k], s)) dup = 1;
        if (dup) { free(s); continue; }
        names[n++] = s;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) { char *x = names[j]; names[j] = names[j - 1]; names[j - 1] = x; }
    for (size_t i = 0; i < n; i++) { if (i) ts_buf_putc(&lc->got, ' '); ts_buf_puts(&lc->got, names[i]); free(names[i]); }
}

static char *normalise_expected(const char *s)
{
    char *names[128];
    size_t n = 0;
    char *tmp = ts_strdup(s);
    for (char *t = strtok(tmp, " \t,"); t && n < 128; t = strtok(NULL, " \t,"))
        if (strcmp(t, "-")) names[n++] = ts_strdup(t);
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) { char *x = names[j]; names[j] = names[j - 1]; names[j - 1] = x; }
    ts_buf b = {0};
    for (size_t i = 0; i < n; i++) { if (i) ts_buf_putc(&b, ' '); ts_buf_puts(&b, names[i]); free(names[i]); }
    free(tmp);
    return ts_buf_detach(&b);
}

static int run_file(const char *path, int *total)
{
    FILE *f = fopen(path, "r");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char line[8192], prev[8192] = "";
    unsigned long ln = 0, prevln = 0;
    int fails = 0;
    ts_coder *coder = ts_coder_new(rs);
    last_codes lc = {{0}};
    int verbose = getenv("TS_CASES_VERBOSE") != NULL;
    while (fgets(line, sizeof line, f)) {
        ln++;
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        if (!strncmp(line, "=>", 2)) {
            ck_assert_msg(prev[0], "%s:%lu: '=>' without a transcript line before it", path, ln);
            char *tr = ts_mini_transcript(prev, TS_ROLE_PROFESSIONAL);
            ts_pipe_opts o = {TS_FMT_TXT, NULL};
            ts_diags d = {0};
            ts_buf_reset(&lc.got);
            structure_wanted = strstr(line, " talk.") || strstr(line, " interaction.");
            ts_pipe_code_mem("case", tr, strlen(tr), &o, coder, rs, NULL, NULL, on_turn, &lc, &d, NULL);
            char *want = normalise_expected(line + 2);
            const char *got = lc.got.p ? lc.got.p : "";
            (*total)++;
            if (d.errors || strcmp(want, got)) {
                fails++;
                fprintf(stderr, "%s:%lu: case failed\n    %s\n    want: %s\n    got:  %s\n", path, prevln, prev, *want ? want : "-", *got ? got : "-");
                if (d.errors) ts_diag_print(&d, stderr);
            } else if (verbose) fprintf(stderr, "ok %s\n", prev);
            free(want);
            free(tr);
            ts_diag_clear(&d);
            prev[0] = 0;
            continue;
        }
        snprintf(prev, sizeof prev, "%s", line);
        prevln = ln;
    }
    fclose(f);
    ts_buf_free(&lc.got);
    ts_coder_free(coder);
    return fails;
}

START_TEST(test_case_files)
{
    const char *dir = "tests/cases";
    DIR *dh = opendir(dir);
    ck_assert_msg(dh != NULL, "run from the repository root: tests/cases not found");
    struct dirent *de;
    int fails = 0, total = 0;
    while ((de = readdir(dh))) {
        size_t l = strlen(de->d_name);
        if (l < 7 || strcmp(de->d_name + l - 6, ".cases")) continue;
        char *p = ts_strdupf("%s/%s", dir, de->d_name);
        fails += run_file(p, &total);
        free(p);
    }
    closedir(dh);
    fprintf(stderr, "cases: %d of %d passed\n", total - fails, total);
    ck_assert_msg(total > 0, "no cases found");
    ck_assert_msg(fails == 0, "%d of %d cases failed (see above)", fails, total);
}
END_TEST

int main(void)
{
    const char *dirs[] = {"rules/nl"};
    ts_diags d = {0};
    if (ts_rules_load(&rs, dirs, 1, &d) != 0) {
        ts_diag_print(&d, stderr);
        return 1;
    }
    ts_diag_clear(&d);
    Suite *s = suite_create("cases");
    TCase *tc = tcase_create("cases");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_case_files);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    ts_rules_free(rs);
    return nf ? 1 : 0;
}
