/* main.c - the taalspel command line. Only this file decides to exit. */
#include "atoms.h"
#include "coder.h"
#include "emit.h"
#include "eval.h"
#include "limits.h"
#include "pipeline.h"
#include "report.h"
#include "ruletools.h"
#include "token.h"
#include "util.h"
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef TS_VERSION
#define TS_VERSION "0.0.0"
#endif

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2 };

static const char *usage_text =
"taalspel " TS_VERSION " - codes Dutch MI and solution-focused conversation transcripts\n"
"\n"
"Usage:\n"
"  taalspel code [options] FILE|DIR...   code transcripts, write JSON/JSONL/CSV\n"
"  taalspel report [options] FILE [FILE2] -o verslag.html\n"
"                                         feedback report (two files: side by side)\n"
"  taalspel eval [-v] [--format json] GOLD...\n"
"                                         compare with gold codes: P/R/F1, kappa\n"
"  taalspel merge RESULT...               sum scores of coded shards (json/jsonl)\n"
"  taalspel explain [--role R] TEXT|FILE  why each sentence got its codes\n"
"  taalspel tokens [--text TEXT] FILE     tokens and sentence boundaries\n"
"  taalspel rules check [DIR]             compile rules, report file:line:col errors\n"
"  taalspel rules test [DIR]              run every rule's own examples\n"
"  taalspel rules doc [DIR]               write the codebook as Markdown\n"
"\n"
"Options for code (and report/eval where they apply):\n"
"  -o FILE              write to FILE (atomically: temp file, then rename); default stdout\n"
"  --format F           json (default: one document per transcript), jsonl, csv\n"
"  --sessions-csv FILE  with --format csv: the session table (default: OUT.sessions.csv)\n"
"  --rules DIR          rule directory; repeat to combine, 'default' = the installed pack\n"
"  --roles SPEC         speaker roles, e.g. --roles Anna=professional,Bram=client\n"
"  --input-format F     txt, jsonl, vtt or srt (default: by extension, then content)\n"
"  -j N                 worker threads (default: number of cores); output is identical for any N\n"
"  --quiet              no progress bar\n"
"  --profile            the rules that cost the most time, with their candidates\n"
"                       and the candidates verification rejected, on stderr\n"
"  --matcher M          fast (default: atom prefilter + native verification) or\n"
"                       reference (every rule's PCRE2 on every sentence; the oracle)\n"
"\n"
"Input formats: plain text 'Label: text' turns (T/C, Coach/Cliënt, ... or '# rollen:'),\n"
"JSON Lines {\"speaker\",\"role\",\"text\",\"start\",\"end\"}, WebVTT (Teams/Zoom/Whisper), SRT.\n"
"A directory is searched recursively for *.txt *.jsonl *.vtt *.srt. '-' reads stdin.\n"
"\n"
"Examples:\n"
"  taalspel code sessie.txt                       JSON on stdout\n"
"  taalspel code --format csv -o corpus.csv data/ turn table + corpus.sessions.csv\n"
"  taalspel code --format jsonl -j 8 data/ | jq 'select(.type==\"session\")'\n"
"  taalspel report sessie.vtt -o verslag.html\n"
"  taalspel explain \"Waarom heb je niet gebeld?\"\n"
"  taalspel explain --role client \"T: Wil je minder drinken? >> C: Ja, dat wil ik wel.\"\n"
"  taalspel rules check my-rules/ && taalspel rules test my-rules/\n"
"\n"
"Exit status: 0 ok; 1 input or rule errors were reported (every good file is still\n"
"coded); 2 usage error.\n";

static void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "taalspel: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nRun 'taalspel --help' for usage.\n");
    exit(EXIT_USAGE);
}

/* ------------------------------------------------------------ options */

typedef struct {
    const char *out;
    const char *sessions_csv;
    ts_outfmt fmt;
    const char *rules[16];
    size_t nrules;
    ts_rolemap *roles;
    ts_format informat;
    int jobs;
    int quiet, profile, verbose;
    int reference; /* --matcher reference */
    int json_out; /* eval --format json */
    const char *role; /* explain --role */
    const char *text; /* tokens --text */
    const char *lang;
    char **files;
    size_t nfiles;
    const char *argv0;
} opts;

