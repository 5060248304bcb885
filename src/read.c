/* read.c - opening transcripts, cutting them into lines, the role table.
 *
 * Every reader pulls lines through rd_line(), which is where the input's
 * physical problems are handled once for all formats:
 *
 *  - Memory stays bounded: the source is read in RD_CHUNK pieces (a memory
 *    buffer is used in place), and a line is kept only up to max_line bytes.
 *    The rest of an over-long line is skipped, the line is reported, and the
 *    format reader fails the turn it belongs to. So memory grows with the
 *    longest line and turn, never with the file.
 *  - Line ends: LF, CRLF and a lone CR all end a line; the last line needs
 *    no terminator. A CR at the end of a chunk remembers (skip_lf) that a
 *    following LF belongs to it.
 *  - Encoding: a UTF-8 BOM is dropped; UTF-16/32 (by BOM, or by the zero
 *    bytes of ASCII text without one) is refused at open with the iconv
 *    command that fixes it, since decoding it as UTF-8 would only produce a
 *    stream of replacement characters. Invalid UTF-8 and NUL bytes become
 *    U+FFFD with one warning per line, so later stages can trust the text.
 *
 * The format is chosen by the caller, else by extension, else by the first
 * bytes (see sniff()), which are already in the first chunk, so stdin can be
 * sniffed without rewinding.
 */
#include "read_internal.h"
#include "limits.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <utf8proc.h>

#ifndef RD_CHUNK
#define RD_CHUNK 65536 /* fread size; the fuzz build makes it tiny to cross chunk ends */
#endif

/* ---- roles and formats ---------------------------------------------- */

const char *ts_role_name(ts_role r)
{
    switch (r) {
    case TS_ROLE_PROFESSIONAL: return "professional";
    case TS_ROLE_CLIENT: return "client";
    case TS_ROLE_OTHER: return "other";
    default: return "unknown";
    }
}

/* Role words of --roles and "# rollen:", English and Dutch, compared after
 * rd_fold() so "Cliënt" and "CLIENT" both work. */
static const struct { const char *word; ts_role role; } role_words[] = {
    {"professional", TS_ROLE_PROFESSIONAL}, {"professioneel", TS_ROLE_PROFESSIONAL},
    {"hulpverlener", TS_ROLE_PROFESSIONAL}, {"client", TS_ROLE_CLIENT},
    {"other", TS_ROLE_OTHER}, {"anders", TS_ROLE_OTHER},
    {"overig", TS_ROLE_OTHER}, {"overige", TS_ROLE_OTHER},
};

int ts_role_parse(const char *s, ts_role *out)
{
    if (!s) return -1;
    char *k = rd_fold(s, strlen(s));
    int rc = -1;
    for (size_t i = 0; i < sizeof role_words / sizeof role_words[0]; i++)
        if (strcmp(k, role_words[i].word) == 0) {
            if (out) *out = role_words[i].role;
            rc = 0;
            break;
        }
    free(k);
    return rc;
}

const char *ts_format_name(ts_format f)
{
    switch (f) {
    case TS_FMT_TXT: return "txt";
    case TS_FMT_JSONL: return "jsonl";
    case TS_FMT_VTT: return "vtt";
    case TS_FMT_SRT: return "srt";
    default: return "auto";
    }
}

int ts_format_parse(const char *s, ts_format *out)
{
    static const struct { const char *name; ts_format f; } names[] = {
        {"auto", TS_FMT_AUTO}, {"txt", TS_FMT_TXT}, {"text", TS_FMT_TXT},
        {"jsonl", TS_FMT_JSONL}, {"ndjson", TS_FMT_JSONL}, {"vtt", TS_FMT_VTT},
        {"webvtt", TS_FMT_VTT}, {"srt", TS_FMT_SRT},
    };
    if (!s) return -1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (ts_strcaseeq(s, names[i].name)) {
            if (out) *out = names[i].f;
            return 0;
        }
    return -1;
}

void ts_turn_clear(ts_turn *t)
{
    if (!t) return;
    free(t->speaker);
    free(t->text);
    free(t->extra_json);
    memset(t, 0, sizeof *t);
}

/* ---- labels ------------------------------------------------------------ */

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

