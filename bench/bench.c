/* bench.c - in-process measurements for `make bench` (driven by bench/run.py).
 *
 *   bench [--rules DIR] [--runs N] [--ref-mb X] [--limit-mb X]
 *         [--phases memcpy,tokenize,fast,reference,hs,compile] FILE...
 *
 * Reads every transcript FILE into memory first (turns and roles), so the
 * phases measure work, not the disk. Each phase runs N times; it prints one
 * JSON object with, per phase, the median, min and max throughput in MB/s
 * of INPUT FILE BYTES (the same denominator for every column), or ms.
 *
 *   memcpy     copy the raw file bytes once: the ceiling
 *   tokenize   ts_tokenize() on every turn
 *   fast       ts_coder_code() per turn, fast matcher (tokenize + match + classify)
 *   reference  the same with the reference matcher, on the first --ref-mb MB
 *   hs         Hyperscan/Vectorscan (when built with -DTS_HAVE_HS): every token
 *              pattern and regex of the pack translated to one database over
 *              the raw turn text, each turn scanned (compile ms, bytes, MB/s)
 *   compile    ts_rules_load() of the pack (ms)
 *
 *   bench --spawn CMD ARG...
 *
 * runs CMD (stdout to /dev/null) and prints {"seconds": wall, "maxrss_kb":
 * peak RSS}. The driver measures through it because Linux carries a parent's
 * RSS high-water mark into a child it forks, across exec: a child of the
 * big Python driver would report the driver's memory, a child of this small
 * process reports its own.
 */
#include "atoms.h"
#include "coder.h"
#include "rules.h"
#include "token.h"
#include "transcript.h"
#include "util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>
#ifdef TS_HAVE_HS
#include <hs.h>
#endif

typedef struct { char *text; size_t len; ts_role role; size_t file; } bturn;

static bturn *turns;
static size_t nturns, turncap, nfiles;
static size_t *file_bytes;
static char *raw;
static size_t rawlen;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dcmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void stats(const char *name, double *v, int n, const char *unit, int *first)
{
    qsort(v, (size_t)n, sizeof *v, dcmp);
    double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    printf("%s\"%s\": {\"median\": %.3f, \"min\": %.3f, \"max\": %.3f, \"runs\": %d, \"unit\": \"%s\"}", *first ? "" : ",\n ",
           name, med, v[0], v[n - 1], n, unit);
    *first = 0;
}

static void load(char **files, size_t n, double limit_mb)
{
    ts_buf all = {0};
    file_bytes = ts_xcalloc(n ? n : 1, sizeof *file_bytes);
    for (size_t f = 0; f < n; f++) {
        if (limit_mb > 0 && (double)all.len / 1e6 >= limit_mb) break;
        FILE *fp = fopen(files[f], "rb");
        if (!fp) { fprintf(stderr, "bench: cannot open %s\n", files[f]); exit(2); }
        char tmp[65536];
        size_t k, before = all.len;
        while ((k = fread(tmp, 1, sizeof tmp, fp)) > 0) ts_buf_put(&all, tmp, k);
        fclose(fp);
        file_bytes[f] = all.len - before;
        ts_reader *r = NULL;
        ts_diags d = {0};
        if (ts_reader_open(&r, files[f], TS_FMT_AUTO, NULL, &d) != 0) { ts_diag_print(&d, stderr); exit(2); }
        ts_turn t;
        memset(&t, 0, sizeof t);
        while (ts_reader_next(r, &t) == 1) {
            TS_VEC_RESERVE(turns, turncap, nturns + 1);
            turns[nturns].text = t.text;
            turns[nturns].len = t.text_len;
            turns[nturns].role = t.role;
            turns[nturns].file = f;
            nturns++;
            t.text = NULL;
            ts_turn_clear(&t);
        }
        ts_turn_clear(&t);
        ts_reader_free(r);
        ts_diag_clear(&d);
        nfiles = f + 1;
    }
    rawlen = all.len;
    raw = ts_buf_detach(&all);
}