static int cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static void parse_opts(opts *o, int argc, char **argv, int start)
{
    for (int i = start; i < argc; i++) {
        const char *a = argv[i];
#define NEED() do { if (i + 1 >= argc) usage_error("option %s needs a value", a); } while (0)
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) { NEED(); o->out = argv[++i]; }
        else if (!strcmp(a, "--format")) {
            NEED();
            const char *f = argv[++i];
            if (!strcmp(f, "json")) o->json_out = 1;
            if (ts_outfmt_parse(f, &o->fmt) != 0) usage_error("unknown --format '%s' (json, jsonl, csv)", f);
        } else if (!strcmp(a, "--sessions-csv")) { NEED(); o->sessions_csv = argv[++i]; }
        else if (!strcmp(a, "--rules")) {
            NEED();
            if (o->nrules >= 16) usage_error("%s", "too many --rules");
            o->rules[o->nrules++] = argv[++i];
        } else if (!strcmp(a, "--roles")) {
            NEED();
            char *err = NULL;
            if (ts_rolemap_add_spec(o->roles, argv[++i], &err) != 0) {
                fprintf(stderr, "taalspel: --roles: %s\n", err ? err : "malformed");
                free(err);
                exit(EXIT_USAGE);
            }
        } else if (!strcmp(a, "--input-format")) {
            NEED();
            if (ts_format_parse(argv[++i], &o->informat) != 0) usage_error("unknown --input-format '%s' (txt, jsonl, vtt, srt)", argv[i]);
        } else if (!strcmp(a, "-j") || !strncmp(a, "-j", 2)) {
            const char *v = a + 2;
            if (!a[2]) { NEED(); v = argv[++i]; }
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > TS_MAX_JOBS) usage_error("-j needs a number from 1 to 256, not '%s'", v);
            o->jobs = (int)n;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) o->quiet = 1;
        else if (!strcmp(a, "--profile")) o->profile = 1;
        else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) o->verbose = 1;
        else if (!strcmp(a, "--matcher")) {
            NEED();
            const char *m = argv[++i];
            if (strcmp(m, "reference") && strcmp(m, "fast")) usage_error("unknown --matcher '%s' (fast, reference)", m);
            o->reference = !strcmp(m, "reference");
        } else if (!strcmp(a, "--role")) { NEED(); o->role = argv[++i]; }
        else if (!strcmp(a, "--text")) { NEED(); o->text = argv[++i]; }
        else if (!strcmp(a, "--lang")) { NEED(); o->lang = argv[++i]; }
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { fputs(usage_text, stdout); exit(EXIT_OK); }
        else if (a[0] == '-' && a[1]) usage_error("unknown option '%s'", a);
        else {
            o->files = ts_xrealloc(o->files, (o->nfiles + 1) * sizeof *o->files);
            o->files[o->nfiles++] = ts_strdup(a);
        }
#undef NEED
    }
}

/* The main jobs leave the rule pack to the end of the process instead of
 * freeing it: its ~100,000 small blocks took a fifth of coding one session.
 * A static pointer keeps it reachable, so leak checkers (valgrind's
 * definite/indirect, LeakSanitizer) stay quiet; TAALSPEL_FREE_AT_EXIT=1
 * frees it anyway (to check that freeing is clean). */
static ts_ruleset *kept_rules;

static void keep_until_exit(ts_ruleset *rs)
{
    const char *f = getenv("TAALSPEL_FREE_AT_EXIT");
    if (f && !strcmp(f, "1")) { ts_rules_free(rs); return; }
    kept_rules = rs;
}

static ts_ruleset *load_rules(opts *o, ts_diags *d)
{
    const char *dirs[16];
    char *def = NULL;
    size_t n = 0;
    if (!o->nrules) {
        def = ts_rules_default_dir(o->argv0);
        if (!def) {
            fprintf(stderr, "taalspel: cannot find the default rules; pass --rules DIR or set TAALSPEL_RULES\n");
            exit(EXIT_INPUT);
        }
        dirs[n++] = def;
    } else {
        for (size_t i = 0; i < o->nrules; i++) {
            if (!strcmp(o->rules[i], "default")) {
                if (!def) def = ts_rules_default_dir(o->argv0);
                if (!def) { fprintf(stderr, "taalspel: cannot find the default rules\n"); exit(EXIT_INPUT); }
                dirs[n++] = def;
            } else dirs[n++] = o->rules[i];
        }
    }
    ts_ruleset *rs = NULL;
    int rc = ts_rules_load(&rs, dirs, n, d);
    free(def);
    if (rc != 0) {
        ts_diag_print(d, stderr);
        fprintf(stderr, "taalspel: the rules have errors (%zu); nothing was coded\n", d->errors);
        exit(EXIT_INPUT);
    }
    return rs;
}

/* ------------------------------------------------------ atomic output */

/* Every output file is written to FILE.tmp.PID and renamed to FILE only once
 * it is complete, so a reader never sees a truncated report or CSV under the
 * final name. The temp files not yet renamed are listed in pending_tmp; a
 * fatal signal (Ctrl-C, kill, a closed terminal) and exit() remove them, so
 * an interrupted run leaves nothing behind. */
typedef struct { char *final, *tmp; FILE *f; } outfile;

#define MAX_PENDING 4
static char *volatile pending_tmp[MAX_PENDING];

static void pending_set(char *tmp, char *old)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending_tmp[i] == old) { pending_tmp[i] = tmp; return; }
}

