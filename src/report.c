/* report.c - `taalspel report`: one self-contained HTML feedback page.
 *
 * What the page is for: a trainer hands it to a trainee after a recorded
 * practice session. The trainee opens it on a phone or prints it, and within
 * a minute sees the numbers (MITI 4.2.1 summary scores with their level),
 * what went well and what to work on, each tied to the turn that shows it,
 * and then the whole transcript with every code explained where it sits.
 *
 * How it is built: the transcript is coded once through the shared pipeline
 * (ts_pipe_code_reader) while a turn callback copies each turn and its live
 * hits; the scores come from ts_scores. Everything on the page is derived
 * from those two, so the report never disagrees with `taalspel code`.
 * Then the page is written top to bottom:
 *
 *   header        name, date, duration, turns, talk share (+ bar)
 *   Vergelijking  (two sessions only) key figures of A and B and the change
 *   Kerncijfers   R:Q, %CR, %open, %change talk, why-questions: value,
 *                 level gauge (onder / redelijk / goed), what it means
 *   Sterke punten en werkpunten   up to three each, with quoted turns
 *   Tijdlijn      SVG strip, one mark per turn in a professional and a
 *                 client lane, coloured by code family, linked to the turn
 *   Oplossingsgericht profiel     a bar per sf.* code
 *   Schaalvragen  SVG line chart of the scale answers (when there are any)
 *   Transcript    turns with coded spans highlighted and code chips whose
 *                 pop-up holds the rule's explanation and tip
 *   footer        versions, and "automated coding, not a grade"
 *
 * Safety: all transcript-derived text (speakers, turn text, titles, file
 * names, and rule-pack text too) goes through one escaper, esc(). No
 * transcript text is ever written inside a <script> or <style>. On top of
 * that the page carries a Content-Security-Policy that forbids every network
 * request and allows only our two inline scripts by their SHA-256, so even a
 * missed escape could not run injected script or event handlers.
 *
 * Interface text comes from report_nl.h (one table), so a translation is one
 * more table. Numbers use the table's decimal separator and never a locale.
 */
#include "report.h"
#include "emit.h"
#include "report_nl.h"
#include "util.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef TS_VERSION
#define TS_VERSION "0.0.0"
#endif

/* ---- the data the page is made from ----------------------------------- */

typedef struct rhit {
    int code, rule;
    uint32_t start, end;   /* byte span in the turn text, clamped and on UTF-8 boundaries */
} rhit;

/* what a turn contains, for the timeline and the strengths / work points */
enum {
    F_QOPEN = 1 << 0, F_QCLOSED = 1 << 1, F_QOTHER = 1 << 2, F_WHY = 1 << 3,
    F_RSIMPLE = 1 << 4, F_RCOMPLEX = 1 << 5, F_SUMMARY = 1 << 6,
    F_AFFIRM = 1 << 7, F_COMPL = 1 << 8, F_PERM = 1 << 9, F_INFO = 1 << 10, F_ADVICE = 1 << 11,
    F_AUTON = 1 << 12, F_SF = 1 << 13, F_CT = 1 << 14, F_ST = 1 << 15, F_SCALE = 1 << 16, F_OTHER = 1 << 17
};
#define F_Q (F_QOPEN | F_QCLOSED | F_QOTHER | F_WHY)
#define F_REFL (F_RSIMPLE | F_RCOMPLEX | F_SUMMARY)

/* code families as the page colours them; order = precedence when a turn
 * has several (the timeline shows the first two) */
enum fam {
    FAM_WHY, FAM_ADVICE, FAM_SUMMARY, FAM_REFLECTION, FAM_CHANGE, FAM_SUSTAIN, FAM_SF, FAM_AFFIRMATION,
    FAM_PERMISSION, FAM_AUTONOMY, FAM_COMPLIMENT, FAM_INFORMATION, FAM_SCALE, FAM_QUESTION, FAM_OTHER, NFAM
};
static const char *const fam_css[NFAM] = {"f-why", "f-adv", "f-sum", "f-refl", "f-ct", "f-st", "f-sf", "f-aff",
                                          "f-perm", "f-aut", "f-compl", "f-info", "f-scale", "f-q", "f-other"};
/* the order of the legend: the professional's families, then the client's */
static const int fam_legend[NFAM] = {FAM_QUESTION, FAM_WHY, FAM_REFLECTION, FAM_SUMMARY, FAM_AFFIRMATION,
                                     FAM_COMPLIMENT, FAM_PERMISSION, FAM_INFORMATION, FAM_ADVICE, FAM_AUTONOMY,
                                     FAM_SF, FAM_CHANGE, FAM_SUSTAIN, FAM_SCALE, FAM_OTHER};

static const char *fam_label(const ts_report_text *L, int f)
{
    switch (f) {
    case FAM_WHY: return L->fam_why;
    case FAM_ADVICE: return L->fam_advice;
    case FAM_SUMMARY: return L->fam_summary;
    case FAM_REFLECTION: return L->fam_reflection;
    case FAM_CHANGE: return L->fam_change;
    case FAM_SUSTAIN: return L->fam_sustain;
    case FAM_SF: return L->fam_sf;
    case FAM_AFFIRMATION: return L->fam_affirmation;
    case FAM_PERMISSION: return L->fam_permission;
    case FAM_AUTONOMY: return L->fam_autonomy;
    case FAM_COMPLIMENT: return L->fam_compliment;
    case FAM_INFORMATION: return L->fam_information;
    case FAM_SCALE: return L->fam_scale;
    case FAM_QUESTION: return L->fam_question;
    default: return L->fam_other;
    }
}

typedef struct rturn {
    char *speaker, *text;  /* owned */
    size_t len;
    ts_role role;
    double start, end;
    rhit *hits; size_t nhits;
    unsigned flags;        /* F_* */
    unsigned fams;         /* bit per enum fam */
    int nct;               /* change-talk hits (to pick the strongest turn) */
    ts_turn_structure st;  /* talk type, phase, pillar, interaction evidence */
} rturn;

typedef struct session {
    const ts_ruleset *rs;
    const char *path;
    char *name, *date;     /* owned; date may be NULL */
    rturn *t; size_t n, cap;
    ts_scores sc;
    ts_derived d;
    int open_failed;
    size_t failed;
    int *code_fam;         /* per code: enum fam */
    unsigned *code_flag;   /* per code: F_* */
    size_t streak_b, streak_e, streak_n; /* longest question streak (turn indexes, inclusive) */
} session;

static int fam_of_code(const ts_codedef *c, unsigned *flag)
{
    const char *n = c->name, *f = c->family ? c->family : "";
    *flag = 0;
    if (!strcmp(n, "question.why")) { *flag = F_WHY; return FAM_WHY; }
    if (!strcmp(n, "question.open")) { *flag = F_QOPEN; return FAM_QUESTION; }
    if (!strcmp(n, "question.closed")) { *flag = F_QCLOSED; return FAM_QUESTION; }
    if (!strcmp(f, "question")) { *flag = F_QOTHER; return FAM_QUESTION; }
    if (!strcmp(n, "reflection.simple")) { *flag = F_RSIMPLE; return FAM_REFLECTION; }
    if (!strcmp(f, "reflection")) { *flag = F_RCOMPLEX; return FAM_REFLECTION; }
    if (!strcmp(f, "summary")) { *flag = F_SUMMARY; return FAM_SUMMARY; }
    if (!strcmp(f, "affirmation")) { *flag = F_AFFIRM; return FAM_AFFIRMATION; }
    if (!strcmp(f, "compliment")) { *flag = F_COMPL; return FAM_COMPLIMENT; }
    if (!strcmp(f, "permission")) { *flag = F_PERM; return FAM_PERMISSION; }
    if (!strcmp(f, "information")) { *flag = F_INFO; return FAM_INFORMATION; }
    if (!strcmp(f, "advice")) { *flag = F_ADVICE; return FAM_ADVICE; }
    if (!strcmp(f, "autonomy")) { *flag = F_AUTON; return FAM_AUTONOMY; }
    if (!strcmp(f, "sf")) { *flag = F_SF; return FAM_SF; }
    if (!strcmp(f, "change_talk")) { *flag = F_CT; return FAM_CHANGE; }
    if (!strcmp(f, "sustain_talk")) { *flag = F_ST; return FAM_SUSTAIN; }
    if (!strcmp(f, "scale")) { *flag = F_SCALE; return FAM_SCALE; }
    *flag = F_OTHER;
    return FAM_OTHER;
}

/* Moves a byte offset back to the start of its UTF-8 sequence. */
static uint32_t utf8_floor(const char *s, size_t len, uint32_t off)
{
    if (off > len) off = (uint32_t)len;
    while (off > 0 && off < len && ((unsigned char)s[off] & 0xC0) == 0x80) off--;
    return off;
}

static void on_turn(void *ud, size_t index, const ts_turn *t, const ts_coded *cd)
{
    session *S = ud;
    (void)index;
    TS_VEC_RESERVE(S->t, S->cap, S->n + 1);
    rturn *r = &S->t[S->n++];
    memset(r, 0, sizeof *r);
    r->speaker = ts_strdup(t->speaker ? t->speaker : "");
    r->text = ts_strndup(t->text ? t->text : "", t->text ? t->text_len : 0);
    r->len = t->text ? t->text_len : 0;
    r->role = t->role;
    r->start = t->start;
    r->end = t->end;
    r->st = cd->st;
    size_t live = 0;
    for (size_t i = 0; i < cd->nhits; i++) live += cd->hits[i].state == TS_HIT_LIVE;
    r->hits = live ? ts_xcalloc(live, sizeof *r->hits) : NULL;
    for (size_t i = 0; i < cd->nhits; i++) {
        const ts_hit *h = &cd->hits[i];
        if (h->state != TS_HIT_LIVE || h->code < 0 || (size_t)h->code >= S->rs->ncodes) continue;
        /* structure codes have their own section and band, not chips */
        const char *fam = S->rs->codes[h->code].family ? S->rs->codes[h->code].family : "";
        if (!strcmp(fam, "talk") || !strcmp(fam, "interaction")) continue;
        rhit *o = &r->hits[r->nhits++];
        o->code = h->code;
        o->rule = h->rule >= 0 && (size_t)h->rule < S->rs->nrules ? h->rule : -1;
        o->start = utf8_floor(r->text, r->len, h->start);
        o->end = utf8_floor(r->text, r->len, h->end);
        if (o->end < o->start) o->end = o->start;
        r->flags |= S->code_flag[h->code];
        r->fams |= 1u << S->code_fam[h->code];
        if (S->code_flag[h->code] == F_CT) r->nct++;
    }
}

/* The session name: the meta "title", else the file name without its
 * directory and extension. */
static char *session_name(const char *path, const char *meta)
{
    char *title = ts_json_string_member(meta, "title");
    if (title && *title) return title;
    free(title);
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    return ts_strndup(b, n);
}

static void find_streak(session *S)
{
    size_t run = 0, b = 0;
    S->streak_n = 0;
    for (size_t i = 0; i < S->n; i++) {
        const rturn *t = &S->t[i];
        if (t->role != TS_ROLE_PROFESSIONAL) continue;
        if ((t->flags & F_Q) && !(t->flags & F_REFL)) {
            if (!run) b = i;
            run++;
            if (run > S->streak_n) { S->streak_n = run; S->streak_b = b; S->streak_e = i; }
        } else run = 0;
    }
}

/* Codes one file into S. Returns the pipeline's status (1 on input errors). */
static int collect(session *S, const ts_ruleset *rs, const char *path, const ts_pipe_opts *po, ts_coder *coder,
                   ts_diags *d)
{
    memset(S, 0, sizeof *S);
    S->rs = rs;
    S->path = path;
    ts_scores_init(&S->sc);
    S->code_fam = ts_xcalloc(rs->ncodes ? rs->ncodes : 1, sizeof *S->code_fam);
    S->code_flag = ts_xcalloc(rs->ncodes ? rs->ncodes : 1, sizeof *S->code_flag);
    for (size_t c = 0; c < rs->ncodes; c++) S->code_fam[c] = fam_of_code(&rs->codes[c], &S->code_flag[c]);
    ts_reader *r = NULL;
    int rc = 1;
    if (ts_reader_open(&r, path, po ? po->informat : TS_FMT_AUTO, po ? po->roles : NULL, d) != 0) {
        S->open_failed = 1;
        S->name = session_name(path, NULL);
        goto cleanup;
    }
    ts_pipe_result res;
    rc = ts_pipe_code_reader(r, ts_reader_name(r), coder, rs, NULL, &S->sc, on_turn, S, d, &res);
    S->failed = res.failed;
    const char *meta = ts_reader_meta_json(r);
    S->name = session_name(path, meta);
    S->date = ts_json_string_member(meta, "date");
    if (S->date && !*S->date) { free(S->date); S->date = NULL; }
cleanup:
    ts_reader_free(r);
    ts_scores_derive(&S->sc, &S->d);
    find_streak(S);
    return rc;
}