/* bytes of the files whose turns are [0, upto) */
static double bytes_upto(size_t upto)
{
    double b = 0;
    size_t last = upto ? turns[upto - 1].file : 0;
    for (size_t f = 0; f <= last && f < nfiles; f++) b += (double)file_bytes[f];
    return b;
}

static size_t turns_for_mb(double mb)
{
    double b = 0;
    size_t f = 0, i = 0;
    while (f < nfiles && b / 1e6 < mb) b += (double)file_bytes[f++];
    while (i < nturns && turns[i].file < f) i++;
    return i;
}

static double run_coder(const ts_ruleset *rs, int fast, size_t upto)
{
    ts_coder *c = ts_coder_new(rs);
    ts_coder_set_matcher(c, fast);
    ts_diags d = {0};
    size_t file = (size_t)-1;
    double t0 = now();
    for (size_t i = 0; i < upto; i++) {
        if (turns[i].file != file) { ts_coder_reset(c); file = turns[i].file; }
        ts_turn t;
        memset(&t, 0, sizeof t);
        t.text = turns[i].text;
        t.text_len = turns[i].len;
        t.role = turns[i].role;
        t.speaker = (char *)"x";
        t.start = t.end = -1;
        ts_coder_code(c, &t, "bench", &d);
    }
    double el = now() - t0;
    ts_coder_free(c);
    ts_diag_clear(&d);
    return el;
}

#ifdef TS_HAVE_HS
/* ---------------------------------------------------------- Hyperscan */

static void hs_escape(ts_buf *b, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\^$.[]|()?*+{}#/-", *s)) ts_buf_putc(b, '\\');
        if (*s == ' ') { ts_buf_puts(b, "\\W+"); continue; }
        ts_buf_putc(b, *s);
    }
}

/* A token pattern as a regex over raw text: words joined by non-word runs.
 * Look-arounds (which Hyperscan lacks) are dropped, so the database
 * matches a superset: it never has less work to do than the rules. */
static void hs_elem(ts_buf *b, const ts_pelem *e, const ts_ruleset *rs)
{
    switch (e->kind) {
    case TS_PE_WORD: hs_escape(b, e->word); if (e->prefix) ts_buf_puts(b, "\\w*"); ts_buf_puts(b, "\\W*"); break;
    case TS_PE_LEX: {
        const ts_lexicon *L = &rs->lex[e->lex];
        ts_buf_puts(b, "(?:");
        for (size_t i = 0; i < L->n; i++) {
            if (i) ts_buf_putc(b, '|');
            hs_escape(b, L->e[i].key);
            if (L->e[i].prefix) ts_buf_puts(b, "\\w*");
        }
        if (!L->n) ts_buf_puts(b, "\\x00\\x01");
        ts_buf_puts(b, ")\\W*");
        break;
    }
    case TS_PE_ANY: case TS_PE_NOT: ts_buf_puts(b, "\\w+\\W*"); break;
    case TS_PE_NUM: ts_buf_puts(b, "\\d[\\d,./:-]*\\W*"); break;
    case TS_PE_GAP: ts_buf_printf(b, "(?:\\w+\\W*){0,%d}", e->gap); break;
    case TS_PE_START: ts_buf_puts(b, "^\\W*"); break;
    case TS_PE_END: ts_buf_puts(b, "\\W*$"); break;
    case TS_PE_OPT: ts_buf_puts(b, "(?:"); hs_elem(b, e->kids[0], rs); ts_buf_puts(b, ")?"); break;
    case TS_PE_ALT:
        ts_buf_puts(b, "(?:");
        for (size_t i = 0; i < e->nkids; i++) { if (i) ts_buf_putc(b, '|'); hs_elem(b, e->kids[i], rs); }
        ts_buf_putc(b, ')');
        break;
    case TS_PE_SEQ:
        for (size_t i = 0; i < e->nkids; i++) hs_elem(b, e->kids[i], rs);
        break;
    }
}

static int on_hs(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx)
{
    (void)id; (void)from; (void)to; (void)flags;
    ++*(size_t *)ctx;
    return 0;
}