static void remove_pending(void)
{
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending_tmp[i]) unlink(pending_tmp[i]);
}

static void on_fatal_signal(int sig)
{
    /* async-signal-safe only: unlink(), then die of the same signal (the
     * handler was reset by SA_RESETHAND), so the exit status tells. */
    for (int i = 0; i < MAX_PENDING; i++)
        if (pending_tmp[i]) unlink(pending_tmp[i]);
    raise(sig);
}

static void install_signal_handlers(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa;
        /* a signal ignored on entry (nohup, a background job) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN) continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal_signal;
        sa.sa_flags = SA_RESETHAND;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
    atexit(remove_pending);
}

static FILE *out_open(outfile *of, const char *path)
{
    memset(of, 0, sizeof *of);
    if (!path || !strcmp(path, "-")) { of->f = stdout; return stdout; }
    of->final = ts_strdup(path);
    of->tmp = ts_strdupf("%s.tmp.%ld", path, (long)getpid());
    pending_set(of->tmp, NULL); /* before it exists: a signal right after fopen() finds it */
    of->f = fopen(of->tmp, "wb");
    if (!of->f) {
        fprintf(stderr, "taalspel: cannot write %s: %s\n", of->tmp, strerror(errno));
        exit(EXIT_INPUT);
    }
    return of->f;
}

static int out_close(outfile *of)
{
    int rc = 0;
    if (!of->f) return 0;
    if (of->f == stdout) { fflush(stdout); return ferror(stdout) ? -1 : 0; }
    if (fclose(of->f) != 0) rc = -1;
    if (rc == 0 && rename(of->tmp, of->final) != 0) rc = -1;
    if (rc != 0) { fprintf(stderr, "taalspel: cannot write %s: %s\n", of->final, strerror(errno)); unlink(of->tmp); }
    pending_set(NULL, of->tmp); /* renamed or removed: nothing to clean up */
    free(of->final);
    free(of->tmp);
    of->f = NULL;
    return rc;
}

/* ---------------------------------------------------- input discovery */

static int wanted_ext(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot) return 0;
    return !strcmp(dot, ".txt") || !strcmp(dot, ".jsonl") || !strcmp(dot, ".ndjson") || !strcmp(dot, ".vtt") || !strcmp(dot, ".srt");
}

static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void add_path(char ***v, size_t *n, const char *p, ts_diags *d)
{
    struct stat st;
    if (strcmp(p, "-") && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
        DIR *dh = opendir(p);
        if (!dh) { ts_diag_add(d, TS_SEV_ERROR, p, 0, 0, "cannot open directory: %s", strerror(errno)); return; }
        char **names = NULL;
        size_t nn = 0;
        struct dirent *de;
        while ((de = readdir(dh))) {
            if (de->d_name[0] == '.') continue;
            names = ts_xrealloc(names, (nn + 1) * sizeof *names);
            names[nn++] = ts_strdup(de->d_name);
        }
        closedir(dh);
        if (nn > 1) qsort(names, nn, sizeof *names, cmpstr); /* the same order on every machine */
        for (size_t i = 0; i < nn; i++) {
            char *full = ts_strdupf("%s%s%s", p, p[strlen(p) - 1] == '/' ? "" : "/", names[i]);
            struct stat s2;
            /* regular files only: a FIFO in a corpus directory would block the run */
            if (stat(full, &s2) == 0 && (S_ISDIR(s2.st_mode) || (S_ISREG(s2.st_mode) && wanted_ext(names[i])))) add_path(v, n, full, d);
            free(full);
            free(names[i]);
        }
        free(names);
        return;
    }
    *v = ts_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = ts_strdup(p);
}

/* ---------------------------------------------------------- batch code */

typedef struct {
    char *path;
    char *buf, *sbuf;  /* coded output (turns / csv session rows) */
    size_t blen, slen;
    ts_diags diags;
    ts_pipe_result res;
    int rc, done;
} job;

typedef struct {
    opts *o;
    const ts_ruleset *rs;
    job *jobs;
    size_t njobs, next, inflight_limit, written;
    ts_rule_prof *prof; /* --profile: summed over the workers */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} batch;

static void code_one(batch *b, ts_coder *coder, job *j)
{
    FILE *f = open_memstream(&j->buf, &j->blen);
    FILE *s = b->o->fmt == TS_OUT_CSV ? open_memstream(&j->sbuf, &j->slen) : NULL;
    ts_emitter em = {b->o->fmt, f, s, b->rs, NULL, 0};
    ts_scores sc;
    ts_scores_init(&sc);
    ts_pipe_opts po = {b->o->informat, b->o->roles};
    j->rc = ts_pipe_code(j->path, &po, coder, b->rs, j->res.open_failed ? NULL : &em, &sc, NULL, NULL, &j->diags, &j->res);
    ts_scores_free(&sc);
    fclose(f);
    if (s) fclose(s);
    if (j->res.open_failed) { free(j->buf); j->buf = NULL; j->blen = 0; free(j->sbuf); j->sbuf = NULL; j->slen = 0; }
}

