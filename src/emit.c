/* emit.c - see emit.h. The only module, with read_jsonl.c and eval.c, that
 * includes cJSON. */
#include "emit.h"
#include "structure.h"
#include "util.h"
#include <cjson/cJSON.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef TS_VERSION
#define TS_VERSION "0.0.0"
#endif

int ts_outfmt_parse(const char *s, ts_outfmt *out)
{
    if (!strcmp(s, "json")) *out = TS_OUT_JSON;
    else if (!strcmp(s, "jsonl") || !strcmp(s, "ndjson")) *out = TS_OUT_JSONL;
    else if (!strcmp(s, "csv")) *out = TS_OUT_CSV;
    else return -1;
    return 0;
}

static cJSON *num_or_null(double v)
{
    if (isnan(v) || isinf(v)) return cJSON_CreateNull();
    return cJSON_CreateNumber(round(v * 10000) / 10000); /* stable text, no float noise */
}

static cJSON *str_or_null(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

static cJSON *utterance(const ts_emitter *e, size_t index, const ts_turn *t, const ts_coded *cd)
{
    cJSON *u = cJSON_CreateObject();
    if (e->fmt == TS_OUT_JSONL) {
        cJSON_AddStringToObject(u, "type", "utterance");
        cJSON_AddStringToObject(u, "source", e->source);
    }
    cJSON_AddNumberToObject(u, "index", (double)index);
    cJSON_AddStringToObject(u, "speaker", t->speaker);
    cJSON_AddStringToObject(u, "role", ts_role_name(t->role));
    cJSON_AddStringToObject(u, "text", t->text);
    cJSON_AddItemToObject(u, "start", t->start >= 0 ? cJSON_CreateNumber(t->start) : cJSON_CreateNull());
    cJSON_AddItemToObject(u, "end", t->end >= 0 ? cJSON_CreateNumber(t->end) : cJSON_CreateNull());
    cJSON_AddNumberToObject(u, "line", (double)t->line);
    cJSON *sents = cJSON_AddArrayToObject(u, "sentences");
    for (size_t i = 0; i < cd->tok->nsent; i++) {
        cJSON *p = cJSON_CreateArray();
        cJSON_AddItemToArray(p, cJSON_CreateNumber(cd->tok->sent[i].start));
        cJSON_AddItemToArray(p, cJSON_CreateNumber(cd->tok->sent[i].end));
        cJSON_AddItemToArray(sents, p);
    }
    cJSON *codes = cJSON_AddArrayToObject(u, "codes");
    for (size_t i = 0; i < cd->nhits; i++) {
        const ts_hit *h = &cd->hits[i];
        if (h->state != TS_HIT_LIVE) continue;
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "code", e->rs->codes[h->code].name);
        cJSON_AddStringToObject(c, "rule", e->rs->rules[h->rule].id);
        cJSON_AddNumberToObject(c, "start", h->start);
        cJSON_AddNumberToObject(c, "end", h->end);
        if (h->has_value) cJSON_AddItemToObject(c, "value", num_or_null(h->value));
        cJSON_AddItemToArray(codes, c);
    }
    cJSON *st = cJSON_AddObjectToObject(u, "structure");
    cJSON_AddItemToObject(st, "talk", str_or_null(ts_talk_name(cd->st.talk)));
    cJSON_AddItemToObject(st, "phase", str_or_null(ts_phase_name(cd->st.phase)));
    cJSON_AddItemToObject(st, "pillar", str_or_null(ts_pillar_name(cd->st.pillar)));
    cJSON_AddItemToObject(st, "interaction", str_or_null(ts_interaction_name(cd->st.interaction)));
    if (t->extra_json) {
        cJSON *x = cJSON_Parse(t->extra_json);
        if (cJSON_IsObject(x)) {
            cJSON *it = x->child;
            while (it) {
                cJSON *next = it->next;
                if (!cJSON_GetObjectItemCaseSensitive(u, it->string)) {
                    cJSON_DetachItemViaPointer(x, it);
                    cJSON_AddItemToObject(u, it->string, it);
                }
                it = next;
            }
        }
        cJSON_Delete(x);
    }
    return u;
}

/* ------------------------------------------------ the per-turn writer
 *
 * A turn is written by hand rather than built as a cJSON tree and printed:
 * that tree costs a dozen allocations and a printf/sscanf round trip per
 * number, which was most of `code`'s time. The bytes are exactly those of
 * cJSON_PrintUnformatted(utterance(...)) - same key order, same string
 * escapes, same number formatting - and ts_emit_utterance() can produce
 * both, so the tests compare them. cJSON still prints the (per-transcript)
 * scores and the passthrough fields of JSONL input. */

/* cJSON's print_string_ptr: " \ and control characters escaped, the rest
 * (UTF-8 included) as is. */