static hs_database_t *hs_build(const ts_ruleset *rs, double *ms, size_t *npat, size_t *dropped)
{
    char **pat = NULL;
    unsigned *flags = NULL, *ids = NULL;
    size_t n = 0, cap = 0;
    *dropped = 0;
    for (size_t r = 0; r < rs->nrules; r++)
        for (size_t k = 0; k < rs->rules[r].nmatch; k++) {
            const ts_pattern *p = &rs->rules[r].match[k];
            ts_buf b = {0};
            if (p->is_regex) ts_buf_put(&b, p->src + 1, strlen(p->src) - 2);
            else { ts_buf_puts(&b, "\\b"); hs_elem(&b, p->ast, rs); }
            /* try it alone first: patterns Hyperscan refuses are left out and counted */
            hs_database_t *one = NULL;
            hs_compile_error_t *err = NULL;
            unsigned fl = HS_FLAG_CASELESS | HS_FLAG_UTF8 | HS_FLAG_SINGLEMATCH; /* no UCP: Hyperscan refuses \b with it */
            if (hs_compile(b.p, fl, HS_MODE_BLOCK, NULL, &one, &err) != HS_SUCCESS) {
                hs_free_compile_error(err);
                (*dropped)++;
                ts_buf_free(&b);
                continue;
            }
            hs_free_database(one);
            TS_VEC_RESERVE(pat, cap, n + 1);
            flags = ts_xrealloc(flags, cap * sizeof *flags);
            ids = ts_xrealloc(ids, cap * sizeof *ids);
            pat[n] = ts_buf_detach(&b);
            flags[n] = fl;
            ids[n] = (unsigned)r;
            n++;
        }
    hs_database_t *db = NULL;
    hs_compile_error_t *err = NULL;
    double t0 = now();
    if (hs_compile_multi((const char *const *)pat, flags, ids, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &err) != HS_SUCCESS) {
        fprintf(stderr, "bench: hs_compile_multi: %s\n", err ? err->message : "?");
        hs_free_compile_error(err);
        db = NULL;
    }
    *ms = (now() - t0) * 1e3;
    *npat = n;
    for (size_t i = 0; i < n; i++) free(pat[i]);
    free(pat); free(flags); free(ids);
    return db;
}
#endif

