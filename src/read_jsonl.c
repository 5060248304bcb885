/* read_jsonl.c - JSON Lines: one turn object per line.
 *
 *     {"type":"meta","title":"Gamen","setting":"coaching"}
 *     {"speaker":"Marieke","role":"professional","text":"Hoi Daan.","start":0,"end":2.5}
 *     {"speaker":"Daan","text":"Hoi.","gold":["question.open"]}
 *
 * "text" is required (it may be ""); "role" may be left out when the speaker
 * label has a role (built-in, --roles), and "speaker" when the role is given
 * (the speaker is then the role's name). "start"/"end" are seconds. Other
 * fields are not ours to judge: they travel along, in order, as
 * turn->extra_json, so gold annotations reach the scorer untouched. A
 * {"type":"meta"} line is session metadata, not a turn.
 *
 * A bad line is one failed turn, reported with file:line; reading goes on
 * with the next line.
 */
#include "read_internal.h"
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *type_name(const cJSON *v)
{
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "true/false";
    if (cJSON_IsNull(v)) return "null";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    return "invalid";
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

/* cJSON ends a string at a "\u0000" escape, which would silently cut the
 * text; like a raw NUL byte it becomes U+FFFD, with a warning. Returns the
 * line to parse: r->ln, or a repaired copy in r->cue. */
static const char *nul_escapes(ts_reader *r)
{
    const char *s = r->ln, *hit = NULL;
    size_t n = r->ln_len;
    for (size_t i = 0; i + 6 <= n; i++) {
        if (s[i] != '\\') continue;
        if (memcmp(s + i + 1, "u0000", 5) == 0) {
            if (!hit) {
                ts_buf_reset(&r->cue);
                ts_buf_put(&r->cue, s, n);
                ts_diag_add(r->diags, TS_SEV_WARNING, r->name, r->lineno, rd_col(s, i),
                            "\\u0000 (NUL) replaced by U+FFFD");
            }
            hit = s;
            memcpy(r->cue.p + i + 1, "uFFFD", 5);
        }
        i++; /* skip the escaped character, so "\\\\u0000" is left alone */
    }
    return hit ? r->cue.p : s;
}

/* Does the line end inside a string, object or array? cJSON reports an
 * early end at the last byte, which would blame an innocent character. */
static int unclosed(const char *s, size_t n)
{
    int in_str = 0;
    long depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (in_str) {
            if (s[i] == '\\') i++;
            else if (s[i] == '"') in_str = 0;
        } else if (s[i] == '"') {
            in_str = 1;
        } else if (s[i] == '{' || s[i] == '[') {
            depth++;
        } else if (s[i] == '}' || s[i] == ']') {
            depth--;
        }
    }
    return in_str || depth > 0;
}

/* Says what is wrong with a line cJSON refused; off is where it stopped. */
static void bad_json(ts_reader *r, size_t off)
{
    const char *s = r->ln;
    size_t n = r->ln_len, i = 0;
    while (i < n && is_ws(s[i])) i++;
    if (s[i] != '{' && s[i] != '[') {
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, rd_col(s, i),
                    "invalid JSON: a line must be one JSON object such as "
                    "{\"speaker\": \"T\", \"text\": \"...\"}");
        return;
    }
    size_t e = n;
    while (e > off && is_ws(s[e - 1])) e--;
    if (off >= e || (off + 1 >= e && unclosed(s, n))) {
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, rd_col(s, n),
                    "invalid JSON: the line ends inside the object (an unclosed string, "
                    "or a missing '}' or ']')");
        return;
    }
    if (s[off] == '\\') {
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, rd_col(s, off),
                    "invalid JSON: bad escape in a string (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r "
                    "\\t and \\uXXXX, without lone surrogates \\uD800-\\uDFFF)");
        return;
    }
    int32_t cp;
    int k = ts_utf8_decode((const unsigned char *)s + off, n - off, &cp);
    ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, rd_col(s, off),
                "invalid JSON: unexpected '%.*s' (a missing comma or quote, or a trailing comma?)",
                k, s + off);
}

static int is_turn_field(const char *k)
{
    return !strcmp(k, "speaker") || !strcmp(k, "role") || !strcmp(k, "text") ||
           !strcmp(k, "start") || !strcmp(k, "end");
}

/* A time field: absent or null is unknown (-1). Returns -1 on a bad one. */
static int get_time(ts_reader *r, const cJSON *o, const char *key, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = -1;
    if (!v || cJSON_IsNull(v)) return 0;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 0) {
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, 1,
                    "\"%s\" must be a number of seconds >= 0, not %s", key,
                    !cJSON_IsNumber(v) ? type_name(v)
                    : v->valuedouble < 0 ? "a negative number" : "an out-of-range number");
        return -1;
    }
    *out = v->valuedouble;
    return 0;
}