static void session_free(session *S)
{
    for (size_t i = 0; i < S->n; i++) {
        free(S->t[i].speaker);
        free(S->t[i].text);
        free(S->t[i].hits);
    }
    free(S->t);
    free(S->name);
    free(S->date);
    free(S->code_fam);
    free(S->code_flag);
    ts_scores_free(&S->sc);
    memset(S, 0, sizeof *S);
}

/* ---- writing ----------------------------------------------------------- */

typedef struct page {
    FILE *out;
    const ts_report_text *L;
    const ts_ruleset *rs;
} page;

/* The one HTML escaper: every byte of untrusted text goes through here.
 * Escapes & < > " ' and replaces C0 controls (but tab and newline) and DEL
 * with U+FFFD, so the text is safe in element content and in quoted
 * attribute values alike. */
static void esc(FILE *f, const char *s, size_t n)
{
    size_t plain = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) rep = "&#xFFFD;";
        }
        if (!rep) continue;
        if (i > plain) fwrite(s + plain, 1, i - plain, f);
        fputs(rep, f);
        plain = i + 1;
    }
    if (n > plain) fwrite(s + plain, 1, n - plain, f);
}

static void esc_s(FILE *f, const char *s)
{
    if (s) esc(f, s, strlen(s));
}

/* A number with decimals digits and the table's decimal separator. */
static char *fmt_num(char *buf, size_t cap, const ts_report_text *L, double v, int decimals)
{
    if (isnan(v) || isinf(v)) { snprintf(buf, cap, "&#8211;"); return buf; }
    if (fabs(v) < 0.5 * pow(10, -decimals)) v = 0; /* no "-0" */
    snprintf(buf, cap, "%.*f", decimals, v);
    for (char *p = buf; *p; p++) if (*p == '.') *p = L->decimal;
    return buf;
}

static char *fmt_pct(char *buf, size_t cap, const ts_report_text *L, double v)
{
    if (isnan(v) || isinf(v)) { snprintf(buf, cap, "&#8211;"); return buf; }
    fmt_num(buf, cap, L, v, 0);
    size_t n = strlen(buf);
    if (n + 2 <= cap) { buf[n] = '%'; buf[n + 1] = 0; }
    return buf;
}

/* "1:02:03" or "2:03" for a time in seconds. */
static char *fmt_clock(char *buf, size_t cap, double s)
{
    long v = (long)floor(s + 0.5);
    if (v < 0) v = 0;
    if (v >= 3600) snprintf(buf, cap, "%ld:%02ld:%02ld", v / 3600, v / 60 % 60, v % 60);
    else snprintf(buf, cap, "%ld:%02ld", v / 60, v % 60);
    return buf;
}

static char *fmt_duration(char *buf, size_t cap, const ts_report_text *L, double s)
{
    long v = (long)floor(s + 0.5);
    if (v < 0) v = 0;
    if (v >= 3600) snprintf(buf, cap, "%ld %s %02ld %s", v / 3600, L->hour_unit, v / 60 % 60, L->min_unit);
    else if (v >= 60) snprintf(buf, cap, "%ld %s %02ld %s", v / 60, L->min_unit, v % 60, L->sec_unit);
    else snprintf(buf, cap, "%ld %s", v, L->sec_unit);
    return buf;
}

static const char *level_word(const ts_report_text *L, const char *lv)
{
    if (!lv) return L->level_none;
    if (!strcmp(lv, "good")) return L->level_good;
    if (!strcmp(lv, "fair")) return L->level_fair;
    return L->level_below;
}

static const char *level_css(const char *lv)
{
    if (!lv) return "lv-none";
    if (!strcmp(lv, "good")) return "lv-good";
    if (!strcmp(lv, "fair")) return "lv-fair";
    return "lv-below";
}

static const char *role_word(const ts_report_text *L, ts_role r)
{
    switch (r) {
    case TS_ROLE_PROFESSIONAL: return L->role_prof;
    case TS_ROLE_CLIENT: return L->role_client;
    case TS_ROLE_OTHER: return L->role_other;
    default: return L->role_unknown;
    }
}

static const char *role_css(ts_role r)
{
    return r == TS_ROLE_PROFESSIONAL ? "r-prof" : r == TS_ROLE_CLIENT ? "r-client" : "r-other";
}

/* A code's short label: its explanation up to the colon ("Open vraag"), or
 * its name. Writes escaped text. */
static void code_label(FILE *f, const ts_codedef *c, int lower_first)
{
    const char *e = c->explain;
    const char *colon = e ? strchr(e, ':') : NULL;
    if (!colon || colon == e || colon - e > 60) { esc_s(f, c->name); return; }
    if (lower_first && *e >= 'A' && *e <= 'Z') {
        char first = (char)(*e - 'A' + 'a');
        esc(f, &first, 1);
        esc(f, e + 1, (size_t)(colon - e - 1));
    } else esc(f, e, (size_t)(colon - e));
}

/* The part of a code's explanation after the label. */
static const char *code_gloss(const ts_codedef *c)
{
    const char *e = c->explain ? c->explain : "";
    const char *colon = strchr(e, ':');
    if (!colon || colon - e > 60) return e;
    colon++;
    while (*colon == ' ') colon++;
    return colon;
}

/* ---- "Waarom ...?" -> "Wat maakt dat ...?" ------------------------------ */

static int in_list(const char *const *list, const char *w)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(list[i], w)) return 1;
    return 0;
}

static int is_word_char(unsigned char c) { return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\''; }

/* Lower-case ASCII copy of s[0..n) into out (cap bytes). */
static void lower_copy(char *out, size_t cap, const char *s, size_t n)
{
    if (n >= cap) n = cap - 1;
    for (size_t i = 0; i < n; i++) out[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] - 'A' + 'a') : s[i];
    out[n] = 0;
}

/* The verb as it stands after the subject in a subordinate clause. */
static void verb_after_subject(char *out, size_t cap, const char *verb, const char *subj)
{
    snprintf(out, cap, "%s", verb);
    if (strcmp(subj, "je") && strcmp(subj, "jij")) return; /* only 2nd person singular changes */
    for (size_t i = 0; ts_nl_je_forms[i][0]; i++)
        if (!strcmp(ts_nl_je_forms[i][0], verb)) { snprintf(out, cap, "%s", ts_nl_je_forms[i][1]); return; }
    if (in_list(ts_nl_past, verb)) return;
    size_t n = strlen(verb);
    if (!n || verb[n - 1] == 't') return;
    if (n >= 2 && verb[n - 1] == 'e' && (verb[n - 2] == 'd' || verb[n - 2] == 't')) return; /* stopte, wilde */
    if (n + 2 <= cap) { out[n] = 't'; out[n + 1] = 0; }
}

/* A participle: ge...t, ge...d, ge...en, ge...aan (gestopt, gedaan, gezien). */
static int looks_nonfinite(const char *w)
{
    size_t n = strlen(w);
    if (n <= 4 || strncmp(w, "ge", 2) || in_list(ts_nl_not_participle, w)) return 0;
    return w[n - 1] == 't' || w[n - 1] == 'd' || !strcmp(w + n - 2, "en") || !strcmp(w + n - 3, "aan");
}

/* Rewrites the why-question that starts at the hit span of text as
 * "Wat maakt dat <subject> <rest> <verb>?" when its shape is plain enough
 * to do so safely ("Waarom stop je dan niet om elf uur?" -> "Wat maakt dat
 * je dan niet om elf uur stopt?"). Returns a new string (caller frees) or
 * NULL when the sentence is not of that shape. */
static char *why_rewrite(const char *text, size_t len, uint32_t hs, uint32_t he)
{
    /* find "waarom" in the span */
    size_t p = hs;
    int found = 0;
    for (; p + 6 <= len && p <= he; p++) {
        char w[8];
        lower_copy(w, sizeof w, text + p, 6);
        if (!strcmp(w, "waarom") && (p == 0 || !is_word_char((unsigned char)text[p - 1])) &&
            (p + 6 == len || !is_word_char((unsigned char)text[p + 6]))) { found = 1; break; }
    }
    if (!found) return NULL;
    p += 6;
    /* split the rest of the sentence into words; stop at ? . ! */
    enum { MAXW = 24 };
    char words[MAXW][40];
    size_t nw = 0;
    int ended = 0;
    while (p < len && !ended) {
        unsigned char c = (unsigned char)text[p];
        if (c == ' ' || c == '\t' || c == '\n') { p++; continue; }
        if (c == '?' || c == '.' || c == '!') { ended = 1; break; }
        if (!is_word_char(c)) return NULL; /* commas, quotes, dashes: leave it to the trainee */
        size_t b = p;
        while (p < len && is_word_char((unsigned char)text[p])) p++;
        if (nw == MAXW || p - b >= sizeof words[0]) return NULL;
        memcpy(words[nw], text + b, p - b);
        words[nw][p - b] = 0;
        nw++;
    }
    if (nw < 3) return NULL; /* "Waarom niet?", "Waarom is dat?" */
    char verb[40], subj[40];
    lower_copy(verb, sizeof verb, words[0], strlen(words[0]));
    lower_copy(subj, sizeof subj, words[1], strlen(words[1]));
    if (!in_list(ts_nl_subjects, subj)) return NULL;
    for (size_t i = 0; i < strlen(verb); i++)
        if ((unsigned char)verb[i] >= 0x80 || verb[i] == '\'') return NULL;
    /* words[2..nw): the rest. A separable particle at the end joins the
     * verb; a non-finite verb at the end stays last after an auxiliary. */
    size_t last = nw - 1;
    char lastw[40];
    lower_copy(lastw, sizeof lastw, words[last], strlen(words[last]));
    int particle = in_list(ts_nl_particles, lastw) && !in_list(ts_nl_aux, verb);
    int aux_last = in_list(ts_nl_aux, verb) && (looks_nonfinite(lastw) ||
                   (strlen(lastw) > 3 && !strcmp(lastw + strlen(lastw) - 2, "en") && strcmp(verb, "heb") &&
                    strcmp(verb, "hebt") && strcmp(verb, "heeft") && strcmp(verb, "had")));
    for (size_t i = 2; i < last; i++) {
        char w[40];
        lower_copy(w, sizeof w, words[i], strlen(words[i]));
        if (looks_nonfinite(w)) return NULL;
    }
    if (!aux_last && !particle && looks_nonfinite(lastw)) return NULL;
    char vf[48];
    verb_after_subject(vf, sizeof vf, verb, subj);
    ts_buf b = {0};
    ts_buf_printf(&b, "%s %s", ts_nl_why_lead, words[1]);
    size_t stop = (particle || aux_last) ? last : nw;
    for (size_t i = 2; i < stop; i++) ts_buf_printf(&b, " %s", words[i]);
    if (particle) ts_buf_printf(&b, " %s%s", lastw, vf);
    else if (aux_last) ts_buf_printf(&b, " %s %s", vf, words[last]);
    else ts_buf_printf(&b, " %s", vf);
    ts_buf_putc(&b, '?');
    return ts_buf_detach(&b);
}

/* The alternative phrasing for the why-question of turn t, as an HTML line. */
static void write_why_alt(page *P, const rturn *t, const char *cls)
{
    char *alt = NULL;
    for (size_t i = 0; i < t->nhits && !alt; i++)
        if (!strcmp(P->rs->codes[t->hits[i].code].name, "question.why"))
            alt = why_rewrite(t->text, t->len, t->hits[i].start, t->hits[i].end);
    fprintf(P->out, "<p class=\"%s\">", cls);
    if (alt) {
        ts_buf b = {0};
        FILE *m = open_memstream(&b.p, &b.len);
        if (m) {
            esc_s(m, alt);
            fclose(m);
            fprintf(P->out, P->L->why_alt_fmt, b.p ? b.p : "");
        }
        free(b.p);
    } else fputs(P->L->why_alt_generic, P->out);
    fputs("</p>", P->out);
    free(alt);
}