char *rd_fold(const char *s, size_t len)
{
    ts_buf b = {0};
    /* Collapse whitespace first so "Anna  de Vries" names one speaker. */
    for (size_t i = 0; i < len; i++) {
        if (is_space(s[i])) {
            if (b.len && b.p[b.len - 1] != ' ') ts_buf_putc(&b, ' ');
        } else {
            ts_buf_putc(&b, s[i]);
        }
    }
    if (b.len && b.p[b.len - 1] == ' ') b.p[--b.len] = 0;
    if (!b.len) { ts_buf_free(&b); return ts_strdup(""); }

    utf8proc_uint8_t *o = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)b.p, (utf8proc_ssize_t)b.len, &o,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                          UTF8PROC_STRIPMARK);
    if (n < 0) {
        /* Only invalid UTF-8 gets here, which rd_line() has already
         * repaired; fall back to ASCII folding rather than fail. */
        for (size_t i = 0; i < b.len; i++)
            if (b.p[i] >= 'A' && b.p[i] <= 'Z') b.p[i] = (char)(b.p[i] + 32);
        return ts_buf_detach(&b);
    }
    ts_buf_free(&b);
    char *k = ts_strndup((const char *)o, (size_t)n);
    free(o); /* allocated by utf8proc with malloc */
    return k;
}

typedef struct { char *key; ts_role role; } role_entry;

struct ts_rolemap {
    role_entry *v;
    size_t n, cap;
};

/* Built-in labels, already folded ("Cliënt" -> "client"). */
static const struct { const char *key; ts_role role; } builtin_labels[] = {
    {"t", TS_ROLE_PROFESSIONAL}, {"p", TS_ROLE_PROFESSIONAL},
    {"h", TS_ROLE_PROFESSIONAL}, {"b", TS_ROLE_PROFESSIONAL},
    {"hulpverlener", TS_ROLE_PROFESSIONAL}, {"therapeut", TS_ROLE_PROFESSIONAL},
    {"coach", TS_ROLE_PROFESSIONAL}, {"begeleider", TS_ROLE_PROFESSIONAL},
    {"professional", TS_ROLE_PROFESSIONAL}, {"interviewer", TS_ROLE_PROFESSIONAL},
    {"c", TS_ROLE_CLIENT}, {"k", TS_ROLE_CLIENT}, {"client", TS_ROLE_CLIENT},
    {"klant", TS_ROLE_CLIENT}, {"patient", TS_ROLE_CLIENT}, {"deelnemer", TS_ROLE_CLIENT},
};

ts_rolemap *ts_rolemap_new(void) { return ts_xcalloc(1, sizeof(ts_rolemap)); }

void ts_rolemap_free(ts_rolemap *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) free(m->v[i].key);
    free(m->v);
    free(m);
}

static void rolemap_set(ts_rolemap *m, char *key, ts_role role)
{
    /* A later entry for the same label wins: --roles first, then the
     * file's header, so the file can correct a stale command line. */
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].key, key) == 0) {
            m->v[i].role = role;
            free(key);
            return;
        }
    TS_VEC_RESERVE(m->v, m->cap, m->n + 1);
    m->v[m->n].key = key;
    m->v[m->n].role = role;
    m->n++;
}

static void trim(const char **s, size_t *len)
{
    while (*len && is_space(**s)) { (*s)++; (*len)--; }
    while (*len && is_space((*s)[*len - 1])) (*len)--;
}