static void jstr(ts_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (!s) s = "";
    ts_buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)s, *run = p;
    for (;; p++) {
        unsigned char c = *p;
        if (c >= 32 && c != '"' && c != '\\') continue;
        if (p > run) ts_buf_put(b, run, (size_t)(p - run));
        if (!c) break;
        char e[6] = {'\\', 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        default: e[1] = 'u'; e[2] = '0'; e[3] = '0'; e[4] = hex[c >> 4]; e[5] = hex[c & 15]; n = 6; break;
        }
        ts_buf_put(b, e, n);
        run = p + 1;
    }
    ts_buf_putc(b, '"');
}

/* cJSON's print_number: "%1.15g", or "%1.17g" when that does not read
 * back as the same double. */
static void jnum(ts_buf *b, double d)
{
    char tmp[32];
    int n;
    if (isnan(d) || isinf(d)) { ts_buf_puts(b, "null"); return; }
    if (d == floor(d) && fabs(d) < 1e15 && !(d == 0 && signbit(d))) {
        /* integers, the common case: what %1.15g prints, without printf */
        char *q = tmp + sizeof tmp;
        unsigned long long u = (unsigned long long)fabs(d);
        do { *--q = (char)('0' + u % 10); u /= 10; } while (u);
        if (d < 0) *--q = '-';
        ts_buf_put(b, q, (size_t)(tmp + sizeof tmp - q));
        return;
    }
    n = snprintf(tmp, sizeof tmp, "%1.15g", d);
    double test = strtod(tmp, NULL);
    double mx = fabs(test) > fabs(d) ? fabs(test) : fabs(d);
    if (!(fabs(test - d) <= mx * DBL_EPSILON)) n = snprintf(tmp, sizeof tmp, "%1.17g", d);
    ts_buf_put(b, tmp, (size_t)n);
}

static void jkey(ts_buf *b, const char *k, int first)
{
    if (!first) ts_buf_putc(b, ',');
    jstr(b, k);
    ts_buf_putc(b, ':');
}

/* ,"name": for a literal name that needs no escaping */
#define JLIT(b, lit) ts_buf_put((b), lit, sizeof lit - 1)

static void jstr_or_null(ts_buf *b, const char *s)
{
    if (s) jstr(b, s); else ts_buf_puts(b, "null");
}

/* cJSON_PrintUnformatted(item), written into b: the per-session scores are
 * a tree of ~200 nodes, and cJSON prints every number with sprintf and reads
 * it back with sscanf, which was a tenth of `code`'s time on short
 * sessions. Same bytes: cJSON prints a number equal to its (clamped)
 * valueint with %d, else as jnum() does. */
static void jtree(ts_buf *b, const cJSON *it)
{
    switch (it->type & 0xFF) {
    case cJSON_NULL: ts_buf_puts(b, "null"); return;
    case cJSON_False: ts_buf_puts(b, "false"); return;
    case cJSON_True: ts_buf_puts(b, "true"); return;
    case cJSON_String: jstr(b, it->valuestring); return;
    case cJSON_Raw: ts_buf_puts(b, it->valuestring ? it->valuestring : ""); return;
    case cJSON_Number: {
        double d = it->valuedouble;
        if (isnan(d) || isinf(d)) ts_buf_puts(b, "null");
        else if (d == (double)it->valueint) {
            char tmp[16], *q = tmp + sizeof tmp;
            long v = it->valueint;
            unsigned long u = v < 0 ? (unsigned long)-v : (unsigned long)v;
            do { *--q = (char)('0' + u % 10); u /= 10; } while (u);
            if (v < 0) *--q = '-';
            ts_buf_put(b, q, (size_t)(tmp + sizeof tmp - q));
        } else jnum(b, d);
        return;
    }
    case cJSON_Array:
    case cJSON_Object: {
        int obj = (it->type & 0xFF) == cJSON_Object;
        ts_buf_putc(b, obj ? '{' : '[');
        for (const cJSON *c = it->child; c; c = c->next) {
            if (c != it->child) ts_buf_putc(b, ',');
            if (obj) { jstr(b, c->string); ts_buf_putc(b, ':'); }
            jtree(b, c);
        }
        ts_buf_putc(b, obj ? '}' : ']');
        return;
    }
    default: ts_buf_puts(b, "null"); return; /* cJSON_Invalid: cJSON prints nothing and fails */
    }
}

