/* check_report.c - the HTML feedback report (`taalspel report`).
 *
 * Most cases use a small rule set written here, so they do not move when
 * the Dutch rule pack improves; the sample session is reported with the
 * real pack (rules/nl) to check that every section is there. */
#include "report.h"
#include "rules.h"
#include "testutil.h"
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char mini_rules[] =
    "version test-1.0\n"
    "code question.open\n  role professional\n  explain Open vraag: nodigt uit om te vertellen.\n"
    "code question.closed\n  role professional\n  explain Gesloten vraag: vraagt om ja of nee.\n"
    "code question.why\n  role professional\n  explain Waarom-vraag: vraagt om verantwoording.\n"
    "code reflection.complex\n  role professional\n  explain Complexe reflectie: voegt betekenis toe.\n"
    "code change_talk.desire\n  role client\n  explain Verandertaal, wens: wil veranderen.\n"
    "code sustain_talk.desire\n  role client\n  explain Behoudtaal, wens: wil het oude.\n"
    "code sf.miracle\n  role professional\n  explain Wondervraag: stel dat het probleem weg is.\n"
    "code scale.answer\n  role client\n  explain Schaalantwoord: het cijfer.\n"
    "rule open\n  code question.open\n  match ^ (wat | hoe)\n  final ?\n"
    "  explain Begint met wat of hoe.\n  tip Wissel vragen af met reflecties.\n"
    "rule closed\n  code question.closed\n  match ^ (heb | ben | wil) (je | jij)\n  final ?\n"
    "  explain Een ja/nee-vraag.\n"
    "rule why\n  code question.why\n  match ^ waarom\n  explain Begint met waarom.\n"
    "  tip Vraag liever: wat maakt dat.\n"
    "rule refl\n  code reflection.complex\n  match ^ je (wilt | vindt)\n  explain Een je-zin die iets toevoegt.\n"
    "rule ct\n  code change_talk.desire\n  match ik wil\n  explain Ik wil.\n"
    "rule st\n  code sustain_talk.desire\n  match ik hoef niet\n  explain Ik hoef niet.\n"
    "rule mir\n  code sf.miracle\n  match ^ stel dat\n  explain Stel dat.\n"
    "rule scale\n  code scale.answer\n  match ^ <num>\n  value number range 0 10\n  explain Een cijfer.\n";

static ts_ruleset *mini(void)
{
    ts_diags d = {0};
    ts_ruleset *rs = NULL;
    int rc = ts_rules_load_text(&rs, "mini.rules", mini_rules, strlen(mini_rules), &d);
    char *msg = tu_diag_text(&d);
    ck_assert_msg(rc == 0 && rs, "mini rules do not compile:\n%s", msg);
    free(msg);
    ts_diag_clear(&d);
    return rs;
}

static char *src_path(const char *rel)
{
    const char *top = getenv("TS_SRCDIR");
    return ts_strdupf("%s/%s", top ? top : ".", rel);
}

/* Reports one or two transcripts given as text (name: its file name, which
 * decides the format). Returns the page; *rc gets ts_report's status. */
static char *report2(const ts_ruleset *rs, const char *name1, const char *text1, const char *name2,
                     const char *text2, int *rc)
{
    char *p1 = tu_tempfile(name1, text1, strlen(text1));
    char *p2 = name2 ? tu_tempfile(name2, text2, strlen(text2)) : NULL;
    ck_assert_ptr_nonnull(p1);
    const char *files[2] = {p1, p2};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ts_diags d = {0};
    ts_pipe_opts po = {TS_FMT_AUTO, NULL};
    int r = ts_report(rs, files, name2 ? 2 : 1, &po, f, &d);
    fclose(f);
    if (rc) *rc = r;
    ts_diag_clear(&d);
    tu_tempfile_remove(p1);
    tu_tempfile_remove(p2);
    return buf;
}