static void *worker(void *arg)
{
    batch *b = arg;
    ts_coder *coder = ts_coder_new(b->rs);
    ts_coder_set_matcher(coder, !b->o->reference);
    ts_coder_profile(coder, b->o->profile);
    for (;;) {
        pthread_mutex_lock(&b->mu);
        while (b->next < b->njobs && b->next >= b->written + b->inflight_limit) pthread_cond_wait(&b->cv, &b->mu);
        if (b->next >= b->njobs) { pthread_mutex_unlock(&b->mu); break; }
        job *j = &b->jobs[b->next++];
        pthread_mutex_unlock(&b->mu);
        code_one(b, coder, j);
        pthread_mutex_lock(&b->mu);
        j->done = 1;
        pthread_cond_broadcast(&b->cv);
        pthread_mutex_unlock(&b->mu);
    }
    if (b->o->profile) { /* add this worker's profile to the batch's */
        const ts_rule_prof *p = ts_coder_profile_data(coder);
        pthread_mutex_lock(&b->mu);
        for (size_t i = 0; i < b->rs->nrules; i++) {
            b->prof[i].ns += p[i].ns; b->prof[i].tries += p[i].tries;
            b->prof[i].hits += p[i].hits; b->prof[i].rejected += p[i].rejected;
        }
        pthread_mutex_unlock(&b->mu);
    }
    ts_coder_free(coder);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(size_t done, size_t total, size_t turns, double bytes, double total_bytes, double t0)
{
    double el = now_s() - t0;
    double mbs = el > 0 ? bytes / 1e6 / el : 0;
    double eta = bytes > 0 && total_bytes > bytes ? el * (total_bytes - bytes) / bytes : 0;
    int w = 30, fill = total ? (int)(w * (double)done / (double)total) : w;
    fprintf(stderr, "\r[");
    for (int i = 0; i < w; i++) fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %zu/%zu files  %zu turns  %.1f MB/s  ETA %.0fs ", done, total, turns, mbs, eta);
}

/* --profile: rules by time spent, most expensive first. "tried" counts the
 * sentences on which a rule was verified (the fast matcher's candidates),
 * "failed" the tries whose pattern did not match (atom hits that
 * verification rejected), "unless" the matches an unless/condition undid. */
typedef struct { const ts_rule_prof *p; size_t i; } profrow;

static int prof_cmp(const void *a, const void *b)
{
    const profrow *x = a, *y = b;
    if (x->p[x->i].ns != y->p[y->i].ns) return x->p[x->i].ns < y->p[y->i].ns ? 1 : -1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static void print_profile(const ts_ruleset *rs, const ts_rule_prof *p, int reference)
{
    profrow *v = ts_xcalloc(rs->nrules ? rs->nrules : 1, sizeof *v);
    unsigned long long ns = 0, tries = 0, hits = 0, rej = 0;
    for (size_t i = 0; i < rs->nrules; i++) {
        v[i].p = p;
        v[i].i = i;
        ns += p[i].ns; tries += p[i].tries; hits += p[i].hits; rej += p[i].rejected;
    }
    qsort(v, rs->nrules, sizeof *v, prof_cmp);
    fprintf(stderr, "profile (%s matcher): %.3f ms verifying, %llu tries, %llu hits, %llu failed, %llu undone by unless/conditions\n",
            reference ? "reference" : "fast", (double)ns / 1e6, tries, hits, tries - hits - rej, rej);
    fprintf(stderr, "%-36s %9s %6s %10s %9s %9s %9s %5s\n", "rule", "ms", "%", "tried", "hits", "failed", "unless", "slow");
    for (size_t j = 0; j < rs->nrules; j++) {
        const ts_rule_prof *q = &p[v[j].i];
        if (!q->tries) continue;
        fprintf(stderr, "%-36s %9.3f %6.1f %10llu %9llu %9llu %9llu %5s\n", rs->rules[v[j].i].id, (double)q->ns / 1e6,
                ns ? 100.0 * (double)q->ns / (double)ns : 0.0, q->tries, q->hits, q->tries - q->hits - q->rejected,
                q->rejected, ts_atoms_rule_slow(rs->atoms, v[j].i, NULL) ? "yes" : "");
    }
    free(v);
}

static int cmd_code(opts *o)
{
    ts_diags d = {0};
    if (!o->nfiles) usage_error("%s", "code needs at least one FILE or DIR ('-' for stdin)");
    ts_ruleset *rs = load_rules(o, &d);
    char **paths = NULL;
    size_t np = 0;
    for (size_t i = 0; i < o->nfiles; i++) add_path(&paths, &np, o->files[i], &d);
    outfile of, os;
    memset(&os, 0, sizeof os);
    FILE *out = out_open(&of, o->out);
    FILE *sess = NULL;
    if (o->fmt == TS_OUT_CSV) {
        char *sp = NULL;
        if (o->sessions_csv) sp = ts_strdup(o->sessions_csv);
        else if (o->out && strcmp(o->out, "-")) {
            const char *dot = strrchr(o->out, '.');
            size_t base = dot && !strchr(dot, '/') ? (size_t)(dot - o->out) : strlen(o->out);
            sp = ts_strdupf("%.*s.sessions.csv", (int)base, o->out);
        }
        if (sp) { sess = out_open(&os, sp); free(sp); }
        ts_emit_csv_headers(rs, out, sess);
    }
    int jobs = o->jobs ? o->jobs : cores();
    int show = !o->quiet && isatty(2);
    size_t total_turns = 0, failed_turns = 0, failed_files = 0;
    double total_bytes = 0, done_bytes = 0, t0 = now_s();
    for (size_t i = 0; i < np; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") && stat(paths[i], &st) == 0) total_bytes += (double)st.st_size;
    }
    int rc = d.errors ? EXIT_INPUT : EXIT_OK;
    ts_diag_print(&d, stderr);
    ts_diag_clear(&d);

    if (np == 1 && o->fmt != TS_OUT_CSV) {
        /* one transcript: stream straight to the output, constant memory */
        ts_coder *coder = ts_coder_new(rs);
        ts_coder_profile(coder, o->profile);
        ts_coder_set_matcher(coder, !o->reference);
        ts_emitter em = {o->fmt, out, sess, rs, NULL, 0};
        ts_scores sc;
        ts_scores_init(&sc);
        ts_pipe_opts po = {o->informat, o->roles};
        ts_pipe_result res;
        if (ts_pipe_code(paths[0], &po, coder, rs, &em, &sc, NULL, NULL, &d, &res) != 0) rc = EXIT_INPUT;
        total_turns += res.turns;
        failed_turns += res.failed;
        if (res.open_failed || res.failed) failed_files++;
        if (o->profile) print_profile(rs, ts_coder_profile_data(coder), o->reference);
        ts_scores_free(&sc);
        ts_coder_free(coder);
        ts_diag_print(&d, stderr);
        ts_diag_clear(&d);
    } else if (np) {
        batch b;
        memset(&b, 0, sizeof b);
        b.o = o;
        b.rs = rs;
        b.jobs = ts_xcalloc(np, sizeof *b.jobs);
        b.njobs = np;
        b.inflight_limit = (size_t)jobs * 4;
        b.prof = ts_xcalloc(rs->nrules ? rs->nrules : 1, sizeof *b.prof);
        pthread_mutex_init(&b.mu, NULL);
        pthread_cond_init(&b.cv, NULL);
        for (size_t i = 0; i < np; i++) b.jobs[i].path = paths[i];
        pthread_t th[TS_MAX_JOBS];
        int nth = jobs < (int)np ? jobs : (int)np;
        for (int i = 0; i < nth; i++) pthread_create(&th[i], NULL, worker, &b);
        for (size_t i = 0; i < np; i++) {
            job *j = &b.jobs[i];
            pthread_mutex_lock(&b.mu);
            while (!j->done) {
                if (show) {
                    struct timespec ts;
                    clock_gettime(CLOCK_REALTIME, &ts);
                    ts.tv_nsec += 200000000;
                    if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }
                    pthread_cond_timedwait(&b.cv, &b.mu, &ts);
                    progress(i, np, total_turns, done_bytes, total_bytes, t0);
                } else pthread_cond_wait(&b.cv, &b.mu);
            }
            pthread_mutex_unlock(&b.mu);
            if (j->buf) fwrite(j->buf, 1, j->blen, out);
            if (j->sbuf && sess) fwrite(j->sbuf, 1, j->slen, sess);
            if (j->diags.n || j->diags.dropped) ts_diag_print(&j->diags, stderr);
            if (j->rc) rc = EXIT_INPUT;
            total_turns += j->res.turns;
            failed_turns += j->res.failed;
            done_bytes += (double)j->res.bytes;
            if (j->res.open_failed || j->res.failed) failed_files++;
            free(j->buf); free(j->sbuf);
            ts_diag_clear(&j->diags);
            pthread_mutex_lock(&b.mu);
            b.written = i + 1;
            pthread_cond_broadcast(&b.cv);
            pthread_mutex_unlock(&b.mu);
        }
        for (int i = 0; i < nth; i++) pthread_join(th[i], NULL);
        if (show) { progress(np, np, total_turns, done_bytes, total_bytes, t0); fputc('\n', stderr); }
        if (o->profile) print_profile(rs, b.prof, o->reference);
        free(b.prof);
        pthread_mutex_destroy(&b.mu);
        pthread_cond_destroy(&b.cv);
        free(b.jobs);
    }
    if (out_close(&of) != 0) rc = EXIT_INPUT;
    if (os.f && out_close(&os) != 0) rc = EXIT_INPUT;
    if (np > 1 || failed_files)
        fprintf(stderr, "taalspel: %zu file%s, %zu turns coded, %zu turns failed, %zu file%s with errors\n", np, np == 1 ? "" : "s",
                total_turns, failed_turns, failed_files, failed_files == 1 ? "" : "s");
    for (size_t i = 0; i < np; i++) free(paths[i]);
    free(paths);
    keep_until_exit(rs);
    return rc;
}

/* ------------------------------------------------------------ others */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) return NULL;
    ts_buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) ts_buf_put(&b, tmp, n);
    if (f != stdin) fclose(f);
    *len = b.len;
    return ts_buf_detach(&b);
}