int ts_rolemap_add_spec(ts_rolemap *m, const char *spec, char **err)
{
    int rc = -1;
    char *word = NULL, *msg = NULL;
    /* Parse everything into tmp first, so a bad spec changes nothing. */
    ts_rolemap *tmp = ts_rolemap_new();
    if (!m || !spec) {
        msg = ts_strdup("no role spec given");
        goto cleanup;
    }
    for (const char *p = spec;;) {
        const char *end = p + strcspn(p, ",;");
        const char *item = p;
        size_t ilen = (size_t)(end - p);
        trim(&item, &ilen);
        if (ilen) {
            const char *eq = memchr(item, '=', ilen);
            const char *lab = item, *role = eq ? eq + 1 : "";
            size_t llen = eq ? (size_t)(eq - item) : ilen;
            size_t rlen = eq ? ilen - llen - 1 : 0;
            ts_role r;
            trim(&lab, &llen);
            trim(&role, &rlen);
            if (!eq || !llen || !rlen) {
                msg = ts_strdupf("'%.*s' is not Label=role (e.g. Anna=professional)", (int)ilen, item);
                goto cleanup;
            }
            if (llen > TS_MAX_LABEL_BYTES) {
                msg = ts_strdupf("a label is longer than %d bytes", TS_MAX_LABEL_BYTES);
                goto cleanup;
            }
            free(word);
            word = ts_strndup(role, rlen);
            if (ts_role_parse(word, &r) != 0) {
                msg = ts_strdupf("unknown role '%s' for '%.*s'; use professional, client or other "
                                 "(or hulpverlener, cliënt, anders)", word, (int)llen, lab);
                goto cleanup;
            }
            rolemap_set(tmp, rd_fold(lab, llen), r);
        }
        if (!*end) break;
        p = end + 1;
    }
    for (size_t i = 0; i < tmp->n; i++) rolemap_set(m, tmp->v[i].key, tmp->v[i].role);
    tmp->n = 0; /* the keys now belong to m */
    rc = 0;
cleanup:
    if (err) *err = msg;
    else free(msg);
    ts_rolemap_free(tmp);
    free(word);
    return rc;
}

/* rd_fold for the common label - short, ASCII - into buf without
 * allocating (utf8proc's case folding of ASCII is plain lower-casing, and
 * it composes and strips nothing there). Returns the length, or -1 when
 * rd_fold must do it. */
static int fold_ascii(const char *s, size_t len, char *buf, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) return -1;
        if (is_space(s[i])) {
            if (n && buf[n - 1] != ' ') buf[n++] = ' ';
        } else {
            if (n + 2 > cap) return -1;
            buf[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
    }
    if (n && buf[n - 1] == ' ') n--;
    buf[n] = 0;
    return (int)n;
}

int rd_rolemap_lookup_n(const ts_rolemap *m, const char *label, size_t len, ts_role *out)
{
    char buf[TS_MAX_LABEL_BYTES + 8];
    char *heap = NULL;
    const char *k = buf;
    if (fold_ascii(label, len, buf, sizeof buf) < 0) k = heap = rd_fold(label, len);
    int rc = -1;
    for (size_t i = 0; m && i < m->n; i++)
        if (strcmp(m->v[i].key, k) == 0) {
            if (out) *out = m->v[i].role;
            rc = 0;
            goto cleanup;
        }
    for (size_t i = 0; i < sizeof builtin_labels / sizeof builtin_labels[0]; i++)
        if (strcmp(builtin_labels[i].key, k) == 0) {
            if (out) *out = builtin_labels[i].role;
            rc = 0;
            goto cleanup;
        }
cleanup:
    free(heap);
    return rc;
}

int ts_rolemap_lookup(const ts_rolemap *m, const char *label, ts_role *out)
{
    if (!label) return -1;
    return rd_rolemap_lookup_n(m, label, strlen(label), out);
}

ts_rolemap *ts_rolemap_copy(const ts_rolemap *m)
{
    ts_rolemap *c = ts_rolemap_new();
    for (size_t i = 0; m && i < m->n; i++) rolemap_set(c, ts_strdup(m->v[i].key), m->v[i].role);
    return c;
}

/* How many turns of one unknown label are printed one by one. */
enum { RD_UNKNOWN_SHOWN = 3 };