/* A string field: absent, null or "" gives NULL. Returns -1 on a bad one. */
static int get_str(ts_reader *r, const cJSON *o, const char *key, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    *out = NULL;
    if (!v || cJSON_IsNull(v)) return 0;
    if (!cJSON_IsString(v)) {
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, 1, "\"%s\" must be a string, not %s",
                    key, type_name(v));
        return -1;
    }
    if (v->valuestring[0]) *out = v->valuestring;
    return 0;
}

/* Returns 1 for a turn in *t, 0 for a meta line, -1 for a reported error. */
static int one_line(ts_reader *r, ts_turn *t)
{
    int rc = -1;
    const char *end = NULL, *speaker, *rolestr;
    const char *ln = nul_escapes(r);
    cJSON *o = cJSON_ParseWithLengthOpts(ln, r->ln_len, &end, 0), *extra = NULL;
    ts_role role = TS_ROLE_UNKNOWN;
    double start, stop;

    if (!o) {
        bad_json(r, end ? (size_t)(end - ln) : 0);
        goto cleanup;
    }
    for (size_t i = (size_t)(end - ln); i < r->ln_len; i++)
        if (!is_ws(r->ln[i])) {
            ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, rd_col(r->ln, i),
                        "invalid JSON: text after the object; put one object on each line");
            goto cleanup;
        }
    if (!cJSON_IsObject(o)) {
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, 1,
                    "a line must be a JSON object (one turn), not %s", type_name(o));
        goto cleanup;
    }

    const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");
    if (cJSON_IsString(type) && strcmp(type->valuestring, "meta") == 0) {
        if (r->meta_json) {
            ts_diag_add(r->diags, TS_SEV_WARNING, r->name, r->lineno, 1,
                        "second \"meta\" line ignored; the first one is kept");
        } else {
            char *js = cJSON_PrintUnformatted(o);
            r->meta_json = ts_strdup(js ? js : "{}");
            cJSON_free(js);
        }
        rc = 0;
        goto cleanup;
    }

    const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "text");
    if (!text) {
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, 1,
                    "missing \"text\"; a turn needs {\"speaker\": ..., \"text\": ...}");
        goto cleanup;
    }
    if (!cJSON_IsString(text)) {
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, 1, "\"text\" must be a string, not %s",
                    type_name(text));
        goto cleanup;
    }
    if (get_str(r, o, "speaker", &speaker) || get_str(r, o, "role", &rolestr) ||
        get_time(r, o, "start", &start) || get_time(r, o, "end", &stop))
        goto cleanup;
    if (rolestr && ts_role_parse(rolestr, &role) != 0) {
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, 1,
                    "unknown role '%s'; use professional, client or other", rolestr);
        goto cleanup;
    }
    if (!rolestr) {
        if (!speaker) {
            ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, 1,
                        "turn has neither \"speaker\" nor \"role\"");
            goto cleanup;
        }
        if (ts_rolemap_lookup(r->roles, speaker, &role) != 0) {
            rd_unknown_label(r, r->lineno, 1, speaker, strlen(speaker));
            goto cleanup;
        }
    }
    size_t tlen = strlen(text->valuestring);
    if (tlen > r->max_turn) {
        ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, 1,
                    "turn is longer than %zu bytes (TS_MAX_TURN_BYTES); it is not coded", r->max_turn);
        goto cleanup;
    }

    /* Move the fields we do not know into extra, keeping their order. */
    for (cJSON *it = o->child, *next; it; it = next) {
        next = it->next;
        if (!it->string || is_turn_field(it->string)) continue;
        if (!extra) extra = cJSON_CreateObject();
        cJSON_DetachItemViaPointer(o, it);
        if (!cJSON_AddItemToObject(extra, it->string, it)) cJSON_Delete(it); /* OOM */
    }
    if (extra) {
        char *js = cJSON_PrintUnformatted(extra);
        t->extra_json = ts_strdup(js ? js : "{}");
        cJSON_free(js);
    }
    t->speaker = ts_strdup(speaker ? speaker : ts_role_name(role));
    t->role = role;
    t->text = ts_strndup(text->valuestring, tlen);
    t->text_len = tlen;
    t->start = start;
    t->end = stop;
    t->line = r->lineno;
    rc = 1;
cleanup:
    cJSON_Delete(extra);
    cJSON_Delete(o);
    return rc;
}

int rd_jsonl_next(ts_reader *r, ts_turn *t)
{
    while (rd_line(r)) {
        size_t i = 0;
        if (r->ln_too_long) { /* reported by rd_line */
            r->failed++;
            continue;
        }
        while (i < r->ln_len && is_ws(r->ln[i])) i++;
        if (i == r->ln_len) continue;
        int rc = one_line(r, t);
        if (rc == 1) return 1;
        if (rc < 0) r->failed++;
    }
    return 0;
}