static int cmd_tokens(opts *o)
{
    char *text = NULL;
    size_t len = 0;
    if (o->text) { text = ts_strdup(o->text); len = strlen(text); }
    else if (o->nfiles == 1) {
        /* a transcript: tokens of every turn */
        ts_reader *r = NULL;
        ts_diags d = {0};
        if (ts_reader_open(&r, o->files[0], o->informat, o->roles, &d) != 0) { ts_diag_print(&d, stderr); ts_diag_clear(&d); return EXIT_INPUT; }
        ts_turn t;
        memset(&t, 0, sizeof t);
        ts_tokens tk = {0};
        size_t idx = 0;
        while (ts_reader_next(r, &t) == 1) {
            ts_tokenize(&tk, t.text, t.text_len);
            printf("turn %zu  %s (%s)  line %lu\n", idx++, t.speaker, ts_role_name(t.role), t.line);
            for (size_t s = 0; s < tk.nsent; s++) {
                printf("  sentence %zu [%u,%u) final '%c':", s, tk.sent[s].start, tk.sent[s].end, tk.sent[s].final ? tk.sent[s].final : '-');
                for (uint32_t i = tk.sent[s].tok_begin; i < tk.sent[s].tok_end; i++)
                    printf(" %.*s", (int)(tk.tok[i].end - tk.tok[i].start), t.text + tk.tok[i].start);
                printf("\n");
            }
            ts_turn_clear(&t);
        }
        ts_turn_clear(&t);
        ts_tokens_free(&tk);
        int rc = d.errors ? EXIT_INPUT : EXIT_OK;
        ts_diag_print(&d, stderr);
        ts_diag_clear(&d);
        ts_reader_free(r);
        return rc;
    } else usage_error("%s", "tokens needs FILE or --text TEXT");
    ts_tokens tk = {0};
    ts_tokenize(&tk, text, len);
    for (size_t s = 0; s < tk.nsent; s++) {
        printf("sentence %zu [%u,%u) final '%c'\n", s, tk.sent[s].start, tk.sent[s].end, tk.sent[s].final ? tk.sent[s].final : '-');
        for (uint32_t i = tk.sent[s].tok_begin; i < tk.sent[s].tok_end; i++)
            printf("  %-8s [%u,%u) %-20.*s key=%s\n", ts_tokkind_name(tk.tok[i].kind), tk.tok[i].start, tk.tok[i].end,
                   (int)(tk.tok[i].end - tk.tok[i].start), text + tk.tok[i].start, ts_tok_key(&tk, i));
    }
    ts_tokens_free(&tk);
    free(text);
    return EXIT_OK;
}

