/* eval.c - see eval.h.
 *
 * Unit of comparison: the turn. For each code, a turn is a true positive
 * when both gold and taalspel give it, and so on; precision, recall and F1
 * follow. Families are compared as one categorical label per turn, for
 * Cohen's kappa:
 *   question type     professional turns: none / open / closed (open wins)
 *   reflection type   professional turns: none / simple / complex (complex,
 *                     double-sided and summary count as complex)
 *   client talk       client turns: neutral / change / sustain / mixed
 * Derived figures: "reflection (any)", "simple vs complex" (accuracy on the
 * turns both call a reflection), "change talk (any)", "sustain talk (any)",
 * and exact scale values (a true positive needs the same value, ±0.01).
 */
#include "eval.h"
#include "coder.h"
#include "pipeline.h"
#include "score.h"
#include "structure.h"
#include "util.h"
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct { double tp, fp, fn; } prf;

enum { QT_NONE, QT_OPEN, QT_CLOSED, QT_N };
enum { RT_NONE, RT_SIMPLE, RT_COMPLEX, RT_N };
enum { CT_NEUTRAL, CT_CHANGE, CT_SUSTAIN, CT_MIXED, CT_N };

typedef struct {
    const ts_ruleset *rs;
    char **names; size_t nnames;  /* codes: ruleset codes plus gold-only codes */
    prf *per;                     /* per code */
    prf refl_any, ct_any, st_any, scale_val;
    double sc_agree, sc_n;        /* simple vs complex on shared reflections */
    double qconf[QT_N][QT_N], rconf[RT_N][RT_N], cconf[CT_N][CT_N];
    size_t turns, gold_turns;
    const char *file;
    int verbose, json;
    FILE *out;
    ts_diags *d;
    cJSON *disagree;
    ts_buf dis_text;
    /* conversation structure: confusion of gold (rows) and taalspel labels */
    double talk_conf[3][3], phase_conf[4][4], pillar_conf[3][3], ia_conf[3][4];
} evctx;

static int name_index(evctx *x, const char *name, int add)
{
    for (size_t i = 0; i < x->nnames; i++)
        if (!strcmp(x->names[i], name)) return (int)i;
    if (!add) return -1;
    x->names = ts_xrealloc(x->names, (x->nnames + 1) * sizeof *x->names);
    x->per = ts_xrealloc(x->per, (x->nnames + 1) * sizeof *x->per);
    memset(&x->per[x->nnames], 0, sizeof *x->per);
    x->names[x->nnames] = ts_strdup(name);
    return (int)x->nnames++;
}

static int has_name(char **set, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++) if (!strcmp(set[i], name)) return 1;
    return 0;
}

static int has_prefix(char **set, size_t n, const char *p)
{
    size_t l = strlen(p);
    for (size_t i = 0; i < n; i++) if (!strncmp(set[i], p, l)) return 1;
    return 0;
}

static int qtype(char **s, size_t n)
{
    if (has_name(s, n, "question.open")) return QT_OPEN;
    if (has_name(s, n, "question.closed")) return QT_CLOSED;
    return QT_NONE;
}

static int rtype(char **s, size_t n)
{
    if (has_name(s, n, "reflection.complex") || has_name(s, n, "reflection.double_sided") || has_name(s, n, "summary")) return RT_COMPLEX;
    if (has_name(s, n, "reflection.simple")) return RT_SIMPLE;
    return RT_NONE;
}

static int ctype(char **s, size_t n)
{
    int c = has_prefix(s, n, "change_talk."), st = has_prefix(s, n, "sustain_talk.");
    return c && st ? CT_MIXED : c ? CT_CHANGE : st ? CT_SUSTAIN : CT_NEUTRAL;
}

static void count(prf *p, int g, int q)
{
    if (g && q) p->tp++;
    else if (q) p->fp++;
    else if (g) p->fn++;
}