void rd_unknown_label(ts_reader *r, unsigned long line, unsigned long col,
                      const char *label, size_t len)
{
    int ilen = (int)len;
    struct rd_unknown *u = NULL;
    for (size_t i = 0; i < r->nunk && !u; i++)
        if (strlen(r->unk[i].label) == len && !memcmp(r->unk[i].label, label, len)) u = &r->unk[i];
    if (u) { /* seen before: the fix was printed with its first turn */
        size_t before = r->diags->n;
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, line, col,
                    "unknown speaker label '%.*s' again (turn skipped; the fix is in the error for line %lu)",
                    ilen, label, u->first_line);
        if (++u->n > RD_UNKNOWN_SHOWN && r->diags->n > before) {
            r->diags->v[r->diags->n - 1].quiet = 1;
            u->quiet++;
        }
        return;
    }
    TS_VEC_RESERVE(r->unk, r->unkcap, r->nunk + 1);
    r->unk[r->nunk].label = ts_strndup(label, len);
    r->unk[r->nunk].first_line = line;
    r->unk[r->nunk].n = 1;
    r->unk[r->nunk].quiet = 0;
    r->nunk++;
    /* A label with a space needs quotes on a shell command line. */
    const char *q = memchr(label, ' ', len) ? "'" : "";
    const char *pre = "unknown speaker label";
    switch (r->fmt) {
    case TS_FMT_VTT:
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, line, col,
                    "%s '%.*s'; name its role with a block 'NOTE rollen: %.*s=professional' "
                    "after the WEBVTT line or --roles %s%.*s=professional%s (or =client, =other)",
                    pre, ilen, label, ilen, label, q, ilen, label, q);
        break;
    case TS_FMT_SRT: /* SRT has no comment syntax for a header */
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, line, col,
                    "%s '%.*s'; name its role with --roles %s%.*s=professional%s (or =client, =other)",
                    pre, ilen, label, q, ilen, label, q);
        break;
    case TS_FMT_JSONL:
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, line, col,
                    "%s '%.*s'; give the line a \"role\" field or name its role with "
                    "--roles %s%.*s=professional%s (or =client, =other)",
                    pre, ilen, label, q, ilen, label, q);
        break;
    default:
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, line, col,
                    "%s '%.*s'; name its role with a header line '# rollen: %.*s=professional' "
                    "or --roles %s%.*s=professional%s (or =client, =other)",
                    pre, ilen, label, ilen, label, q, ilen, label, q);
        break;
    }
}

void rd_roles_line(ts_reader *r, const char *spec, size_t len,
                   unsigned long line, unsigned long col)
{
    char *s = ts_strndup(spec, len), *err = NULL;
    if (ts_rolemap_add_spec(r->roles, s, &err) != 0)
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, line, col, "bad role header: %s", err);
    free(err);
    free(s);
}

unsigned long rd_col(const char *s, size_t off)
{
    unsigned long col = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) col++;
    return col;
}

/* ---- bytes and lines ---------------------------------------------------- */

/* Makes the next bytes available in win[wpos..wlen). Returns 0 at the end. */
static int refill(ts_reader *r)
{
    if (r->mem) {
        if (r->mem_done) return 0;
        r->mem_done = 1;
        r->win = r->mem;
        r->wlen = r->mem_len;
        r->wpos = 0;
        return r->wlen > 0;
    }
    if (!r->fp || r->eof) return 0;
    size_t n = fread(r->chunk, 1, RD_CHUNK, r->fp);
    if (n == 0) {
        if (ferror(r->fp))
            ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno + 1, 1,
                        "read error: %s; the rest of the file is not read", strerror(errno));
        r->eof = 1;
        return 0;
    }
    r->win = r->chunk;
    r->wlen = n;
    r->wpos = 0;
    return 1;
}

/* Reads one line's bytes into r->raw. Returns 0 at end of input. */
static int raw_line(ts_reader *r)
{
    int got = 0;
    ts_buf_reset(&r->raw);
    r->ln_too_long = 0;
    for (;;) {
        if (r->wpos == r->wlen && !refill(r)) break;
        if (r->skip_lf) {
            r->skip_lf = 0;
            if (r->win[r->wpos] == '\n') { r->wpos++; r->bytes++; continue; }
        }
        got = 1;
        const char *s = r->win + r->wpos;
        size_t avail = r->wlen - r->wpos, n = 0;
        while (n < avail && s[n] != '\n' && s[n] != '\r') n++;
        size_t room = r->max_line - r->raw.len;
        if (n > room) r->ln_too_long = 1;
        ts_buf_put(&r->raw, s, n < room ? n : room);
        r->wpos += n;
        r->bytes += n;
        if (n < avail) {
            r->skip_lf = s[n] == '\r';
            r->wpos++;
            r->bytes++;
            break;
        }
    }
    if (!got) return 0;
    r->lineno++;
    if (r->ln_too_long) {
        /* Cut at a character boundary so the kept prefix does not end in a
         * spurious invalid-UTF-8 warning. */
        size_t k = r->raw.len, back = 0;
        while (k && back < 4 && ((unsigned char)r->raw.p[k - 1] & 0xC0) == 0x80) { k--; back++; }
        if (k && ((unsigned char)r->raw.p[k - 1] & 0x80)) {
            int32_t cp;
            size_t lead = k - 1;
            int n = ts_utf8_decode((unsigned char *)r->raw.p + lead, r->raw.len - lead, &cp);
            if (cp < 0 || (size_t)n != r->raw.len - lead) r->raw.len = lead;
        }
        if (r->raw.p) r->raw.p[r->raw.len] = 0;
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, 1,
                    "line is longer than %zu bytes (TS_MAX_LINE_BYTES); the rest of the line is "
                    "skipped and its turn is not coded", r->max_line);
    }
    return 1;
}