/* ---- page frame ------------------------------------------------------- */

/* The two inline scripts; the CSP below allows exactly these by their
 * SHA-256. The head script records window errors, console.error calls and
 * CSP violations in data-errors on <html> (the browser test reads it); the
 * tail script opens a chip's pop-up on tap and marks the page data-ready.
 * After changing one, put its new hash in CSP_SCRIPT_HASHES: check_report
 * fails and prints the hashes the page needs. */
static const char script_head[] =
    "(function(){var h=document.documentElement;"
    "function rec(m){var o=h.getAttribute('data-errors');h.setAttribute('data-errors',(o?o+' | ':'')+String(m))}"
    "window.addEventListener('error',function(e){rec(e.message||'resource error')},true);"
    "window.addEventListener('unhandledrejection',function(e){rec(e.reason)});"
    "document.addEventListener('securitypolicyviolation',function(e){rec('CSP '+e.violatedDirective)});"
    "var ce=console.error;console.error=function(){rec([].slice.call(arguments).join(' '));"
    "return ce.apply(console,arguments)}})();";
static const char script_tail[] =
    "(function(){var d=document;"
    "function shut(k){d.querySelectorAll('.chip.open').forEach(function(x){if(x!==k){x.classList.remove('open');"
    "x.setAttribute('aria-expanded','false')}})}"
    "d.addEventListener('click',function(e){var c=e.target.closest?e.target.closest('.chip'):null;shut(c);"
    "if(c){var o=c.classList.toggle('open');c.setAttribute('aria-expanded',o?'true':'false')}});"
    "d.addEventListener('keydown',function(e){if(e.key==='Escape')shut(null)});"
    "d.documentElement.setAttribute('data-ready','1')})();";
#define CSP_SCRIPT_HASHES "'sha256-kL/xNXP8b9fBQy0qEAA/+/ggkjEnFiEtXY8+YvC+8Is=' 'sha256-iMKpOorVO6t0RygnEUJ29IAebcvILc+A+DrDwDTHjUw='"

