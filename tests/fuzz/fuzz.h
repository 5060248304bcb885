/* fuzz.h - what the libFuzzer targets in tests/fuzz/ share.
 *
 * Each fuzz_<target>.c defines LLVMFuzzerTestOneInput() (and maybe
 * LLVMFuzzerInitialize()); it is linked either with libFuzzer (make fuzz,
 * clang -fsanitize=fuzzer) or with replay.c, a plain main() that feeds it
 * every file of tests/fuzz/regressions/<target>/ (make test, normal build and
 * under ASan/valgrind). A target does not only wait for a crash: it checks
 * the promises of the module and calls FUZZ_CHECK, which prints what broke
 * and aborts, so a broken promise is kept like a crash.
 *
 * The promises checked (besides "no crash, no leak, no UB"):
 *   - every turn a reader yields has a speaker, valid UTF-8 text without NUL
 *     and text_len == strlen(text);
 *   - nothing is lost: each failed turn was reported as an error, and for txt
 *     and jsonl an independent line-by-line count of the turns in the input
 *     equals turns yielded + turns failed (see fz_count_turns());
 *   - reading from memory and from a file (chunked fread) gives the same
 *     turns and the same diagnostics;
 *   - tokens and sentences tile the text (see fuzz_token.c).
 */
#ifndef TS_FUZZ_H
#define TS_FUZZ_H
#include "limits.h"
#include "read_internal.h"
#include "transcript.h"
#include "util.h"
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)                                                    \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "%s:%d: broken promise: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                        \
            fputc('\n', stderr);                                                 \
            abort();                                                             \
        }                                                                        \
    } while (0)

/* Is s[0..n) valid UTF-8 without NUL bytes? */
static inline int fz_valid_utf8(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        if (!u[i]) return 0;
        int k = ts_utf8_decode(u + i, n - i, &cp);
        if (cp < 0) return 0;
        i += (size_t)k;
    }
    return 1;
}

static inline void fz_check_turn(const ts_turn *t)
{
    FUZZ_CHECK(t->speaker != NULL, "turn at line %lu", t->line);
    FUZZ_CHECK(t->text != NULL, "turn at line %lu", t->line);
    FUZZ_CHECK(t->text_len == strlen(t->text), "turn at line %lu: text_len %zu, strlen %zu", t->line,
               t->text_len, strlen(t->text));
    FUZZ_CHECK(fz_valid_utf8(t->text, t->text_len), "turn at line %lu", t->line);
    FUZZ_CHECK(fz_valid_utf8(t->speaker, strlen(t->speaker)), "speaker at line %lu", t->line);
    FUZZ_CHECK(t->role >= TS_ROLE_PROFESSIONAL && t->role <= TS_ROLE_OTHER, "turn at line %lu: role %d", t->line,
               (int)t->role);
    FUZZ_CHECK(t->line >= 1, "turn without a line number");
    if (t->extra_json) {
        cJSON *x = cJSON_Parse(t->extra_json);
        FUZZ_CHECK(cJSON_IsObject(x), "extra_json is not an object: %.200s", t->extra_json);
        cJSON_Delete(x);
    }
}

/* One pass of a reader: the turns, in a flat form that two passes can be
 * compared by. */
typedef struct fz_pass {
    ts_buf dump;      /* speaker \x1f role \x1f line \x1f text \x1e, per turn */
    size_t turns, failed, errors, warnings;
    ts_buf diags;     /* the diagnostics as printed */
    unsigned long last_line;
} fz_pass;

static inline void fz_pass_free(fz_pass *p)
{
    ts_buf_free(&p->dump);
    ts_buf_free(&p->diags);
}

/* Reads all of r into p (checking every turn) and frees r. */
static inline void fz_drain(ts_reader *r, ts_diags *d, fz_pass *p)
{
    ts_turn t;
    memset(&t, 0, sizeof t);
    memset(p, 0, sizeof *p);
    size_t guard = 0;
    while (ts_reader_next(r, &t) == 1) {
        fz_check_turn(&t);
        ts_buf_printf(&p->dump, "%s\x1f%d\x1f%lu\x1f%.3f\x1f%.3f\x1f", t.speaker, (int)t.role, t.line, t.start, t.end);
        ts_buf_put(&p->dump, t.text, t.text_len);
        ts_buf_puts(&p->dump, t.extra_json ? t.extra_json : "-");
        ts_buf_putc(&p->dump, '\x1e');
        p->turns++;
        ts_turn_clear(&t);
        FUZZ_CHECK(++guard < 100000000, "reader does not end");
    }
    ts_turn_clear(&t);
    FUZZ_CHECK(ts_reader_next(r, &t) == 0, "reader yields a turn after its end");
    ts_turn_clear(&t);
    p->failed = ts_reader_failed_turns(r);
    p->last_line = r->lineno;
    ts_reader_free(r);
    p->errors = d->errors;
    p->warnings = d->warnings;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f) {
        ts_diag_print(d, f);
        fclose(f);
        ts_buf_put(&p->diags, buf ? buf : "", len);
        free(buf);
    }
    /* Every failed turn was reported: nothing disappears in silence. */
    FUZZ_CHECK(p->failed <= p->errors, "%zu failed turns but only %zu errors", p->failed, p->errors);
    for (size_t i = 0; i < d->n; i++)
        FUZZ_CHECK(d->v[i].line <= p->last_line + 1, "diagnostic at line %lu of %lu: %s", d->v[i].line,
                   p->last_line, d->v[i].msg);
}

