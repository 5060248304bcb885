/* read_vtt.c - WebVTT and SRT subtitles as Teams, Zoom and Whisper write
 * them, turned into turns.
 *
 *     WEBVTT                                  1
 *                                             00:00:01,000 --> 00:00:04,000
 *     NOTE rollen: Marieke=professional       Marieke: Hoi Daan, kom binnen.
 *
 *     00:00:01.000 --> 00:00:04.000           2
 *     <v Marieke>Hoi Daan, kom binnen.</v>    00:00:04,000 --> 00:00:06,500
 *                                             Ga zitten.
 *     00:00:04.000 --> 00:00:06.500
 *     <v Marieke>Ga zitten.</v>
 *
 * Both give one turn: Marieke, 1.0-6.5 s, "Hoi Daan, kom binnen. Ga zitten."
 *
 * Subtitles cut speech by time, not by speaker, so this works in two steps.
 * A cue is first cut into segments, one per speaker change inside it: the
 * speaker comes from a <v Name> voice tag or a "Name: " prefix on a line
 * (the txt label rules, rd_label()); a segment without one continues
 * whoever spoke last. Other tags (<c>, <i>, <00:00:01.000>, SRT's {\an8})
 * are dropped and entities decoded. Then consecutive segments of one
 * speaker are merged into a turn, which ends where another speaker starts.
 * The segments of a cue wait in a small queue (r->q), since one cue can
 * finish more than one turn while ts_reader_next() returns one at a time.
 *
 * Timing lines may use hh:mm:ss.ttt or mm:ss.ttt, with '.' or ','; the
 * turn runs from its first cue's start to the latest end of its cues (cues
 * may overlap; their order of appearance is kept).
 */
#include "read_internal.h"
#include <stdlib.h>
#include <string.h>

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }
static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space(s[i])) return 0;
    return 1;
}

/* Does the line start with word, followed by whitespace or its end? */
static int starts_word(const char *s, size_t n, const char *word)
{
    size_t k = strlen(word);
    return n >= k && memcmp(s, word, k) == 0 && (n == k || is_space(s[k]));
}

/* [hh:]mm:ss[.ttt] at s[*i]; advances *i. */
static int parse_time(const char *s, size_t n, size_t *i, double *out)
{
    long f[3];
    int nf = 0;
    for (;;) {
        size_t a = *i;
        long v = 0;
        while (*i < n && is_digit(s[*i]) && *i - a < 9) v = v * 10 + (s[(*i)++] - '0');
        if (*i == a) return -1;
        f[nf++] = v;
        if (nf < 3 && *i < n && s[*i] == ':') { (*i)++; continue; }
        break;
    }
    if (nf < 2 || f[nf - 1] >= 60 || (nf == 3 && f[1] >= 60)) return -1;
    double frac = 0;
    if (*i < n && (s[*i] == '.' || s[*i] == ',')) {
        size_t a = ++(*i);
        long v = 0, div = 1;
        while (*i < n && is_digit(s[*i]) && *i - a < 9) { v = v * 10 + (s[(*i)++] - '0'); div *= 10; }
        if (*i == a) return -1;
        frac = (double)v / (double)div;
    }
    *out = (nf == 3 ? (double)f[0] * 3600 : 0) + (double)f[nf - 2] * 60 + (double)f[nf - 1] + frac;
    return 0;
}

int rd_parse_timing(const char *s, size_t n, double *start, double *end, size_t *bad)
{
    size_t i = 0;
    while (i < n && is_space(s[i])) i++;
    if (parse_time(s, n, &i, start) != 0) goto fail;
    while (i < n && is_space(s[i])) i++;
    if (n - i < 3 || memcmp(s + i, "-->", 3) != 0) goto fail;
    i += 3;
    while (i < n && is_space(s[i])) i++;
    if (parse_time(s, n, &i, end) != 0) goto fail;
    if (i < n && !is_space(s[i])) goto fail; /* settings follow after a space */
    return 0;
fail:
    *bad = i;
    return -1;
}

static int has_arrow(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>') return 1;
    return 0;
}

/* ---- one cue line -> segments ----------------------------------------- */

typedef struct cue_state {
    double start, end;
    char *voice; /* owned; the <v Name> in force, or NULL */
} cue_state;