/* in pieces: ISO C only promises string literals of 4095 bytes */
static const char *const css[] = {
    ":root{--ink:#1d2330;--muted:#5b6475;--line:#e3e6ec;--bg:#f6f7f9;--card:#fff;--accent:#2c5bd1;"
    "--good:#2b8a3e;--fair:#e0a100;--below:#d64545;--none:#adb5bd;--prof:#3558c9;--client:#c2410c}"
    "*{box-sizing:border-box}"
    "html{-webkit-text-size-adjust:100%}"
    "body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,"
    "'Helvetica Neue',Arial,sans-serif}"
    ".wrap{max-width:62rem;margin:0 auto;padding:1rem}"
    "h1,h2,h3{line-height:1.25;margin:0}"
    "h2{font-size:1.3rem;margin-bottom:.35rem}"
    "h3{font-size:1rem}"
    "a{color:var(--accent)}"
    "section{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.1rem 1.2rem;"
    "margin:1rem 0}"
    ".intro{color:var(--muted);margin:0 0 .9rem;font-size:.93rem}"
    "header.top{padding:1.4rem 1.2rem 1.1rem;background:linear-gradient(135deg,#20306b,#3558c9);color:#fff;"
    "border-radius:12px;margin-top:.5rem}"
    ".kicker{margin:0 0 .2rem;text-transform:uppercase;letter-spacing:.06em;font-size:.75rem;opacity:.85}"
    "header.top h1{font-size:1.65rem;overflow-wrap:anywhere}"
    ".facts{display:flex;flex-wrap:wrap;gap:.6rem 1.6rem;margin:1rem 0 .8rem;padding:0}"
    ".facts div{min-width:6rem}.facts dt{font-size:.75rem;opacity:.8}.facts dd{margin:0;font-size:1.15rem;font-weight:600}"
    ".facts small{font-weight:400;font-size:.8rem;opacity:.85}"
    ".talkbar{display:flex;height:1.6rem;border-radius:6px;overflow:hidden;font-size:.78rem;background:#ffffff33}"
    ".talkbar span{display:flex;align-items:center;padding:0 .5rem;white-space:nowrap;overflow:hidden}"
    ".tb-p{background:#fff;color:#20306b;font-weight:600}.tb-c{background:#f59f61;color:#3b1a06;font-weight:600}"
    ".note{font-size:.82rem;opacity:.85;margin:.45rem 0 0}"
    ".warn{background:#fff4e5;color:#7a3e00;border-radius:8px;padding:.5rem .7rem;margin:.7rem 0 0;font-size:.9rem}"
    "nav.toc{display:flex;flex-wrap:wrap;gap:.4rem;margin:.8rem 0 0}"
    "nav.toc a{font-size:.85rem;text-decoration:none;background:var(--card);border:1px solid var(--line);"
    "border-radius:99px;padding:.2rem .7rem;color:var(--ink)}"
    /* key figures */
    ".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(16.5rem,1fr));gap:.8rem}"
    ".card{border:1px solid var(--line);border-radius:10px;padding:.8rem .9rem;border-top:4px solid var(--none)}"
    ".card.lv-good{border-top-color:var(--good)}.card.lv-fair{border-top-color:var(--fair)}"
    ".card.lv-below{border-top-color:var(--below)}"
    ".card-h{display:flex;justify-content:space-between;align-items:baseline;gap:.5rem}"
    ".m-name{font-weight:600;font-size:.95rem}"
    ".card.help{background:#f6f8fc;border-style:dashed;border-top:1px dashed var(--line)}"
    ".badge{font-size:.72rem;font-weight:700;text-transform:uppercase;letter-spacing:.04em;border-radius:99px;"
    "padding:.1rem .5rem;color:#fff;background:var(--none);white-space:nowrap}"
    ".badge.lv-good{background:var(--good)}.badge.lv-fair{background:var(--fair);color:#3d2c00}"
    ".badge.lv-below{background:var(--below)}"
    ".m-val{font-size:2rem;font-weight:700;line-height:1.1;margin:.35rem 0 0}"
    ".m-count{font-size:.8rem;color:var(--muted)}"
    ".gauge{position:relative;display:flex;height:.55rem;border-radius:99px;margin:.55rem 0 .2rem}"
    ".gauge .z{height:100%}.gauge .z:first-child{border-radius:99px 0 0 99px}"
    ".gauge .z:nth-child(3){border-radius:0 99px 99px 0}"
    ".z.below{background:#f3b5b5}.z.fair{background:#f5dc8c}.z.good{background:#a9dbb3}"
    ".gauge .mk{position:absolute;top:-.3rem;width:.3rem;height:1.15rem;margin-left:-.15rem;background:var(--ink);"
    "border-radius:2px;box-shadow:0 0 0 2px #fff}"
    ".gauge-l{display:flex;font-size:.68rem;color:var(--muted)}"
    ".gauge-l span{text-align:center;white-space:nowrap;display:flex;justify-content:center}"
    ".m-why{font-size:.86rem;margin:.5rem 0 0;color:#333a48}"
    ,
    /* points */
    ".points{display:grid;grid-template-columns:1fr 1fr;gap:1rem}"
    ".points h3{font-size:1.05rem;margin-bottom:.4rem}"
    ".plist{list-style:none;margin:0;padding:0}"
    ".point{border-left:4px solid var(--good);background:#f3faf4;border-radius:0 8px 8px 0;padding:.6rem .8rem;"
    "margin:0 0 .6rem}"
    ".work .point{border-left-color:var(--fair);background:#fffaeb}"
    ".point h4{margin:0 0 .2rem;font-size:.97rem}.point p{margin:.2rem 0;font-size:.9rem}"
    ".point blockquote{margin:.35rem 0 0;font-size:.88rem;background:#ffffffb0;border-radius:6px;padding:.35rem .55rem}"
    ".point blockquote a{font-weight:600;text-decoration:none;margin-right:.3rem}"
    ".point .who{font-weight:600;margin-right:.25rem}"
    ".alt,.t-alt{font-size:.88rem;color:#0b5e2a;font-weight:600}.t-alt{margin:.35rem 0 .1rem}"
    ".empty{color:var(--muted);font-style:italic}"
    ,
    /* timeline */
    ".tl{display:grid;grid-template-columns:5.6rem 1fr;gap:.25rem .6rem;align-items:center}"
    ".tl-lab{font-size:.78rem;color:var(--muted);text-align:right}"
    ".tl svg{display:block;width:100%;height:5.5rem;background:#fafbfc;border:1px solid var(--line);border-radius:6px}"
    ".tl svg.band{height:1.6rem;margin-top:.4rem}"
    ".tl-ticks{position:relative;height:1.1rem;font-size:.7rem;color:var(--muted)}"
    ".tl-ticks span{position:absolute;transform:translateX(-50%);white-space:nowrap}"
    ".legend{display:flex;flex-wrap:wrap;gap:.3rem .9rem;margin:.7rem 0 0;padding:0;list-style:none;font-size:.8rem}"
    ".legend li{display:flex;align-items:center;gap:.3rem}"
    ".sw{display:inline-block;width:.85rem;height:.85rem;border-radius:3px;background:var(--c)}"
    ".sw.streak{background:none;border:2px dashed var(--ink)}"
    ,
    /* profile */
    ".bars{display:grid;grid-template-columns:minmax(8rem,auto) 1fr auto;gap:.35rem .7rem;align-items:center;"
    "font-size:.9rem}"
    ".bar{height:.9rem;background:#eef1f5;border-radius:99px;overflow:hidden}"
    ".bar span{display:block;height:100%;background:var(--c);border-radius:99px}"
    ".bars .n{font-weight:700;min-width:1.5rem;text-align:right}.bars .zero{color:var(--muted)}"
    ".bars a.n{text-decoration:none}"
    /* scale chart */
    ".scale svg{display:block;width:100%;max-width:42rem;height:auto}"
    ,
    /* transcript */
    ".turns{display:flex;flex-direction:column;gap:.55rem}"
    ".turn{position:relative;border:1px solid var(--line);border-left:4px solid var(--none);border-radius:8px;"
    "padding:.5rem .75rem;background:#fff}"
    ".turn.r-prof{border-left-color:var(--prof);background:#f7f9ff}"
    ".turn.r-client{border-left-color:var(--client)}"
    ".turn:target{box-shadow:0 0 0 3px #ffd43b}"
    ".t-h{display:flex;flex-wrap:wrap;gap:.2rem .6rem;align-items:baseline;font-size:.8rem;color:var(--muted)}"
    ".t-h .who{font-weight:700;color:var(--ink);font-size:.92rem}"
    ".t-h .num{text-decoration:none;color:var(--muted)}"
    ".t-text{margin:.2rem 0 .1rem;white-space:pre-line;overflow-wrap:anywhere}"
    "mark{color:inherit;background:color-mix(in srgb,var(--c) 20%,transparent);"
    "border-bottom:2px solid var(--c);border-radius:2px;padding:0 1px}"
    ".chips{display:flex;flex-wrap:wrap;gap:.3rem;margin-top:.3rem}"
    ".chip{font:inherit;font-size:.75rem;line-height:1.2;cursor:pointer;border:1px solid var(--c);"
    "background:color-mix(in srgb,var(--c) 14%,#fff);color:var(--ink);border-radius:99px;padding:.15rem .55rem}"
    ".chip::before{content:'';display:inline-block;width:.5rem;height:.5rem;border-radius:50%;background:var(--c);"
    "margin-right:.3rem;vertical-align:.05rem}"
    ".chip:focus-visible{outline:2px solid var(--accent);outline-offset:1px}"
    ".pop{display:none;position:absolute;left:.5rem;right:.5rem;top:calc(100% - .3rem);z-index:10;text-align:left;"
    "background:#1d2330;color:#fff;border-radius:8px;padding:.6rem .75rem;font-size:.85rem;line-height:1.4;"
    "box-shadow:0 6px 24px #0004;cursor:auto;max-width:36rem}"
    ".pop span{display:block}.pop span+span{margin-top:.3rem}.pop b{color:#ffd8a8}"
    ".pop .pop-h{font-weight:700;font-size:.9rem}"
    ".chip:hover .pop,.chip:focus-visible .pop,.chip.open .pop{display:block}"
    "footer{font-size:.85rem;color:var(--muted);text-align:center;padding:1rem 0 2rem}"
    "footer p{margin:.25rem 0}"
    ,
    ".cmp{width:100%;border-collapse:collapse;font-size:.92rem}"
    ".cmp th,.cmp td{padding:.45rem .5rem;border-bottom:1px solid var(--line);text-align:right;vertical-align:top}"
    ".cmp th:first-child,.cmp td:first-child{text-align:left}"
    ".cmp thead th{font-size:.8rem;color:var(--muted);font-weight:600}"
    ".cmp .v{font-weight:700}.cmp .lv{display:block;font-size:.7rem;font-weight:600;color:var(--muted)}"
    ".d-better{color:var(--good);font-weight:700}.d-worse{color:var(--below);font-weight:700}"
    ".d-same{color:var(--muted)}.cmp td:last-child span:first-child{white-space:nowrap}"
    ".cmp-wrap{overflow-x:auto}"
    ,
    /* family colours */
    ".f-q{--c:#3b6fd4}.f-why{--c:#e8590c}.f-refl{--c:#2f9e44}.f-sum{--c:#0b7285}.f-aff{--c:#e0a800}"
    ".f-compl{--c:#b08900}.f-perm{--c:#7950f2}.f-info{--c:#868e96}.f-adv{--c:#c92a2a}.f-aut{--c:#ae3ec9}"
    ".f-sf{--c:#15aabf}.f-ct{--c:#74b816}.f-st{--c:#f06595}.f-scale{--c:#fd7e14}.f-other{--c:#adb5bd}"
    ".f-none{--c:#dde1e7}"
    "@media (max-width:640px){"
    ".wrap{padding:.6rem}section{padding:.9rem .85rem;border-radius:10px}"
    "header.top{padding:1.1rem .9rem .9rem}header.top h1{font-size:1.35rem}"
    ".points{grid-template-columns:1fr}.facts{gap:.5rem 1.1rem}.facts dd{font-size:1.02rem}"
    ".bars{grid-template-columns:minmax(6.5rem,auto) 1fr auto;font-size:.85rem}"
    ".cmp{font-size:.82rem}.cmp th,.cmp td{padding:.35rem .25rem}"
    ".chip{font-size:.8rem;padding:.3rem .65rem}"
    "}"
    ,
    "@media print{"
    "@page{size:A4;margin:14mm 13mm}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "body{background:#fff;font-size:10pt}.wrap{max-width:none;padding:0}"
    "section{border:none;padding:0;margin:0 0 6mm}"
    "header.top{border-radius:0;background:#fff;color:var(--ink);padding:0 0 3mm;border-bottom:2px solid var(--ink);"
    "margin:0 0 5mm}"
    ".talkbar{border:1px solid var(--ink)}.tb-p{background:#dbe4ff}"
    "nav.toc,.pop{display:none!important}"
    ".scale svg{max-width:12cm}"
    "h2,h3,h4{break-after:avoid}"
    ".card,.point,.turn,.tl,.scale svg,.cmp tr{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}"
    ".turn{padding:.25rem .5rem}.chip{cursor:auto}"
    ".cards{grid-template-columns:repeat(3,1fr)}"
    "}",
    NULL};

static void page_begin(page *P, const char *title_fmt, const char *a, const char *b)
{
    FILE *f = P->out;
    fprintf(f, "<!doctype html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", P->L->lang);
    fputs("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n", f);
    fputs("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
          "img-src data:; script-src " CSP_SCRIPT_HASHES "; base-uri 'none'; form-action 'none'\">\n", f);
    fputs("<meta name=\"generator\" content=\"taalspel " TS_VERSION "\">\n<title>", f);
    /* the title format holds %s for escaped names: build it piecewise */
    const char *p = title_fmt;
    const char *args[2] = {a, b};
    int k = 0;
    while (*p) {
        const char *s = strstr(p, "%s");
        if (!s) { fputs(p, f); break; }
        fwrite(p, 1, (size_t)(s - p), f);
        if (k < 2) esc_s(f, args[k++]);
        p = s + 2;
    }
    fputs("</title>\n<script>", f);
    fputs(script_head, f);
    fputs("</script>\n<style>", f);
    for (size_t i = 0; css[i]; i++) fputs(css[i], f);
    fputs("</style>\n</head>\n<body>\n<div class=\"wrap\">\n", f);
}

static void page_end(page *P)
{
    FILE *f = P->out;
    fputs("<footer id=\"voet\"><p>", f);
    const char *pack = P->rs && P->rs->version ? P->rs->version : NULL;
    /* footer_fmt: %s taalspel version, %s rule-pack version */
    const char *fmt = P->L->footer_fmt;
    const char *s1 = strstr(fmt, "%s");
    const char *s2 = s1 ? strstr(s1 + 2, "%s") : NULL;
    if (s1 && s2) {
        fwrite(fmt, 1, (size_t)(s1 - fmt), f);
        fputs("<span class=\"ver\">" TS_VERSION "</span>", f);
        fwrite(s1 + 2, 1, (size_t)(s2 - s1 - 2), f);
        fputs("<span class=\"pack\">", f);
        if (pack) esc_s(f, pack); else fputs(P->L->footer_no_pack, f);
        fputs("</span>", f);
        fputs(s2 + 2, f);
    }
    fprintf(f, "</p><p class=\"disclaimer\"><b>%s</b></p></footer>\n</div>\n<script>", P->L->footer_note);
    fputs(script_tail, f);
    fputs("</script>\n</body>\n</html>\n", f);
}

/* ---- header ------------------------------------------------------------ */

static int session_duration(const session *S, double *out)
{
    double a = INFINITY, b = -INFINITY;
    for (size_t i = 0; i < S->n; i++) {
        if (S->t[i].start >= 0 && S->t[i].start < a) a = S->t[i].start;
        if (S->t[i].end >= 0 && S->t[i].end > b) b = S->t[i].end;
    }
    if (isinf(a) || isinf(b) || b < a) return 0;
    *out = b - a;
    return 1;
}

static void write_header(page *P, const session *S, int cmp)
{
    FILE *f = P->out;
    const ts_report_text *L = P->L;
    char buf[64], b2[64];
    fprintf(f, "<header class=\"top\" id=\"kop\">\n<p class=\"kicker\">%s</p>\n<h1>", L->kicker);
    esc_s(f, S->name);
    fputs("</h1>\n<dl class=\"facts\">", f);
    if (S->date) {
        fprintf(f, "<div><dt>%s</dt><dd>", L->date);
        esc_s(f, S->date);
        fputs("</dd></div>", f);
    }
    double dur;
    fprintf(f, "<div><dt>%s</dt><dd>%s</dd></div>", L->duration,
            session_duration(S, &dur) ? fmt_duration(buf, sizeof buf, L, dur) : L->unknown);
    fprintf(f, "<div><dt>%s</dt><dd>%zu <small>(", L->turns, S->n);
    fprintf(f, L->turns_detail_fmt, (size_t)S->d.turns_prof, (size_t)S->d.turns_client);
    fputs(")</small></dd></div>", f);
    double share = S->d.prof_share_words;
    fprintf(f, "<div><dt>%s</dt><dd>%s <small>%s</small>", L->talk_share, fmt_pct(buf, sizeof buf, L, share),
            L->share_words);
    if (!isnan(S->d.prof_share_seconds))
        fprintf(f, "<br>%s <small>%s</small>", fmt_pct(buf, sizeof buf, L, S->d.prof_share_seconds), L->share_seconds);
    fputs("</dd></div></dl>\n", f);
    if (!isnan(share)) {
        double p = round(share);
        fprintf(f, "<div class=\"talkbar\" role=\"img\" aria-label=\"%s %s, %s %s\">"
                   "<span class=\"tb-p\" style=\"width:%.1f%%\">%s %s</span>"
                   "<span class=\"tb-c\" style=\"width:%.1f%%\">%s %s</span></div>\n",
                L->talk_bar_prof, fmt_pct(buf, sizeof buf, L, p), L->talk_bar_client,
                fmt_pct(b2, sizeof b2, L, 100 - p), share, L->talk_bar_prof, buf, 100 - share, L->talk_bar_client, b2);
        fprintf(f, "<p class=\"note\">%s</p>\n", L->talk_note);
    }
    if (S->open_failed) fprintf(f, "<p class=\"warn\">%s</p>\n", L->open_failed);
    else if (S->failed) {
        fputs("<p class=\"warn\">", f);
        fprintf(f, L->failed_fmt, S->failed);
        fputs("</p>\n", f);
    }
    fputs("</header>\n", f);
    fprintf(f, "<nav class=\"toc\" aria-label=\"%s\">", L->nav_label);
    if (cmp) fprintf(f, "<a href=\"#vergelijking\">%s</a>", L->h_cmp);
    fprintf(f, "<a href=\"#kerncijfers\">%s</a><a href=\"#punten\">%s</a><a href=\"#tijdlijn\">%s</a>"
               "<a href=\"#opbouw\">%s</a><a href=\"#profiel\">%s</a>",
            L->h_key, L->h_points, L->h_timeline, L->h_structure, L->h_profile);
    if (S->sc.nscale) fprintf(f, "<a href=\"#schaal\">%s</a>", L->h_scale);
    fprintf(f, "<a href=\"#transcript\">%s</a></nav>\n", L->h_transcript);
}

/* ---- key figures ------------------------------------------------------- */

enum { M_RQ, M_CR, M_OQ, M_CT, M_WHY, NMETRIC };

typedef struct metric {
    double value;       /* shown; NAN = missing */
    double pos;         /* gauge position (same scale as the zones) */
    double lo, hi;      /* gauge range */
    double z1, z2;      /* zone borders */
    int lower_better;   /* zones run good, fair, below */
    const char *level;  /* "good" / "fair" / "below" / NULL */
    int decimals, pct;
} metric;

/* The five key figures of a session with their levels. R:Q and %CR use the
 * MITI 4.2.1 thresholds (ts_scores_derive). The bars for open questions,
 * change talk and why-questions are taalspel's own, not MITI's: MITI 4.2.1
 * has no threshold for them, and these follow common MI training practice
 * (most questions open; change talk outweighing sustain talk clearly). */
static void metrics_of(const ts_derived *d, metric m[NMETRIC])
{
    memset(m, 0, NMETRIC * sizeof *m);
    m[M_RQ] = (metric){d->rq_ratio, d->rq_ratio, 0, 3, 1, 2, 0, d->rq_level, 1, 0};
    m[M_CR] = (metric){d->pct_complex_reflections, d->pct_complex_reflections, 0, 100, 40, 50, 0, d->cr_level, 0, 1};
    m[M_OQ] = (metric){d->pct_open_questions, d->pct_open_questions, 0, 100, 50, 70, 0,
                       ts_level(d->pct_open_questions, 50, 70), 0, 1};
    m[M_CT] = (metric){d->pct_change_talk, d->pct_change_talk, 0, 100, 50, 65, 0,
                       ts_level(d->pct_change_talk, 50, 65), 0, 1};
    /* why-questions: good when none, fair up to one per 10 questions. The
     * gauge has three equal zones: none sits in the middle of "good", up to
     * one per 10 questions spans "fair", one to three per 10 spans "below". */
    double per10 = d->questions > 0 ? 10 * d->why_questions / d->questions : 0;
    const char *wl = d->questions <= 0 ? NULL : d->why_questions <= 0 ? "good" : per10 <= 1 ? "fair" : "below";
    double pos = !wl ? NAN : d->why_questions <= 0 ? 0.5 : per10 <= 1 ? 1 + per10 : 2 + fmin((per10 - 1) / 2, 1);
    m[M_WHY] = (metric){d->why_questions, pos, 0, 3, 1, 2, 1, wl, 0, 0};
}

static const char *metric_name(const ts_report_text *L, int i)
{
    static const char *none = "";
    switch (i) {
    case M_RQ: return L->m_rq;
    case M_CR: return L->m_cr;
    case M_OQ: return L->m_oq;
    case M_CT: return L->m_ct;
    case M_WHY: return L->m_why;
    }
    return none;
}

static char *metric_value(char *buf, size_t cap, const ts_report_text *L, const metric *m)
{
    return m->pct ? fmt_pct(buf, cap, L, m->value) : fmt_num(buf, cap, L, m->value, m->decimals);
}

static void write_gauge(FILE *f, const ts_report_text *L, const metric *m)
{
    double w = m->hi - m->lo;
    double a = (m->z1 - m->lo) / w * 100, b = (m->z2 - m->z1) / w * 100, c = 100 - a - b;
    const char *lv = level_word(L, m->level);
    fprintf(f, "<div class=\"gauge\" role=\"img\" aria-label=\"%s\">", lv);
    if (m->lower_better)
        fprintf(f, "<span class=\"z good\" style=\"width:%.2f%%\"></span><span class=\"z fair\" style=\"width:%.2f%%\">"
                   "</span><span class=\"z below\" style=\"width:%.2f%%\"></span>", a, b, c);
    else
        fprintf(f, "<span class=\"z below\" style=\"width:%.2f%%\"></span><span class=\"z fair\" style=\"width:%.2f%%\">"
                   "</span><span class=\"z good\" style=\"width:%.2f%%\"></span>", a, b, c);
    if (!isnan(m->pos)) {
        double p = (fmin(fmax(m->pos, m->lo), m->hi) - m->lo) / w * 100;
        fprintf(f, "<span class=\"mk\" style=\"left:%.2f%%\"></span>", p);
    }
    fputs("</div>", f);
    /* the zone names, each centred under its zone */
    fprintf(f, "<div class=\"gauge-l\" aria-hidden=\"true\"><span style=\"width:%.2f%%\">%s</span>"
               "<span style=\"width:%.2f%%\">%s</span><span style=\"width:%.2f%%\">%s</span></div>",
            a, m->lower_better ? L->level_good : L->level_below, b, L->level_fair, c,
            m->lower_better ? L->level_below : L->level_good);
}

static void write_key_figures(page *P, const session *S)
{
    FILE *f = P->out;
    const ts_report_text *L = P->L;
    const ts_derived *d = &S->d;
    metric m[NMETRIC];
    metrics_of(d, m);
    fprintf(f, "<section id=\"kerncijfers\">\n<h2>%s</h2>\n<p class=\"intro\">%s</p>\n<div class=\"cards\">\n",
            L->h_key, L->key_intro);
    for (int i = 0; i < NMETRIC; i++) {
        char v[64], a[32], b[32];
        const char *lv = m[i].level;
        fprintf(f, "<div class=\"card %s\" id=\"m-%d\"><div class=\"card-h\"><span class=\"m-name\">%s</span>"
                   "<span class=\"badge %s\">%s</span></div>",
                level_css(lv), i, metric_name(L, i), level_css(lv), level_word(L, lv));
        fprintf(f, "<div class=\"m-val\">%s</div><div class=\"m-count\">", metric_value(v, sizeof v, L, &m[i]));
        switch (i) {
        case M_RQ: fprintf(f, L->m_rq_count_fmt, fmt_num(a, sizeof a, L, d->reflections, 0), fmt_num(b, sizeof b, L, d->questions, 0)); break;
        case M_CR: fprintf(f, L->m_cr_count_fmt, fmt_num(a, sizeof a, L, d->complex_reflections, 0), fmt_num(b, sizeof b, L, d->reflections, 0)); break;
        case M_OQ: fprintf(f, L->m_oq_count_fmt, fmt_num(a, sizeof a, L, d->open_questions, 0), fmt_num(b, sizeof b, L, d->questions, 0)); break;
        case M_CT: fprintf(f, L->m_ct_count_fmt, fmt_num(a, sizeof a, L, d->change_talk, 0), fmt_num(b, sizeof b, L, d->sustain_talk, 0)); break;
        case M_WHY: fprintf(f, L->m_why_count_fmt, fmt_num(a, sizeof a, L, d->why_questions, 0), fmt_num(b, sizeof b, L, d->questions, 0)); break;
        }
        fputs("</div>", f);
        write_gauge(f, L, &m[i]);
        const char *why = i == M_RQ ? L->m_rq_why : i == M_CR ? L->m_cr_why : i == M_OQ ? L->m_oq_why
                        : i == M_CT ? L->m_ct_why : L->m_why_why;
        const char *none = i == M_RQ ? L->m_rq_none : i == M_CR ? L->m_cr_none : i == M_OQ ? L->m_oq_none
                         : i == M_CT ? L->m_ct_none : NULL;
        fprintf(f, "<p class=\"m-why\">%s%s%s</p></div>\n", isnan(m[i].value) && none ? none : "",
                isnan(m[i].value) && none ? " " : "", why);
    }
    fprintf(f, "<div class=\"card help\"><div class=\"card-h\"><span class=\"m-name\">%s</span></div>"
               "<p class=\"m-why\">%s</p></div>\n", L->key_help_title, L->key_help);
    fputs("</div>\n</section>\n", f);
}

/* ---- comparison ---------------------------------------------------------- */

static void write_comparison(page *P, const session *A, const session *B)
{
    FILE *f = P->out;
    const ts_report_text *L = P->L;
    metric ma[NMETRIC], mb[NMETRIC];
    metrics_of(&A->d, ma);
    metrics_of(&B->d, mb);
    fprintf(f, "<section id=\"vergelijking\">\n<h2>%s</h2>\n<p class=\"intro\">", L->h_cmp);
    /* cmp_intro_fmt: two escaped names */
    const char *fmt = L->cmp_intro_fmt, *s1 = strstr(fmt, "%s"), *s2 = s1 ? strstr(s1 + 2, "%s") : NULL;
    if (s1 && s2) {
        fwrite(fmt, 1, (size_t)(s1 - fmt), f);
        esc_s(f, A->name);
        fwrite(s1 + 2, 1, (size_t)(s2 - s1 - 2), f);
        esc_s(f, B->name);
        fputs(s2 + 2, f);
    }
    fprintf(f, "</p>\n<div class=\"cmp-wrap\"><table class=\"cmp\"><thead><tr><th>%s</th><th title=\"", L->cmp_figure);
    esc_s(f, A->name);
    fprintf(f, "\">%s</th><th title=\"", L->cmp_first);
    esc_s(f, B->name);
    fprintf(f, "\">%s</th><th>%s</th></tr></thead><tbody>\n", L->cmp_later, L->cmp_change);
    enum { NROW = NMETRIC + 2 };
    for (int i = 0; i < NROW; i++) {
        double va, vb;
        int dec = 0, pct = 0, lower_better = 0, neutral = 0;
        const char *name, *la = NULL, *lb = NULL;
        if (i < NMETRIC) {
            va = ma[i].value; vb = mb[i].value; dec = ma[i].decimals; pct = ma[i].pct;
            lower_better = ma[i].lower_better; name = metric_name(L, i); la = ma[i].level; lb = mb[i].level;
        } else if (i == NMETRIC) {
            va = A->d.prof_share_words; vb = B->d.prof_share_words; pct = 1; neutral = 1; name = L->m_share;
        } else {
            va = A->d.sf_per_10; vb = B->d.sf_per_10; dec = 1; name = L->m_sf;
        }
        char x[64], y[64], dd[64];
        metric tmp = {0};
        tmp.decimals = dec; tmp.pct = pct;
        tmp.value = va;
        metric_value(x, sizeof x, L, &tmp);
        tmp.value = vb;
        metric_value(y, sizeof y, L, &tmp);
        fprintf(f, "<tr id=\"cmp-%d\"><td>%s</td><td><span class=\"v\">%s</span>", i, name, x);
        if (i < NMETRIC) fprintf(f, "<span class=\"lv\">%s</span>", level_word(L, la));
        fprintf(f, "</td><td><span class=\"v\">%s</span>", y);
        if (i < NMETRIC) fprintf(f, "<span class=\"lv\">%s</span>", level_word(L, lb));
        fputs("</td><td>", f);
        if (isnan(va) || isnan(vb)) fputs("&#8211;", f);
        else {
            double delta = vb - va;
            double eps = 0.5 * pow(10, -dec);
            const char *cls = "d-same", *word = L->cmp_same;
            if (fabs(delta) >= eps && !neutral) {
                int better = lower_better ? delta < 0 : delta > 0;
                cls = better ? "d-better" : "d-worse";
                word = better ? L->cmp_better : L->cmp_worse;
            } else if (fabs(delta) >= eps) word = "";
            fmt_num(dd, sizeof dd, L, delta, dec);
            fprintf(f, "<span class=\"%s\">%s%s</span>", cls, delta > 0 && fabs(delta) >= eps ? "+" : "", dd);
            if (pct || *word)
                fprintf(f, "<span class=\"lv\">%s%s%s</span>", pct ? L->pct_point : "", pct && *word ? ", " : "", word);
        }
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table></div>\n<p class=\"intro\" style=\"margin:.8rem 0 0\">", f);
    fmt = L->cmp_then_fmt;
    s1 = strstr(fmt, "%s");
    if (s1) {
        fwrite(fmt, 1, (size_t)(s1 - fmt), f);
        esc_s(f, B->name);
        fputs(s1 + 2, f);
    }
    fputs("</p>\n</section>\n", f);
}

/* ---- strengths and work points ------------------------------------------ */

typedef struct point {
    int score;
    const char *title;   /* trusted (language table) */
    char *text;          /* trusted HTML, owned */
    long turn1, turn2;   /* turn indexes quoted, -1 = none */
    int why_alt;         /* show the rewrite of turn1's why-question */
    const char *extra;   /* trusted line after the quotes, or NULL */
} point;

typedef struct points { point v[16]; size_t n; } points;

static void add_point(points *ps, int score, const char *title, char *text, long t1, long t2)
{
    if (ps->n == sizeof ps->v / sizeof ps->v[0]) { free(text); return; }
    point *p = &ps->v[ps->n++];
    memset(p, 0, sizeof *p);
    p->score = score;
    p->title = title;
    p->text = text;
    p->turn1 = t1;
    p->turn2 = t2;
}

static long first_turn(const session *S, ts_role role, unsigned flags)
{
    for (size_t i = 0; i < S->n; i++)
        if (S->t[i].role == role && (S->t[i].flags & flags)) return (long)i;
    return -1;
}

/* The turn of role whose hits with flags cover the most text: the clearest
 * example (a long "Je moet ..." rather than a short "Ga zitten."). */
static long clearest_turn(const session *S, ts_role role, unsigned flags)
{
    long best = -1;
    size_t bestlen = 0;
    for (size_t i = 0; i < S->n; i++) {
        const rturn *t = &S->t[i];
        if (t->role != role || !(t->flags & flags)) continue;
        size_t len = 0;
        for (size_t h = 0; h < t->nhits; h++)
            if (S->code_flag[t->hits[h].code] & flags) len += t->hits[h].end - t->hits[h].start;
        if (best < 0 || len > bestlen) { best = (long)i; bestlen = len; }
    }
    return best;
}

static size_t count_turns(const session *S, ts_role role, unsigned flags)
{
    size_t n = 0;
    for (size_t i = 0; i < S->n; i++) n += S->t[i].role == role && (S->t[i].flags & flags);
    return n;
}

/* The previous turn of another speaker than turn i, or -1. */
static long prev_other(const session *S, size_t i)
{
    for (size_t j = i; j-- > 0;)
        if (S->t[j].role != S->t[i].role) return (long)j;
    return -1;
}

static void find_strengths(page *P, const session *S, points *ps)
{
    const ts_report_text *L = P->L;
    const ts_derived *d = &S->d;
    char a[64], b[64];
    /* the best complex reflection: one right after change talk, else the longest */
    long best = -1, best_ct = -1;
    for (size_t i = 0; i < S->n; i++) {
        const rturn *t = &S->t[i];
        if (t->role != TS_ROLE_PROFESSIONAL || !(t->flags & F_RCOMPLEX)) continue;
        long pv = prev_other(S, i);
        if (pv >= 0 && (S->t[pv].flags & F_CT) && best_ct < 0) best_ct = (long)i;
        if (best < 0 || t->len > S->t[best].len) best = (long)i;
    }
    long refl_turn = best_ct >= 0 ? best_ct : best;
    if (best_ct >= 0) add_point(ps, 95, L->s_refl, ts_strdup(L->s_refl_ct_text), prev_other(S, (size_t)best_ct), best_ct);
    else if (best >= 0) add_point(ps, 85, L->s_refl, ts_strdup(L->s_refl_text), best, -1);
    long sum = first_turn(S, TS_ROLE_PROFESSIONAL, F_SUMMARY);
    if (sum >= 0 && sum != refl_turn) add_point(ps, 75, L->s_summary, ts_strdup(L->s_summary_text), sum, -1);
    if (d->rq_level && strcmp(d->rq_level, "below")) {
        long ev = -1;
        for (size_t i = 0; i < S->n && ev < 0; i++)
            if (S->t[i].role == TS_ROLE_PROFESSIONAL && (S->t[i].flags & F_REFL) && (long)i != refl_turn && (long)i != sum) ev = (long)i;
        add_point(ps, strcmp(d->rq_level, "good") ? 60 : 80, L->s_rq,
                  ts_strdupf(L->s_rq_text_fmt, fmt_num(a, sizeof a, L, d->rq_ratio, 1)), ev, -1);
    }
    if (d->questions >= 3 && !isnan(d->pct_open_questions) && d->pct_open_questions >= 70) {
        long ev = -1;
        for (size_t i = 0; i < S->n && ev < 0; i++)
            if (S->t[i].role == TS_ROLE_PROFESSIONAL && (S->t[i].flags & F_QOPEN) && (S->t[i].flags & F_SF) &&
                !(S->t[i].flags & F_WHY)) ev = (long)i;
        for (size_t i = 0; i < S->n && ev < 0; i++)
            if (S->t[i].role == TS_ROLE_PROFESSIONAL && (S->t[i].flags & F_QOPEN) && !(S->t[i].flags & F_WHY)) ev = (long)i;
        add_point(ps, 62, L->s_open, ts_strdupf(L->s_open_text_fmt, fmt_num(a, sizeof a, L, d->open_questions, 0),
                                                 fmt_num(b, sizeof b, L, d->questions, 0)), ev, -1);
    }
    /* solution-focused moves: which kinds were used */
    {
        size_t kinds = 0;
        long ev = -1, ev_any = -1; /* the first move, preferring one other than goal / "more" */
        FILE *m;
        ts_buf list = {0};
        m = open_memstream(&list.p, &list.len);
        if (m) {
            for (size_t c = 0; c < P->rs->ncodes; c++) {
                if (S->code_fam[c] != FAM_SF) continue;
                long first = -1;
                for (size_t i = 0; i < S->n && first < 0; i++)
                    for (size_t h = 0; h < S->t[i].nhits; h++)
                        if (S->t[i].hits[h].code == (int)c) { first = (long)i; break; }
                if (first < 0) continue;
                if (kinds) fputs(", ", m);
                code_label(m, &P->rs->codes[c], 1);
                kinds++;
                const char *nm = P->rs->codes[c].name;
                if (ev_any < 0 || first < ev_any) ev_any = first;
                if (strcmp(nm, "sf.goal") && strcmp(nm, "sf.more") && (ev < 0 || first < ev)) ev = first;
            }
            if (ev < 0) ev = ev_any;
            fclose(m);
            if (kinds >= 2) add_point(ps, 65, L->s_sf, ts_strdupf(L->s_sf_text_fmt, list.p ? list.p : ""), ev, -1);
            free(list.p);
        }
    }
    long t;
    if ((t = first_turn(S, TS_ROLE_PROFESSIONAL, F_AFFIRM)) >= 0) add_point(ps, 55, L->s_affirm, ts_strdup(L->s_affirm_text), t, -1);
    if ((t = first_turn(S, TS_ROLE_PROFESSIONAL, F_PERM)) >= 0) add_point(ps, 50, L->s_perm, ts_strdup(L->s_perm_text), t, -1);
    if ((t = first_turn(S, TS_ROLE_PROFESSIONAL, F_AUTON)) >= 0) add_point(ps, 45, L->s_auton, ts_strdup(L->s_auton_text), t, -1);
    if (d->change_talk + d->sustain_talk >= 3 && !isnan(d->pct_change_talk) && d->pct_change_talk >= 65) {
        long ev = -1;
        for (size_t i = 0; i < S->n; i++)
            if (S->t[i].role == TS_ROLE_CLIENT && S->t[i].nct && (ev < 0 || S->t[i].nct > S->t[ev].nct)) ev = (long)i;
        add_point(ps, 50, L->s_ct, ts_strdupf(L->s_ct_text_fmt, fmt_pct(a, sizeof a, L, d->pct_change_talk)), ev, -1);
    }
    if (d->words_prof + d->words_client >= 100 && !isnan(d->prof_share_words) && d->prof_share_words < 50)
        add_point(ps, 40, L->s_listen, ts_strdupf(L->s_listen_text_fmt, fmt_pct(a, sizeof a, L, d->prof_share_words)), -1, -1);
}

static void find_work(page *P, const session *S, points *ps)
{
    const ts_report_text *L = P->L;
    const ts_derived *d = &S->d;
    char a[64];
    long t;
    if ((t = first_turn(S, TS_ROLE_PROFESSIONAL, F_WHY)) >= 0) {
        size_t n = count_turns(S, TS_ROLE_PROFESSIONAL, F_WHY);
        char *text = n > 1 ? ts_strdupf("%s %s", L->w_why_text, "") : ts_strdup(L->w_why_text);
        if (n > 1) {
            char *more = ts_strdupf(L->w_why_more_fmt, n);
            char *both = ts_strdupf("%s%s", text, more);
            free(text);
            free(more);
            text = both;
        }
        add_point(ps, 90, L->w_why, text, t, -1);
        ps->v[ps->n - 1].why_alt = 1;
    }
    if ((t = clearest_turn(S, TS_ROLE_PROFESSIONAL, F_ADVICE)) >= 0) {
        long pv = prev_other(S, (size_t)t);
        /* advice right after asked permission is fine */
        if (!(t > 0 && (S->t[t - 1].flags & F_PERM)) && !(pv >= 0 && (S->t[pv].flags & F_PERM)))
            add_point(ps, 88, L->w_advice, ts_strdup(L->w_advice_text), t, -1);
    }
    /* change talk answered with a question, advice or information instead of a reflection */
    {
        size_t missed = 0;
        long c0 = -1, p0 = -1;
        for (size_t i = 0; i + 1 < S->n; i++) {
            if (S->t[i].role != TS_ROLE_CLIENT || !(S->t[i].flags & F_CT)) continue;
            size_t j = i + 1;
            while (j < S->n && S->t[j].role == TS_ROLE_CLIENT) j++;
            if (j >= S->n || S->t[j].role != TS_ROLE_PROFESSIONAL) continue;
            unsigned fl = S->t[j].flags;
            /* a solution-focused question that builds on it ("Wat zou je
             * vriendin dan merken?") is not a missed chance */
            if (!(fl & (F_REFL | F_AFFIRM | F_SF)) && (fl & (F_Q | F_ADVICE | F_INFO))) {
                if (!missed) { c0 = (long)i; p0 = (long)j; }
                missed++;
            }
        }
        if (missed) {
            char *text = missed > 1 ? ts_strdupf("%s %s", L->w_missed_text, "") : ts_strdup(L->w_missed_text);
            if (missed > 1) {
                char *more = ts_strdupf(L->w_missed_more_fmt, missed);
                char *both = ts_strdupf("%s%s", text, more);
                free(text);
                free(more);
                text = both;
            }
            add_point(ps, 85, L->w_missed, text, c0, p0);
            ps->v[ps->n - 1].extra = L->w_missed_try;
        }
    }
    int streak = S->streak_n >= 4;
    if (streak)
        add_point(ps, 80, L->w_streak,
                  ts_strdupf(L->w_streak_text_fmt, S->streak_n, S->streak_b + 1, S->streak_e + 1), (long)S->streak_b, -1);
    {
        size_t run = 0, best = 0;
        long b = -1, bb = -1;
        for (size_t i = 0; i < S->n; i++) {
            const rturn *x = &S->t[i];
            if (x->role != TS_ROLE_PROFESSIONAL) continue;
            if ((x->flags & F_QCLOSED) && !(x->flags & (F_QOPEN | F_REFL))) {
                if (!run) b = (long)i;
                if (++run > best) { best = run; bb = b; }
            } else run = 0;
        }
        if (best >= 3) add_point(ps, 75, L->w_closed, ts_strdupf(L->w_closed_text_fmt, best), bb, -1);
    }
    if (!streak && d->rq_level && !strcmp(d->rq_level, "below") && d->questions >= 3) {
        /* a question right after the client spoke: the chance to reflect first */
        long ev = -1;
        for (size_t i = 1; i < S->n && ev < 0; i++)
            if (S->t[i].role == TS_ROLE_PROFESSIONAL && (S->t[i].flags & F_Q) && !(S->t[i].flags & F_REFL) &&
                S->t[i - 1].role == TS_ROLE_CLIENT && S->t[i - 1].len > 40) ev = (long)i;
        add_point(ps, 70, L->w_rq, ts_strdup(L->w_rq_text), ev >= 1 ? ev - 1 : -1, ev);
    }
    if (d->cr_level && !strcmp(d->cr_level, "below") && d->reflections >= 2)
        add_point(ps, 60, L->w_cr, ts_strdup(L->w_cr_text), first_turn(S, TS_ROLE_PROFESSIONAL, F_RSIMPLE), -1);
    if (d->questions >= 3 && !isnan(d->pct_open_questions) && d->pct_open_questions < 50)
        add_point(ps, 65, L->w_open, ts_strdup(L->w_open_text), first_turn(S, TS_ROLE_PROFESSIONAL, F_QCLOSED), -1);
    if (d->words_prof + d->words_client >= 100 && !isnan(d->prof_share_words) && d->prof_share_words > 60)
        add_point(ps, 55, L->w_talk, ts_strdupf(L->w_talk_text_fmt, fmt_pct(a, sizeof a, L, d->prof_share_words)), -1, -1);
    if ((t = first_turn(S, TS_ROLE_PROFESSIONAL, F_COMPL)) >= 0) add_point(ps, 50, L->w_compl, ts_strdup(L->w_compl_text), t, -1);
}

static int by_score(const void *x, const void *y)
{
    const point *a = x, *b = y;
    return (a->score < b->score) - (a->score > b->score);
}

/* Quotes turn i, shortened to about max bytes at a word boundary. */
static void write_quote(page *P, const session *S, long i, size_t max)
{
    if (i < 0 || (size_t)i >= S->n) return;
    FILE *f = P->out;
    const rturn *t = &S->t[i];
    fprintf(f, "<blockquote><a href=\"#t%ld\">%s %ld</a><span class=\"who\">", i + 1, P->L->turn_word, i + 1);
    esc_s(f, t->speaker);
    fputs(":</span> ", f);
    size_t n = t->len;
    int cut = 0;
    if (n > max) {
        n = utf8_floor(t->text, t->len, (uint32_t)max);
        size_t sp = n;
        while (sp > max / 2 && t->text[sp] != ' ') sp--;
        if (sp > max / 2) n = sp;
        cut = 1;
    }
    fputs("&#8220;", f);
    esc(f, t->text, n);
    fputs(cut ? "&#8230;&#8221;" : "&#8221;", f);
    fputs("</blockquote>", f);
}

static void write_plist(page *P, const session *S, points *ps, const char *cls, const char *h, const char *empty)
{
    FILE *f = P->out;
    qsort(ps->v, ps->n, sizeof ps->v[0], by_score);
    fprintf(f, "<div class=\"%s\"><h3>%s</h3>", cls, h);
    if (!ps->n) fprintf(f, "<p class=\"empty\">%s</p>", empty);
    else fputs("<ol class=\"plist\">", f);
    for (size_t i = 0; i < ps->n && i < 3; i++) {
        point *p = &ps->v[i];
        fprintf(f, "<li class=\"point\"><h4>%s</h4><p>%s</p>", p->title, p->text);
        write_quote(P, S, p->turn1, 220);
        write_quote(P, S, p->turn2, 220);
        if (p->why_alt && p->turn1 >= 0) write_why_alt(P, &S->t[p->turn1], "alt");
        if (p->extra) fprintf(f, "<p class=\"alt\">%s</p>", p->extra);
        fputs("</li>", f);
    }
    if (ps->n) fputs("</ol>", f);
    fputs("</div>\n", f);
    for (size_t i = 0; i < ps->n; i++) free(ps->v[i].text);
    ps->n = 0;
}

static void write_points(page *P, const session *S)
{
    FILE *f = P->out;
    const ts_report_text *L = P->L;
    points ps;
    ps.n = 0;
    fprintf(f, "<section id=\"punten\">\n<h2>%s</h2>\n<p class=\"intro\">%s</p>\n<div class=\"points\">\n",
            L->h_points, L->points_intro);
    find_strengths(P, S, &ps);
    write_plist(P, S, &ps, "strong", L->h_strengths, L->no_strengths);
    find_work(P, S, &ps);
    write_plist(P, S, &ps, "work", L->h_work, L->no_work);
    fputs("</div>\n</section>\n", f);
}

/* ---- conversation structure ------------------------------------------------ */

static const char *const phase_fill[4] = {"#9aa5b1", "#4c8bf5", "#22a06b", "#f59e0b"};
static const char *const talk_fill[3] = {"#eef0f3", "#e4572e", "#2bb673"};

/* The phase band (every turn shows the phase in progress) and the talk band
 * under the timeline, on the same turn axis. */
static void write_bands(page *P, const session *S)
{
    FILE *f = P->out;
    const ts_report_text *L = P->L;
    size_t n = S->n;
    fprintf(f, "<div class=\"tl bands\"><div class=\"tl-lab\">%s<br>%s</div>", L->band_phase, L->band_talk);
    fprintf(f, "<svg class=\"band\" viewBox=\"0 0 %zu 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"%s\">", n, L->h_structure);
    int phase = -1;
    for (size_t i = 0; i < n; i++) {
        const rturn *t = &S->t[i];
        if (t->st.phase >= 0) phase = t->st.phase;
        if (phase >= 0)
            fprintf(f, "<rect x=\"%zu\" y=\"0.5\" width=\"1\" height=\"4\" fill=\"%s\"><title>%s %zu: %s</title></rect>",
                    i, phase_fill[phase], L->turn_word, i + 1, L->phase_names[phase]);
        fprintf(f, "<rect x=\"%zu\" y=\"5.5\" width=\"1\" height=\"4\" fill=\"%s\"/>", i, talk_fill[t->st.talk]);
    }
    fputs("</svg></div>\n<ul class=\"legend\">", f);
    for (int k = 0; k < 4; k++) fprintf(f, "<li><span class=\"sw\" style=\"background:%s\"></span>%s</li>", phase_fill[k], L->phase_names[k]);
    fprintf(f, "<li><span class=\"sw\" style=\"background:%s\"></span>%s</li>", talk_fill[1], L->talk_problem);
    fprintf(f, "<li><span class=\"sw\" style=\"background:%s\"></span>%s</li>", talk_fill[2], L->talk_solution);
    fputs("</ul>\n", f);
}

static void write_structure(page *P, const session *S)
{
    FILE *f = P->out;
    const ts_report_text *L = P->L;
    const ts_counts *r = &S->sc.raw;
    fprintf(f, "<section id=\"opbouw\">\n<h2>%s</h2>\n<p class=\"intro\">%s</p>\n", L->h_structure, L->structure_intro);
    double prof = ts_counts_get(r, "turns.professional");
    static const char *const ph_keys[4] = {"phase.situation", "phase.desired", "phase.exceptions", "phase.next_step"};
    static const char *const pl_keys[3] = {"pillar.perspective", "pillar.possibilism", "pillar.progression"};
    char b1[32];
    fprintf(f, "<table class=\"cmp\"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>", L->phase_col, L->turns_col, L->share_col);
    for (int k = 0; k < 4; k++) {
        double v = ts_counts_get(r, ph_keys[k]);
        fprintf(f, "<tr><td><span class=\"sw\" style=\"background:%s\"></span> %s</td><td>%.0f</td><td>%s</td></tr>", phase_fill[k],
                L->phase_names[k], v, fmt_pct(b1, sizeof b1, L, prof > 0 ? 100 * v / prof : NAN));
    }
    fprintf(f, "</tbody></table>\n<table class=\"cmp\"><thead><tr><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>", L->pillar_col, L->turns_col, L->share_col);
    for (int k = 0; k < 3; k++) {
        double v = ts_counts_get(r, pl_keys[k]);
        fprintf(f, "<tr><td>%s</td><td>%.0f</td><td>%s</td></tr>", L->pillar_names[k], v, fmt_pct(b1, sizeof b1, L, prof > 0 ? 100 * v / prof : NAN));
    }
    fputs("</tbody></table>\n", f);
    /* the order the phases were first reached */
    ts_buf ord = {0};
    int done[4] = {0};
    for (int m = 0; m < 4; m++) {
        int best = -1;
        for (int k = 0; k < 4; k++)
            if (!done[k] && S->sc.first_phase[k] >= 0 && (best < 0 || S->sc.first_phase[k] < S->sc.first_phase[best])) best = k;
        if (best < 0) break;
        done[best] = 1;
        if (ord.len) ts_buf_puts(&ord, " &rarr; ");
        ts_buf_puts(&ord, L->phase_names[best]);
    }
    if (ord.len) { fputs("<p>", f); fprintf(f, L->order_fmt, ord.p); fputs("</p>\n", f); }
    ts_buf_free(&ord);
    if (ts_counts_get(r, "structure.jumped_to_next_step") > 0) fprintf(f, "<p class=\"warn\">%s</p>\n", L->jumped_warn);
    double a = ts_counts_get(r, "talk.first_third.client.problem"), b = ts_counts_get(r, "talk.first_third.client.solution");
    double c = ts_counts_get(r, "talk.last_third.client.problem"), d = ts_counts_get(r, "talk.last_third.client.solution");
    char b2[32];
    fputs("<p>", f);
    fprintf(f, L->talk_course_fmt, fmt_pct(b1, sizeof b1, L, a + b > 0 ? 100 * b / (a + b) : NAN), fmt_pct(b2, sizeof b2, L, c + d > 0 ? 100 * d / (c + d) : NAN));
    fputs("</p>\n", f);
    /* interaction type per client, with the turns that show it */
    ts_ia_summary sum;
    ts_ia_summarise(&S->sc, &sum);
    fprintf(f, "<h3>%s</h3>\n", L->ia_title);
    if (!sum.n) fprintf(f, "<p>%s</p>\n", L->ia_unclear);
    for (size_t k = 0; k < sum.n; k++) {
        const ts_ia_client *cl = &sum.c[k];
        fputs("<p><b>", f);
        esc_s(f, cl->speaker);
        fprintf(f, "</b>: %s", cl->type >= 0 ? L->ia_names[cl->type] : L->ia_unclear);
        for (size_t g = 0; g < cl->nseg; g++) {
            fputs(g ? "; " : " (", f);
            if (g) fprintf(f, L->ia_changed_fmt, cl->seg[g].from + 1, L->ia_names[cl->seg[g].type]);
            fprintf(f, "%s%s", g ? ", " : "", L->ia_evidence);
            for (size_t q = 0; q < cl->seg[g].nturns && q < 6; q++)
                fprintf(f, " <a href=\"#t%zu\">%zu</a>", cl->seg[g].turns[q] + 1, cl->seg[g].turns[q] + 1);
        }
        if (cl->nseg) fputs(")", f);
        fputs("</p>\n", f);
        if (cl->type >= 0) fprintf(f, "<p class=\"intro\">%s</p>\n", L->ia_help[cl->type]);
    }
    ts_ia_summary_free(&sum);
    fputs("</section>\n", f);
}

/* ---- timeline ------------------------------------------------------------ */

/* The families of a turn in precedence order (up to max). */
static int turn_fams(const rturn *t, int *out, int max)
{
    int n = 0;
    for (int f = 0; f < NFAM && n < max; f++)
        if (t->fams & (1u << f)) out[n++] = f;
    return n;
}

static void turn_title(page *P, const session *S, size_t i)
{
    FILE *f = P->out;
    const rturn *t = &S->t[i];
    fprintf(f, "<title>%s %zu &#183; ", P->L->turn_word, i + 1);
    esc_s(f, t->speaker);
    int first = 1;
    for (size_t h = 0; h < t->nhits; h++) {
        int dup = 0;
        for (size_t k = 0; k < h; k++) dup |= t->hits[k].code == t->hits[h].code;
        if (dup) continue;
        fputs(first ? ": " : ", ", f);
        code_label(f, &P->rs->codes[t->hits[h].code], 0);
        first = 0;
    }
    fputs("</title>", f);
}

static void write_timeline(page *P, const session *S)
{
    FILE *f = P->out;
    const ts_report_text *L = P->L;
    fprintf(f, "<section id=\"tijdlijn\">\n<h2>%s</h2>\n<p class=\"intro\">%s</p>\n", L->h_timeline, L->timeline_intro);
    if (!S->n) {
        fprintf(f, "<p class=\"empty\">%s</p>\n</section>\n", L->timeline_none);
        return;
    }
    size_t n = S->n;
    double w = n <= 120 ? 0.82 : 1.0; /* gaps only while they stay visible */
    fprintf(f, "<div class=\"tl\"><div class=\"tl-lab\">%s<br><br>%s</div>", L->timeline_prof, L->timeline_client);
    fprintf(f, "<svg viewBox=\"0 0 %zu 20\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"%s\">", n, L->h_timeline);
    /* lanes: professional y 1..9, client y 11..19 */
    fprintf(f, "<line x1=\"0\" y1=\"10\" x2=\"%zu\" y2=\"10\" stroke=\"#e3e6ec\" stroke-width=\"1\" "
               "vector-effect=\"non-scaling-stroke\"/>", n);
    for (size_t i = 0; i < n; i++) {
        const rturn *t = &S->t[i];
        double y = t->role == TS_ROLE_CLIENT ? 11 : 1;
        if (t->role == TS_ROLE_OTHER || t->role == TS_ROLE_UNKNOWN) y = 6;
        int fams[2];
        int k = turn_fams(t, fams, 2);
        fprintf(f, "<a href=\"#t%zu\">", i + 1);
        turn_title(P, S, i);
        if (!k) fprintf(f, "<rect class=\"f-none\" x=\"%zu\" y=\"%.1f\" width=\"%.2f\" height=\"8\" fill=\"#dde1e7\"/>", i, y + 2.5, w);
        else if (k == 1)
            fprintf(f, "<rect class=\"%s\" x=\"%zu\" y=\"%.1f\" width=\"%.2f\" height=\"8\" fill=\"var(--c)\"/>", fam_css[fams[0]], i, y, w);
        else
            fprintf(f, "<rect class=\"%s\" x=\"%zu\" y=\"%.1f\" width=\"%.2f\" height=\"4.6\" fill=\"var(--c)\"/>"
                       "<rect class=\"%s\" x=\"%zu\" y=\"%.1f\" width=\"%.2f\" height=\"3.4\" fill=\"var(--c)\"/>",
                    fam_css[fams[0]], i, y, w, fam_css[fams[1]], i, y + 4.6, w);
        fputs("</a>", f);
    }
    if (S->streak_n >= 4)
        fprintf(f, "<rect x=\"%zu\" y=\"0.3\" width=\"%.2f\" height=\"9.4\" fill=\"none\" stroke=\"#1d2330\" "
                   "stroke-width=\"1.5\" stroke-dasharray=\"4 3\" vector-effect=\"non-scaling-stroke\" "
                   "pointer-events=\"none\"/>",
                S->streak_b, (double)(S->streak_e - S->streak_b) + w);
    fputs("</svg><div></div><div class=\"tl-ticks\">", f);
    size_t step = n <= 20 ? 5 : n <= 60 ? 10 : n <= 150 ? 25 : n <= 400 ? 50 : n <= 1500 ? 200 : n / 6 / 100 * 100;
    if (!step) step = 1;
    fprintf(f, "<span style=\"left:%.3f%%\">1</span>", 0.5 / (double)n * 100);
    for (size_t k = step; k <= n; k += step)
        if (k + step / 3 < n || k == n) fprintf(f, "<span style=\"left:%.3f%%\">%zu</span>", ((double)k - 0.5) / (double)n * 100, k);
    if (n % step && n > 1) fprintf(f, "<span style=\"left:%.3f%%\">%zu</span>", ((double)n - 0.5) / (double)n * 100, n);
    fputs("</div></div>\n<ul class=\"legend\">", f);
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++) seen |= S->t[i].fams;
    for (int k = 0; k < NFAM; k++) {
        int fm = fam_legend[k];
        if (!(seen & (1u << fm))) continue;
        fprintf(f, "<li><span class=\"sw %s\"></span>%s</li>", fam_css[fm], fam_label(L, fm));
    }
    fprintf(f, "<li><span class=\"sw f-none\"></span>%s</li>", L->timeline_uncoded);
    if (S->streak_n >= 4) fprintf(f, "<li><span class=\"sw streak\"></span>%s</li>", L->timeline_streak);
    fputs("</ul>\n", f);
    write_bands(P, S);
    fputs("</section>\n", f);
}