static inline int fz_is_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

/* The turns in the input, counted line by line without the readers' turn
 * state machine: for txt every label line starts a turn, and text before the
 * first label is one (failed) turn; for jsonl every non-blank line is a turn
 * or a meta line. Returns (size_t)-1 for formats it cannot count. */
static inline size_t fz_count_turns(const char *data, size_t size, ts_format fmt, size_t max_line)
{
    ts_reader *r = NULL;
    ts_diags d = {0};
    size_t n = 0;
    int seen = 0;
    if (fmt != TS_FMT_TXT && fmt != TS_FMT_JSONL) return (size_t)-1;
    if (ts_reader_open_mem(&r, "count", data, size, fmt, NULL, &d) != 0) {
        ts_diag_clear(&d);
        return 0;
    }
    ts_reader_set_limits(r, max_line, 0);
    while (rd_line(r)) {
        const char *s = r->ln;
        size_t len = r->ln_len, i = 0;
        while (i < len && fz_is_space(s[i])) i++;
        if (fmt == TS_FMT_JSONL) {
            if (r->ln_too_long) { n++; continue; }
            if (i == len) continue;
            const char *end = NULL;
            cJSON *o = cJSON_ParseWithLengthOpts(s, len, &end, 0);
            int meta = 0;
            if (cJSON_IsObject(o)) {
                const cJSON *ty = cJSON_GetObjectItemCaseSensitive(o, "type");
                meta = cJSON_IsString(ty) && !strcmp(ty->valuestring, "meta");
                for (size_t k = (size_t)(end - s); meta && k < len; k++)
                    if (!fz_is_space(s[k])) meta = 0;
            }
            cJSON_Delete(o);
            if (!meta) n++;
            continue;
        }
        if (!r->ln_too_long) {
            if (i == len) continue;
            if (s[i] == '#') {
                rd_roles_comment(r, s + i + 1, len - i - 1, i + 1);
                continue;
            }
        }
        size_t lo, ll, to;
        ts_role role;
        if (rd_label(r, s, len, &lo, &ll, &to, &role) != RD_LABEL_NONE) n++, seen = 1;
        else if (!seen) n++, seen = 1; /* text before the first label */
    }
    ts_reader_free(r);
    ts_diag_clear(&d);
    return n;
}

/* Reads data with format fmt from memory and, when the limits are the
 * defaults, also from a temporary file; checks both passes agree and that
 * the turn count adds up. */
static inline void fz_read_all(const uint8_t *data, size_t size, ts_format fmt, size_t max_line, size_t max_turn)
{
    ts_reader *r = NULL;
    ts_diags d = {0};
    fz_pass mem;
    const char *name = "fuzz-input";
    int rc = ts_reader_open_mem(&r, name, (const char *)data, size, fmt, NULL, &d);
    if (rc != 0) {
        FUZZ_CHECK(d.errors >= 1 && r == NULL, "open failed without an error");
        ts_diag_clear(&d);
        return;
    }
    FUZZ_CHECK(ts_reader_format(r) == fmt, "format %d, asked %d", (int)ts_reader_format(r), (int)fmt);
    ts_reader_set_limits(r, max_line, max_turn);
    fz_drain(r, &d, &mem);
    size_t want = fz_count_turns((const char *)data, size, fmt, max_line ? max_line : TS_MAX_LINE_BYTES);
    if (want != (size_t)-1)
        FUZZ_CHECK(mem.turns + mem.failed == want, "%zu turns + %zu failed, but the input has %zu turns",
                   mem.turns, mem.failed, want);
    ts_diag_clear(&d);

    if (max_line || max_turn) {
        fz_pass_free(&mem);
        return;
    }
    /* The same bytes through the FILE* path (read in RD_CHUNK pieces). */
    char path[] = "/tmp/taalspel-fuzz-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        fz_pass_free(&mem);
        return;
    }
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    close(fd);
    fz_pass file;
    /* Diagnostics name the file; give both passes the same name by
     * comparing everything except the name prefix. */
    if (ts_reader_open(&r, path, fmt, NULL, &d) == 0) {
        fz_drain(r, &d, &file);
        FUZZ_CHECK(file.turns == mem.turns && file.failed == mem.failed && file.errors == mem.errors &&
                       file.warnings == mem.warnings,
                   "file: %zu turns %zu failed %zu errors %zu warnings; memory: %zu %zu %zu %zu", file.turns,
                   file.failed, file.errors, file.warnings, mem.turns, mem.failed, mem.errors, mem.warnings);
        FUZZ_CHECK(file.dump.len == mem.dump.len && (!mem.dump.len || !memcmp(file.dump.p, mem.dump.p, mem.dump.len)),
                   "file and memory give different turns");
        fz_pass_free(&file);
    }
    ts_diag_clear(&d);
    unlink(path);
    fz_pass_free(&mem);
}

#endif