static void push_seg(ts_reader *r, char *speaker, const char *text, size_t len,
                     const cue_state *c, unsigned long col)
{
    TS_VEC_RESERVE(r->q, r->qcap, r->qn + 1);
    rd_seg *g = &r->q[r->qn++];
    g->speaker = speaker;
    g->text = ts_strndup(text, len);
    g->start = c->start;
    g->end = c->end;
    g->line = r->lineno;
    g->col = col;
    g->failed = r->ln_too_long;
}

/* Queues the text collected in r->cue as one segment of the voice in
 * force, or of a "Name: " prefix when no voice tag names the speaker. */
static void flush(ts_reader *r, cue_state *c, unsigned long voice_col)
{
    const char *s = r->cue.p;
    size_t n = r->cue.len, lo, ll, to;
    ts_role role;
    while (n && s[n - 1] == ' ') n--;
    if (!n) return;
    if (c->voice) {
        push_seg(r, ts_strdup(c->voice), s, n, c, voice_col);
    } else if (rd_label(r, s, n, &lo, &ll, &to, &role) != RD_LABEL_NONE) {
        push_seg(r, ts_strndup(s + lo, ll), s + to, n - to, c, 1);
    } else {
        push_seg(r, NULL, s, n, c, 1);
    }
    ts_buf_reset(&r->cue);
}

static void put_char(ts_buf *b, char ch)
{
    /* Runs of white space, and space left where a tag was, become one. */
    if (is_space(ch)) {
        if (b->len && b->p[b->len - 1] != ' ') ts_buf_putc(b, ' ');
        return;
    }
    ts_buf_putc(b, ch);
}

/* Decodes an entity at s[i] ('&'); returns its length, or 0 if it is none. */
static size_t entity(ts_buf *b, const char *s, size_t n, size_t i)
{
    static const struct { const char *name, *text; } names[] = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
        {"nbsp", " "}, {"lrm", ""}, {"rlm", ""},
    };
    size_t j = i + 1;
    while (j < n && j - i < 12 && s[j] != ';' && s[j] != '&' && !is_space(s[j])) j++;
    if (j >= n || s[j] != ';') return 0;
    const char *e = s + i + 1;
    size_t el = j - i - 1;
    if (el >= 2 && e[0] == '#') {
        int hex = e[1] == 'x' || e[1] == 'X';
        long v = 0;
        size_t k = hex ? 2 : 1;
        if (k == el) return 0;
        for (; k < el; k++) {
            int d = is_digit(e[k]) ? e[k] - '0'
                  : hex && e[k] >= 'a' && e[k] <= 'f' ? e[k] - 'a' + 10
                  : hex && e[k] >= 'A' && e[k] <= 'F' ? e[k] - 'A' + 10 : -1;
            if (d < 0 || v > 0x10FFFF) return 0;
            v = v * (hex ? 16 : 10) + d;
        }
        if (v <= 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
        char u[4];
        int ul = ts_utf8_encode((int32_t)v, u);
        if (ul == 1) put_char(b, u[0]);
        else ts_buf_put(b, u, (size_t)ul);
        return j - i + 1;
    }
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
        if (strlen(names[k].name) == el && memcmp(names[k].name, e, el) == 0) {
            if (names[k].text[0]) put_char(b, names[k].text[0]);
            return j - i + 1;
        }
    return 0;
}