static void on_turn(void *ud, size_t index, const ts_turn *t, const ts_coded *cd)
{
    evctx *x = ud;
    (void)index;
    x->turns++;
    char *gold[64];
    size_t ng = 0;
    double gval = NAN, pval = NAN;
    int has_gold = 0;
    cJSON *j = t->extra_json ? cJSON_Parse(t->extra_json) : NULL;
    cJSON *ga = j ? cJSON_GetObjectItemCaseSensitive(j, "gold") : NULL;
    if (ga) {
        has_gold = 1;
        if (!cJSON_IsArray(ga)) ts_diag_add(x->d, TS_SEV_ERROR, x->file, t->line, 1, "\"gold\" must be an array of codes");
        cJSON *it;
        cJSON_ArrayForEach(it, ga) {
            const char *name = NULL;
            if (cJSON_IsString(it)) name = it->valuestring;
            else if (cJSON_IsObject(it)) {
                cJSON *c = cJSON_GetObjectItemCaseSensitive(it, "code");
                cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "value");
                if (cJSON_IsString(c)) name = c->valuestring;
                if (cJSON_IsNumber(v)) gval = v->valuedouble;
            }
            if (!name) { ts_diag_add(x->d, TS_SEV_ERROR, x->file, t->line, 1, "gold entry must be a code string or {\"code\":...,\"value\":...}"); continue; }
            if (ts_rules_code_index(x->rs, name) < 0) {
                ts_diag_add(x->d, TS_SEV_ERROR, x->file, t->line, 1, "unknown gold code '%s'", name);
                continue;
            }
            if (ng < 64 && !has_name(gold, ng, name)) gold[ng++] = ts_strdup(name);
        }
    }
    /* structure labels, where the gold file has them */
    if (j) {
        cJSON *gt = cJSON_GetObjectItemCaseSensitive(j, "talk");
        if (gt && (t->role == TS_ROLE_PROFESSIONAL || t->role == TS_ROLE_CLIENT)) {
            int g = cJSON_IsNull(gt) ? 0 : cJSON_IsString(gt) ? (!strcmp(gt->valuestring, "problem") ? 1 : !strcmp(gt->valuestring, "solution") ? 2 : -1) : -1;
            if (g < 0) ts_diag_add(x->d, TS_SEV_ERROR, x->file, t->line, 1, "\"talk\" must be \"problem\", \"solution\" or null");
            else x->talk_conf[g][cd->st.talk]++;
        }
        static const char *const phases[] = {"situation", "desired", "exceptions", "next_step"};
        static const char *const pillars[] = {"perspective", "possibilism", "progression"};
        static const char *const ias[] = {"visitor", "complainant", "customer"};
        cJSON *gp = cJSON_GetObjectItemCaseSensitive(j, "phase");
        if (cJSON_IsString(gp) && t->role == TS_ROLE_PROFESSIONAL && cd->st.phase >= 0) {
            int g = -1;
            for (int k = 0; k < 4; k++) if (!strcmp(gp->valuestring, phases[k])) g = k;
            if (g < 0) ts_diag_add(x->d, TS_SEV_ERROR, x->file, t->line, 1, "unknown phase '%s'", gp->valuestring);
            else x->phase_conf[g][cd->st.phase]++;
        }
        cJSON *gl = cJSON_GetObjectItemCaseSensitive(j, "pillar");
        if (cJSON_IsString(gl) && t->role == TS_ROLE_PROFESSIONAL && cd->st.pillar >= 0) {
            int g = -1;
            for (int k = 0; k < 3; k++) if (!strcmp(gl->valuestring, pillars[k])) g = k;
            if (g < 0) ts_diag_add(x->d, TS_SEV_ERROR, x->file, t->line, 1, "unknown pillar '%s'", gl->valuestring);
            else x->pillar_conf[g][cd->st.pillar]++;
        }
        cJSON *gi = cJSON_GetObjectItemCaseSensitive(j, "interaction");
        if (cJSON_IsString(gi) && t->role == TS_ROLE_CLIENT) {
            int g = -1;
            for (int k = 0; k < 3; k++) if (!strcmp(gi->valuestring, ias[k])) g = k;
            if (g < 0) ts_diag_add(x->d, TS_SEV_ERROR, x->file, t->line, 1, "unknown interaction type '%s'", gi->valuestring);
            else x->ia_conf[g][cd->st.interaction < 0 ? 3 : cd->st.interaction]++;
        }
    }
    if (!has_gold) { cJSON_Delete(j); return; }
    x->gold_turns++;
    char *pred[64];
    size_t np = 0;
    for (size_t i = 0; i < cd->nhits; i++) {
        const ts_hit *h = &cd->hits[i];
        if (h->state != TS_HIT_LIVE) continue;
        const char *name = x->rs->codes[h->code].name;
        if (h->has_value && !strcmp(name, "scale.answer") && isnan(pval)) pval = h->value;
        if (np < 64 && !has_name(pred, np, name)) pred[np++] = ts_strdup(name);
    }
    for (size_t i = 0; i < ng; i++) name_index(x, gold[i], 1);
    for (size_t i = 0; i < np; i++) name_index(x, pred[i], 1);
    for (size_t i = 0; i < x->nnames; i++) {
        /* structure codes are compared as turn labels (talk, interaction), below */
        if (!strncmp(x->names[i], "talk.", 5) || !strncmp(x->names[i], "interaction.", 12)) continue;
        count(&x->per[i], has_name(gold, ng, x->names[i]), has_name(pred, np, x->names[i]));
    }
    int gr = rtype(gold, ng), pr = rtype(pred, np);
    count(&x->refl_any, gr != RT_NONE, pr != RT_NONE);
    if (gr != RT_NONE && pr != RT_NONE) { x->sc_n++; x->sc_agree += gr == pr; }
    int gsa = has_name(gold, ng, "scale.answer"), psa = has_name(pred, np, "scale.answer");
    int same = gsa && psa && !isnan(gval) && !isnan(pval) && fabs(gval - pval) < 0.01;
    if (same) x->scale_val.tp++;
    else { if (psa) x->scale_val.fp++; if (gsa) x->scale_val.fn++; }
    if (t->role == TS_ROLE_PROFESSIONAL) {
        x->qconf[qtype(gold, ng)][qtype(pred, np)]++;
        x->rconf[gr][pr]++;
    } else if (t->role == TS_ROLE_CLIENT) {
        x->cconf[ctype(gold, ng)][ctype(pred, np)]++;
        count(&x->ct_any, has_prefix(gold, ng, "change_talk."), has_prefix(pred, np, "change_talk."));
        count(&x->st_any, has_prefix(gold, ng, "sustain_talk."), has_prefix(pred, np, "sustain_talk."));
    }
    /* disagreements */
    int differ = 0;
    for (size_t i = 0; i < ng && !differ; i++) differ = !has_name(pred, np, gold[i]);
    for (size_t i = 0; i < np && !differ; i++) differ = !has_name(gold, ng, pred[i]) && strncmp(pred[i], "talk.", 5) && strncmp(pred[i], "interaction.", 12);
    if (gsa && psa && !same) differ = 1;
    if (differ && x->verbose) {
        ts_buf miss = {0}, extra = {0};
        for (size_t i = 0; i < ng; i++) if (!has_name(pred, np, gold[i])) { if (miss.len) ts_buf_putc(&miss, ' '); ts_buf_puts(&miss, gold[i]); }
        for (size_t i = 0; i < np; i++)
            if (!has_name(gold, ng, pred[i]) && strncmp(pred[i], "talk.", 5) && strncmp(pred[i], "interaction.", 12)) {
                if (extra.len) ts_buf_putc(&extra, ' ');
                ts_buf_puts(&extra, pred[i]);
            }
        if (gsa && psa && !same) ts_buf_printf(&miss, "%sscale.answer=%g (got %g)", miss.len ? " " : "", gval, pval);
        if (x->json) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "source", x->file);
            cJSON_AddNumberToObject(o, "line", (double)t->line);
            cJSON_AddStringToObject(o, "role", ts_role_name(t->role));
            cJSON_AddStringToObject(o, "text", t->text);
            cJSON_AddStringToObject(o, "missing", miss.p ? miss.p : "");
            cJSON_AddStringToObject(o, "extra", extra.p ? extra.p : "");
            cJSON_AddItemToArray(x->disagree, o);
        } else {
            ts_buf_printf(&x->dis_text, "%s:%lu: %s: %s\n    missing: %s\n    extra:   %s\n", x->file, t->line, ts_role_name(t->role),
                          t->text, miss.p ? miss.p : "-", extra.p ? extra.p : "-");
        }
        ts_buf_free(&miss);
        ts_buf_free(&extra);
    }
    for (size_t i = 0; i < ng; i++) free(gold[i]);
    for (size_t i = 0; i < np; i++) free(pred[i]);
    cJSON_Delete(j);
}