/* Points r->ln at r->raw, or at a copy in r->fix with bad bytes replaced. */
static void repair(ts_reader *r)
{
    const unsigned char *s = (const unsigned char *)r->raw.p;
    size_t n = r->raw.len, i = 0;
    /* A BOM at a line start (files joined with cat) would hide a label. */
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) i = 3;
    size_t start = i;
    unsigned long bad_col = 0, nul_col = 0, col = 1;
    int32_t cp;
    for (; i < n; col++) {
        if (s[i] == 0) { if (!nul_col) nul_col = col; i++; continue; }
        if (s[i] < 0x80) { i++; continue; }
        int k = ts_utf8_decode(s + i, n - i, &cp);
        if (cp < 0 && !bad_col) bad_col = col;
        i += (size_t)k;
    }
    if (!bad_col && !nul_col) {
        r->ln = r->raw.p ? r->raw.p + start : "";
        r->ln_len = n - start;
        return;
    }
    ts_buf_reset(&r->fix);
    for (i = start; i < n;) {
        int k = s[i] ? ts_utf8_decode(s + i, n - i, &cp) : 1;
        if (s[i] == 0 || cp < 0) ts_buf_put(&r->fix, "\xEF\xBF\xBD", 3);
        else ts_buf_put(&r->fix, s + i, (size_t)k);
        i += (size_t)k;
    }
    if (bad_col)
        ts_diag_add(r->diags, TS_SEV_WARNING, r->name, r->lineno, bad_col,
                    "invalid UTF-8 replaced by U+FFFD");
    if (nul_col)
        ts_diag_add(r->diags, TS_SEV_WARNING, r->name, r->lineno, nul_col,
                    "NUL byte replaced by U+FFFD");
    r->ln = r->fix.p;
    r->ln_len = r->fix.len;
}

int rd_line(ts_reader *r)
{
    if (r->pushed_back) {
        r->pushed_back = 0;
        return 1;
    }
    if (!raw_line(r)) {
        r->ln = "";
        r->ln_len = 0;
        return 0;
    }
    repair(r);
    return 1;
}

void rd_unread(ts_reader *r) { r->pushed_back = 1; }

/* ---- the turn being built ------------------------------------------------ */

void rd_turn_begin(ts_reader *r, const char *speaker, size_t len, ts_role role,
                   unsigned long line, int failed)
{
    rd_turn *c = &r->cur;
    free(c->speaker);
    free(c->key);
    c->speaker = ts_strndup(speaker, len);
    c->key = rd_fold(speaker, len);
    c->role = role;
    ts_buf_reset(&c->text);
    c->start = c->end = -1;
    c->line = line;
    c->failed = failed;
    c->open = 1;
}

void rd_turn_append(ts_reader *r, const char *s, size_t len)
{
    rd_turn *c = &r->cur;
    trim(&s, &len);
    if (!c->open || c->failed || !len) return;
    size_t need = c->text.len + (c->text.len ? 1 : 0) + len;
    if (need > r->max_turn) {
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, c->line, 1,
                    "turn is longer than %zu bytes (TS_MAX_TURN_BYTES); it is not coded", r->max_turn);
        c->failed = 1;
        ts_buf_free(&c->text); /* give the memory back now, not at the turn's end */
        return;
    }
    if (c->text.len) ts_buf_putc(&c->text, ' ');
    ts_buf_put(&c->text, s, len);
}

void rd_turn_fail(ts_reader *r) { r->cur.failed = 1; }

int rd_turn_finish(ts_reader *r, ts_turn *t)
{
    rd_turn *c = &r->cur;
    int ok = 0;
    if (!c->open) return 0;
    if (c->failed) {
        r->failed++;
        goto cleanup;
    }
    t->speaker = c->speaker;
    c->speaker = NULL;
    t->role = c->role;
    t->text_len = c->text.len;
    t->text = ts_buf_detach(&c->text);
    t->start = c->start;
    t->end = c->end;
    t->line = c->line;
    t->extra_json = NULL;
    ok = 1;
cleanup:
    free(c->speaker);
    free(c->key);
    c->speaker = c->key = NULL;
    ts_buf_reset(&c->text);
    c->open = c->failed = 0;
    return ok;
}