static int spawn(char **argv)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) { perror("bench: fork"); return 2; }
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) dup2(fd, 1);
        execvp(argv[0], argv);
        perror("bench: exec");
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (waitpid(pid, &status, 0) < 0) { perror("bench: waitpid"); return 2; }
    getrusage(RUSAGE_CHILDREN, &ru); /* our only child */
    printf("{\"seconds\": %.6f, \"maxrss_kb\": %ld, \"status\": %d}\n", now() - t0, ru.ru_maxrss,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && !strcmp(argv[1], "--spawn")) return spawn(argv + 2);
    const char *rules = "rules/nl";
    const char *phases = "memcpy,tokenize,fast,reference,hs,compile";
    int runs = 5;
    double ref_mb = 10, limit_mb = 0;
    char **files = NULL;
    size_t nf = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rules") && i + 1 < argc) rules = argv[++i];
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--ref-mb") && i + 1 < argc) ref_mb = atof(argv[++i]);
        else if (!strcmp(argv[i], "--limit-mb") && i + 1 < argc) limit_mb = atof(argv[++i]);
        else if (!strcmp(argv[i], "--phases") && i + 1 < argc) phases = argv[++i];
        else { files = ts_xrealloc(files, (nf + 1) * sizeof *files); files[nf++] = argv[i]; }
    }
    if (runs < 1) runs = 1;
    ts_ruleset *rs = NULL;
    ts_diags d = {0};
    const char *dirs[] = {rules};
    if (ts_rules_load(&rs, dirs, 1, &d) != 0) { ts_diag_print(&d, stderr); return 2; }
    ts_diag_clear(&d);
    load(files, nf, limit_mb);
    double mb = (double)rawlen / 1e6;
    double *v = ts_xcalloc((size_t)runs, sizeof *v);
    int first = 1;
    printf("{\"input_mb\": %.3f, \"files\": %zu, \"turns\": %zu, \"rules\": %zu, \"slow_rules\": %zu,\n ", mb, nfiles, nturns,
           rs->nrules, ts_atoms_nslow(rs->atoms));
    first = 0;
    first = 1;
    if (strstr(phases, "compile")) {
        for (int r = 0; r < runs; r++) {
            ts_ruleset *x = NULL;
            double t0 = now();
            ts_rules_load(&x, dirs, 1, &d);
            v[r] = (now() - t0) * 1e3;
            ts_rules_free(x);
            ts_diag_clear(&d);
        }
        stats("compile", v, runs, "ms", &first);
    }
    if (strstr(phases, "memcpy")) {
        char *dst = ts_xmalloc(rawlen ? rawlen : 1);
        memcpy(dst, raw, rawlen); /* fault the pages in */
        for (int r = 0; r < runs; r++) {
            double t0 = now();
            memcpy(dst, raw, rawlen);
            __asm__ __volatile__("" : : "r"(dst) : "memory");
            v[r] = mb / (now() - t0);
        }
        free(dst);
        stats("memcpy", v, runs, "MB/s", &first);
    }
    if (strstr(phases, "tokenize")) {
        ts_tokens tk = {0};
        size_t ntok = 0;
        for (int r = 0; r < runs; r++) {
            double t0 = now();
            for (size_t i = 0; i < nturns; i++) { ts_tokenize(&tk, turns[i].text, turns[i].len); ntok += tk.ntok; }
            v[r] = mb / (now() - t0);
        }
        ts_tokens_free(&tk);
        stats("tokenize", v, runs, "MB/s", &first);
        printf(",\n \"tokens\": %zu", ntok / (size_t)runs);
    }
    if (strstr(phases, "fast")) {
        for (int r = 0; r < runs; r++) v[r] = mb / run_coder(rs, 1, nturns);
        stats("fast", v, runs, "MB/s", &first);
    }
    if (strstr(phases, "reference")) {
        size_t upto = turns_for_mb(ref_mb);
        double rb = bytes_upto(upto) / 1e6;
        for (int r = 0; r < runs; r++) v[r] = rb / run_coder(rs, 0, upto);
        stats("reference", v, runs, "MB/s", &first);
        printf(",\n \"reference_mb\": %.3f", rb);
    }
#ifdef TS_HAVE_HS
    if (strstr(phases, "hs")) {
        double ms;
        size_t npat, dropped;
        hs_database_t *db = hs_build(rs, &ms, &npat, &dropped);
        if (db) {
            hs_scratch_t *scratch = NULL;
            hs_alloc_scratch(db, &scratch);
            size_t dbsz = 0, scsz = 0, hits = 0;
            hs_database_size(db, &dbsz);
            hs_scratch_size(scratch, &scsz);
            for (int r = 0; r < runs; r++) {
                double t0 = now();
                for (size_t i = 0; i < nturns; i++) hs_scan(db, turns[i].text, (unsigned)turns[i].len, 0, scratch, on_hs, &hits);
                v[r] = mb / (now() - t0);
            }
            stats("hs", v, runs, "MB/s", &first);
            /* one big buffer, the friendliest case for Hyperscan */
            for (int r = 0; r < runs; r++) {
                double t0 = now();
                hs_scan(db, raw, (unsigned)rawlen, 0, scratch, on_hs, &hits);
                v[r] = mb / (now() - t0);
            }
            stats("hs_one_buffer", v, runs, "MB/s", &first);
            printf(",\n \"hs_compile_ms\": %.1f, \"hs_patterns\": %zu, \"hs_dropped\": %zu, \"hs_bytes\": %zu, \"hs_version\": \"%s\"",
                   ms, npat, dropped, dbsz + scsz, hs_version());
            hs_free_scratch(scratch);
            hs_free_database(db);
        }
    }
#endif
    printf("}\n");
    free(v);
    for (size_t i = 0; i < nturns; i++) free(turns[i].text);
    free(turns);
    free(raw);
    free(file_bytes);
    free(files);
    ts_rules_free(rs);
    return 0;
}