/* ---- solution-focused profile ------------------------------------------ */

static void write_profile(page *P, const session *S)
{
    FILE *f = P->out;
    const ts_report_text *L = P->L;
    char a[32], b[32];
    fprintf(f, "<section id=\"profiel\">\n<h2>%s</h2>\n<p class=\"intro\">", L->h_profile);
    fprintf(f, L->profile_intro_fmt, fmt_num(a, sizeof a, L, S->d.sf_moves, 0), fmt_num(b, sizeof b, L, S->d.sf_per_10, 1));
    fputs("</p>\n<div class=\"bars\">", f);
    double max = 1;
    const ts_ruleset *rs = P->rs;
    for (size_t c = 0; c < rs->ncodes; c++) {
        if (S->code_fam[c] != FAM_SF) continue;
        char key[256];
        snprintf(key, sizeof key, "code.professional.%s", rs->codes[c].name);
        max = fmax(max, ts_counts_get(&S->sc.raw, key));
    }
    for (size_t c = 0; c < rs->ncodes; c++) {
        if (S->code_fam[c] != FAM_SF) continue;
        char key[256];
        snprintf(key, sizeof key, "code.professional.%s", rs->codes[c].name);
        double v = ts_counts_get(&S->sc.raw, key);
        fprintf(f, "<span class=\"%s\">", v > 0 ? "lab" : "lab zero");
        code_label(f, &rs->codes[c], 0);
        fprintf(f, "</span><span class=\"bar f-sf\" role=\"img\" aria-label=\"%.0f\"><span style=\"width:%.1f%%\"></span></span>",
                v, v / max * 100);
        long first = -1;
        for (size_t i = 0; i < S->n && first < 0; i++)
            for (size_t h = 0; h < S->t[i].nhits; h++)
                if (S->t[i].hits[h].code == (int)c) { first = (long)i; break; }
        if (first >= 0)
            fprintf(f, "<a class=\"n\" href=\"#t%ld\" title=\"%s %s %ld\">%.0f</a>", first + 1, L->profile_first,
                    L->turn_abbr, first + 1, v);
        else fprintf(f, "<span class=\"n%s\">%.0f</span>", v > 0 ? "" : " zero", v);
    }
    fputs("</div>\n</section>\n", f);
}