static double f1(const prf *p, double *P, double *R)
{
    *P = p->tp + p->fp > 0 ? p->tp / (p->tp + p->fp) : NAN;
    *R = p->tp + p->fn > 0 ? p->tp / (p->tp + p->fn) : NAN;
    return p->tp > 0 ? 2 * p->tp / (2 * p->tp + p->fp + p->fn) : (p->fp + p->fn > 0 ? 0 : NAN);
}

static double kappa(const double *m, int k)
{
    double n = 0, agree = 0, pe = 0;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) { n += m[i * k + j]; if (i == j) agree += m[i * k + j]; }
    if (n == 0) return NAN;
    for (int i = 0; i < k; i++) {
        double row = 0, col = 0;
        for (int j = 0; j < k; j++) { row += m[i * k + j]; col += m[j * k + i]; }
        pe += (row / n) * (col / n);
    }
    double po = agree / n;
    return pe >= 1 ? NAN : (po - pe) / (1 - pe);
}

/* share of the diagonal of a rows x cols confusion matrix */
static double accuracy(const double *m, int rows, int cols)
{
    double n = 0, ok = 0;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) { n += m[i * cols + j]; if (i == j) ok += m[i * cols + j]; }
    return n ? ok / n : NAN;
}

static cJSON *jnum(double v) { return isnan(v) ? cJSON_CreateNull() : cJSON_CreateNumber(round(v * 10000) / 10000); }