/* ---- opening ---------------------------------------------------------- */

static ts_format by_extension(const char *name)
{
    const char *dot = strrchr(name, '.'), *slash = strrchr(name, '/');
    if (!dot || (slash && slash > dot)) return TS_FMT_AUTO;
    dot++;
    if (ts_strcaseeq(dot, "txt")) return TS_FMT_TXT;
    if (ts_strcaseeq(dot, "jsonl") || ts_strcaseeq(dot, "ndjson")) return TS_FMT_JSONL;
    if (ts_strcaseeq(dot, "vtt")) return TS_FMT_VTT;
    if (ts_strcaseeq(dot, "srt")) return TS_FMT_SRT;
    return TS_FMT_AUTO;
}

/* Guesses the format from the start of the input: WEBVTT -> vtt; '{' ->
 * jsonl; a number line, then a timing line -> srt; else txt. */
static ts_format sniff(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (is_space(s[i]) || s[i] == '\r' || s[i] == '\n')) i++;
    if (n - i >= 6 && memcmp(s + i, "WEBVTT", 6) == 0) return TS_FMT_VTT;
    if (i < n && s[i] == '{') return TS_FMT_JSONL;
    size_t a = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i == a) return TS_FMT_TXT;
    while (i < n && is_space(s[i])) i++;
    if (i < n && s[i] == '\r') i++;
    if (i < n && s[i] == '\n') i++;
    else return TS_FMT_TXT;
    size_t b = i;
    while (i < n && s[i] != '\n' && s[i] != '\r') i++;
    double st, en;
    size_t bad;
    return rd_parse_timing(s + b, i - b, &st, &en, &bad) == 0 ? TS_FMT_SRT : TS_FMT_TXT;
}

static ts_reader *reader_new(const char *name, const ts_rolemap *roles, ts_diags *diags)
{
    ts_reader *r = ts_xcalloc(1, sizeof *r);
    r->name = ts_strdup(name ? name : "<input>");
    r->roles = ts_rolemap_copy(roles);
    r->diags = diags ? diags : &r->own_diags;
    r->max_line = TS_MAX_LINE_BYTES;
    r->max_turn = TS_MAX_TURN_BYTES;
    r->cur.start = r->cur.end = -1;
    return r;
}

/* Reads the first bytes, refuses UTF-16/32, drops a BOM, picks the format. */
static int reader_start(ts_reader *r, ts_format fmt)
{
    int rc = -1;
    refill(r);
    const unsigned char *s = (const unsigned char *)r->win;
    size_t n = r->wlen;
    const char *enc = NULL;
    if (n >= 4 && ((s[0] == 0xFF && s[1] == 0xFE && !s[2] && !s[3]) ||
                   (!s[0] && !s[1] && s[2] == 0xFE && s[3] == 0xFF)))
        enc = "UTF-32";
    else if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        enc = "UTF-16";
    else if (n >= 4 && ((s[0] && !s[1] && s[2] && !s[3]) || (!s[0] && s[1] && !s[2] && s[3])))
        enc = "UTF-16"; /* no BOM, but ASCII with a zero byte between letters */
    if (enc) {
        int real = strcmp(r->name, "<stdin>") != 0 && strcmp(r->name, "<input>") != 0;
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, 1, 1,
                    "file is %s; convert it with: iconv -f %s -t UTF-8 %s > out.txt", enc, enc,
                    real ? r->name : "FILE");
        goto cleanup;
    }
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
        r->wpos = 3;
        r->bytes = 3;
    }
    if (fmt == TS_FMT_AUTO) fmt = by_extension(r->name);
    if (fmt == TS_FMT_AUTO) fmt = sniff(r->win + r->wpos, r->wlen - r->wpos);
    r->fmt = fmt;
    rc = 0;
cleanup:
    return rc;
}