/* ---- scale trajectory ------------------------------------------------------ */

static void write_scale(page *P, const session *S)
{
    if (!S->sc.nscale) return;
    FILE *f = P->out;
    const ts_report_text *L = P->L;
    const ts_scale_point *sp = S->sc.scale;
    size_t n = S->sc.nscale;
    double top = 10;
    for (size_t i = 0; i < n; i++) top = fmax(top, sp[i].value);
    top = ceil(top);
    const double W = 420, H = 210, x0 = 34, x1 = W - 14, y0 = 14, y1 = H - 34;
    fprintf(f, "<section id=\"schaal\" class=\"scale\">\n<h2>%s</h2>\n<p class=\"intro\">%s</p>\n", L->h_scale, L->scale_intro);
    fprintf(f, "<svg viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"%s\" font-size=\"11\" "
               "font-family=\"system-ui,sans-serif\">", W, H, L->h_scale);
    for (int g = 0; g <= 2; g++) {
        double v = top * g / 2, y = y1 - (y1 - y0) * v / top;
        char vb[32];
        fprintf(f, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e6ec\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#5b6475\">%s</text>",
                x0, x1, y, y, x0 - 6, y + 4, fmt_num(vb, sizeof vb, L, v, 0));
    }
    fprintf(f, "<text x=\"8\" y=\"%.1f\" fill=\"#5b6475\" transform=\"rotate(-90 8 %.1f)\" text-anchor=\"middle\">%s</text>",
            (y0 + y1) / 2, (y0 + y1) / 2, L->scale_axis);
    double step = n > 1 ? (x1 - x0 - 30) / (double)(n - 1) : 0;
    fputs("<polyline fill=\"none\" stroke=\"#fd7e14\" stroke-width=\"2.5\" stroke-linejoin=\"round\" points=\"", f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%.1f,%.1f ", n > 1 ? x0 + 15 + step * (double)i : (x0 + x1) / 2, y1 - (y1 - y0) * sp[i].value / top);
    fputs("\"/>", f);
    /* dense charts: smaller dots, values only while they fit, and turn
     * numbers on every k-th dot */
    int dense = n > 6;
    double r = step > 0 && step < 16 ? 3.5 : 5.5;
    size_t every = step > 0 ? (size_t)ceil((dense ? 26 : 50) / step) : 1;
    if (!every) every = 1;
    for (size_t i = 0; i < n; i++) {
        double x = n > 1 ? x0 + 15 + step * (double)i : (x0 + x1) / 2, y = y1 - (y1 - y0) * sp[i].value / top;
        char vb[32], vl[32];
        fprintf(f, "<a href=\"#t%zu\"><title>%s %zu: %s</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"#fff\" "
                   "stroke=\"#fd7e14\" stroke-width=\"2.5\"/>",
                sp[i].index + 1, L->turn_word, sp[i].index + 1, fmt_num(vb, sizeof vb, L, sp[i].value, 1), x, y, r);
        if (step == 0 || step >= 18)
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"700\" fill=\"#1d2330\">%s</text>",
                    x, y - 10, fmt_num(vl, sizeof vl, L, sp[i].value, sp[i].value == floor(sp[i].value) ? 0 : 1));
        if (i % every == 0) {
            if (dense)
                fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#5b6475\" font-size=\"10\">%zu</text>",
                        x, y1 + 16, sp[i].index + 1);
            else
                fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#5b6475\" font-size=\"10\">%s %zu</text>",
                        x, y1 + 18, L->turn_abbr, sp[i].index + 1);
        }
        fputs("</a>", f);
    }
    if (dense)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" fill=\"#5b6475\" font-size=\"10\">%s</text>",
                x1, y1 + 30, L->turn_abbr);
    fputs("</svg>\n</section>\n", f);
}

