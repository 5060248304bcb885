/* replay.c - runs a fuzz target without libFuzzer.
 *
 *   replay_<target> [-t MS] FILE|DIR...
 *
 * Feeds every file (a directory: its files, sorted) to the target's
 * LLVMFuzzerTestOneInput(), so the inputs the fuzzers found are checked by
 * `make test` in the normal build, under ASan+UBSan and under valgrind. An
 * input that takes longer than MS milliseconds (default 10000, or
 * $TS_REPLAY_MAX_MS) fails the run: slow inputs are kept as regressions too.
 * Exit status: 0 if every input ran (a broken promise aborts). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static long max_ms = 10000;
static size_t ran;
static double slowest;
static char slowest_name[4096];
static int failed;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        failed = 1;
        return;
    }
    size_t cap = 1 << 16, len = 0, n;
    unsigned char *buf = malloc(cap);
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            unsigned char *nb = realloc(buf, cap *= 2);
            if (!nb) { free(buf); buf = NULL; }
            buf = nb;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "replay: out of memory for %s\n", path);
        failed = 1;
        return;
    }
    /* An exact-size copy, so ASan and valgrind see a read past the end. */
    unsigned char *data = malloc(len ? len : 1);
    memcpy(data, buf, len);
    free(buf);
    double t0 = now_ms();
    LLVMFuzzerTestOneInput(data, len);
    double el = now_ms() - t0;
    free(data);
    ran++;
    if (el > slowest) {
        slowest = el;
        snprintf(slowest_name, sizeof slowest_name, "%s", path);
    }
    if (el > (double)max_ms) {
        fprintf(stderr, "replay: %s took %.0f ms, over the %ld ms bound\n", path, el, max_ms);
        failed = 1;
    }
}

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void run_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: no such file or directory: %s\n", path);
        failed = 1;
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        run_file(path);
        return;
    }
    DIR *dh = opendir(path);
    if (!dh) {
        failed = 1;
        return;
    }
    char **names = NULL;
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        if (de->d_name[0] == '.') continue;
        char **nv = realloc(names, (nn + 1) * sizeof *names);
        if (!nv) break;
        names = nv;
        size_t l = strlen(path) + strlen(de->d_name) + 2;
        names[nn] = malloc(l);
        snprintf(names[nn], l, "%s/%s", path, de->d_name);
        nn++;
    }
    closedir(dh);
    if (nn > 1) qsort(names, nn, sizeof *names, cmp); /* names is NULL when nn == 0 */
    for (size_t i = 0; i < nn; i++) {
        run_path(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    const char *env = getenv("TS_REPLAY_MAX_MS");
    if (env && *env) max_ms = strtol(env, NULL, 10);
    int i = 1;
    if (i + 1 < argc && !strcmp(argv[i], "-t")) {
        max_ms = strtol(argv[i + 1], NULL, 10);
        i += 2;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: %s [-t MS] FILE|DIR...\n", argv[0]);
        return 2;
    }
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    for (; i < argc; i++) run_path(argv[i]);
    printf("replay: %zu inputs, slowest %.1f ms%s%s\n", ran, slowest, ran ? " " : "", ran ? slowest_name : "");
    return failed;
}