static int cmd_explain(opts *o)
{
    if (!o->nfiles) usage_error("%s", "explain needs a TEXT (quoted) or a FILE");
    ts_diags d = {0};
    ts_ruleset *rs = load_rules(o, &d);
    ts_role role = TS_ROLE_PROFESSIONAL;
    if (o->role && (ts_role_parse(o->role, &role) != 0 || role == TS_ROLE_UNKNOWN)) usage_error("unknown --role '%s'", o->role);
    struct stat st;
    if (o->nfiles == 1 && stat(o->files[0], &st) == 0 && S_ISREG(st.st_mode)) {
        size_t len;
        char *text = slurp(o->files[0], &len);
        /* a file: explain the whole transcript, one line per turn */
        char *joined = text;
        ts_buf b = {0};
        for (char *line = strtok(joined, "\n"); line; line = strtok(NULL, "\n")) {
            if (!*line || line[0] == '#') continue;
            if (b.len) ts_buf_puts(&b, " >> ");
            ts_buf_puts(&b, line);
        }
        ts_explain(rs, b.p ? b.p : "", role, stdout);
        ts_buf_free(&b);
        free(text);
    } else {
        ts_buf b = {0};
        for (size_t i = 0; i < o->nfiles; i++) { if (i) ts_buf_putc(&b, ' '); ts_buf_puts(&b, o->files[i]); }
        ts_explain(rs, b.p, role, stdout);
        ts_buf_free(&b);
    }
    ts_rules_free(rs);
    ts_diag_clear(&d);
    return EXIT_OK;
}