static char *report1(const ts_ruleset *rs, const char *name, const char *text, int *rc)
{
    return report2(rs, name, text, NULL, NULL, rc);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

/* The part of the page from the element with this id to the end of that
 * section (or of the page), for asserting inside one section. Caller frees. */
static char *section(const char *html, const char *id)
{
    char key[64];
    snprintf(key, sizeof key, "id=\"%s\"", id);
    const char *b = strstr(html, key);
    if (!b) return ts_strdup("");
    const char *e = strstr(b, "</section>");
    return e ? ts_strndup(b, (size_t)(e - b)) : ts_strdup(b);
}

/* One key-figure card (id m-0 .. m-4). Caller frees. */
static char *card(const char *html, int i)
{
    char key[32];
    snprintf(key, sizeof key, "id=\"m-%d\"", i);
    const char *b = strstr(html, key);
    if (!b) return ts_strdup("");
    const char *e = strstr(b, "</p></div>");
    return e ? ts_strndup(b, (size_t)(e - b)) : ts_strdup(b);
}

#define ck_has(html, s) ck_assert_msg(strstr((html), (s)) != NULL, "page lacks: %s", (s))
#define ck_lacks(html, s) ck_assert_msg(strstr((html), (s)) == NULL, "page must not contain: %s", (s))

/* Every element we open is closed: a cheap well-formedness check. */
static void ck_balanced(const char *html)
{
    static const char *const tags[][2] = {{"<section", "</section>"}, {"<article", "</article>"}, {"<mark", "</mark>"},
                                          {"<button", "</button>"}, {"<svg", "</svg>"}, {"<blockquote", "</blockquote>"},
                                          {"<table", "</table>"}, {"<script>", "</script>"}, {"<style>", "</style>"}};
    for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
        ck_assert_msg(count(html, tags[i][0]) == count(html, tags[i][1]), "%s opened %zu times, closed %zu times",
                      tags[i][0], count(html, tags[i][0]), count(html, tags[i][1]));
}

static void ck_all_sections(const char *html)
{
    static const char *const ids[] = {"id=\"kop\"", "id=\"kerncijfers\"", "id=\"punten\"", "id=\"tijdlijn\"",
                                      "id=\"profiel\"", "id=\"transcript\"", "id=\"voet\"", NULL};
    for (int i = 0; ids[i]; i++) ck_has(html, ids[i]);
    for (int i = 0; i < 5; i++) {
        char id[16];
        snprintf(id, sizeof id, "id=\"m-%d\"", i);
        ck_has(html, id);
    }
    ck_has(html, "geen beoordeling");
    ck_has(html, TS_VERSION);
    ck_has(html, "</html>");
    ck_balanced(html);
}

/* ---- the Content-Security-Policy allows exactly our scripts ---------------- */

/* SHA-256 (FIPS 180-4), small and slow, for the CSP script hashes. */
static void sha256(const unsigned char *msg, size_t len, unsigned char out[32])
{
    static const uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t total = ((len + 9 + 63) / 64) * 64;
    unsigned char *m = calloc(total, 1);
    memcpy(m, msg, len);
    m[len] = 0x80;
    uint64_t bits = (uint64_t)len * 8;
    for (int i = 0; i < 8; i++) m[total - 1 - i] = (unsigned char)(bits >> (8 * i));
#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
    for (size_t off = 0; off < total; off += 64) {
        uint32_t w[64], a[8];
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t)m[off + 4 * i] << 24 | (uint32_t)m[off + 4 * i + 1] << 16 |
                   (uint32_t)m[off + 4 * i + 2] << 8 | m[off + 4 * i + 3];
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        memcpy(a, h, sizeof a);
        for (int i = 0; i < 64; i++) {
            uint32_t t1 = a[7] + (ROR(a[4], 6) ^ ROR(a[4], 11) ^ ROR(a[4], 25)) + ((a[4] & a[5]) ^ (~a[4] & a[6])) + k[i] + w[i];
            uint32_t t2 = (ROR(a[0], 2) ^ ROR(a[0], 13) ^ ROR(a[0], 22)) + ((a[0] & a[1]) ^ (a[0] & a[2]) ^ (a[1] & a[2]));
            memmove(a + 1, a, 7 * sizeof a[0]);
            a[4] += t1;
            a[0] = t1 + t2;
        }
        for (int i = 0; i < 8; i++) h[i] += a[i];
    }
#undef ROR
    free(m);
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 4; j++) out[4 * i + j] = (unsigned char)(h[i] >> (24 - 8 * j));
}