static void cue_line(ts_reader *r, cue_state *c)
{
    const char *s = r->ln;
    size_t n = r->ln_len, i = 0;
    unsigned long voice_col = 1;
    int srt = r->fmt == TS_FMT_SRT;
    ts_buf_reset(&r->cue);
    while (i < n) {
        char ch = s[i];
        if (ch == '<') {
            const char *gt = memchr(s + i, '>', n - i);
            if (!gt) { put_char(&r->cue, ch); i++; continue; }
            const char *tag = s + i + 1;
            size_t tl = (size_t)(gt - tag);
            char t0 = tl ? tag[0] : ' ';
            if (t0 == '/' && tl > 1) t0 = tag[1];
            if (!((t0 >= 'a' && t0 <= 'z') || (t0 >= 'A' && t0 <= 'Z') || is_digit(t0))) {
                put_char(&r->cue, ch); /* "3 < 5" is text, not a tag */
                i++;
                continue;
            }
            if (tag[0] == 'v' && (tl == 1 || tag[1] == '.' || is_space(tag[1]))) {
                /* <v Name> or <v.class Name>: the name follows the first space */
                size_t k = 1;
                while (k < tl && !is_space(tag[k])) k++;
                while (k < tl && is_space(tag[k])) k++;
                size_t e = tl;
                while (e > k && is_space(tag[e - 1])) e--;
                if (e > k) {
                    flush(r, c, voice_col);
                    free(c->voice);
                    c->voice = ts_strndup(tag + k, e - k);
                    voice_col = rd_col(s, (size_t)(tag + k - s));
                }
            }
            i += tl + 2; /* every other tag, and </v>, only goes */
            continue;
        }
        if (ch == '&') {
            size_t k = entity(&r->cue, s, n, i);
            if (k) { i += k; continue; }
        }
        if (srt && ch == '{' && i + 1 < n && s[i + 1] == '\\') {
            const char *cb = memchr(s + i, '}', n - i);
            if (cb) { i = (size_t)(cb - s) + 1; continue; }
        }
        put_char(&r->cue, ch);
        i++;
    }
    flush(r, c, voice_col);
}

/* ---- blocks ---------------------------------------------------------------- */

/* A timing line where a block should have ended: the blank line before a
 * cue is missing. Leaves it for next_block(), so the cue is not lost. */
static int cue_starts(ts_reader *r)
{
    double st, en;
    size_t bad;
    if (!has_arrow(r->ln, r->ln_len) || rd_parse_timing(r->ln, r->ln_len, &st, &en, &bad) != 0) return 0;
    rd_unread(r);
    return 1;
}

/* Skips to the blank line that ends a block. */
static void skip_block(ts_reader *r)
{
    while (rd_line(r))
        if ((!r->ln_too_long && is_blank(r->ln, r->ln_len)) || cue_starts(r)) return;
}

/* A NOTE block; "NOTE rollen: A=professional" names roles. */
static void note_block(ts_reader *r)
{
    size_t off = 4;
    for (;;) {
        rd_roles_comment(r, r->ln + off, r->ln_len - off, off);
        if (!rd_line(r) || is_blank(r->ln, r->ln_len) || cue_starts(r)) return;
        off = 0;
    }
}

static int all_digits(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_space(s[i])) i++;
    size_t a = i;
    while (i < n && is_digit(s[i])) i++;
    size_t b = i;
    while (i < n && is_space(s[i])) i++;
    return b > a && i == n;
}

static void payload(ts_reader *r, cue_state *c)
{
    while (rd_line(r)) {
        if ((!r->ln_too_long && is_blank(r->ln, r->ln_len)) || cue_starts(r)) break;
        if (r->fmt == TS_FMT_SRT && all_digits(r->ln, r->ln_len)) {
            /* The next block's number without a blank line, or text that is
             * a number ("Twee." is rarer than "2")? The line after decides. */
            char *num = ts_strndup(r->ln, r->ln_len);
            unsigned long numline = r->lineno;
            if (rd_line(r)) {
                if (cue_starts(r)) {
                    free(num);
                    break;
                }
                rd_unread(r);
            }
            unsigned long keep = r->lineno;
            int too_long = r->ln_too_long;
            r->lineno = numline; /* the segment belongs to the number's line */
            r->ln_too_long = 0;
            ts_buf_reset(&r->cue);
            ts_buf_puts(&r->cue, num);
            flush(r, c, 1);
            r->lineno = keep;
            r->ln_too_long = too_long;
            free(num);
            continue;
        }
        cue_line(r, c);
    }
}