static int cmd_rules(opts *o, int argc, char **argv)
{
    if (argc < 3) usage_error("%s", "rules needs check, test or doc");
    const char *sub = argv[2];
    parse_opts(o, argc, argv, 3);
    for (size_t i = 0; i < o->nfiles; i++) o->rules[o->nrules++] = o->files[i];
    ts_diags d = {0};
    if (!strcmp(sub, "check")) {
        const char *dirs[16];
        char *def = NULL;
        size_t n = 0;
        if (!o->nrules) { def = ts_rules_default_dir(o->argv0); if (!def) { fprintf(stderr, "taalspel: no default rules found\n"); return EXIT_INPUT; } dirs[n++] = def; }
        for (size_t i = 0; i < o->nrules; i++) dirs[n++] = o->rules[i];
        ts_ruleset *rs = NULL;
        int rc = ts_rules_load(&rs, dirs, n, &d);
        if (rc == 0 && ts_rules_compile_all(rs, &d)) rc = -1; /* what code would meet on first use */
        ts_diag_print(&d, stdout);
        if (rc == 0) {
            size_t ex = 0;
            for (size_t i = 0; i < rs->nrules; i++) ex += rs->rules[i].nex;
            printf("rules ok: %zu codes, %zu lexicons, %zu rules, %zu examples, %d stages (rule pack %s)\n", rs->ncodes, rs->nlex,
                   rs->nrules, ex, rs->nstages, rs->version);
            /* the fast matcher's view: rules without atoms are tried on every sentence */
            ts_buf ab = {0};
            for (size_t i = 0; i < rs->nrules; i++) {
                const char *why = NULL;
                int slow = ts_atoms_rule_slow(rs->atoms, i, &why);
                if (!slow && !o->verbose) continue;
                ts_buf_reset(&ab);
                ts_atoms_describe(rs->atoms, rs, i, &ab);
                if (slow) printf("%s:%lu: note: slow rule '%s': %s; it is verified on every sentence (atoms: %s)\n",
                                 rs->rules[i].file, rs->rules[i].line, rs->rules[i].id, why, ab.p ? ab.p : "");
                else printf("%s:%lu: atoms of '%s': %s\n", rs->rules[i].file, rs->rules[i].line, rs->rules[i].id, ab.p ? ab.p : "");
            }
            ts_buf_free(&ab);
            printf("fast matcher: %zu slow rule%s (no atom)\n", ts_atoms_nslow(rs->atoms), ts_atoms_nslow(rs->atoms) == 1 ? "" : "s");
        } else printf("rules check: %zu error%s\n", d.errors, d.errors == 1 ? "" : "s");
        ts_rules_free(rs);
        ts_diag_clear(&d);
        free(def);
        return rc == 0 ? EXIT_OK : EXIT_INPUT;
    }
    if (!strcmp(sub, "test")) {
        ts_ruleset *rs = load_rules(o, &d);
        size_t total = 0;
        size_t fails = ts_rules_test(rs, stdout, &total, o->verbose);
        printf("%zu passed, %zu failed\n", total - fails, fails);
        ts_rules_free(rs);
        ts_diag_clear(&d);
        return fails ? EXIT_INPUT : EXIT_OK;
    }
    if (!strcmp(sub, "doc")) {
        ts_ruleset *rs = load_rules(o, &d);
        outfile of;
        FILE *f = out_open(&of, o->out);
        ts_rules_doc(rs, f);
        int rc = out_close(&of);
        ts_rules_free(rs);
        ts_diag_clear(&d);
        return rc ? EXIT_INPUT : EXIT_OK;
    }
    usage_error("unknown rules command '%s' (check, test, doc)", sub);
    return EXIT_USAGE;
}

static int cmd_eval(opts *o)
{
    if (!o->nfiles) usage_error("%s", "eval needs gold files or directories");
    ts_diags d = {0};
    ts_ruleset *rs = load_rules(o, &d);
    char **paths = NULL;
    size_t np = 0;
    for (size_t i = 0; i < o->nfiles; i++) add_path(&paths, &np, o->files[i], &d);
    outfile of;
    FILE *f = out_open(&of, o->out);
    int rc = ts_eval(rs, (const char *const *)paths, np, o->roles, o->json_out, o->verbose, f, &d);
    ts_diag_print(&d, stderr);
    if (d.errors) rc = EXIT_INPUT;
    if (out_close(&of) != 0) rc = EXIT_INPUT;
    for (size_t i = 0; i < np; i++) free(paths[i]);
    free(paths);
    ts_diag_clear(&d);
    ts_rules_free(rs);
    return rc;
}

