/* fuzz_code.c - the whole `taalspel code` pipeline on arbitrary bytes:
 * format sniffing, reader, tokenizer, the real rule pack (rules/nl, or
 * $TAALSPEL_RULES), classifier, scores and the JSON / JSONL / CSV writers.
 *
 * Promises checked: the JSON document is valid JSON whatever the input;
 * it holds one utterance per coded turn and scores.turns.failed equals the
 * reader's failed turns; nothing is lost (for txt and jsonl the turns
 * counted line by line equal utterances + failed; for all formats each
 * failed turn was reported); JSONL output is one valid object per line;
 * the fast matcher (atoms.c, the default) writes byte for byte what the
 * reference matcher (every rule's PCRE2) writes. */
#include "coder.h"
#include "emit.h"
#include "fuzz.h"
#include "pipeline.h"

#ifndef TS_FUZZ_RULES
#define TS_FUZZ_RULES "rules/nl"
#endif

static ts_ruleset *rs;
static ts_coder *coder, *ref;

static void cleanup(void)
{
    ts_coder_free(coder);
    ts_coder_free(ref);
    ts_rules_free(rs);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = getenv("TAALSPEL_RULES");
    if (!dir || !*dir) dir = TS_FUZZ_RULES;
    ts_diags d = {0};
    if (ts_rules_load(&rs, &dir, 1, &d) != 0) {
        ts_diag_print(&d, stderr);
        fprintf(stderr, "fuzz_code: the rules in %s do not compile (set TAALSPEL_RULES)\n", dir);
        exit(1);
    }
    ts_diag_clear(&d);
    coder = ts_coder_new(rs);
    ref = ts_coder_new(rs);
    ts_coder_set_matcher(ref, 0);
    atexit(cleanup);
    return 0;
}

static double num_at(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b) x = cJSON_GetObjectItemCaseSensitive(x, b);
    return cJSON_IsNumber(x) ? x->valuedouble : -1;
}

/* Codes data once with output format fmt; returns the output text. */
static char *code_once(ts_coder *cd, const uint8_t *data, size_t size, ts_outfmt fmt, ts_pipe_result *res, ts_diags *d)
{
    char *out = NULL, *sess = NULL;
    size_t olen = 0, slen = 0;
    FILE *f = open_memstream(&out, &olen);
    FILE *s = fmt == TS_OUT_CSV ? open_memstream(&sess, &slen) : NULL;
    FUZZ_CHECK(f != NULL, "open_memstream");
    if (fmt == TS_OUT_CSV) ts_emit_csv_headers(rs, f, s);
    ts_emitter em = {fmt, f, s, rs, NULL, 0};
    ts_scores sc;
    ts_scores_init(&sc);
    ts_pipe_opts po = {TS_FMT_AUTO, NULL};
    int rc = ts_pipe_code_mem("fuzz-input", (const char *)data, size, &po, cd, rs, &em, &sc, NULL, NULL, d, res);
    ts_scores_free(&sc);
    fclose(f);
    if (s) fclose(s);
    free(sess);
    FUZZ_CHECK(rc == (d->errors ? 1 : 0), "rc %d with %zu errors", rc, d->errors);
    FUZZ_CHECK(res->failed <= d->errors, "%zu failed turns but %zu errors", res->failed, d->errors);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ts_pipe_result res;
    ts_diags d = {0};
    char *out = code_once(coder, data, size, TS_OUT_JSON, &res, &d);
    ts_diag_clear(&d);
    if (res.open_failed) {
        free(out);
        return 0;
    }
    ts_pipe_result rres;
    char *rout = code_once(ref, data, size, TS_OUT_JSON, &rres, &d);
    ts_diag_clear(&d);
    if (strcmp(out, rout)) {
        size_t k = 0;
        while (out[k] && out[k] == rout[k]) k++;
        size_t from = k > 200 ? k - 200 : 0;
        FUZZ_CHECK(0, "the fast and the reference matcher differ at byte %zu:\nfast: %.400s\nref:  %.400s", k, out + from,
                   rout + from);
    }
    free(rout);
    cJSON *doc = cJSON_Parse(out);
    FUZZ_CHECK(cJSON_IsObject(doc), "the JSON output does not parse: %.300s", out);
    const cJSON *utt = cJSON_GetObjectItemCaseSensitive(doc, "utterances");
    FUZZ_CHECK(cJSON_IsArray(utt) && (size_t)cJSON_GetArraySize(utt) == res.turns, "%d utterances for %zu turns",
               cJSON_GetArraySize(utt), res.turns);
    const cJSON *scores = cJSON_GetObjectItemCaseSensitive(doc, "scores");
    FUZZ_CHECK(num_at(scores, "turns", "failed") == (double)res.failed, "scores.turns.failed %g, reader %zu",
               num_at(scores, "turns", "failed"), res.failed);
    FUZZ_CHECK(num_at(scores, "turns", "total") == (double)res.turns, "scores.turns.total %g, turns %zu",
               num_at(scores, "turns", "total"), res.turns);
    cJSON_Delete(doc);
    free(out);

    /* Nothing lost: the turns of the input, counted line by line. */
    ts_reader *r = NULL;
    if (ts_reader_open_mem(&r, "fuzz-input", (const char *)data, size, TS_FMT_AUTO, NULL, &d) == 0) {
        ts_format fmt = ts_reader_format(r);
        ts_reader_free(r);
        size_t want = fz_count_turns((const char *)data, size, fmt, TS_MAX_LINE_BYTES);
        if (want != (size_t)-1)
            FUZZ_CHECK(res.turns + res.failed == want, "%s: %zu utterances + %zu failed, but the input has %zu turns",
                       ts_format_name(fmt), res.turns, res.failed, want);
    }
    ts_diag_clear(&d);

    /* The other writers, alternately. */
    ts_outfmt other = size & 1 ? TS_OUT_JSONL : TS_OUT_CSV;
    ts_pipe_result res2;
    out = code_once(coder, data, size, other, &res2, &d);
    ts_diag_clear(&d);
    FUZZ_CHECK(res2.turns == res.turns && res2.failed == res.failed, "a second run differs");
    if (other == TS_OUT_JSONL) {
        size_t lines = 0;
        for (char *p = out, *nl; p && *p; p = nl + 1) {
            nl = strchr(p, '\n');
            FUZZ_CHECK(nl != NULL, "JSONL output does not end in a newline");
            *nl = 0;
            cJSON *o = cJSON_Parse(p);
            FUZZ_CHECK(cJSON_IsObject(o), "JSONL line does not parse: %.300s", p);
            cJSON_Delete(o);
            lines++;
        }
        FUZZ_CHECK(lines == res.turns + 1, "%zu JSONL lines for %zu turns", lines, res.turns);
    }
    free(out);
    return 0;
}
