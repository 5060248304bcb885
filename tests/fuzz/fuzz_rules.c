/* fuzz_rules.c - the rule compiler on arbitrary rule text, and what it
 * compiles run on a few sentences.
 *
 * Promises checked: ts_rules_load_text() fails exactly when it reported an
 * error, and every diagnostic has a line; a rule set that compiles can be
 * used: its own examples run (ts_rules_test, ts_explain) and it codes a short
 * transcript and a long run-on turn, where a pattern stopped by a PCRE2 limit
 * is an error naming the rule, not a hang. */
#include "coder.h"
#include "fuzz.h"
#include "pipeline.h"
#include "ruletools.h"

static const char transcript[] =
    "T: Hoe gaat het nu met je, op een schaal van 0 tot 10?\n"
    "C: Een 6,5 denk ik. Ik wil eigenlijk stoppen met drinken, maar het lukt niet...\n"
    "T: Je wilt stoppen. Wat zou er anders zijn als het wel lukt?\n"
    "C: Nou ja. \"Dat weet ik niet\" (zei ze).\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ts_ruleset *rs = NULL;
    ts_diags d = {0};
    int rc = ts_rules_load_text(&rs, "fuzz.rules", (const char *)data, size, &d);
    FUZZ_CHECK((rc == 0) == (d.errors == 0), "rc %d with %zu errors", rc, d.errors);
    FUZZ_CHECK((rc == 0) == (rs != NULL), "rc %d, ruleset %p", rc, (void *)rs);
    for (size_t i = 0; i < d.n; i++) {
        FUZZ_CHECK(d.v[i].line >= 1, "diagnostic without a line: %s", d.v[i].msg);
        FUZZ_CHECK(d.v[i].msg != NULL, "diagnostic without a message");
    }
    ts_diag_clear(&d);
    if (!rs) return 0;

    FILE *null = fopen("/dev/null", "w");
    size_t total = 0;
    if (null) {
        ts_rules_test(rs, null, &total, 1);
        ts_rules_doc(rs, null);
        ts_explain(rs, "C: Ik wil minder drinken. >> T: Je wilt minder drinken?", TS_ROLE_PROFESSIONAL, null);
    }
    ts_coder *coder = ts_coder_new(rs);
    ts_pipe_opts po = {TS_FMT_TXT, NULL};
    ts_pipe_result res;
    ts_scores sc;
    ts_scores_init(&sc);
    ts_emitter em = {TS_OUT_JSON, null, NULL, rs, NULL, 0};
    ts_pipe_code_mem("fuzz.txt", transcript, sizeof transcript - 1, &po, coder, rs, null ? &em : NULL, &sc, NULL,
                     NULL, &d, &res);
    FUZZ_CHECK(res.turns == 4 && res.failed == 0, "%zu turns, %zu failed", res.turns, res.failed);
    ts_scores_free(&sc);
    for (size_t i = 0; i < d.n; i++)
        FUZZ_CHECK(d.v[i].line >= 1 && d.v[i].line <= 4, "diagnostic at line %lu: %s", d.v[i].line, d.v[i].msg);
    ts_diag_clear(&d);

    /* A long turn without a full stop, to reach the window limits. */
    ts_buf big = {0};
    ts_buf_puts(&big, "C: ");
    for (int i = 0; i < 1500; i++) ts_buf_puts(&big, i % 7 ? "a " : "ik wil ");
    ts_buf_putc(&big, '\n');
    ts_scores_init(&sc);
    ts_pipe_code_mem("big.txt", big.p, big.len, &po, coder, rs, NULL, &sc, NULL, NULL, &d, &res);
    FUZZ_CHECK(res.turns == 1, "%zu turns", res.turns);
    ts_scores_free(&sc);
    ts_diag_clear(&d);
    ts_buf_free(&big);

    ts_coder_free(coder);
    ts_rules_free(rs);
    if (null) fclose(null);
    return 0;
}