int ts_reader_open(ts_reader **out, const char *path, ts_format fmt,
                   const ts_rolemap *roles, ts_diags *diags)
{
    ts_reader *r = NULL;
    int rc = -1, is_stdin = path && strcmp(path, "-") == 0;
    struct stat st;
    if (out) *out = NULL;
    if (!out || !path) goto cleanup;
    r = reader_new(is_stdin ? "<stdin>" : path, roles, diags);
    if (is_stdin) {
        r->fp = stdin;
    } else {
        r->fp = fopen(path, "rb");
        if (!r->fp) {
            ts_diag_add(r->diags, TS_SEV_ERROR, path, 0, 0, "cannot open: %s", strerror(errno));
            goto cleanup;
        }
        r->own_fp = 1;
        if (fstat(fileno(r->fp), &st) == 0 && S_ISDIR(st.st_mode)) {
            ts_diag_add(r->diags, TS_SEV_ERROR, path, 0, 0, "cannot read: is a directory");
            goto cleanup;
        }
    }
    r->chunk = ts_xmalloc(RD_CHUNK);
    if (reader_start(r, fmt) != 0) goto cleanup;
    *out = r;
    r = NULL;
    rc = 0;
cleanup:
    ts_reader_free(r);
    return rc;
}

int ts_reader_open_mem(ts_reader **out, const char *name, const char *data,
                       size_t len, ts_format fmt, const ts_rolemap *roles,
                       ts_diags *diags)
{
    ts_reader *r = NULL;
    int rc = -1;
    if (out) *out = NULL;
    if (!out || (!data && len)) goto cleanup;
    r = reader_new(name, roles, diags);
    r->mem = data ? data : "";
    r->mem_len = len;
    if (reader_start(r, fmt) != 0) goto cleanup;
    *out = r;
    r = NULL;
    rc = 0;
cleanup:
    ts_reader_free(r);
    return rc;
}

/* At the end of the input (once): a note per unknown label whose repeats
 * were counted but not listed. */
static void unknown_summary(ts_reader *r)
{
    for (size_t i = 0; i < r->nunk; i++) {
        if (r->unk[i].quiet)
            ts_diag_add(r->diags, TS_SEV_NOTE, r->name, 0, 0,
                        "%zu more turns of unknown speaker label '%s' were skipped (errors counted, not listed)",
                        r->unk[i].quiet, r->unk[i].label);
        r->unk[i].quiet = 0;
    }
}

int ts_reader_next(ts_reader *r, ts_turn *t)
{
    if (!t) return 0;
    ts_turn_clear(t);
    t->start = t->end = -1;
    if (!r) return 0;
    int rc;
    switch (r->fmt) {
    case TS_FMT_JSONL: rc = rd_jsonl_next(r, t); break;
    case TS_FMT_VTT:
    case TS_FMT_SRT: rc = rd_vtt_next(r, t); break;
    default: rc = rd_txt_next(r, t); break;
    }
    if (rc <= 0) unknown_summary(r);
    return rc;
}

ts_format ts_reader_format(const ts_reader *r) { return r ? r->fmt : TS_FMT_AUTO; }
const char *ts_reader_name(const ts_reader *r) { return r ? r->name : NULL; }
const char *ts_reader_meta_json(const ts_reader *r) { return r ? r->meta_json : NULL; }
size_t ts_reader_failed_turns(const ts_reader *r) { return r ? r->failed : 0; }
size_t ts_reader_bytes(const ts_reader *r) { return r ? r->bytes : 0; }

void ts_reader_set_limits(ts_reader *r, size_t max_line, size_t max_turn)
{
    if (!r) return;
    if (max_line) r->max_line = max_line;
    if (max_turn) r->max_turn = max_turn;
}

void ts_reader_free(ts_reader *r)
{
    if (!r) return;
    unknown_summary(r);
    for (size_t i = 0; i < r->nunk; i++) free(r->unk[i].label);
    free(r->unk);
    if (r->fp && r->own_fp) fclose(r->fp);
    free(r->chunk);
    free(r->name);
    ts_rolemap_free(r->roles);
    ts_buf_free(&r->raw);
    ts_buf_free(&r->fix);
    free(r->cur.speaker);
    free(r->cur.key);
    ts_buf_free(&r->cur.text);
    free(r->meta_json);
    for (size_t i = r->qhead; i < r->qn; i++) {
        free(r->q[i].speaker);
        free(r->q[i].text);
    }
    free(r->q);
    ts_buf_free(&r->cue);
    ts_diag_clear(&r->own_diags);
    free(r);
}
