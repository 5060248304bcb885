/* read_txt.c - plain-text transcripts: "Label: text", one turn per label.
 *
 *     # rollen: Marieke=professional, Daan=client
 *     Marieke: Wat brengt je hier?
 *     Daan: Mijn vriendin vindt dat ik te veel game.
 *     Het is vooral 's nachts.          <- continues Daan's turn
 *
 * A label line always starts a new turn, even for the same speaker; lines
 * without a label continue the turn (joined with one space); blank lines
 * and '#' lines are skipped, except a "# rollen:"/"# roles:" line, which
 * names the roles of further labels.
 *
 * The hard part is telling a label from prose that happens to contain a
 * colon. A known label (built-in, --roles, "# rollen:") is always a label.
 * An unknown prefix is reported as an unknown label only when it looks like
 * a name: one word at the very start of the line, capitalised, letters and
 * digits only ("Sanne:", "SPEAKER_00:"), a space or the line end after the
 * colon, and not a Dutch word that opens a sentence ("Dus: ...", "Tip:
 * ..."). Everything else ("Om 10:30 ...", "Wat ik bedoel: ...",
 * "http://...") is text. Guessing wrong the other way would silently glue a
 * new speaker's words onto the previous turn, which is why a lone
 * capitalised word is an error and not text.
 */
#include "read_internal.h"
#include "limits.h"
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f'; }

/* Words that open a sentence with a colon ("Dus: ...") rather than name a
 * speaker; folded (see rd_fold). */
static const char *const prose_words[] = {
    "aantekening", "actie", "advies", "afspraak", "afspraken", "antwoord", "bijvoorbeeld",
    "conclusie", "daarna", "dan", "dat", "datum", "de", "die", "dit", "doel", "dus", "echt",
    "eerst", "eigenlijk", "eh", "ehm", "en", "goed", "het", "hij", "hm", "hmm", "hoe",
    "huiswerk", "ik", "inderdaad", "ja", "je", "jij", "jullie", "kijk", "klopt", "kortom",
    "let", "luister", "maar", "mijn", "namelijk", "nb", "nee", "no", "note", "notitie", "nou",
    "nu", "ofwel", "oftewel", "ok", "oke", "okay", "onderwerp", "opdracht", "opmerking",
    "oplossing", "overigens", "plaats", "precies", "probleem", "ps", "punt", "reden",
    "resultaat", "samenvatting", "so", "stap", "tijd", "tip", "tja", "toen", "trouwens",
    "tussendoor", "u", "uh", "uitleg", "vraag", "voorbeeld", "waar", "waarom", "wanneer",
    "want", "wat", "we", "well", "wie", "wij", "yes", "ze", "zie", "zij", "zo",
};

static int is_prose_word(const char *s, size_t len)
{
    char *k = rd_fold(s, len);
    int hit = 0;
    for (size_t i = 0; i < sizeof prose_words / sizeof prose_words[0] && !hit; i++)
        hit = strcmp(k, prose_words[i]) == 0;
    free(k);
    return hit;
}

/* One capitalised word of letters, marks, digits, '_', '-' or '\''. */
static int looks_like_name(const char *s, size_t len)
{
    size_t i = 0;
    int first = 1;
    while (i < len) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) return 0;
        utf8proc_category_t c = utf8proc_category(cp);
        if (first) {
            if (c != UTF8PROC_CATEGORY_LU && c != UTF8PROC_CATEGORY_LT) return 0;
            first = 0;
        } else if (!(c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO) && cp != '_' &&
                   cp != '-' && cp != '\'') {
            /* letters, combining marks (a decomposed "ë") and digits */
            return 0;
        }
        i += (size_t)k;
    }
    return !first;
}

/* Length of the white-space character at s[0..n): an ASCII one, or a
 * Unicode space separator such as the no-break space that Word and Teams
 * put after "Naam:"; 0 if there is none. */
static size_t space_len(const char *s, size_t n)
{
    if (!n) return 0;
    if (is_space(s[0])) return 1;
    if ((unsigned char)s[0] < 0x80) return 0;
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &cp);
    return k > 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_ZS ? (size_t)k : 0;
}