/* ---- transcript ------------------------------------------------------------ */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The turn text with each coded span in a <mark>, cut at the span borders
 * (byte offsets on UTF-8 boundaries), every piece escaped. Where spans
 * overlap, the family with the highest precedence colours the piece. */
static void write_marked_text(page *P, const session *S, const rturn *t)
{
    FILE *f = P->out;
    size_t nb = 0;
    uint32_t *bd = ts_xmalloc((2 * t->nhits + 2) * sizeof *bd);
    bd[nb++] = 0;
    bd[nb++] = (uint32_t)t->len;
    for (size_t h = 0; h < t->nhits; h++) {
        if (t->hits[h].end <= t->hits[h].start) continue;
        bd[nb++] = t->hits[h].start;
        bd[nb++] = t->hits[h].end;
    }
    qsort(bd, nb, sizeof *bd, cmp_u32);
    for (size_t k = 0; k + 1 < nb; k++) {
        uint32_t a = bd[k], b = bd[k + 1];
        if (b <= a) continue;
        int fam = -1;
        for (size_t h = 0; h < t->nhits; h++)
            if (t->hits[h].start <= a && t->hits[h].end >= b) {
                int fm = S->code_fam[t->hits[h].code];
                if (fam < 0 || fm < fam) fam = fm;
            }
        if (fam >= 0) fprintf(f, "<mark class=\"%s\">", fam_css[fam]);
        esc(f, t->text + a, b - a);
        if (fam >= 0) fputs("</mark>", f);
    }
    free(bd);
}