static void utterance_fast(ts_buf *b, const ts_emitter *e, size_t index, const ts_turn *t, const ts_coded *cd)
{
    ts_buf_grow(b, t->text_len + t->text_len / 8 + 256 + cd->tok->nsent * 16 + cd->nhits * 96);
    ts_buf_putc(b, '{');
    int first = 1;
    if (e->fmt == TS_OUT_JSONL) {
        jkey(b, "type", 1); jstr(b, "utterance");
        jkey(b, "source", 0); jstr(b, e->source);
        first = 0;
    }
    if (first) JLIT(b, "\"index\":"); else JLIT(b, ",\"index\":");
    jnum(b, (double)index);
    JLIT(b, ",\"speaker\":"); jstr(b, t->speaker);
    JLIT(b, ",\"role\":"); jstr(b, ts_role_name(t->role));
    JLIT(b, ",\"text\":"); jstr(b, t->text);
    JLIT(b, ",\"start\":"); if (t->start >= 0) jnum(b, t->start); else ts_buf_puts(b, "null");
    JLIT(b, ",\"end\":"); if (t->end >= 0) jnum(b, t->end); else ts_buf_puts(b, "null");
    JLIT(b, ",\"line\":"); jnum(b, (double)t->line);
    JLIT(b, ",\"sentences\":[");
    for (size_t i = 0; i < cd->tok->nsent; i++) {
        if (i) ts_buf_putc(b, ',');
        ts_buf_putc(b, '[');
        jnum(b, cd->tok->sent[i].start);
        ts_buf_putc(b, ',');
        jnum(b, cd->tok->sent[i].end);
        ts_buf_putc(b, ']');
    }
    ts_buf_putc(b, ']');
    JLIT(b, ",\"codes\":[");
    int fc = 1;
    for (size_t i = 0; i < cd->nhits; i++) {
        const ts_hit *h = &cd->hits[i];
        if (h->state != TS_HIT_LIVE) continue;
        if (!fc) ts_buf_putc(b, ',');
        fc = 0;
        JLIT(b, "{\"code\":"); jstr(b, e->rs->codes[h->code].name);
        JLIT(b, ",\"rule\":"); jstr(b, e->rs->rules[h->rule].id);
        JLIT(b, ",\"start\":"); jnum(b, h->start);
        JLIT(b, ",\"end\":"); jnum(b, h->end);
        if (h->has_value) { JLIT(b, ",\"value\":"); if (isnan(h->value) || isinf(h->value)) ts_buf_puts(b, "null"); else jnum(b, round(h->value * 10000) / 10000); }
        ts_buf_putc(b, '}');
    }
    ts_buf_putc(b, ']');
    JLIT(b, ",\"structure\":{\"talk\":"); jstr_or_null(b, ts_talk_name(cd->st.talk));
    JLIT(b, ",\"phase\":"); jstr_or_null(b, ts_phase_name(cd->st.phase));
    JLIT(b, ",\"pillar\":"); jstr_or_null(b, ts_pillar_name(cd->st.pillar));
    JLIT(b, ",\"interaction\":"); jstr_or_null(b, ts_interaction_name(cd->st.interaction));
    ts_buf_putc(b, '}');
    if (t->extra_json) {
        /* passthrough fields: those whose name is not taken yet, in order */
        static const char *const taken[] = {"type", "source", "index", "speaker", "role", "text", "start", "end",
                                            "line", "sentences", "codes", "structure", NULL};
        cJSON *x = cJSON_Parse(t->extra_json);
        if (cJSON_IsObject(x)) {
            for (cJSON *it = x->child; it; it = it->next) {
                int dup = 0;
                for (int k = 0; taken[k] && !dup; k++)
                    dup = !strcmp(taken[k], it->string) && (k > 1 || e->fmt == TS_OUT_JSONL);
                for (cJSON *q = x->child; q != it && !dup; q = q->next) dup = !strcmp(q->string, it->string);
                if (dup) continue;
                char *v = cJSON_PrintUnformatted(it);
                if (!v) continue;
                jkey(b, it->string, 0);
                ts_buf_puts(b, v);
                free(v);
            }
        }
        cJSON_Delete(x);
    }
    ts_buf_putc(b, '}');
}

void ts_emit_utterance(ts_buf *out, const ts_emitter *e, size_t index, const ts_turn *t, const ts_coded *cd, int with_cjson)
{
    if (!with_cjson) { utterance_fast(out, e, index, t, cd); return; }
    cJSON *u = utterance(e, index, t, cd);
    char *s = cJSON_PrintUnformatted(u);
    if (s) ts_buf_puts(out, s);
    free(s);
    cJSON_Delete(u);
}