rd_label_kind rd_label(const ts_reader *r, const char *s, size_t len,
                       size_t *lab_off, size_t *lab_len, size_t *text_off,
                       ts_role *role)
{
    size_t i = 0, lws, j, plen, words = 0;
    while (i < len && is_space(s[i])) i++;
    lws = i;
    /* Labels are short: stop looking for the colon soon after the limit. */
    for (j = lws; j < len && s[j] != ':' && j - lws <= TS_MAX_LABEL_BYTES + 4; j++) {}
    if (j >= len || s[j] != ':') return RD_LABEL_NONE;
    plen = j - lws;
    while (plen && is_space(s[lws + plen - 1])) plen--;
    if (!plen || plen > TS_MAX_LABEL_BYTES) return RD_LABEL_NONE;
    for (size_t k = 0; k < plen; k++)
        if (!is_space(s[lws + k]) && (k == 0 || is_space(s[lws + k - 1]))) words++;
    if (words > 3) return RD_LABEL_NONE;

    size_t after = j + 1;
    int space_after = after == len || space_len(s + after, len - after);
    *lab_off = lws;
    *lab_len = plen;
    for (size_t k; after < len && (k = space_len(s + after, len - after));) after += k;
    *text_off = after;

    /* "C:\Users" and "http://" are not a turn of C or of http. */
    int path_after = !space_after && (s[j + 1] == '/' || s[j + 1] == '\\');
    int known = !path_after && rd_rolemap_lookup_n(r->roles, s + lws, plen, role) == 0;
    if (known) return RD_LABEL_KNOWN;
    if (lws == 0 && space_after && words == 1 && looks_like_name(s, plen) && !is_prose_word(s, plen))
        return RD_LABEL_UNKNOWN;
    return RD_LABEL_NONE;
}

int rd_roles_comment(ts_reader *r, const char *s, size_t len, size_t off)
{
    size_t i = 0;
    while (i < len && is_space(s[i])) i++;
    size_t w = i;
    while (i < len && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'))) i++;
    char word[8] = {0};
    if (i - w < 5 || i - w > 6) return 0;
    memcpy(word, s + w, i - w);
    if (!ts_strcaseeq(word, "rollen") && !ts_strcaseeq(word, "roles")) return 0;
    while (i < len && is_space(s[i])) i++;
    if (i >= len || s[i] != ':') return 0;
    for (i++; i < len && is_space(s[i]); i++) {}
    rd_roles_line(r, s + i, len - i, r->lineno, rd_col(r->ln, off + i));
    return 1;
}

int rd_txt_next(ts_reader *r, ts_turn *t)
{
    for (;;) {
        if (!rd_line(r)) {
            if (r->cur.open && rd_turn_finish(r, t)) return 1;
            return 0; /* a failed last turn was counted by rd_turn_finish */
        }
        const char *s = r->ln;
        size_t n = r->ln_len, i = 0, lo, ll, to;
        ts_role role = TS_ROLE_UNKNOWN;
        while (i < n && is_space(s[i])) i++;
        if (!r->ln_too_long) {
            if (i == n) continue; /* blank lines do not end a turn */
            if (s[i] == '#') {
                rd_roles_comment(r, s + i + 1, n - i - 1, i + 1);
                continue;
            }
        }
        rd_label_kind k = rd_label(r, s, n, &lo, &ll, &to, &role);
        if (k != RD_LABEL_NONE) {
            if (r->cur.open) {
                /* The label starts the next turn: finish this one first. */
                rd_unread(r);
                if (rd_turn_finish(r, t)) return 1;
                continue;
            }
            if (k == RD_LABEL_UNKNOWN) rd_unknown_label(r, r->lineno, rd_col(s, lo), s + lo, ll);
            rd_turn_begin(r, s + lo, ll, role, r->lineno, k == RD_LABEL_UNKNOWN);
            if (r->ln_too_long) rd_turn_fail(r);
            rd_turn_append(r, s + to, n - to);
            continue;
        }
        if (!r->cur.open) {
            /* Only before the first label: a label line is always read again
             * at the start of the next call, so a turn is open after it. */
            ts_diag_add(r->diags, TS_SEV_ERROR, r->name, r->lineno, rd_col(s, i),
                        "text before the first speaker label; start the turn with a label "
                        "such as 'T: ' or 'C: '");
            rd_turn_begin(r, "", 0, TS_ROLE_UNKNOWN, r->lineno, 1);
        }
        if (r->ln_too_long) rd_turn_fail(r);
        rd_turn_append(r, s, n);
    }
}
