/* check_api.c - the public API (taalspel.h), used the way an embedding
 * program would: load the Dutch pack, code a transcript in memory, read
 * errors for broken rules and broken input. Includes only the public header. */
#include "taalspel.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_code_buffer)
{
    const char *dirs[] = {"rules/nl"};
    ts_ruleset *rs = NULL;
    char *err = NULL;
    ck_assert_int_eq(ts_load_rules(&rs, dirs, 1, &err), 0);
    free(err);
    const char *t = "T: Waarom ben je niet gewoon gestopt?\nC: Ik wil eigenlijk minder drinken.\n";
    char *out = NULL;
    ck_assert_int_eq(ts_code_buffer(rs, "x.txt", t, strlen(t), "json", &out, &err), 0);
    ck_assert_ptr_null(err);
    ck_assert_ptr_nonnull(strstr(out, "\"question.why\""));
    ck_assert_ptr_nonnull(strstr(out, "\"change_talk.desire\""));
    ck_assert_ptr_nonnull(strstr(out, "\"scores\""));
    free(out);
    ck_assert_int_eq(ts_code_buffer(rs, "x.txt", t, strlen(t), "csv", &out, &err), 0);
    ck_assert_ptr_nonnull(strstr(out, "source,index,speaker,role,start,end,text,codes"));
    ck_assert_ptr_nonnull(strstr(out, "question.open;question.why"));
    free(out);
    /* an unknown label: coded what it could, error with file:line */
    const char *bad = "T: Hoe gaat het?\nSanne: Goed.\n";
    ck_assert_int_eq(ts_code_buffer(rs, "bad.txt", bad, strlen(bad), "jsonl", &out, &err), 1);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "bad.txt:2:"));
    free(out);
    free(err);
    ck_assert_int_eq(ts_code_buffer(rs, "x.txt", t, strlen(t), "yaml", &out, &err), -1);
    ts_free_rules(rs);
    ts_free_rules(NULL);
}
END_TEST

START_TEST(test_bad_rules)
{
    const char *dirs[] = {"tests/data/does-not-exist"};
    ts_ruleset *rs = NULL;
    char *err = NULL;
    ck_assert_int_eq(ts_load_rules(&rs, dirs, 1, &err), -1);
    ck_assert_ptr_null(rs);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "not found"));
    free(err);
    ck_assert_ptr_nonnull(ts_version());
}
END_TEST

int main(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("api");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_code_buffer);
    tcase_add_test(tc, test_bad_rules);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    return nf ? 1 : 0;
}