/* Reads one block and queues its segments. Returns 0 at end of input. */
static int next_block(ts_reader *r)
{
    int srt = r->fmt == TS_FMT_SRT;
    double st, en;
    size_t bad;
    for (;;) {
        if (!rd_line(r)) return 0;
        if (!r->header_done && !r->ln_too_long && is_blank(r->ln, r->ln_len)) continue;
        if (!r->header_done) {
            r->header_done = 1;
            if (!srt) {
                if (starts_word(r->ln, r->ln_len, "WEBVTT")) { skip_block(r); continue; }
                ts_diag_add(r->diags, TS_SEV_WARNING, r->name, r->lineno, 1,
                            "no 'WEBVTT' line at the start; reading the file as WebVTT anyway");
            }
        }
        if (!r->ln_too_long && is_blank(r->ln, r->ln_len)) continue;
        if (!srt && starts_word(r->ln, r->ln_len, "NOTE")) { note_block(r); continue; }
        if (!srt && (starts_word(r->ln, r->ln_len, "STYLE") || starts_word(r->ln, r->ln_len, "REGION"))) {
            skip_block(r);
            continue;
        }
        if (!has_arrow(r->ln, r->ln_len)) {
            /* a cue identifier (vtt) or number (srt) before the timing */
            unsigned long idline = r->lineno;
            if (!rd_line(r) || (!r->ln_too_long && is_blank(r->ln, r->ln_len))) {
                ts_diag_add(r->diags, TS_SEV_ERROR, r->name, idline, 1,
                            "text outside a cue: a cue needs a timing line such as "
                            "'00:00:01.000 --> 00:00:04.000'; this text is not coded");
                r->failed++;
                continue;
            }
        }
        if (rd_parse_timing(r->ln, r->ln_len, &st, &en, &bad) != 0) {
            if (has_arrow(r->ln, r->ln_len))
                ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, rd_col(r->ln, bad),
                            "bad cue timing; expected '00:01:02.500 --> 00:01:05.000'; "
                            "this cue is not coded");
            else
                ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, 1,
                            "expected a cue timing line such as '00:00:01.000 --> 00:00:04.000'; "
                            "this cue is not coded");
            r->failed++;
            skip_block(r);
            return 1;
        }
        cue_state c = {st, en, NULL};
        payload(r, &c);
        free(c.voice);
        return 1;
    }
}

/* ---- segments -> turns --------------------------------------------------- */

static void begin(ts_reader *r, const rd_seg *g)
{
    ts_role role = TS_ROLE_UNKNOWN;
    if (!g->speaker) {
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, g->line, g->col,
                    "cue text without a speaker, and no earlier cue names one; start the cue "
                    "with %s'Name: '", r->fmt == TS_FMT_SRT ? "" : "'<v Name>' or ");
        rd_turn_begin(r, "", 0, role, g->line, 1);
    } else if (ts_rolemap_lookup(r->roles, g->speaker, &role) != 0) {
        rd_unknown_label(r, g->line, g->col, g->speaker, strlen(g->speaker));
        rd_turn_begin(r, g->speaker, strlen(g->speaker), TS_ROLE_UNKNOWN, g->line, 1);
    } else {
        rd_turn_begin(r, g->speaker, strlen(g->speaker), role, g->line, 0);
    }
    r->cur.start = g->start;
    r->cur.end = g->end;
}

static int same_speaker(const ts_reader *r, const rd_seg *g)
{
    if (!g->speaker) return 1;
    char *k = rd_fold(g->speaker, strlen(g->speaker));
    int same = strcmp(k, r->cur.key) == 0;
    free(k);
    return same;
}

int rd_vtt_next(ts_reader *r, ts_turn *t)
{
    for (;;) {
        if (r->qhead == r->qn) {
            r->qhead = r->qn = 0;
            if (!next_block(r)) {
                /* A failed last turn was counted by rd_turn_finish. */
                return r->cur.open && rd_turn_finish(r, t);
            }
            continue;
        }
        rd_seg *g = &r->q[r->qhead];
        if (r->cur.open && !same_speaker(r, g)) {
            /* g starts the next turn; it stays queued for the next call */
            if (rd_turn_finish(r, t)) return 1;
            continue;
        }
        if (!r->cur.open) begin(r, g);
        if (g->end > r->cur.end) r->cur.end = g->end;
        if (g->failed && !r->cur.failed) {
            /* rd_line() reported the over-long line once, for the turn it
             * spoils; a second voice on that line spoils a second turn,
             * which gets its own error, so no turn is lost unreported */
            if (g->line == r->fail_line)
                ts_diag_add(r->diags, TS_SEV_ERROR, r->name, g->line, g->col,
                            "the turn of '%s' on this over-long line is not coded either",
                            r->cur.speaker ? r->cur.speaker : "");
            r->fail_line = g->line;
        }
        if (g->failed) rd_turn_fail(r);
        rd_turn_append(r, g->text, strlen(g->text));
        free(g->speaker);
        free(g->text);
        r->qhead++;
    }
}