static void base64(const unsigned char *in, size_t n, char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < n ? (uint32_t)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
        out[o++] = tab[v >> 18 & 63];
        out[o++] = tab[v >> 12 & 63];
        out[o++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = 0;
}

START_TEST(test_csp_hashes)
{
    char b64[64];
    unsigned char d[32];
    sha256((const unsigned char *)"abc", 3, d);
    base64(d, 32, b64);
    ck_assert_str_eq(b64, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="); /* FIPS 180-2 example */
    ts_ruleset *rs = mini();
    char *html = report1(rs, "h.txt", "T: Wat wil je?\n", NULL);
    const char *csp = strstr(html, "Content-Security-Policy");
    ck_assert_ptr_nonnull(csp);
    char *csp_line = ts_strndup(csp, (size_t)(strchr(csp, '>') - csp));
    size_t n = 0;
    for (const char *s = strstr(html, "<script>"); s; s = strstr(s + 1, "<script>"), n++) {
        s += strlen("<script>");
        const char *e = strstr(s, "</script>");
        sha256((const unsigned char *)s, (size_t)(e - s), d);
        char want[80] = "'sha256-";
        base64(d, 32, want + strlen(want));
        strcat(want, "'");
        ck_assert_msg(strstr(csp_line, want), "script %zu is not allowed by the CSP; put %s in CSP_SCRIPT_HASHES "
                      "(src/report.c)", n + 1, want);
    }
    ck_assert_uint_eq(n, 2);
    ck_has(csp_line, "default-src 'none'");
    ck_lacks(csp_line, "'unsafe-inline' 'sha"); /* scripts by hash only */
    free(csp_line);
    free(html);
    ts_rules_free(rs);
}
END_TEST

/* ---- escaping ------------------------------------------------------------ */

START_TEST(test_escape_everywhere)
{
    ts_ruleset *rs = mini();
    const char *jsonl =
        "{\"type\":\"meta\",\"title\":\"<script>alert('titel')</script>\",\"date\":\"2026-03-01\\\"><b>\"}\n"
        "{\"speaker\":\"<img src=x onerror=alert(1)>\",\"role\":\"professional\","
        "\"text\":\"Waarom <script>alert(2)</script> doe je dat? \\\"onmouseover=alert(3) x='y' </style> & klaar\"}\n"
        "{\"speaker\":\"Kim\",\"role\":\"client\",\"text\":\"Ik wil </textarea><svg onload=alert(4)> stoppen.\"}\n";
    int rc;
    char *html = report1(rs, "x.jsonl", jsonl, &rc);
    ck_assert_int_eq(rc, 0);
    ck_lacks(html, "<script>alert");
    ck_lacks(html, "<img");
    ck_lacks(html, "<svg onload");
    ck_lacks(html, "</textarea>");
    ck_lacks(html, "\"onmouseover=");
    ck_lacks(html, "01\"><b>");
    ck_assert_uint_eq(count(html, "</style>"), 1);  /* only ours */
    ck_assert_uint_eq(count(html, "<script>"), 2);  /* only ours, */
    ck_assert_uint_eq(count(html, "<script"), 2);   /* and nothing like <script src> */
    ck_has(html, "&lt;script&gt;alert(2)&lt;/script&gt;");
    ck_has(html, "&quot;onmouseover=alert(3) x=&#39;y&#39; &lt;/style&gt; &amp; klaar");
    ck_has(html, "&lt;img src=x onerror=alert(1)&gt;");
    ck_has(html, "<title>Feedbackverslag: &lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt;</title>");
    ck_has(html, "2026-03-01&quot;&gt;&lt;b&gt;");
    /* the coded span is cut out of the escaped text, not the other way round */
    ck_has(html, "<mark class=\"f-why\">Waarom</mark> &lt;script&gt;");
    /* no transcript text in a script block: our scripts are constants */
    for (const char *s = strstr(html, "<script>"); s; s = strstr(s + 1, "<script>")) {
        char *body = ts_strndup(s, (size_t)(strstr(s, "</script>") - s));
        ck_assert_msg(!strstr(body, "alert") && !strstr(body, "Kim"), "transcript text in a script: %s", body);
        free(body);
    }
    ck_all_sections(html);
    free(html);
    ts_rules_free(rs);
}
END_TEST

START_TEST(test_control_bytes)
{
    ts_ruleset *rs = mini();
    const char *jsonl = "{\"speaker\":\"A\\u0001B\",\"role\":\"client\",\"text\":\"een\\u0007twee\\u001bdrie\"}\n";
    char *html = report1(rs, "c.jsonl", jsonl, NULL);
    ck_has(html, "een&#xFFFD;twee&#xFFFD;drie");
    ck_has(html, "A&#xFFFD;B");
    free(html);
    ts_rules_free(rs);
}
END_TEST

/* ---- the page ------------------------------------------------------------ */

START_TEST(test_sample_all_sections)
{
    char *dir = src_path("rules/nl"), *sample = src_path("corpora/sample/sessie.txt");
    const char *dirs[1] = {dir};
    ts_diags d = {0};
    ts_ruleset *rs = NULL;
    ck_assert_msg(ts_rules_load(&rs, dirs, 1, &d) == 0, "rules/nl does not load");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    const char *files[1] = {sample};
    ts_pipe_opts po = {TS_FMT_AUTO, NULL};
    ck_assert_int_eq(ts_report(rs, files, 1, &po, f, &d), 0);
    fclose(f);
    ck_all_sections(buf);
    ck_has(buf, "<h1>sessie</h1>");
    ck_has(buf, "id=\"t42\"");            /* every turn is there */
    ck_lacks(buf, "id=\"t43\"");
    ck_has(buf, "class=\"chip ");         /* codes as chips */
    ck_has(buf, "<mark class=\"f-q\">");  /* and as highlighted spans */
    ck_has(buf, "class=\"pop\"");         /* with the rule's explanation */
    ck_has(buf, "eigenlijk minder gamen");
    if (rs->version) ck_has(buf, rs->version);
    /* self-contained: no request can leave the page */
    ck_lacks(buf, "http://");
    ck_lacks(buf, "https://");
    ck_lacks(buf, " src=");
    ck_lacks(buf, "url(");
    ck_lacks(buf, "@import");
    ck_has(buf, "default-src 'none'");
    free(buf);
    ts_diag_clear(&d);
    ts_rules_free(rs);
    free(dir);
    free(sample);
}
END_TEST

START_TEST(test_empty_transcript)
{
    ts_ruleset *rs = mini();
    int rc;
    char *html = report1(rs, "leeg.txt", "", &rc);
    ck_assert_int_eq(rc, 0);
    ck_all_sections(html);
    ck_has(html, "<h1>leeg</h1>");
    ck_has(html, "Dit transcript bevat geen beurten.");
    ck_has(html, "Geen beurten om te tonen.");
    /* a missing denominator is "–" and explained, never 0 */
    char *rq = card(html, 0);
    ck_assert_msg(strstr(rq, "<div class=\"m-val\">&#8211;</div>"), "R:Q of an empty session: %s", rq);
    ck_has(rq, "Geen vragen gecodeerd");
    ck_lacks(rq, "m-val\">0");
    ck_lacks(rq, "class=\"mk\""); /* no marker on the gauge */
    free(rq);
    ck_lacks(html, "id=\"schaal\"");
    free(html);
    ts_rules_free(rs);
}
END_TEST

START_TEST(test_missing_denominators)
{
    ts_ruleset *rs = mini();
    /* only the client speaks: no questions, no reflections */
    char *html = report1(rs, "c.txt", "C: Ik weet het niet.\nC: Misschien.\n", NULL);
    for (int i = 0; i < 4; i++) {
        char *m = card(html, i);
        ck_assert_msg(strstr(m, "m-val\">&#8211;<"), "m-%d should be '–': %s", i, m);
        ck_assert_msg(strstr(m, "badge lv-none"), "m-%d should have no level: %s", i, m);
        free(m);
    }
    free(html);
    ts_rules_free(rs);
}
END_TEST

START_TEST(test_key_figures_and_levels)
{
    ts_ruleset *rs = mini();
    const char *t = "T: Wat brengt je hier?\nC: Ik wil minder gamen.\nT: Je wilt fit zijn.\n"
                    "C: Ja.\nT: Je vindt je slaap belangrijk.\nC: Ik hoef niet te stoppen.\n"
                    "T: Heb je dat geprobeerd?\nC: Nee.\n";
    char *html = report1(rs, "s.txt", t, NULL);
    char *rq = card(html, 0), *oq = card(html, 2), *ct = card(html, 3), *why = card(html, 4);
    ck_has(rq, "m-val\">1,0<");          /* 2 reflections, 2 questions */
    ck_has(rq, "badge lv-fair\">redelijk");
    ck_has(oq, "m-val\">50%<");
    ck_has(oq, "badge lv-fair\">redelijk"); /* taalspel's bar: fair from 50% */
    ck_has(ct, "m-val\">50%<");
    ck_has(why, "m-val\">0<");
    ck_has(why, "badge lv-good\">goed");
    free(rq); free(oq); free(ct); free(why);
    free(html);
    ts_rules_free(rs);
}
END_TEST

START_TEST(test_compare_two_sessions)
{
    ts_ruleset *rs = mini();
    const char *a = "T: Wat wil je?\nC: Ik wil stoppen.\nT: Heb je dat geprobeerd?\nC: Nee.\n";
    const char *b = "T: Wat wil je?\nC: Ik wil stoppen.\nT: Hoe ga je dat doen?\nC: Ik wil beginnen.\n";
    int rc;
    char *html = report2(rs, "eerste.txt", a, "tweede.txt", b, &rc);
    ck_assert_int_eq(rc, 0);
    ck_all_sections(html);
    char *cmp = section(html, "vergelijking");
    ck_has(cmp, "eerste");
    ck_has(cmp, "tweede");
    char *row = section(cmp, "cmp-2"); /* open questions: 50% then 100% */
    ck_has(row, "<span class=\"v\">50%</span>");
    ck_has(row, "<span class=\"v\">100%</span>");
    ck_has(row, "\">+50</span><span class=\"lv\">procentpunt, beter<");
    ck_has(row, "d-better");
    free(row);
    free(cmp);
    /* then the full report of the second session only */
    ck_has(html, "<h1>tweede</h1>");
    ck_has(html, "Hoe ga je dat doen?");
    ck_lacks(html, "Heb je dat geprobeerd?");
    ck_assert_uint_eq(count(html, "id=\"transcript\""), 1);
    free(html);
    ts_rules_free(rs);
}
END_TEST

/* ---- transcript, why-questions, points, scale ------------------------------ */

START_TEST(test_why_alternatives)
{
    ts_ruleset *rs = mini();
    const char *t = "T: Waarom stop je dan niet gewoon om elf uur?\nC: Tja.\n"
                    "T: Waarom zet je de pc niet uit?\nC: Tja.\n"
                    "T: Waarom wil je stoppen?\nC: Tja.\n"
                    "T: Waarom heb je dat gedaan?\nC: Tja.\n"
                    "T: Waarom doet u dat?\nC: Tja.\n"
                    "T: Waarom niet?\nC: Tja.\n"
                    "T: Waarom ben je gestopt met sporten?\nC: Tja.\n";
    char *html = report1(rs, "w.txt", t, NULL);
    ck_has(html, "Wat maakt dat je dan niet gewoon om elf uur stopt?");
    ck_has(html, "Wat maakt dat je de pc niet uitzet?");
    ck_has(html, "Wat maakt dat je wilt stoppen?");
    ck_has(html, "Wat maakt dat je dat hebt gedaan?");
    ck_has(html, "Wat maakt dat u dat doet?");
    /* too hard to rewrite well: the generic hint instead */
    ck_lacks(html, "Wat maakt dat je gestopt");
    ck_assert_uint_ge(count(html, "&#8216;Wat maakt dat&#8230;?&#8217; of &#8216;Hoe komt het dat&#8230;?&#8217;"), 2);
    /* the work point names it and links the turn */
    char *pts = section(html, "punten");
    ck_has(pts, "Een waarom-vraag");
    ck_has(pts, "href=\"#t1\"");
    ck_has(pts, "Dat gebeurde 7 keer");
    free(pts);
    /* the chip's pop-up holds the rule's explanation and tip */
    ck_has(html, "Begint met waarom.");
    ck_has(html, "Vraag liever: wat maakt dat.");
    free(html);
    ts_rules_free(rs);
}
END_TEST

START_TEST(test_points)
{
    ts_ruleset *rs = mini();
    /* change talk answered by a question; a streak of closed questions */
    const char *t = "C: Ik wil echt minder drinken.\nT: Heb je dat al eens geprobeerd?\nC: Nee.\n"
                    "T: Ben je er klaar voor?\nC: Nee.\nT: Wil je dat?\nC: Ja.\nT: Heb je hulp?\nC: Nee.\n"
                    "T: Je wilt het anders, omdat je gezin je veel waard is.\nC: Ja.\n";
    char *html = report1(rs, "p.txt", t, NULL);
    char *pts = section(html, "punten");
    ck_has(pts, "Verandertaal niet opgepakt");
    ck_has(pts, "Gesloten vragen op rij");
    ck_has(pts, "Een reflectie die verder gaat");
    ck_has(pts, "href=\"#t10\"");
    ck_assert_uint_le(count(pts, "class=\"point\""), 6);
    free(pts);
    /* the timeline marks every turn and links it */
    char *tl = section(html, "tijdlijn");
    ck_assert_uint_eq(count(tl, "<a href=\"#t"), 11);
    ck_has(tl, "class=\"f-refl\"");
    ck_has(tl, "class=\"f-ct\"");
    free(tl);
    free(html);
    ts_rules_free(rs);
}
END_TEST

START_TEST(test_scale_chart)
{
    ts_ruleset *rs = mini();
    const char *t = "T: Wat is je cijfer?\nC: 4\nT: Wat nu?\nC: 6\nT: Wat nu?\nC: 7,5\n";
    char *html = report1(rs, "s.txt", t, NULL);
    char *sc = section(html, "schaal");
    ck_has(sc, "<polyline");
    ck_assert_uint_eq(count(sc, "<circle"), 3);
    ck_has(sc, "href=\"#t2\"");
    ck_has(sc, ">7,5<");
    free(sc);
    ck_has(html, "href=\"#schaal\"");
    free(html);
    ts_rules_free(rs);
}
END_TEST

START_TEST(test_utf8_spans)
{
    ts_ruleset *rs = mini();
    /* multi-byte text before and after the coded span */
    char *html = report1(rs, "u.txt", "T: “Één” – zo is het. Waarom zou je dat doen, cliënt?\nC: Ik wil één ding: rust 😀.\n", NULL);
    ck_has(html, "“Één” – zo is het. <mark class=\"f-why\">Waarom</mark> zou je dat doen, cliënt?");
    ck_has(html, "<mark class=\"f-ct\">Ik wil</mark> één ding: rust 😀.");
    free(html);
    ts_rules_free(rs);
}
END_TEST

START_TEST(test_thousand_turns)
{
    ts_ruleset *rs = mini();
    ts_buf b = {0};
    for (int i = 0; i < 500; i++) ts_buf_printf(&b, "T: Wat wil je met %d?\nC: Ik wil %d dingen.\n", i, i);
    char *html = report1(rs, "lang.txt", b.p, NULL);
    ck_has(html, "id=\"t1000\"");
    ck_lacks(html, "id=\"t1001\"");
    ck_assert_uint_eq(count(html, "<article class=\"turn"), 1000);
    ck_balanced(html);
    free(html);
    ts_buf_free(&b);
    ts_rules_free(rs);
}
END_TEST

START_TEST(test_unreadable_file)
{
    ts_ruleset *rs = mini();
    const char *files[1] = {"/nonexistent/zo.txt"};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ts_diags d = {0};
    ck_assert_int_eq(ts_report(rs, files, 1, NULL, f, &d), 1);
    fclose(f);
    ck_assert_uint_ge(d.errors, 1);
    ck_has(buf, "kon niet gelezen worden");
    ck_balanced(buf);
    free(buf);
    ts_diag_clear(&d);
    ts_rules_free(rs);
}
END_TEST

static Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *c = tcase_create("escape");
    tcase_add_test(c, test_escape_everywhere);
    tcase_add_test(c, test_control_bytes);
    tcase_add_test(c, test_csp_hashes);
    suite_add_tcase(s, c);
    c = tcase_create("page");
    tcase_set_timeout(c, 30);
    tcase_add_test(c, test_sample_all_sections);
    tcase_add_test(c, test_empty_transcript);
    tcase_add_test(c, test_missing_denominators);
    tcase_add_test(c, test_key_figures_and_levels);
    tcase_add_test(c, test_compare_two_sessions);
    tcase_add_test(c, test_unreadable_file);
    tcase_add_test(c, test_thousand_turns);
    suite_add_tcase(s, c);
    c = tcase_create("content");
    tcase_add_test(c, test_why_alternatives);
    tcase_add_test(c, test_points);
    tcase_add_test(c, test_scale_chart);
    tcase_add_test(c, test_utf8_spans);
    suite_add_tcase(s, c);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(report_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