static void write_chips(page *P, const session *S, const rturn *t)
{
    FILE *f = P->out;
    const ts_report_text *L = P->L;
    const ts_ruleset *rs = P->rs;
    if (!t->nhits) return;
    fputs("<div class=\"chips\">", f);
    for (size_t h = 0; h < t->nhits; h++) {
        int code = t->hits[h].code, dup = 0;
        for (size_t k = 0; k < h; k++) dup |= t->hits[k].code == code;
        if (dup) continue;
        const ts_codedef *c = &rs->codes[code];
        fprintf(f, "<button type=\"button\" class=\"chip %s\" aria-expanded=\"false\">", fam_css[S->code_fam[code]]);
        code_label(f, c, 0);
        fputs("<span class=\"pop\" role=\"tooltip\"><span class=\"pop-h\">", f);
        code_label(f, c, 0);
        fputs("</span><span>", f);
        esc_s(f, code_gloss(c));
        fputs("</span>", f);
        /* each distinct rule that gave this code here */
        for (size_t k = h; k < t->nhits; k++) {
            if (t->hits[k].code != code || t->hits[k].rule < 0) continue;
            int rdup = 0;
            for (size_t j = h; j < k; j++) rdup |= t->hits[j].code == code && t->hits[j].rule == t->hits[k].rule;
            if (rdup) continue;
            const ts_rule *r = &rs->rules[t->hits[k].rule];
            if (r->explain) {
                fprintf(f, "<span><b>%s:</b> ", L->rule_word);
                esc_s(f, r->explain);
                fputs("</span>", f);
            }
            if (r->tip) {
                fprintf(f, "<span><b>%s:</b> ", L->tip_word);
                esc_s(f, r->tip);
                fputs("</span>", f);
            }
        }
        fprintf(f, "<span style=\"opacity:.7\">%s: ", L->code_word);
        esc_s(f, c->name);
        fputs("</span></span></button>", f);
    }
    fputs("</div>", f);
}

static void write_transcript(page *P, const session *S)
{
    FILE *f = P->out;
    const ts_report_text *L = P->L;
    fprintf(f, "<section id=\"transcript\">\n<h2>%s</h2>\n<p class=\"intro\">%s</p>\n", L->h_transcript, L->transcript_intro);
    if (!S->n) {
        fprintf(f, "<p class=\"empty\">%s</p>\n</section>\n", L->transcript_none);
        return;
    }
    fputs("<div class=\"turns\">\n", f);
    for (size_t i = 0; i < S->n; i++) {
        const rturn *t = &S->t[i];
        char tb[32];
        fprintf(f, "<article class=\"turn %s\" id=\"t%zu\"><div class=\"t-h\"><span class=\"who\">", role_css(t->role), i + 1);
        esc_s(f, t->speaker);
        fprintf(f, "</span><span class=\"role\">%s</span><a class=\"num\" href=\"#t%zu\">%s %zu</a>",
                role_word(L, t->role), i + 1, L->turn_abbr, i + 1);
        if (t->start >= 0) fprintf(f, "<span class=\"time\">%s</span>", fmt_clock(tb, sizeof tb, t->start));
        fputs("</div><p class=\"t-text\">", f);
        write_marked_text(P, S, t);
        fputs("</p>", f);
        write_chips(P, S, t);
        if (t->flags & F_WHY) write_why_alt(P, t, "t-alt");
        fputs("</article>\n", f);
    }
    fputs("</div>\n</section>\n", f);
}

/* ---- the report ------------------------------------------------------------ */

static void write_session(page *P, const session *S)
{
    write_key_figures(P, S);
    write_points(P, S);
    write_timeline(P, S);
    write_structure(P, S);
    write_profile(P, S);
    write_scale(P, S);
    write_transcript(P, S);
}

int ts_report(const ts_ruleset *rs, const char *const *files, size_t n, const ts_pipe_opts *po, FILE *out, ts_diags *d)
{
    if (!rs || !files || !out || n < 1 || n > 2) return 1;
    session S[2];
    int rc = 0;
    ts_coder *coder = ts_coder_new(rs);
    for (size_t i = 0; i < n; i++) rc |= collect(&S[i], rs, files[i], po, coder, d);
    ts_coder_free(coder);
    page P = {out, &ts_report_nl, rs};
    const session *B = &S[n - 1];
    if (n == 2) {
        page_begin(&P, P.L->cmp_title_fmt, S[0].name, S[1].name);
        write_header(&P, B, 1);
        write_comparison(&P, &S[0], B);
    } else {
        page_begin(&P, P.L->doc_title_fmt, B->name, NULL);
        write_header(&P, B, 0);
    }
    write_session(&P, B);
    page_end(&P);
    for (size_t i = 0; i < n; i++) session_free(&S[i]);
    if (ferror(out)) rc = 1;
    return rc ? 1 : 0;
}