void ts_csv_field(FILE *f, const char *s)
{
    if (!s) return;
    if (!strpbrk(s, ",\"\r\n")) { fputs(s, f); return; }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_num(FILE *f, double v)
{
    if (isnan(v) || isinf(v)) return; /* empty cell = NA in R, NaN in pandas */
    if (v == floor(v) && fabs(v) < 1e15) fprintf(f, "%.0f", v);
    else fprintf(f, "%.4f", v);
}

/* session table: fixed derived columns, then one count column per code and role */
static const char *const derived_cols[] = {
    "turns_total", "turns_professional", "turns_client", "turns_other", "turns_failed",
    "reflections", "complex_reflections", "simple_reflections", "questions", "open_questions", "closed_questions",
    "rq_ratio", "rq_level", "pct_complex_reflections", "pct_complex_reflections_level", "pct_open_questions",
    "mi_adherent", "mi_non_adherent", "change_talk", "sustain_talk", "pct_change_talk",
    "sf_moves", "sf_moves_per_10_professional_turns", "why_questions", "pct_why_questions",
    "words_professional", "words_client", "words_other", "professional_share_words",
    "seconds_professional", "seconds_client", "seconds_other", "professional_share_seconds",
    "scale_answers", "scale_first", "scale_last",
    "pct_solution_talk_professional", "pct_solution_talk_client",
    "pct_solution_talk_client_first_third", "pct_solution_talk_client_last_third",
    "phase_situation_turns", "phase_desired_turns", "phase_exceptions_turns", "phase_next_step_turns",
    "pillar_perspective_turns", "pillar_possibilism_turns", "pillar_progression_turns",
    "jumped_to_next_step", "interaction_type", "epe_sequences", "information_or_advice_without_permission", NULL};

static void col_name(char *out, size_t cap, const char *role, const char *code)
{
    snprintf(out, cap, "code_%s_%s", role, code);
    for (char *p = out; *p; p++) if (*p == '.') *p = '_';
}

void ts_emit_csv_headers(const ts_ruleset *rs, FILE *turns, FILE *sess)
{
    if (turns) fputs("source,index,speaker,role,start,end,text,codes\r\n", turns);
    if (!sess) return;
    fputs("source", sess);
    for (int i = 0; derived_cols[i]; i++) fprintf(sess, ",%s", derived_cols[i]);
    for (int r = 0; r < 3; r++)
        for (size_t c = 0; c < rs->ncodes; c++) {
            if (!(rs->codes[c].roles & (1u << r))) continue;
            char n[256];
            col_name(n, sizeof n, ts_role_name((ts_role)r), rs->codes[c].name);
            fprintf(sess, ",%s", n);
        }
    fputs("\r\n", sess);
}

void ts_emit_begin(ts_emitter *e, const char *source, const char *meta_json)
{
    e->source = source;
    e->nturns = 0;
    if (e->fmt == TS_OUT_JSON) {
        cJSON *s = cJSON_CreateString(source);
        char *src = cJSON_PrintUnformatted(s);
        fprintf(e->out, "{\"taalspel\": \"%s\", \"source\": %s,\n", TS_VERSION, src);
        free(src);
        cJSON_Delete(s);
        if (meta_json) fprintf(e->out, " \"meta\": %s,\n", meta_json);
        fputs(" \"utterances\": [", e->out);
    }
}

void ts_emit_turn(ts_emitter *e, size_t index, const ts_turn *t, const ts_coded *cd)
{
    if (e->fmt == TS_OUT_CSV) {
        FILE *f = e->out;
        ts_csv_field(f, e->source);
        fprintf(f, ",%zu,", index);
        ts_csv_field(f, t->speaker);
        fprintf(f, ",%s,", ts_role_name(t->role));
        if (t->start >= 0) fprintf(f, "%.3f", t->start);
        fputc(',', f);
        if (t->end >= 0) fprintf(f, "%.3f", t->end);
        fputc(',', f);
        ts_csv_field(f, t->text);
        fputc(',', f);
        ts_buf codes = {0};
        for (size_t i = 0; i < cd->nhits; i++) {
            const ts_hit *h = &cd->hits[i];
            if (h->state != TS_HIT_LIVE) continue;
            const char *name = e->rs->codes[h->code].name;
            /* each code once per turn in the table */
            int dup = 0;
            for (size_t j = 0; j < i; j++)
                if (cd->hits[j].state == TS_HIT_LIVE && cd->hits[j].code == h->code) dup = 1;
            if (dup) continue;
            if (codes.len) ts_buf_putc(&codes, ';');
            ts_buf_puts(&codes, name);
            if (h->has_value) ts_buf_printf(&codes, "=%g", h->value);
        }
        ts_csv_field(f, codes.p ? codes.p : "");
        ts_buf_free(&codes);
        fputs("\r\n", f);
        e->nturns++;
        return;
    }
    ts_buf b = {0};
    if (e->fmt == TS_OUT_JSON) ts_buf_puts(&b, e->nturns ? ",\n  " : "\n  ");
    utterance_fast(&b, e, index, t, cd);
    if (e->fmt == TS_OUT_JSONL) ts_buf_putc(&b, '\n');
    fwrite(b.p, 1, b.len, e->out);
    ts_buf_free(&b);
    e->nturns++;
}

/* turns and share of professional turns per phase or pillar, and (for one
 * session) the first turn that reached it */
static const char *phase_name_i(int i) { return ts_phase_name((ts_phase)i); }
static const char *pillar_name_i(int i) { return ts_pillar_name((ts_pillar)i); }

static void share_block(cJSON *obj, const ts_scores *s, double prof, int n, const char *prefix,
                        const char *(*name)(int), const long *first)
{
    for (int i = 0; i < n; i++) {
        char k[64];
        snprintf(k, sizeof k, "%s.%s", prefix, name(i));
        cJSON *x = cJSON_AddObjectToObject(obj, name(i));
        double v = ts_counts_get(&s->raw, k);
        cJSON_AddNumberToObject(x, "turns", v);
        cJSON_AddItemToObject(x, "share", num_or_null(prof > 0 ? 100 * v / prof : NAN));
        if (s->sessions == 1) cJSON_AddItemToObject(x, "first_turn", first[i] >= 0 ? cJSON_CreateNumber((double)first[i]) : cJSON_CreateNull());
    }
}

static cJSON *scores_obj(const ts_scores *s, const ts_ruleset *rs)
{
    ts_derived d;
    ts_scores_derive(s, &d);
    cJSON *o = cJSON_CreateObject();
    if (s->sessions != 1) cJSON_AddNumberToObject(o, "sessions", (double)s->sessions);
    cJSON *turns = cJSON_AddObjectToObject(o, "turns");
    cJSON_AddNumberToObject(turns, "total", d.turns_total);
    cJSON_AddNumberToObject(turns, "professional", d.turns_prof);
    cJSON_AddNumberToObject(turns, "client", d.turns_client);
    cJSON_AddNumberToObject(turns, "other", d.turns_other);
    cJSON_AddNumberToObject(turns, "failed", d.turns_failed);

    cJSON *codes = cJSON_AddObjectToObject(o, "codes");
    for (int r = 0; r < 3; r++) {
        const char *role = ts_role_name((ts_role)r);
        cJSON *rc = cJSON_AddObjectToObject(codes, role);
        char prefix[64];
        snprintf(prefix, sizeof prefix, "code.%s.", role);
        size_t pl = strlen(prefix);
        if (rs) {
            for (size_t c = 0; c < rs->ncodes; c++) {
                if (!(rs->codes[c].roles & (1u << r))) continue;
                char key[256];
                snprintf(key, sizeof key, "%s%s", prefix, rs->codes[c].name);
                cJSON_AddNumberToObject(rc, rs->codes[c].name, ts_counts_get(&s->raw, key));
            }
        }
        for (size_t i = 0; i < s->raw.n; i++) /* codes the rule pack does not declare (merge) */
            if (!strncmp(s->raw.name[i], prefix, pl) && !cJSON_GetObjectItemCaseSensitive(rc, s->raw.name[i] + pl))
                cJSON_AddNumberToObject(rc, s->raw.name[i] + pl, s->raw.val[i]);
    }

    cJSON *m = cJSON_AddObjectToObject(o, "miti");
    cJSON_AddNumberToObject(m, "reflections", d.reflections);
    cJSON_AddNumberToObject(m, "complex_reflections", d.complex_reflections);
    cJSON_AddNumberToObject(m, "simple_reflections", d.simple_reflections);
    cJSON_AddNumberToObject(m, "questions", d.questions);
    cJSON_AddNumberToObject(m, "open_questions", d.open_questions);
    cJSON_AddNumberToObject(m, "closed_questions", d.closed_questions);
    cJSON_AddItemToObject(m, "rq_ratio", num_or_null(d.rq_ratio));
    cJSON_AddItemToObject(m, "rq_level", str_or_null(d.rq_level));
    cJSON_AddItemToObject(m, "pct_complex_reflections", num_or_null(d.pct_complex_reflections));
    cJSON_AddItemToObject(m, "pct_complex_reflections_level", str_or_null(d.cr_level));
    cJSON_AddItemToObject(m, "pct_open_questions", num_or_null(d.pct_open_questions));
    cJSON_AddNumberToObject(m, "mi_adherent", d.mi_adherent);
    cJSON_AddNumberToObject(m, "mi_non_adherent", d.mi_non_adherent);

    cJSON *cl = cJSON_AddObjectToObject(o, "client_language");
    cJSON_AddNumberToObject(cl, "change_talk", d.change_talk);
    cJSON_AddNumberToObject(cl, "sustain_talk", d.sustain_talk);
    cJSON_AddItemToObject(cl, "pct_change_talk", num_or_null(d.pct_change_talk));
    const char *dirs[2] = {"change_talk", "sustain_talk"};
    for (int k = 0; k < 2; k++) {
        char on[64];
        snprintf(on, sizeof on, "%s_by_subtype", dirs[k]);
        cJSON *bs = cJSON_AddObjectToObject(cl, on);
        for (int i = 0; ts_subtypes[i]; i++) {
            char key[128];
            snprintf(key, sizeof key, "code.client.%s.%s", dirs[k], ts_subtypes[i]);
            cJSON_AddNumberToObject(bs, ts_subtypes[i], ts_counts_get(&s->raw, key));
        }
    }

    cJSON *sf = cJSON_AddObjectToObject(o, "solution_focus");
    cJSON *by = cJSON_AddObjectToObject(sf, "by_code");
    for (int i = 0; ts_sf_codes[i]; i++) {
        char key[128];
        snprintf(key, sizeof key, "code.professional.%s", ts_sf_codes[i]);
        cJSON_AddNumberToObject(by, ts_sf_codes[i], ts_counts_get(&s->raw, key));
    }
    cJSON_AddNumberToObject(sf, "moves", d.sf_moves);
    cJSON_AddItemToObject(sf, "moves_per_10_professional_turns", num_or_null(d.sf_per_10));
    cJSON_AddNumberToObject(sf, "why_questions", d.why_questions);
    cJSON_AddItemToObject(sf, "pct_why_questions", num_or_null(d.pct_why));

    cJSON *tt = cJSON_AddObjectToObject(o, "talk_time");
    cJSON *w = cJSON_AddObjectToObject(tt, "words");
    cJSON_AddNumberToObject(w, "professional", d.words_prof);
    cJSON_AddNumberToObject(w, "client", d.words_client);
    cJSON_AddNumberToObject(w, "other", d.words_other);
    if (s->has_time) {
        cJSON *sec = cJSON_AddObjectToObject(tt, "seconds");
        cJSON_AddItemToObject(sec, "professional", num_or_null(d.sec_prof));
        cJSON_AddItemToObject(sec, "client", num_or_null(d.sec_client));
        cJSON_AddItemToObject(sec, "other", num_or_null(d.sec_other));
    } else cJSON_AddNullToObject(tt, "seconds");
    cJSON_AddItemToObject(tt, "professional_share_words", num_or_null(d.prof_share_words));
    cJSON_AddItemToObject(tt, "professional_share_seconds", num_or_null(d.prof_share_seconds));

    /* conversation structure */
    cJSON *so = cJSON_AddObjectToObject(o, "structure");
    cJSON *talk = cJSON_AddObjectToObject(so, "talk");
    for (int r = 0; r < 2; r++) {
        const char *role = ts_role_name((ts_role)r);
        char k1[96], k2[96];
        cJSON *tr = cJSON_AddObjectToObject(talk, role);
        snprintf(k1, sizeof k1, "talk.%s.problem", role);
        snprintf(k2, sizeof k2, "talk.%s.solution", role);
        double p = ts_counts_get(&s->raw, k1), q = ts_counts_get(&s->raw, k2);
        cJSON_AddNumberToObject(tr, "problem", p);
        cJSON_AddNumberToObject(tr, "solution", q);
        cJSON_AddItemToObject(tr, "pct_solution_talk", num_or_null(p + q > 0 ? 100 * q / (p + q) : NAN));
        const char *parts[2] = {"first_third", "last_third"};
        for (int k = 0; k < 2; k++) {
            snprintf(k1, sizeof k1, "talk.%s.%s.problem", parts[k], role);
            snprintf(k2, sizeof k2, "talk.%s.%s.solution", parts[k], role);
            double a = ts_counts_get(&s->raw, k1), b = ts_counts_get(&s->raw, k2);
            char on[64];
            snprintf(on, sizeof on, "pct_solution_talk_%s", parts[k]);
            cJSON_AddItemToObject(tr, on, num_or_null(a + b > 0 ? 100 * b / (a + b) : NAN));
        }
    }
    double prof = ts_counts_get(&s->raw, "turns.professional");
    share_block(cJSON_AddObjectToObject(so, "phases"), s, prof, TS_NPHASES, "phase", phase_name_i, s->first_phase);
    share_block(cJSON_AddObjectToObject(so, "pillars"), s, prof, TS_NPILLARS, "pillar", pillar_name_i, s->first_pillar);
    if (s->sessions == 1) {
        /* the order in which the phases were first reached */
        cJSON *ord = cJSON_AddArrayToObject(so, "phase_order");
        int done[TS_NPHASES] = {0};
        for (int n = 0; n < TS_NPHASES; n++) {
            int best = -1;
            for (int i = 0; i < TS_NPHASES; i++)
                if (!done[i] && s->first_phase[i] >= 0 && (best < 0 || s->first_phase[i] < s->first_phase[best])) best = i;
            if (best < 0) break;
            done[best] = 1;
            cJSON_AddItemToArray(ord, cJSON_CreateString(ts_phase_name((ts_phase)best)));
        }
        cJSON_AddBoolToObject(so, "jumped_to_next_step", ts_counts_get(&s->raw, "structure.jumped_to_next_step") > 0);
        ts_ia_summary sum;
        ts_ia_summarise(s, &sum);
        cJSON *cls = cJSON_AddArrayToObject(so, "interaction");
        for (size_t k = 0; k < sum.n; k++) {
            cJSON *c = cJSON_CreateObject();
            cJSON_AddStringToObject(c, "speaker", sum.c[k].speaker);
            cJSON_AddItemToObject(c, "type", str_or_null(sum.c[k].type >= 0 ? ts_interaction_name((ts_interaction)sum.c[k].type) : "unclear"));
            cJSON *segs = cJSON_AddArrayToObject(c, "segments");
            for (size_t g = 0; g < sum.c[k].nseg; g++) {
                cJSON *sg = cJSON_CreateObject();
                cJSON_AddStringToObject(sg, "type", ts_interaction_name((ts_interaction)sum.c[k].seg[g].type));
                cJSON_AddNumberToObject(sg, "from_turn", (double)sum.c[k].seg[g].from);
                cJSON *ev = cJSON_AddArrayToObject(sg, "evidence_turns");
                for (size_t q = 0; q < sum.c[k].seg[g].nturns; q++) cJSON_AddItemToArray(ev, cJSON_CreateNumber((double)sum.c[k].seg[g].turns[q]));
                cJSON_AddItemToArray(segs, sg);
            }
            cJSON_AddItemToArray(cls, c);
        }
        if (!sum.n) {
            /* clients without any evidence are "unclear" */
            if (ts_counts_get(&s->raw, "turns.client") > 0) {
                cJSON *c = cJSON_CreateObject();
                cJSON_AddNullToObject(c, "speaker");
                cJSON_AddStringToObject(c, "type", "unclear");
                cJSON_AddArrayToObject(c, "segments");
                cJSON_AddItemToArray(cls, c);
            }
        }
        ts_ia_summary_free(&sum);
    }
    cJSON *ie = cJSON_AddObjectToObject(so, "information_exchange");
    cJSON_AddNumberToObject(ie, "elicit_provide_elicit", ts_counts_get(&s->raw, "info.epe_sequences"));
    cJSON_AddNumberToObject(ie, "information_or_advice_without_permission", ts_counts_get(&s->raw, "info.without_permission"));
    cJSON_AddNumberToObject(ie, "advice_without_permission", ts_counts_get(&s->raw, "miti.mi_non_adherent"));

    if (s->sessions == 1) {
        cJSON *tr = cJSON_AddArrayToObject(o, "scale_trajectory");
        for (size_t i = 0; i < s->nscale; i++) {
            cJSON *p = cJSON_CreateObject();
            cJSON_AddNumberToObject(p, "index", (double)s->scale[i].index);
            cJSON_AddItemToObject(p, "value", num_or_null(s->scale[i].value));
            cJSON_AddItemToArray(tr, p);
        }
    }
    /* raw counters: what merge sums */
    cJSON *raw = cJSON_AddObjectToObject(o, "raw");
    cJSON_AddBoolToObject(raw, "has_time", s->has_time);
    cJSON_AddNumberToObject(raw, "sessions", (double)s->sessions);
    cJSON *cn = cJSON_AddObjectToObject(raw, "counters");
    for (size_t i = 0; i < s->raw.n; i++) cJSON_AddItemToObject(cn, s->raw.name[i], num_or_null(s->raw.val[i]));
    return o;
}

char *ts_scores_json(const ts_scores *s, const ts_ruleset *rs, int pretty)
{
    cJSON *o = scores_obj(s, rs);
    char *t = pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return t;
}

static void csv_session_row(const ts_emitter *e, const ts_scores *s)
{
    FILE *f = e->sess;
    ts_derived d;
    ts_scores_derive(s, &d);
    ts_csv_field(f, e->source);
    double vals[] = {d.turns_total, d.turns_prof, d.turns_client, d.turns_other, d.turns_failed,
                     d.reflections, d.complex_reflections, d.simple_reflections, d.questions, d.open_questions, d.closed_questions,
                     d.rq_ratio, NAN, d.pct_complex_reflections, NAN, d.pct_open_questions,
                     d.mi_adherent, d.mi_non_adherent, d.change_talk, d.sustain_talk, d.pct_change_talk,
                     d.sf_moves, d.sf_per_10, d.why_questions, d.pct_why,
                     d.words_prof, d.words_client, d.words_other, d.prof_share_words,
                     s->has_time ? d.sec_prof : NAN, s->has_time ? d.sec_client : NAN, s->has_time ? d.sec_other : NAN,
                     d.prof_share_seconds,
                     (double)s->nscale, s->nscale ? s->scale[0].value : NAN, s->nscale ? s->scale[s->nscale - 1].value : NAN};
    size_t nvals = sizeof vals / sizeof *vals;
    const ts_counts *rc = &s->raw;
#define PCT(a, b) (ts_counts_get(rc, a) + ts_counts_get(rc, b) > 0 ? 100 * ts_counts_get(rc, b) / (ts_counts_get(rc, a) + ts_counts_get(rc, b)) : NAN)
    double svals[] = {PCT("talk.professional.problem", "talk.professional.solution"), PCT("talk.client.problem", "talk.client.solution"),
                      PCT("talk.first_third.client.problem", "talk.first_third.client.solution"),
                      PCT("talk.last_third.client.problem", "talk.last_third.client.solution"),
                      ts_counts_get(rc, "phase.situation"), ts_counts_get(rc, "phase.desired"), ts_counts_get(rc, "phase.exceptions"),
                      ts_counts_get(rc, "phase.next_step"), ts_counts_get(rc, "pillar.perspective"), ts_counts_get(rc, "pillar.possibilism"),
                      ts_counts_get(rc, "pillar.progression"), ts_counts_get(rc, "structure.jumped_to_next_step"), NAN,
                      ts_counts_get(rc, "info.epe_sequences"), ts_counts_get(rc, "info.without_permission")};
#undef PCT
    for (size_t i = 0; derived_cols[i]; i++) {
        fputc(',', f);
        if (!strcmp(derived_cols[i], "rq_level")) { if (d.rq_level) fputs(d.rq_level, f); }
        else if (!strcmp(derived_cols[i], "pct_complex_reflections_level")) { if (d.cr_level) fputs(d.cr_level, f); }
        else if (!strcmp(derived_cols[i], "interaction_type")) {
            ts_ia_summary sum;
            ts_ia_summarise(s, &sum);
            fputs(sum.n && sum.c[0].type >= 0 ? ts_interaction_name((ts_interaction)sum.c[0].type) : "unclear", f);
            ts_ia_summary_free(&sum);
        } else if (i < nvals) csv_num(f, vals[i]);
        else csv_num(f, svals[i - nvals]);
    }
    for (int r = 0; r < 3; r++)
        for (size_t c = 0; c < e->rs->ncodes; c++) {
            if (!(e->rs->codes[c].roles & (1u << r))) continue;
            char key[256];
            snprintf(key, sizeof key, "code.%s.%s", ts_role_name((ts_role)r), e->rs->codes[c].name);
            fputc(',', f);
            csv_num(f, ts_counts_get(&s->raw, key));
        }
    fputs("\r\n", f);
}

void ts_emit_end(ts_emitter *e, const ts_scores *s)
{
    if (e->fmt == TS_OUT_CSV) {
        if (e->sess) csv_session_row(e, s);
        return;
    }
    cJSON *o = scores_obj(s, e->rs);
    ts_buf b = {0};
    if (e->fmt == TS_OUT_JSON) ts_buf_puts(&b, "\n ],\n \"scores\": ");
    else {
        ts_buf_puts(&b, "{\"type\":\"session\",\"source\":");
        jstr(&b, e->source);
        ts_buf_printf(&b, ",\"turns\":%zu,\"scores\":", e->nturns);
    }
    jtree(&b, o);
    ts_buf_puts(&b, "}\n");
    fwrite(b.p, 1, b.len, e->out);
    ts_buf_free(&b);
    cJSON_Delete(o);
}

int ts_scores_from_json(ts_scores *s, const char *text)
{
    cJSON *j = cJSON_Parse(text);
    if (!j) return -1;
    cJSON *sc = cJSON_GetObjectItemCaseSensitive(j, "scores");
    cJSON *raw = sc ? cJSON_GetObjectItemCaseSensitive(sc, "raw") : NULL;
    cJSON *cn = raw ? cJSON_GetObjectItemCaseSensitive(raw, "counters") : NULL;
    if (!cJSON_IsObject(cn)) { cJSON_Delete(j); return -1; }
    ts_scores_init(s);
    cJSON *ns = cJSON_GetObjectItemCaseSensitive(raw, "sessions");
    s->sessions = cJSON_IsNumber(ns) ? (size_t)ns->valuedouble : 1;
    s->has_time = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(raw, "has_time"));
    for (cJSON *it = cn->child; it; it = it->next)
        if (cJSON_IsNumber(it)) ts_counts_add(&s->raw, it->string, it->valuedouble);
    cJSON_Delete(j);
    return 0;
}

char *ts_json_string_member(const char *json, const char *key)
{
    if (!json || !key) return NULL;
    cJSON *j = cJSON_Parse(json);
    cJSON *v = cJSON_IsObject(j) ? cJSON_GetObjectItemCaseSensitive(j, key) : NULL;
    char *s = cJSON_IsString(v) && v->valuestring ? ts_strdup(v->valuestring) : NULL;
    cJSON_Delete(j);
    return s;
}