static int cmd_merge(opts *o)
{
    if (!o->nfiles) usage_error("%s", "merge needs result files (json or jsonl from 'taalspel code')");
    ts_scores total;
    ts_scores_init(&total);
    total.sessions = 0;
    int rc = EXIT_OK;
    size_t found = 0;
    for (size_t i = 0; i < o->nfiles; i++) {
        size_t len;
        char *text = slurp(o->files[i], &len);
        if (!text) { fprintf(stderr, "%s: error: cannot read: %s\n", o->files[i], strerror(errno)); rc = EXIT_INPUT; continue; }
        /* JSON documents (possibly several, one per line group) or JSONL session lines */
        size_t n_here = 0;
        char *p = text;
        unsigned long line = 1;
        while (*p) {
            char *nl = strchr(p, '\n');
            if (nl) *nl = 0;
            if (strstr(p, "\"type\":\"session\"")) {
                ts_scores s;
                if (ts_scores_from_json(&s, p) == 0) { ts_scores_merge(&total, &s); ts_scores_free(&s); n_here++; }
                else { fprintf(stderr, "%s:%lu: error: session line without scores\n", o->files[i], line); rc = EXIT_INPUT; }
            }
            if (!nl) break;
            *nl = '\n';
            p = nl + 1;
            line++;
        }
        if (!n_here) {
            /* one or more JSON documents, one per transcript ("}\n{" between them) */
            char *q = text;
            while (q && *q) {
                char *nextdoc = strstr(q, "}\n{\"taalspel\"");
                if (nextdoc) nextdoc[1] = 0;
                ts_scores s;
                if (ts_scores_from_json(&s, q) == 0) { ts_scores_merge(&total, &s); ts_scores_free(&s); n_here++; }
                q = nextdoc ? nextdoc + 2 : NULL;
            }
        }
        if (!n_here) { fprintf(stderr, "%s: error: no taalspel scores found (expected output of 'taalspel code')\n", o->files[i]); rc = EXIT_INPUT; }
        found += n_here;
        free(text);
    }
    char *js = ts_scores_json(&total, NULL, 1);
    outfile of;
    FILE *f = out_open(&of, o->out);
    fprintf(f, "{\"taalspel\": \"%s\", \"merged\": %zu,\n \"scores\": %s}\n", TS_VERSION, found, js);
    if (out_close(&of) != 0) rc = EXIT_INPUT;
    free(js);
    ts_scores_free(&total);
    return rc;
}

static int cmd_report(opts *o)
{
    if (o->nfiles < 1 || o->nfiles > 2) usage_error("%s", "report needs one transcript (or two to compare)");
    ts_diags d = {0};
    ts_ruleset *rs = load_rules(o, &d);
    outfile of;
    FILE *f = out_open(&of, o->out);
    ts_pipe_opts po = {o->informat, o->roles};
    int rc = ts_report(rs, (const char *const *)o->files, o->nfiles, &po, f, &d);
    ts_diag_print(&d, stderr);
    if (d.errors) rc = EXIT_INPUT;
    if (out_close(&of) != 0) rc = EXIT_INPUT;
    else if (o->out && strcmp(o->out, "-") && !o->quiet) fprintf(stderr, "taalspel: report written to %s\n", o->out);
    ts_diag_clear(&d);
    ts_rules_free(rs);
    return rc;
}

int main(int argc, char **argv)
{
    opts o;
    memset(&o, 0, sizeof o);
    o.argv0 = argv[0];
    o.roles = ts_rolemap_new();
    install_signal_handlers();
    if (argc < 2) { fputs(usage_text, stderr); return EXIT_USAGE; }
    const char *cmd = argv[1];
    int rc;
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) { fputs(usage_text, stdout); rc = EXIT_OK; }
    else if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) { printf("taalspel %s\n", TS_VERSION); rc = EXIT_OK; }
    else if (!strcmp(cmd, "rules")) rc = cmd_rules(&o, argc, argv);
    else {
        parse_opts(&o, argc, argv, 2);
        if (!strcmp(cmd, "code")) rc = cmd_code(&o);
        else if (!strcmp(cmd, "tokens")) rc = cmd_tokens(&o);
        else if (!strcmp(cmd, "explain")) rc = cmd_explain(&o);
        else if (!strcmp(cmd, "eval")) rc = cmd_eval(&o);
        else if (!strcmp(cmd, "merge")) rc = cmd_merge(&o);
        else if (!strcmp(cmd, "report")) rc = cmd_report(&o);
        else { usage_error("unknown command '%s'", cmd); rc = EXIT_USAGE; }
    }
    for (size_t i = 0; i < o.nfiles; i++) free(o.files[i]);
    free(o.files);
    ts_rolemap_free(o.roles);
    return rc;
}