static void print_conf(FILE *o, const char *title, const char *const *labels, const double *m, int k)
{
    fprintf(o, "\n%s (rows gold, columns taalspel)\n%-10s", title, "");
    for (int j = 0; j < k; j++) fprintf(o, " %9s", labels[j]);
    fputc('\n', o);
    for (int i = 0; i < k; i++) {
        fprintf(o, "%-10s", labels[i]);
        for (int j = 0; j < k; j++) fprintf(o, " %9.0f", m[i * k + j]);
        fputc('\n', o);
    }
}

static cJSON *conf_json(const char *const *labels, const double *m, int k)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "labels", cJSON_CreateStringArray(labels, k));
    cJSON *rows = cJSON_AddArrayToObject(o, "matrix");
    for (int i = 0; i < k; i++) cJSON_AddItemToArray(rows, cJSON_CreateDoubleArray(m + i * k, k));
    return o;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int ts_eval(const ts_ruleset *rs, const char *const *paths, size_t n, const ts_rolemap *roles, int json, int verbose,
            FILE *out, ts_diags *d)
{
    evctx x;
    memset(&x, 0, sizeof x);
    x.rs = rs;
    x.verbose = verbose;
    x.json = json;
    x.out = out;
    x.d = d;
    x.disagree = cJSON_CreateArray();
    for (size_t c = 0; c < rs->ncodes; c++) name_index(&x, rs->codes[c].name, 1);
    ts_coder *coder = ts_coder_new(rs);
    ts_pipe_opts po = {TS_FMT_AUTO, roles};
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        x.file = paths[i];
        ts_pipe_result res;
        if (ts_pipe_code(paths[i], &po, coder, rs, NULL, NULL, on_turn, &x, d, &res) != 0) rc = 1;
    }
    ts_coder_free(coder);
    /* sort codes by name for a stable table */
    size_t *ord = ts_xmalloc(x.nnames * sizeof *ord);
    char **sorted = ts_xmalloc(x.nnames * sizeof *sorted);
    if (x.nnames) memcpy(sorted, x.names, x.nnames * sizeof *sorted); /* x.names may be NULL */
    qsort(sorted, x.nnames, sizeof *sorted, cmp_names);
    for (size_t i = 0; i < x.nnames; i++) ord[i] = (size_t)name_index(&x, sorted[i], 0);
    free(sorted);

    static const char *const ql[] = {"none", "open", "closed"};
    static const char *const rl[] = {"none", "simple", "complex"};
    static const char *const cl[] = {"neutral", "change", "sustain", "mixed"};
    double kq = kappa(&x.qconf[0][0], QT_N), kr = kappa(&x.rconf[0][0], RT_N), kc = kappa(&x.cconf[0][0], CT_N);
    struct { const char *name; prf *p; } derived[] = {
        {"reflection (any)", &x.refl_any}, {"change talk (any)", &x.ct_any}, {"sustain talk (any)", &x.st_any},
        {"scale.answer (exact value)", &x.scale_val}};
    double scacc = x.sc_n ? x.sc_agree / x.sc_n : NAN;
    static const char *const tl[] = {"none", "problem", "solution"};
    static const char *const phl[] = {"situation", "desired", "exceptions", "next_step"};
    static const char *const pll[] = {"perspective", "possibilism", "progression"};
    static const char *const ial[] = {"visitor", "complainant", "customer", "(none)"};
    double kt = kappa(&x.talk_conf[0][0], 3), kph = kappa(&x.phase_conf[0][0], 4), kpl = kappa(&x.pillar_conf[0][0], 3);
    double at = accuracy(&x.talk_conf[0][0], 3, 3), aph = accuracy(&x.phase_conf[0][0], 4, 4), apl = accuracy(&x.pillar_conf[0][0], 3, 3);
    double aia = accuracy(&x.ia_conf[0][0], 3, 4);
    if (json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "files", (double)n);
        cJSON_AddNumberToObject(o, "turns", (double)x.turns);
        cJSON_AddNumberToObject(o, "gold_turns", (double)x.gold_turns);
        cJSON *codes = cJSON_AddObjectToObject(o, "codes");
        for (size_t k = 0; k < x.nnames; k++) {
            size_t i = ord[k];
            double P, R, F = f1(&x.per[i], &P, &R);
            cJSON *c = cJSON_AddObjectToObject(codes, x.names[i]);
            cJSON_AddNumberToObject(c, "support", x.per[i].tp + x.per[i].fn);
            cJSON_AddNumberToObject(c, "predicted", x.per[i].tp + x.per[i].fp);
            cJSON_AddItemToObject(c, "precision", jnum(P));
            cJSON_AddItemToObject(c, "recall", jnum(R));
            cJSON_AddItemToObject(c, "f1", jnum(F));
        }
        cJSON *dv = cJSON_AddObjectToObject(o, "derived");
        for (size_t k = 0; k < sizeof derived / sizeof *derived; k++) {
            double P, R, F = f1(derived[k].p, &P, &R);
            cJSON *c = cJSON_AddObjectToObject(dv, derived[k].name);
            cJSON_AddNumberToObject(c, "support", derived[k].p->tp + derived[k].p->fn);
            cJSON_AddItemToObject(c, "precision", jnum(P));
            cJSON_AddItemToObject(c, "recall", jnum(R));
            cJSON_AddItemToObject(c, "f1", jnum(F));
        }
        cJSON *sc = cJSON_AddObjectToObject(dv, "simple vs complex");
        cJSON_AddNumberToObject(sc, "support", x.sc_n);
        cJSON_AddItemToObject(sc, "accuracy", jnum(scacc));
        cJSON *ka = cJSON_AddObjectToObject(o, "kappa");
        cJSON_AddItemToObject(ka, "question_type", jnum(kq));
        cJSON_AddItemToObject(ka, "reflection_type", jnum(kr));
        cJSON_AddItemToObject(ka, "client_talk", jnum(kc));
        cJSON *sto = cJSON_AddObjectToObject(o, "structure");
        const char *snames[] = {"talk", "phase", "pillar"};
        double sacc[] = {at, aph, apl}, skap[] = {kt, kph, kpl};
        for (int k = 0; k < 3; k++) {
            cJSON *c = cJSON_AddObjectToObject(sto, snames[k]);
            cJSON_AddItemToObject(c, "accuracy", jnum(sacc[k]));
            cJSON_AddItemToObject(c, "kappa", jnum(skap[k]));
        }
        cJSON *ci = cJSON_AddObjectToObject(sto, "interaction");
        cJSON_AddItemToObject(ci, "accuracy", jnum(aia));
        cJSON *cf = cJSON_AddObjectToObject(o, "confusion");
        cJSON_AddItemToObject(cf, "question_type", conf_json(ql, &x.qconf[0][0], QT_N));
        cJSON_AddItemToObject(cf, "reflection_type", conf_json(rl, &x.rconf[0][0], RT_N));
        cJSON_AddItemToObject(cf, "client_talk", conf_json(cl, &x.cconf[0][0], CT_N));
        if (verbose) cJSON_AddItemToObject(o, "disagreements", x.disagree);
        else cJSON_Delete(x.disagree);
        x.disagree = NULL;
        char *t = cJSON_Print(o);
        fprintf(out, "%s\n", t);
        free(t);
        cJSON_Delete(o);
    } else {
        fprintf(out, "taalspel eval: %zu files, %zu turns, %zu with gold codes\n\n", n, x.turns, x.gold_turns);
        fprintf(out, "%-30s %8s %8s %9s %7s %6s\n", "code", "support", "predict", "precision", "recall", "F1");
        for (size_t k = 0; k < x.nnames; k++) {
            size_t i = ord[k];
            if (!x.per[i].tp && !x.per[i].fp && !x.per[i].fn) continue;
            double P, R, F = f1(&x.per[i], &P, &R);
            fprintf(out, "%-30s %8.0f %8.0f %9.3f %7.3f %6.3f\n", x.names[i], x.per[i].tp + x.per[i].fn, x.per[i].tp + x.per[i].fp, P, R, F);
        }
        fprintf(out, "\n");
        for (size_t k = 0; k < sizeof derived / sizeof *derived; k++) {
            double P, R, F = f1(derived[k].p, &P, &R);
            fprintf(out, "%-30s %8.0f %8.0f %9.3f %7.3f %6.3f\n", derived[k].name, derived[k].p->tp + derived[k].p->fn,
                    derived[k].p->tp + derived[k].p->fp, P, R, F);
        }
        fprintf(out, "%-30s %8.0f %27s %6.3f (accuracy)\n", "simple vs complex", x.sc_n, "", scacc);
        fprintf(out, "\nCohen's kappa: question type %.3f, reflection type %.3f, client talk %.3f\n", kq, kr, kc);
        print_conf(out, "question type", ql, &x.qconf[0][0], QT_N);
        print_conf(out, "reflection type", rl, &x.rconf[0][0], RT_N);
        print_conf(out, "client talk", cl, &x.cconf[0][0], CT_N);
        fprintf(out, "\nconversation structure (turns with gold labels):\n");
        fprintf(out, "  talk type     accuracy %.3f  kappa %.3f\n", at, kt);
        fprintf(out, "  phase         accuracy %.3f  kappa %.3f\n", aph, kph);
        fprintf(out, "  pillar        accuracy %.3f  kappa %.3f\n", apl, kpl);
        fprintf(out, "  interaction   accuracy %.3f  (client turns that show a type)\n", aia);
        print_conf(out, "talk type", tl, &x.talk_conf[0][0], 3);
        print_conf(out, "phase", phl, &x.phase_conf[0][0], 4);
        print_conf(out, "pillar", pll, &x.pillar_conf[0][0], 3);
        fprintf(out, "\ninteraction type (rows gold, columns taalspel)\n%-12s", "");
        for (int jj = 0; jj < 4; jj++) fprintf(out, " %11s", ial[jj]);
        fputc('\n', out);
        for (int ii = 0; ii < 3; ii++) {
            fprintf(out, "%-12s", ial[ii]);
            for (int jj = 0; jj < 4; jj++) fprintf(out, " %11.0f", x.ia_conf[ii][jj]);
            fputc('\n', out);
        }
        if (verbose && x.dis_text.len) fprintf(out, "\ndisagreements:\n%s", x.dis_text.p);
        cJSON_Delete(x.disagree);
    }
    ts_buf_free(&x.dis_text);
    free(ord);
    for (size_t i = 0; i < x.nnames; i++) free(x.names[i]);
    free(x.names);
    free(x.per);
    return rc || d->errors ? 1 : 0;
}
