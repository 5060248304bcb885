/* check_read.c - the transcript readers: txt, jsonl, vtt, srt, and what
 * they do with bad input. */
#include "limits.h"
#include "read_internal.h" /* ts_reader_set_limits, and the buffers we watch */
#include "testutil.h"
#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Files of the repository, found from the top directory (TS_SRCDIR, or
 * the current directory, which is where `make test` runs). */
static char *src_path(const char *rel)
{
    const char *top = getenv("TS_SRCDIR");
    return ts_strdupf("%s/%s", top ? top : ".", rel);
}

/* Asserts turn i: speaker, role and text; prints the turn on failure. */
#define ck_turn(x, i, spk, rl, txt)                                                          \
    do {                                                                                     \
        ck_assert_msg((i) < (x)->n, "turn %zu missing: only %zu turns", (size_t)(i), (x)->n); \
        const ts_turn *t_ = &(x)->turns[i];                                                  \
        ck_assert_msg(strcmp(t_->speaker, (spk)) == 0 && t_->role == (rl) &&                 \
                          strcmp(t_->text, (txt)) == 0,                                      \
                      "turn %zu is [%s/%s] \"%s\", want [%s/%s] \"%s\"", (size_t)(i),         \
                      t_->speaker, ts_role_name(t_->role), t_->text, (spk),                  \
                      ts_role_name(rl), (txt));                                              \
        ck_assert_uint_eq(t_->text_len, strlen(t_->text));                                   \
    } while (0)

/* Asserts that a diagnostic of sev at line contains needle; prints all. */
#define ck_diag(x, sev, line, needle)                                                 \
    do {                                                                              \
        char *all_ = tu_diag_text(&(x)->diags);                                       \
        ck_assert_msg(tu_diag_has(&(x)->diags, (sev), (line), (needle)),              \
                      "no %s at line %lu with \"%s\"; diagnostics:\n%s",              \
                      (sev) == TS_SEV_ERROR ? "error" : "warning", (unsigned long)(line), \
                      (needle), all_);                                                \
        free(all_);                                                                   \
    } while (0)

#define ck_no_diags(x)                                                                \
    do {                                                                              \
        char *all_ = tu_diag_text(&(x)->diags);                                       \
        ck_assert_msg((x)->diags.errors == 0 && (x)->diags.warnings == 0,             \
                      "unexpected diagnostics:\n%s", all_);                           \
        free(all_);                                                                   \
    } while (0)

/* Reads s with lowered limits. */
static void read_limited(tu_read *x, const char *name, const char *s, size_t len,
                         size_t max_line, size_t max_turn)
{
    ts_reader *r = NULL;
    memset(x, 0, sizeof *x);
    x->open_rc = ts_reader_open_mem(&r, name, s, len, TS_FMT_AUTO, NULL, &x->diags);
    ck_assert_int_eq(x->open_rc, 0);
    ts_reader_set_limits(r, max_line, max_turn);
    tu_read_reader(x, r);
}

/* ---- roles, formats, rolemap ------------------------------------------ */

START_TEST(test_role_parse)
{
    ts_role r;
    ck_assert_int_eq(ts_role_parse("professional", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_PROFESSIONAL);
    ck_assert_int_eq(ts_role_parse("Hulpverlener", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_PROFESSIONAL);
    ck_assert_int_eq(ts_role_parse("cliënt", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_CLIENT);
    ck_assert_int_eq(ts_role_parse("CLIENT", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_CLIENT);
    ck_assert_int_eq(ts_role_parse("anders", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_OTHER);
    ck_assert_int_eq(ts_role_parse("overig", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_OTHER);
    ck_assert_int_eq(ts_role_parse("other", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_OTHER);
    ck_assert_int_eq(ts_role_parse("baas", &r), -1);
    ck_assert_int_eq(ts_role_parse("", &r), -1);
    ck_assert_int_eq(ts_role_parse(NULL, &r), -1);
    ck_assert_str_eq(ts_role_name(TS_ROLE_PROFESSIONAL), "professional");
    ck_assert_str_eq(ts_role_name(TS_ROLE_CLIENT), "client");
    ck_assert_str_eq(ts_role_name(TS_ROLE_OTHER), "other");
    ck_assert_str_eq(ts_role_name(TS_ROLE_UNKNOWN), "unknown");
}
END_TEST

START_TEST(test_format_parse)
{
    ts_format f;
    ck_assert_int_eq(ts_format_parse("txt", &f), 0);
    ck_assert_int_eq(f, TS_FMT_TXT);
    ck_assert_int_eq(ts_format_parse("JSONL", &f), 0);
    ck_assert_int_eq(f, TS_FMT_JSONL);
    ck_assert_int_eq(ts_format_parse("ndjson", &f), 0);
    ck_assert_int_eq(f, TS_FMT_JSONL);
    ck_assert_int_eq(ts_format_parse("vtt", &f), 0);
    ck_assert_int_eq(f, TS_FMT_VTT);
    ck_assert_int_eq(ts_format_parse("srt", &f), 0);
    ck_assert_int_eq(f, TS_FMT_SRT);
    ck_assert_int_eq(ts_format_parse("auto", &f), 0);
    ck_assert_int_eq(f, TS_FMT_AUTO);
    ck_assert_int_eq(ts_format_parse("docx", &f), -1);
    for (ts_format g = TS_FMT_TXT; g <= TS_FMT_SRT; g++) {
        ck_assert_int_eq(ts_format_parse(ts_format_name(g), &f), 0);
        ck_assert_int_eq(f, g);
    }
}
END_TEST

START_TEST(test_rolemap_builtin)
{
    static const struct { const char *label; ts_role role; } cases[] = {
        {"T", TS_ROLE_PROFESSIONAL}, {"t", TS_ROLE_PROFESSIONAL}, {"P", TS_ROLE_PROFESSIONAL},
        {"H", TS_ROLE_PROFESSIONAL}, {"B", TS_ROLE_PROFESSIONAL}, {"Hulpverlener", TS_ROLE_PROFESSIONAL},
        {"THERAPEUT", TS_ROLE_PROFESSIONAL}, {"coach", TS_ROLE_PROFESSIONAL},
        {"Begeleider", TS_ROLE_PROFESSIONAL}, {"Professional", TS_ROLE_PROFESSIONAL},
        {"Interviewer", TS_ROLE_PROFESSIONAL}, {"C", TS_ROLE_CLIENT}, {"k", TS_ROLE_CLIENT},
        {"Cliënt", TS_ROLE_CLIENT}, {"CLIËNT", TS_ROLE_CLIENT}, {"Client", TS_ROLE_CLIENT},
        {"Clie\xCC\x88nt", TS_ROLE_CLIENT}, /* decomposed diaeresis */
        {"Klant", TS_ROLE_CLIENT}, {"Patiënt", TS_ROLE_CLIENT}, {"patient", TS_ROLE_CLIENT},
        {"Deelnemer", TS_ROLE_CLIENT},
    };
    ts_role r;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ck_assert_msg(ts_rolemap_lookup(NULL, cases[i].label, &r) == 0, "'%s' unknown", cases[i].label);
        ck_assert_msg(r == cases[i].role, "'%s' is %s", cases[i].label, ts_role_name(r));
    }
    ck_assert_int_eq(ts_rolemap_lookup(NULL, "Sanne", &r), -1);
    ck_assert_int_eq(ts_rolemap_lookup(NULL, "", &r), -1);
}
END_TEST

START_TEST(test_rolemap_spec)
{
    ts_rolemap *m = ts_rolemap_new();
    char *err = NULL;
    ts_role r;
    ck_assert_int_eq(ts_rolemap_add_spec(m, "Anna=professional, Bram=cliënt;Cees = anders,", &err), 0);
    ck_assert_ptr_null(err);
    ck_assert_int_eq(ts_rolemap_lookup(m, "anna", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_PROFESSIONAL);
    ck_assert_int_eq(ts_rolemap_lookup(m, "Bram", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_CLIENT);
    ck_assert_int_eq(ts_rolemap_lookup(m, "Cees", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_OTHER);
    ck_assert_int_eq(ts_rolemap_lookup(m, "T", &r), 0); /* built-ins stay */

    /* A spec may rename a built-in, and a later entry wins. */
    ck_assert_int_eq(ts_rolemap_add_spec(m, "C=other,Anna=client", &err), 0);
    ck_assert_int_eq(ts_rolemap_lookup(m, "c", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_OTHER);
    ck_assert_int_eq(ts_rolemap_lookup(m, "Anna", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_CLIENT);

    /* Multi-word labels, whitespace collapsed. */
    ck_assert_int_eq(ts_rolemap_add_spec(m, "Anna de  Vries=hulpverlener", &err), 0);
    ck_assert_int_eq(ts_rolemap_lookup(m, "anna de vries", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_PROFESSIONAL);

    static const struct { const char *spec, *msg; } bad[] = {
        {"Dirk", "not Label=role"}, {"Dirk=", "not Label=role"}, {"=client", "not Label=role"},
        {"Dirk=client, Erik=baas", "unknown role 'baas' for 'Erik'"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(ts_rolemap_add_spec(m, bad[i].spec, &err), -1);
        ck_assert_ptr_nonnull(err);
        ck_assert_msg(strstr(err, bad[i].msg), "'%s': %s", bad[i].spec, err);
        free(err);
        err = NULL;
    }
    /* A failed spec changes nothing, not even its good part. */
    ck_assert_int_eq(ts_rolemap_lookup(m, "Dirk", &r), -1);
    ck_assert_int_eq(ts_rolemap_add_spec(m, "Dirk", NULL), -1); /* err may be NULL */

    ts_rolemap *c = ts_rolemap_copy(m);
    ts_rolemap_free(m);
    ck_assert_int_eq(ts_rolemap_lookup(c, "Bram", &r), 0);
    ck_assert_int_eq(r, TS_ROLE_CLIENT);
    ts_rolemap_free(c);
    ts_rolemap_free(NULL);
    ts_turn_clear(NULL);
    ts_reader_free(NULL);
    ck_assert_int_eq(ts_reader_next(NULL, NULL), 0);
}
END_TEST

/* ---- plain text ---------------------------------------------------------- */

START_TEST(test_txt_basic)
{
    tu_read x;
    const char *s = "T: Hoe gaat het?\n"
                    "C: Goed.\n"
                    "Coach: En verder?\n"
                    "Cliënt: Ook goed.\n";
    ck_assert_int_eq(tu_read_str(&x, "a.txt", s, NULL), 0);
    ck_assert_int_eq(x.fmt, TS_FMT_TXT);
    ck_assert_uint_eq(x.n, 4);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Hoe gaat het?");
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Goed.");
    ck_turn(&x, 2, "Coach", TS_ROLE_PROFESSIONAL, "En verder?");
    ck_turn(&x, 3, "Cliënt", TS_ROLE_CLIENT, "Ook goed.");
    for (size_t i = 0; i < x.n; i++) {
        ck_assert_uint_eq(x.turns[i].line, i + 1);
        ck_assert(x.turns[i].start < 0 && x.turns[i].end < 0);
        ck_assert_ptr_null(x.turns[i].extra_json);
    }
    ck_assert_uint_eq(x.failed, 0);
    ck_assert_uint_eq(x.bytes, strlen(s));
    ck_no_diags(&x);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_txt_continuation_comments_blank)
{
    tu_read x;
    const char *s = "# een sessie\n"
                    "\n"
                    "T: Wat brengt je hier?\n"
                    "C: Mijn vriendin vindt dat ik te veel game.\n"
                    "   Vooral 's nachts.\n"
                    "\n"
                    "# tussendoor een opmerking\n"
                    "En in het weekend.\n"
                    "T: Dus: het is vooral de nacht.\n"
                    "Dus: ik weet het niet.\n"
                    "Om 10:30 begint college.\n"
                    "Wat ik bedoel: je bent moe.\n"
                    "Zie http://example.org en C:\\games\n";
    ck_assert_int_eq(tu_read_str(&x, "a.txt", s, NULL), 0);
    ck_assert_uint_eq(x.n, 3);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Wat brengt je hier?");
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT,
            "Mijn vriendin vindt dat ik te veel game. Vooral 's nachts. En in het weekend.");
    ck_turn(&x, 2, "T", TS_ROLE_PROFESSIONAL,
            "Dus: het is vooral de nacht. Dus: ik weet het niet. Om 10:30 begint college. "
            "Wat ik bedoel: je bent moe. Zie http://example.org en C:\\games");
    ck_assert_uint_eq(x.turns[1].line, 4);
    ck_assert_uint_eq(x.turns[2].line, 9);
    ck_no_diags(&x);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_txt_same_speaker_new_turns)
{
    tu_read x;
    ck_assert_int_eq(tu_read_str(&x, "a.txt", "T: Een.\nT: Twee.\nT:\nC: Drie.\n", NULL), 0);
    ck_assert_uint_eq(x.n, 4);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Een.");
    ck_turn(&x, 1, "T", TS_ROLE_PROFESSIONAL, "Twee.");
    ck_turn(&x, 2, "T", TS_ROLE_PROFESSIONAL, ""); /* a bare label is an empty turn */
    ck_turn(&x, 3, "C", TS_ROLE_CLIENT, "Drie.");
    tu_read_free(&x);
}
END_TEST

START_TEST(test_txt_rollen_header)
{
    tu_read x;
    const char *s = "# rollen: Marieke=hulpverlener, Daan=cliënt, Oma=anders\n"
                    "Marieke: Hoi.\n"
                    "Daan: Hoi.\n"
                    "Oma: Koffie?\n"
                    "#ROLES : Sanne=professional\n"
                    "Sanne: Ik neem het over.\n"
                    "Anna de Vries: Ik ook.\n";
    ck_assert_int_eq(tu_read_str(&x, "a.txt", s, "Anna de Vries=client"), 0);
    ck_assert_uint_eq(x.n, 5);
    ck_turn(&x, 0, "Marieke", TS_ROLE_PROFESSIONAL, "Hoi.");
    ck_turn(&x, 1, "Daan", TS_ROLE_CLIENT, "Hoi.");
    ck_turn(&x, 2, "Oma", TS_ROLE_OTHER, "Koffie?");
    ck_turn(&x, 3, "Sanne", TS_ROLE_PROFESSIONAL, "Ik neem het over.");
    ck_turn(&x, 4, "Anna de Vries", TS_ROLE_CLIENT, "Ik ook.");
    ck_no_diags(&x);
    tu_read_free(&x);

    /* --roles alone */
    ck_assert_int_eq(tu_read_str(&x, "a.txt", "Sanne: Hoi.\nBram: Hoi.\n", "Sanne=professional,Bram=client"), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 0, "Sanne", TS_ROLE_PROFESSIONAL, "Hoi.");
    ck_turn(&x, 1, "Bram", TS_ROLE_CLIENT, "Hoi.");
    ck_no_diags(&x);
    tu_read_free(&x);

    /* a malformed header is reported where it stands */
    ck_assert_int_eq(tu_read_str(&x, "a.txt", "T: Hoi.\n# rollen: Sanne=baas\nC: Hoi.\n", NULL), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_diag(&x, TS_SEV_ERROR, 2, "unknown role 'baas' for 'Sanne'");
    ck_assert_uint_eq(x.diags.v[0].col, 11);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_txt_unknown_label)
{
    tu_read x;
    const char *s = "T: Hoi.\n"
                    "C: Hoi.\n"
                    "Sanne: Mag ik erbij komen?\n"
                    "Ik ben zijn zus.\n"
                    "T: Natuurlijk.\n";
    ck_assert_int_eq(tu_read_str(&x, "sessie.txt", s, NULL), 0);
    ck_assert_uint_eq(x.n, 3);
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Hoi."); /* Sanne's words are not glued on */
    ck_turn(&x, 2, "T", TS_ROLE_PROFESSIONAL, "Natuurlijk.");
    ck_assert_uint_eq(x.failed, 1);
    ck_assert_uint_eq(x.diags.errors, 1);
    char *out = tu_diag_text(&x.diags);
    ck_assert_str_eq(out, "sessie.txt:3:1: error: unknown speaker label 'Sanne'; name its role with a "
                          "header line '# rollen: Sanne=professional' or --roles Sanne=professional (or =client, =other)\n");
    free(out);
    tu_read_free(&x);

    /* Each turn of an unknown speaker is reported and counted. */
    ck_assert_int_eq(tu_read_str(&x, "a.txt", "SPEAKER_00: a\nSPEAKER_01: b\nSPEAKER_00: c\n", NULL), 0);
    ck_assert_uint_eq(x.n, 0);
    ck_assert_uint_eq(x.failed, 3);
    ck_assert_uint_eq(x.diags.errors, 3);
    ck_diag(&x, TS_SEV_ERROR, 2, "--roles SPEAKER_01=professional");
    tu_read_free(&x);

    /* A diarised transcript without roles: every turn fails and counts, the
     * fix is printed once per label, three repeats are listed, a note sums
     * up the rest instead of a screenful of the same error. */
    ts_buf big = {0};
    for (int i = 0; i < 10; i++) ts_buf_printf(&big, "SPEAKER_00: a%d\n", i);
    ck_assert_int_eq(tu_read_str(&x, "d.txt", big.p, NULL), 0);
    ck_assert_uint_eq(x.failed, 10);
    ck_assert_uint_eq(x.diags.errors, 10);
    out = tu_diag_text(&x.diags);
    ck_assert_msg(strstr(out, "d.txt:1:1: error: unknown speaker label 'SPEAKER_00'; name its role"), "%s", out);
    ck_assert_msg(strstr(out, "d.txt:3:1: error: unknown speaker label 'SPEAKER_00' again (turn skipped; the fix is in the error for line 1)"), "%s", out);
    ck_assert_msg(!strstr(out, "d.txt:4:1:"), "%s", out);
    ck_assert_msg(strstr(out, "d.txt: note: 7 more turns of unknown speaker label 'SPEAKER_00' were skipped"), "%s", out);
    free(out);
    ts_buf_free(&big);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_txt_text_before_first_label)
{
    tu_read x;
    const char *s = "Gesprek van dinsdag\n"
                    "met Daan\n"
                    "T: Hoi.\n";
    ck_assert_int_eq(tu_read_str(&x, "a.txt", s, NULL), 0);
    ck_assert_uint_eq(x.n, 1);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Hoi.");
    ck_assert_uint_eq(x.failed, 1);
    ck_assert_uint_eq(x.diags.errors, 1);
    ck_diag(&x, TS_SEV_ERROR, 1, "text before the first speaker label");
    tu_read_free(&x);
}
END_TEST

START_TEST(test_txt_bom_crlf_no_final_newline)
{
    tu_read x;
    const char *s = "\xEF\xBB\xBF" "T: Hoi.\r\n"
                    "Hoe gaat het?\r\n"
                    "\r\n"
                    "C: Goed.\rT: Mooi.\r\n"
                    "C: Laatste regel";
    ck_assert_int_eq(tu_read_str(&x, "a.txt", s, NULL), 0);
    ck_assert_uint_eq(x.n, 4);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Hoi. Hoe gaat het?");
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Goed.");
    ck_turn(&x, 2, "T", TS_ROLE_PROFESSIONAL, "Mooi.");
    ck_turn(&x, 3, "C", TS_ROLE_CLIENT, "Laatste regel");
    ck_assert_uint_eq(x.turns[2].line, 5); /* a lone CR ends a line too */
    ck_assert_uint_eq(x.turns[3].line, 6);
    ck_assert_uint_eq(x.bytes, strlen(s));
    ck_no_diags(&x);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_empty_inputs)
{
    static const char *inputs[] = {"", "\n\n", "  \r\n\t\n", "\xEF\xBB\xBF", "# alleen commentaar\n"};
    static const char *names[] = {"a.txt", "a.jsonl", "a.vtt", "a.srt", "zonder-extensie"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        for (size_t j = 0; j < sizeof names / sizeof names[0]; j++) {
            tu_read x;
            if (inputs[i][0] == '#' && j != 0) continue; /* '#' is text in vtt/srt */
            ck_assert_int_eq(tu_read_str(&x, names[j], inputs[i], NULL), 0);
            ck_assert_msg(x.n == 0 && x.failed == 0, "%s '%s'", names[j], inputs[i]);
            ck_no_diags(&x);
            tu_read_free(&x);
        }
    /* A NULL buffer of length 0 is an empty input as well. */
    tu_read x;
    ck_assert_int_eq(tu_read_mem(&x, "a.txt", NULL, 0, TS_FMT_AUTO, NULL), 0);
    ck_assert_uint_eq(x.n, 0);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_invalid_utf8_and_nul)
{
    tu_read x;
    const char s[] = "T: Hoi.\n"
                     "C: Caf\xE9 en cr\xC3\xA8me.\n"
                     "T: Een\0nul en \xC3\xA9\xFF.\n";
    ck_assert_int_eq(tu_read_mem(&x, "a.txt", s, sizeof s - 1, TS_FMT_AUTO, NULL), 0);
    ck_assert_uint_eq(x.n, 3);
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Caf\xEF\xBF\xBD en cr\xC3\xA8me.");
    ck_turn(&x, 2, "T", TS_ROLE_PROFESSIONAL, "Een\xEF\xBF\xBDnul en \xC3\xA9\xEF\xBF\xBD.");
    ck_diag(&x, TS_SEV_WARNING, 2, "invalid UTF-8 replaced by U+FFFD");
    ck_diag(&x, TS_SEV_WARNING, 3, "NUL byte replaced by U+FFFD");
    ck_diag(&x, TS_SEV_WARNING, 3, "invalid UTF-8 replaced by U+FFFD");
    ck_assert_uint_eq(x.diags.warnings, 3);
    ck_assert_uint_eq(x.diags.errors, 0);
    /* columns count characters: "C: Caf" is 6, the bad byte the 7th */
    ck_assert_uint_eq(x.diags.v[0].line, 2);
    ck_assert_uint_eq(x.diags.v[0].col, 7);
    ck_assert_uint_eq(x.failed, 0);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_utf16_refused)
{
    static const struct { const char *data; size_t len; const char *enc; } cases[] = {
        {"\xFF\xFET\0:\0 \0h\0i\0\n\0", 14, "UTF-16"},
        {"\xFE\xFF\0T\0:\0 \0h\0i\0\n", 14, "UTF-16"},
        {"T\0:\0 \0h\0i\0\n\0", 12, "UTF-16"}, /* no BOM */
        {"\xFF\xFE\0\0T\0\0\0", 8, "UTF-32"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tu_read x;
        ck_assert_int_eq(tu_read_mem(&x, "a.txt", cases[i].data, cases[i].len, TS_FMT_AUTO, NULL), -1);
        ck_assert_uint_eq(x.diags.errors, 1);
        char *want = ts_strdupf("file is %s; convert it with: iconv -f %s -t UTF-8 a.txt > out.txt",
                                cases[i].enc, cases[i].enc);
        ck_diag(&x, TS_SEV_ERROR, 1, want);
        free(want);
        tu_read_free(&x);
    }
}
END_TEST

START_TEST(test_fixture_files)
{
    tu_read x;
    char *p = src_path("tests/data/read/utf16le.txt");
    ck_assert_int_eq(tu_read_file(&x, p, TS_FMT_AUTO, NULL), -1);
    ck_diag(&x, TS_SEV_ERROR, 1, "file is UTF-16; convert it with: iconv -f UTF-16 -t UTF-8");
    tu_read_free(&x);
    free(p);

    p = src_path("tests/data/read/utf16be.txt");
    ck_assert_int_eq(tu_read_file(&x, p, TS_FMT_AUTO, NULL), -1);
    ck_diag(&x, TS_SEV_ERROR, 1, "file is UTF-16");
    tu_read_free(&x);
    free(p);

    p = src_path("tests/data/read/bom-crlf.txt");
    ck_assert_int_eq(tu_read_file(&x, p, TS_FMT_AUTO, NULL), 0);
    ck_assert_uint_eq(x.n, 3);
    ck_turn(&x, 0, "Hulpverlener", TS_ROLE_PROFESSIONAL, "Goedemorgen. Wat wil je vandaag bespreken?");
    ck_turn(&x, 1, "Cliënt", TS_ROLE_CLIENT, "Mijn schulden. Het wordt me te veel.");
    ck_turn(&x, 2, "Hulpverlener", TS_ROLE_PROFESSIONAL, "Wat heb je al geprobeerd?");
    ck_no_diags(&x);
    tu_read_free(&x);
    free(p);

    p = src_path("tests/data/read/latin1.txt");
    ck_assert_int_eq(tu_read_file(&x, p, TS_FMT_AUTO, NULL), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Ik heb een caf\xEF\xBF\xBD gevonden.");
    ck_diag(&x, TS_SEV_WARNING, 2, "invalid UTF-8");
    ck_assert_str_eq(x.diags.v[0].file, p);
    tu_read_free(&x);
    free(p);

    p = src_path("tests/data/read/teams.vtt");
    ck_assert_int_eq(tu_read_file(&x, p, TS_FMT_AUTO, NULL), 0);
    ck_assert_int_eq(x.fmt, TS_FMT_VTT);
    ck_assert_uint_eq(x.n, 3);
    ck_turn(&x, 0, "Coach", TS_ROLE_PROFESSIONAL,
            "Welkom. Waar zou je na vandaag tevreden over willen zijn?");
    ck_turn(&x, 1, "Klant", TS_ROLE_CLIENT, "Dat ik weet hoe ik mijn post open zonder in paniek te raken.");
    ck_turn(&x, 2, "Coach", TS_ROLE_PROFESSIONAL, "Wanneer lukte dat al eens?");
    ck_assert(x.turns[0].start == 0.0 && x.turns[0].end == 7.25);
    ck_no_diags(&x);
    tu_read_free(&x);
    free(p);

    p = src_path("tests/data/read/zoom.vtt");
    ck_assert_int_eq(tu_read_file(&x, p, TS_FMT_AUTO, NULL), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 0, "Begeleider", TS_ROLE_PROFESSIONAL, "Hoe was je week? Vertel maar.");
    ck_turn(&x, 1, "Deelnemer", TS_ROLE_CLIENT, "Wisselend. Maandag ging goed.");
    ck_no_diags(&x);
    tu_read_free(&x);
    free(p);
}
END_TEST

START_TEST(test_open_errors)
{
    tu_read x;
    ck_assert_int_eq(tu_read_file(&x, "/nonexistent/sessie.txt", TS_FMT_AUTO, NULL), -1);
    ck_assert_uint_eq(x.diags.errors, 1);
    ck_diag(&x, TS_SEV_ERROR, 0, "cannot open");
    ck_assert_str_eq(x.diags.v[0].file, "/nonexistent/sessie.txt");
    tu_read_free(&x);

    ck_assert_int_eq(tu_read_file(&x, "/tmp", TS_FMT_AUTO, NULL), -1);
    ck_diag(&x, TS_SEV_ERROR, 0, "is a directory");
    tu_read_free(&x);

    /* No diags given: the reader keeps its own, and nothing crashes. */
    ts_reader *r = (ts_reader *)1;
    ck_assert_int_eq(ts_reader_open(&r, "/nonexistent", TS_FMT_AUTO, NULL, NULL), -1);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(ts_reader_open_mem(&r, "m.txt", "T: a\n", 5, TS_FMT_AUTO, NULL, NULL), 0);
    ts_turn t = {0};
    ck_assert_int_eq(ts_reader_next(r, &t), 1);
    ck_assert_str_eq(ts_reader_name(r), "m.txt");
    ts_turn_clear(&t);
    ts_reader_free(r);
}
END_TEST

START_TEST(test_stdin)
{
    const char *s = "T: Via stdin.\nC: Prima.\n";
    char *p = tu_tempfile("in.txt", s, strlen(s));
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(freopen(p, "rb", stdin));
    tu_read x;
    ck_assert_int_eq(tu_read_file(&x, "-", TS_FMT_AUTO, NULL), 0);
    ck_assert_int_eq(x.fmt, TS_FMT_TXT); /* sniffed: stdin has no extension */
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Via stdin.");
    tu_read_free(&x);
    tu_tempfile_remove(p);
}
END_TEST

START_TEST(test_format_detection)
{
    static const struct { const char *name, *data; ts_format fmt; } cases[] = {
        {"a.txt", "{\"speaker\":\"T\",\"text\":\"x\"}\n", TS_FMT_TXT}, /* extension first */
        {"a.JSONL", "T: x\n", TS_FMT_JSONL},
        {"a.ndjson", "", TS_FMT_JSONL},
        {"a.vtt", "", TS_FMT_VTT},
        {"a.SRT", "", TS_FMT_SRT},
        {"dir.vtt/a", "WEBVTT\n", TS_FMT_VTT},
        {"a.json", "\n  {\"text\":\"x\",\"role\":\"client\"}\n", TS_FMT_JSONL},
        {"-", "WEBVTT - Teams\n\n00:01.000 --> 00:02.000\n<v T>x\n", TS_FMT_VTT},
        {"-", "\xEF\xBB\xBF" "WEBVTT\n", TS_FMT_VTT},
        {"-", "\n1\n00:00:01,000 --> 00:00:02,000\nT: x\n", TS_FMT_SRT},
        {"-", "1\r\n00:00:01,000 --> 00:00:02,000\r\nT: x\r\n", TS_FMT_SRT},
        {"-", "12 apen\nT: x\n", TS_FMT_TXT},
        {"-", "1\nT: x\n", TS_FMT_TXT},
        {"-", "T: x\n", TS_FMT_TXT},
        {"-", "", TS_FMT_TXT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ts_diags d = {0};
        ts_reader *r = NULL;
        ck_assert_int_eq(ts_reader_open_mem(&r, cases[i].name, cases[i].data, strlen(cases[i].data),
                                            TS_FMT_AUTO, NULL, &d), 0);
        ck_assert_msg(ts_reader_format(r) == cases[i].fmt, "case %zu (%s): got %s", i, cases[i].name,
                      ts_format_name(ts_reader_format(r)));
        ts_reader_free(r);
        ts_diag_clear(&d);
    }
    /* The caller's format wins over extension and content. */
    tu_read x;
    const char *s = "WEBVTT\n";
    ck_assert_int_eq(tu_read_mem(&x, "a.vtt", s, strlen(s), TS_FMT_TXT, NULL), 0);
    ck_assert_int_eq(x.fmt, TS_FMT_TXT);
    ck_assert_uint_eq(x.failed, 1); /* "WEBVTT" is text before the first label */
    tu_read_free(&x);
}
END_TEST

START_TEST(test_txt_line_too_long)
{
    tu_read x;
    ts_buf b = {0};
    ts_buf_puts(&b, "T: Hoi.\nC: ");
    for (int i = 0; i < 100; i++) ts_buf_puts(&b, "bla ");
    ts_buf_puts(&b, "\nnog meer\nT: Verder.\n");
    ts_buf_putc(&b, 'x');
    for (int i = 0; i < 30; i++) ts_buf_puts(&b, "\xC3\xA9"); /* cut inside a character */
    ts_buf_puts(&b, "\nC: Klaar.");
    read_limited(&x, "a.txt", b.p, b.len, 50, 0);
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Hoi.");
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Klaar.");
    ck_assert_uint_eq(x.failed, 2); /* C's long turn, and T's with a long continuation */
    ck_diag(&x, TS_SEV_ERROR, 2, "line is longer than 50 bytes");
    ck_diag(&x, TS_SEV_ERROR, 5, "line is longer than 50 bytes");
    ck_assert_uint_eq(x.diags.errors, 2);
    ck_assert_uint_eq(x.diags.warnings, 0); /* no invalid UTF-8 from the cut */
    ck_assert_uint_eq(x.bytes, b.len);
    tu_read_free(&x);
    ts_buf_free(&b);
}
END_TEST

START_TEST(test_txt_turn_too_long)
{
    tu_read x;
    const char *s = "T: Een korte beurt.\n"
                    "C: Eerste regel van een lange beurt\n"
                    "tweede regel van een lange beurt\n"
                    "derde regel van een lange beurt\n"
                    "T: Weer kort.\n";
    read_limited(&x, "a.txt", s, strlen(s), 0, 60);
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Een korte beurt.");
    ck_turn(&x, 1, "T", TS_ROLE_PROFESSIONAL, "Weer kort.");
    ck_assert_uint_eq(x.failed, 1);
    ck_diag(&x, TS_SEV_ERROR, 2, "turn is longer than 60 bytes");
    ck_assert_uint_eq(x.diags.errors, 1);
    tu_read_free(&x);
}
END_TEST

/* The real 64 MiB limit, once; slow under valgrind, so not in quick runs. */
START_TEST(test_txt_line_over_real_limit)
{
    if (getenv("TS_QUICK")) return;
    size_t n = (size_t)TS_MAX_LINE_BYTES + 100;
    char *s = ts_xmalloc(n + 32);
    memcpy(s, "C: ", 3);
    memset(s + 3, 'a', n);
    strcpy(s + 3 + n, "\nT: Klaar.\n");
    tu_read x;
    ck_assert_int_eq(tu_read_mem(&x, "groot.txt", s, strlen(s), TS_FMT_AUTO, NULL), 0);
    ck_assert_uint_eq(x.n, 1);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Klaar.");
    ck_assert_uint_eq(x.failed, 1);
    ck_diag(&x, TS_SEV_ERROR, 1, "TS_MAX_LINE_BYTES");
    tu_read_free(&x);
    free(s);
}
END_TEST

/* Memory follows the longest line and turn, not the file: a file of many
 * short turns, with CRLFs that straddle the read chunks, keeps the line
 * buffer small. */
START_TEST(test_streaming_bounded)
{
    ts_buf b = {0};
    size_t turns = 0;
    while (b.len < 3u * 65536u + 1000u) {
        ts_buf_printf(&b, "%s: beurt %zu met wat tekst erbij.\r\n", turns % 2 ? "C" : "T", turns);
        turns++;
    }
    char *p = tu_tempfile("groot.txt", b.p, b.len);
    ck_assert_ptr_nonnull(p);
    ts_diags d = {0};
    ts_reader *r = NULL;
    ck_assert_int_eq(ts_reader_open(&r, p, TS_FMT_AUTO, NULL, &d), 0);
    ts_turn t = {0};
    size_t n = 0;
    while (ts_reader_next(r, &t)) {
        char want[80];
        snprintf(want, sizeof want, "beurt %zu met wat tekst erbij.", n);
        ck_assert_str_eq(t.text, want);
        ck_assert_int_eq(t.role, n % 2 ? TS_ROLE_CLIENT : TS_ROLE_PROFESSIONAL);
        n++;
    }
    ck_assert_uint_eq(n, turns);
    ck_assert_uint_eq(ts_reader_bytes(r), b.len);
    ck_assert_uint_le(r->raw.cap, 256);
    ck_assert_uint_eq(d.errors + d.warnings, 0);
    ts_turn_clear(&t);
    ts_reader_free(r);
    ts_diag_clear(&d);
    tu_tempfile_remove(p);
    ts_buf_free(&b);
}
END_TEST

/* A CRLF split by the 64 KiB read chunk is still one line end. */
START_TEST(test_crlf_across_chunks)
{
    ts_buf b = {0};
    ts_buf_puts(&b, "# ");
    while (b.len < 65535) ts_buf_putc(&b, 'x');
    ts_buf_puts(&b, "\r\nT: Een.\r\nC: Twee.\r\n");
    ck_assert_int_eq(b.p[65535], '\r');
    char *p = tu_tempfile("chunk.txt", b.p, b.len);
    tu_read x;
    ck_assert_int_eq(tu_read_file(&x, p, TS_FMT_AUTO, NULL), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Een.");
    ck_assert_uint_eq(x.turns[0].line, 2);
    ck_assert_uint_eq(x.turns[1].line, 3);
    ck_assert_uint_eq(x.bytes, b.len);
    tu_read_free(&x);
    tu_tempfile_remove(p);
    ts_buf_free(&b);
}
END_TEST

/* ---- JSON Lines -------------------------------------------------------- */

START_TEST(test_jsonl_basic)
{
    tu_read x;
    const char *s =
        "{\"type\":\"meta\",\"title\":\"Gamen\",\"setting\":\"coaching\"}\n"
        "{\"speaker\":\"Marieke\",\"role\":\"professional\",\"text\":\"Hoi.\",\"start\":1.5,\"end\":3}\n"
        "\n"
        "{\"speaker\":\"C\",\"text\":\"Hoi.\",\"gold\":[\"question.open\"],\"talk\":\"solution\"}\n"
        "  {\"role\":\"client\",\"text\":\"\",\"start\":null}  \r\n"
        "{\"speaker\":\"Daan\",\"role\":\"cliënt\",\"text\":\"Caf\\u00e9 \\\"x\\\"\",\"gold\":[{\"code\":\"scale.answer\",\"value\":6}]}\n";
    ck_assert_int_eq(tu_read_str(&x, "a.jsonl", s, NULL), 0);
    ck_assert_int_eq(x.fmt, TS_FMT_JSONL);
    ck_assert_uint_eq(x.n, 4);
    ck_turn(&x, 0, "Marieke", TS_ROLE_PROFESSIONAL, "Hoi.");
    ck_assert(x.turns[0].start == 1.5 && x.turns[0].end == 3.0);
    ck_assert_ptr_null(x.turns[0].extra_json);
    ck_assert_uint_eq(x.turns[0].line, 2);
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Hoi.");
    ck_assert(x.turns[1].start < 0 && x.turns[1].end < 0);
    ck_assert_str_eq(x.turns[1].extra_json, "{\"gold\":[\"question.open\"],\"talk\":\"solution\"}");
    ck_assert_uint_eq(x.turns[1].line, 4);
    ck_turn(&x, 2, "client", TS_ROLE_CLIENT, ""); /* speaker from role; empty text allowed */
    ck_turn(&x, 3, "Daan", TS_ROLE_CLIENT, "Café \"x\"");
    ck_assert_str_eq(x.turns[3].extra_json, "{\"gold\":[{\"code\":\"scale.answer\",\"value\":6}]}");
    ck_assert_str_eq(x.meta, "{\"type\":\"meta\",\"title\":\"Gamen\",\"setting\":\"coaching\"}");
    ck_assert_uint_eq(x.failed, 0);
    ck_no_diags(&x);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_jsonl_errors)
{
    static const struct { const char *line, *msg; unsigned long col; } cases[] = {
        {"{\"speaker\":\"T\",\"text\":\"Hoi.\"", "the line ends inside the object", 0},
        {"{\"speaker\":\"T\" \"text\":\"Hoi.\"}", "unexpected '\"'", 0},
        {"{\"speaker\":\"T\",\"text\":\"Hoi.\",}", "unexpected '}'", 0},
        {"T: Hoi.", "a line must be one JSON object", 1},
        {"{\"speaker\":\"T\",\"text\":\"a\\ud800b\"}", "invalid JSON: bad escape in a string", 25},
        {"{\"speaker\":\"T\",\"text\":\"a\\qb\"}", "invalid JSON: bad escape in a string", 25},
        {"{\"speaker\":\"T\",\"text\":\"Hoi.\"} {\"x\":1}", "text after the object", 31},
        {"[\"T\",\"Hoi.\"]", "a line must be a JSON object (one turn), not an array", 1},
        {"{\"speaker\":\"T\"}", "missing \"text\"", 1},
        {"{\"speaker\":\"T\",\"text\":42}", "\"text\" must be a string, not a number", 1},
        {"{\"speaker\":\"T\",\"text\":null}", "\"text\" must be a string, not null", 1},
        {"{\"speaker\":7,\"text\":\"x\"}", "\"speaker\" must be a string, not a number", 1},
        {"{\"speaker\":\"T\",\"role\":true,\"text\":\"x\"}", "\"role\" must be a string, not true/false", 1},
        {"{\"speaker\":\"T\",\"text\":\"x\",\"start\":\"0:01\"}", "\"start\" must be a number of seconds", 1},
        {"{\"speaker\":\"T\",\"text\":\"x\",\"end\":-2}", "\"end\" must be a number of seconds >= 0, not a negative", 1},
        {"{\"speaker\":\"T\",\"text\":\"x\",\"start\":1e400}", "\"start\" must be a number of seconds >= 0, not an out-of-range", 1},
        {"{\"speaker\":\"T\",\"role\":\"baas\",\"text\":\"x\"}", "unknown role 'baas'", 1},
        {"{\"text\":\"x\"}", "neither \"speaker\" nor \"role\"", 1},
        {"{\"speaker\":\"Sanne\",\"text\":\"x\"}",
         "unknown speaker label 'Sanne'; give the line a \"role\" field or name its role with "
         "--roles Sanne=professional", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* the bad line sits between two good ones: reading goes on */
        char *s = ts_strdupf("{\"speaker\":\"T\",\"text\":\"Een.\"}\n%s\n{\"speaker\":\"C\",\"text\":\"Twee.\"}\n",
                             cases[i].line);
        tu_read x;
        ck_assert_int_eq(tu_read_str(&x, "a.jsonl", s, NULL), 0);
        ck_assert_msg(x.n == 2 && x.failed == 1 && x.diags.errors == 1, "case %zu: %zu turns, %zu failed",
                      i, x.n, x.failed);
        ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Een.");
        ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Twee.");
        ck_assert_uint_eq(x.turns[1].line, 3);
        ck_diag(&x, TS_SEV_ERROR, 2, cases[i].msg);
        if (cases[i].col) ck_assert_uint_eq(x.diags.v[0].col, cases[i].col);
        tu_read_free(&x);
        free(s);
    }
}
END_TEST

START_TEST(test_jsonl_meta_roles_limits)
{
    tu_read x;
    const char *s = "{\"type\":\"meta\",\"n\":1}\n"
                    "{\"speaker\":\"Sanne\",\"text\":\"x\"}\n"
                    "{\"type\":\"meta\",\"n\":2}\n"
                    "{\"speaker\":\"T\",\"text\":\"Dit is een te lange beurt voor de limiet.\"}\n"
                    "{\"speaker\":\"T\",\"text\":\"Kort.\",\"type\":\"turn\"}\n";
    ts_reader *r = NULL;
    ts_rolemap *roles = tu_roles("Sanne=professional");
    memset(&x, 0, sizeof x);
    ck_assert_int_eq(ts_reader_open_mem(&r, "a.jsonl", s, strlen(s), TS_FMT_AUTO, roles, &x.diags), 0);
    ts_rolemap_free(roles); /* the reader keeps its own copy */
    ts_reader_set_limits(r, 0, 20);
    tu_read_reader(&x, r);
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 0, "Sanne", TS_ROLE_PROFESSIONAL, "x");
    ck_turn(&x, 1, "T", TS_ROLE_PROFESSIONAL, "Kort.");
    ck_assert_str_eq(x.turns[1].extra_json, "{\"type\":\"turn\"}");
    ck_assert_str_eq(x.meta, "{\"type\":\"meta\",\"n\":1}");
    ck_diag(&x, TS_SEV_WARNING, 3, "second \"meta\" line ignored");
    ck_diag(&x, TS_SEV_ERROR, 4, "turn is longer than 20 bytes");
    ck_assert_uint_eq(x.failed, 1);
    tu_read_free(&x);

    /* cJSON would end the string at \u0000; the text must not be cut */
    s = "{\"speaker\":\"T\",\"text\":\"voor\\u0000na \\\\u0000\"}\n";
    ck_assert_int_eq(tu_read_str(&x, "a.jsonl", s, NULL), 0);
    ck_assert_uint_eq(x.n, 1);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "voor\xEF\xBF\xBDna \\u0000");
    ck_diag(&x, TS_SEV_WARNING, 1, "\\u0000 (NUL) replaced by U+FFFD");
    ck_assert_uint_eq(x.diags.warnings, 1);
    ck_assert_uint_eq(x.diags.v[0].col, 28);
    tu_read_free(&x);

    /* a line over the line limit */
    s = "{\"speaker\":\"T\",\"text\":\"Een heel lange regel hier.\"}\n{\"speaker\":\"C\",\"text\":\"Kort.\"}";
    read_limited(&x, "a.jsonl", s, strlen(s), 40, 0);
    ck_assert_uint_eq(x.n, 1);
    ck_turn(&x, 0, "C", TS_ROLE_CLIENT, "Kort.");
    ck_assert_uint_eq(x.failed, 1);
    ck_diag(&x, TS_SEV_ERROR, 1, "line is longer than 40 bytes");
    ck_assert_uint_eq(x.diags.errors, 1);
    tu_read_free(&x);
}
END_TEST

/* ---- WebVTT ----------------------------------------------------------------- */

START_TEST(test_vtt_voices_merge_tags)
{
    tu_read x;
    const char *s = "WEBVTT - Teams\n"
                    "Kind: captions\n"
                    "\n"
                    "NOTE gemaakt door Teams\n"
                    "op dinsdag\n"
                    "\n"
                    "STYLE\n"
                    "::cue { color: yellow }\n"
                    "\n"
                    "a1/1-0\n"
                    "00:00:01.000 --> 00:00:04.000 align:start position:10%\n"
                    "<v Coach>Hoi, <i>fijn</i> dat je er\n"
                    "bent.</v>\n"
                    "\n"
                    "00:00:04.000 --> 00:00:06.500\n"
                    "<v.loud Coach>Ga <c.yellow>zitten</c>.<00:00:05.000> Koffie &amp; thee?</v>\n"
                    "\n"
                    "01:02.000 --> 01:03.250\n"
                    "<v Klant>Graag &lt;3 &#233;&#x20AC;</v>\n";
    ck_assert_int_eq(tu_read_str(&x, "a.vtt", s, NULL), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 0, "Coach", TS_ROLE_PROFESSIONAL, "Hoi, fijn dat je er bent. Ga zitten. Koffie & thee?");
    ck_assert(x.turns[0].start == 1.0 && x.turns[0].end == 6.5);
    ck_assert_uint_eq(x.turns[0].line, 12);
    ck_turn(&x, 1, "Klant", TS_ROLE_CLIENT, "Graag <3 é€");
    ck_assert(x.turns[1].start == 62.0 && x.turns[1].end == 63.25);
    ck_assert_uint_eq(x.failed, 0);
    ck_no_diags(&x);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_vtt_multi_voice_cue)
{
    tu_read x;
    const char *s = "WEBVTT\n\n"
                    "00:00:01.000 --> 00:00:02.000\n"
                    "<v T>Mooi.</v> <v C>Ja.</v>\n"
                    "<v T>Zullen we?</v>\n"
                    "\n"
                    "00:00:02.000 --> 00:00:03.000\n"
                    "Ja hoor.\n";
    ck_assert_int_eq(tu_read_str(&x, "a.vtt", s, NULL), 0);
    ck_assert_uint_eq(x.n, 3);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Mooi.");
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Ja.");
    ck_turn(&x, 2, "T", TS_ROLE_PROFESSIONAL, "Zullen we? Ja hoor."); /* no speaker: continues */
    ck_assert(x.turns[2].start == 1.0 && x.turns[2].end == 3.0);
    ck_no_diags(&x);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_vtt_name_prefix_and_overlap)
{
    tu_read x;
    /* Zoom style: "Name: " in the cue; overlapping cues keep their order. */
    const char *s = "WEBVTT\n\n"
                    "1\n00:00:01.000 --> 00:00:05.000\nBegeleider: Hoe gaat het?\n\n"
                    "2\n00:00:04.000 --> 00:00:06.000\nDeelnemer: Goed.\n\n"
                    "3\n00:00:05.500 --> 00:00:07.000\nDeelnemer: Echt goed.\n\n"
                    "4\n00:00:03.000 --> 00:00:04.500\nBegeleider: Fijn!\n\n"
                    "5\n00:00:06.000 --> 00:00:09.000\nBegeleider: En verder?\n\n"
                    "6\n00:00:08.000 --> 00:00:08.500\nNog iets.\n";
    ck_assert_int_eq(tu_read_str(&x, "zoom.vtt", s, NULL), 0);
    ck_assert_uint_eq(x.n, 3);
    ck_turn(&x, 0, "Begeleider", TS_ROLE_PROFESSIONAL, "Hoe gaat het?");
    ck_turn(&x, 1, "Deelnemer", TS_ROLE_CLIENT, "Goed. Echt goed.");
    ck_assert(x.turns[1].start == 4.0 && x.turns[1].end == 7.0);
    ck_turn(&x, 2, "Begeleider", TS_ROLE_PROFESSIONAL, "Fijn! En verder? Nog iets.");
    ck_assert(x.turns[2].start == 3.0 && x.turns[2].end == 9.0); /* latest end of its cues */
    ck_no_diags(&x);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_vtt_errors)
{
    tu_read x;
    const char *s = "WEBVTT\n\n"
                    "00:00:01.000 --> 00:00:02.000\n"
                    "Wie zegt dit?\n\n"                        /* 4: no speaker yet */
                    "00:00:02.000 --> 00:00:03.000\n"
                    "En dit?\n\n"                              /* 7: same failed turn */
                    "00:00:03.000 --> 00:00:04.000\n"
                    "<v Sanne>Hoi.</v>\n\n"                    /* 10: unknown voice */
                    "00:00:04.000 --> 00:00:05.000\n"
                    "<v Sanne>Nog eens.</v>\n\n"               /* 13: merges into it */
                    "00:00:05.000 --> zes\n"
                    "<v T>Kapotte tijd.</v>\n\n"               /* 15: bad timing */
                    "00:00:06.000 --> 00:00:07.000\n"
                    "<v T>Goed.</v>\n\n"
                    "losse tekst\n\n"                           /* 21: not a cue */
                    "cue-id\n"
                    "geen tijd\n\n"                             /* 24: id without timing */
                    "00:00:61.000 --> 00:00:62.000\n"
                    "<v C>Zestig seconden.</v>\n\n"           /* 26: seconds >= 60 */
                    "00:00:08.000 --> 00:00:09.000\n"
                    "<v C>Oké.</v>\n";
    ck_assert_int_eq(tu_read_str(&x, "a.vtt", s, NULL), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Goed.");
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Oké.");
    ck_assert_uint_eq(x.failed, 6);
    ck_diag(&x, TS_SEV_ERROR, 4, "cue text without a speaker");
    ck_diag(&x, TS_SEV_ERROR, 10,
            "unknown speaker label 'Sanne'; name its role with a block 'NOTE rollen: Sanne=professional' "
            "after the WEBVTT line or --roles Sanne=professional");
    ck_diag(&x, TS_SEV_ERROR, 15, "bad cue timing");
    ck_diag(&x, TS_SEV_ERROR, 21, "text outside a cue");
    ck_diag(&x, TS_SEV_ERROR, 24, "expected a cue timing line");
    ck_diag(&x, TS_SEV_ERROR, 26, "bad cue timing");
    ck_assert_uint_eq(x.diags.errors, 6);
    /* the unknown voice is reported where its name stands */
    for (size_t i = 0; i < x.diags.n; i++)
        if (x.diags.v[i].line == 10) ck_assert_uint_eq(x.diags.v[i].col, 4);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_vtt_note_roles_and_missing_header)
{
    tu_read x;
    const char *s = "WEBVTT\n\n"
                    "NOTE rollen: Marieke=professional\n"
                    "roles: Daan=client\n\n"
                    "00:01.000 --> 00:02.000\n<v Marieke>Hoi.</v>\n\n"
                    "00:02.000 --> 00:03.000\n<v Daan>Hoi.</v>\n";
    ck_assert_int_eq(tu_read_str(&x, "a.vtt", s, NULL), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 0, "Marieke", TS_ROLE_PROFESSIONAL, "Hoi.");
    ck_turn(&x, 1, "Daan", TS_ROLE_CLIENT, "Hoi.");
    ck_no_diags(&x);
    tu_read_free(&x);

    /* No blank line after the header or a NOTE: the cue is still read. */
    s = "WEBVTT\n00:01.000 --> 00:02.000\n<v T>Hoi.</v>\n\nNOTE x\n00:02.000 --> 00:03.000\n<v C>Ja.</v>\n";
    ck_assert_int_eq(tu_read_str(&x, "a.vtt", s, NULL), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Hoi.");
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Ja.");
    ck_no_diags(&x);
    tu_read_free(&x);

    s = "00:01.000 --> 00:02.000\n<v T>Hoi.</v>\n";
    ck_assert_int_eq(tu_read_str(&x, "a.vtt", s, NULL), 0);
    ck_assert_uint_eq(x.n, 1);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Hoi.");
    ck_diag(&x, TS_SEV_WARNING, 1, "no 'WEBVTT' line");
    tu_read_free(&x);
}
END_TEST

START_TEST(test_vtt_limits)
{
    tu_read x;
    const char *s = "WEBVTT\n\n"
                    "00:01.000 --> 00:02.000\n<v T>Kort.</v>\n\n"
                    "00:02.000 --> 00:03.000\n<v C>Deze cue heeft een veel te lange regel.</v>\n\n"
                    "00:03.000 --> 00:04.000\n<v C>En deze hoort erbij.</v>\n\n"
                    "00:04.000 --> 00:05.000\n<v T>Weer kort.</v>\n\n"
                    "00:05.000 --> 00:06.000\n<v T>Samen te lang</v>\n";
    read_limited(&x, "a.vtt", s, strlen(s), 40, 20);
    ck_assert_uint_eq(x.n, 1);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Kort.");
    ck_assert_uint_eq(x.failed, 2);
    ck_diag(&x, TS_SEV_ERROR, 7, "line is longer than 40 bytes");
    ck_diag(&x, TS_SEV_ERROR, 13, "turn is longer than 20 bytes");
    tu_read_free(&x);
}
END_TEST

/* ---- SRT ---------------------------------------------------------------- */

START_TEST(test_srt_basic)
{
    tu_read x;
    const char *s = "1\n"
                    "00:00:01,000 --> 00:00:04,000\n"
                    "T: Wat wil je\n"
                    "bereiken?\n"
                    "\n"
                    "2\n"
                    "00:00:04,000 --> 00:00:05,500\n"
                    "<i>Vertel</i> maar.\n"
                    "\n"
                    "3\n"
                    "00:00:06,000 --> 00:00:08,000\n"
                    "{\\an8}C: Minder schulden.\n"
                    "4\n"                              /* no blank line before it */
                    "00:00:08,000 --> 00:00:09,000\n"
                    "C: Echt.\n"
                    "\n\n"
                    "5\n"
                    "00:00:09,000 --> 00:00:10,000\n"
                    "T: Hoeveel?\n"
                    "\n"
                    "6\n"
                    "00:00:10,000 --> 00:00:11,000\n"
                    "C: Wel\n"
                    "3000\n"                           /* a number as text */
                    "euro.\n";
    ck_assert_int_eq(tu_read_str(&x, "a.srt", s, NULL), 0);
    ck_assert_int_eq(x.fmt, TS_FMT_SRT);
    ck_assert_uint_eq(x.n, 4);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Wat wil je bereiken? Vertel maar.");
    ck_assert(x.turns[0].start == 1.0 && x.turns[0].end == 5.5);
    ck_assert_uint_eq(x.turns[0].line, 3);
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Minder schulden. Echt.");
    ck_assert(x.turns[1].start == 6.0 && x.turns[1].end == 9.0);
    ck_turn(&x, 2, "T", TS_ROLE_PROFESSIONAL, "Hoeveel?");
    ck_turn(&x, 3, "C", TS_ROLE_CLIENT, "Wel 3000 euro.");
    ck_no_diags(&x);
    tu_read_free(&x);
}
END_TEST

START_TEST(test_srt_errors)
{
    tu_read x;
    const char *s = "1\n00:00:01,000 --> 00:00:02,000\nZonder naam.\n\n"
                    "2\n00:00:02,000 --> 00:00:03,000\nSanne: Hoi.\n\n"
                    "3\n00:00:03,000 --> 00:00:04,000\nT: Hoi Sanne.\n\n"
                    "4\n00:00:04;000 --> 00:00:05,000\nC: Kapot.\n\n"
                    "5\n00:00:05,000 --> 00:00:06,000\nC: Hoi.\n";
    ck_assert_int_eq(tu_read_str(&x, "a.srt", s, NULL), 0);
    ck_assert_uint_eq(x.n, 2);
    ck_turn(&x, 0, "T", TS_ROLE_PROFESSIONAL, "Hoi Sanne.");
    ck_turn(&x, 1, "C", TS_ROLE_CLIENT, "Hoi.");
    ck_assert_uint_eq(x.failed, 3);
    ck_diag(&x, TS_SEV_ERROR, 3, "cue text without a speaker, and no earlier cue names one; start the "
                                 "cue with 'Name: '");
    char *out = tu_diag_text(&x.diags);
    ck_assert_msg(strstr(out, "a.srt:7:1: error: unknown speaker label 'Sanne'; name its role with "
                              "--roles Sanne=professional (or =client, =other)\n"), "%s", out);
    free(out);
    ck_diag(&x, TS_SEV_ERROR, 14, "bad cue timing");
    tu_read_free(&x);

    /* a label with a space is quoted for the shell */
    ck_assert_int_eq(tu_read_str(&x, "a.jsonl", "{\"speaker\":\"Anna de Vries\",\"text\":\"x\"}\n", NULL), 0);
    ck_diag(&x, TS_SEV_ERROR, 1, "--roles 'Anna de Vries=professional'");
    tu_read_free(&x);
}
END_TEST

/* ---- the sample session in four formats ------------------------------ */

START_TEST(test_sample_four_formats_agree)
{
    static const char *files[] = {"sessie.txt", "sessie.jsonl", "sessie.vtt", "sessie.srt"};
    tu_read x[4];
    for (int i = 0; i < 4; i++) {
        char *rel = ts_strdupf("corpora/sample/%s", files[i]);
        char *p = src_path(rel);
        /* SRT has no header for roles: the CLI's --roles names them */
        ck_assert_int_eq(tu_read_file(&x[i], p, TS_FMT_AUTO, i == 3 ? "Marieke=professional,Daan=client" : NULL), 0);
        ck_assert_int_eq(x[i].fmt, (ts_format)(TS_FMT_TXT + i));
        ck_assert_msg(x[i].n >= 40, "%s: %zu turns", files[i], x[i].n);
        ck_assert_uint_eq(x[i].failed, 0);
        ck_no_diags(&x[i]);
        free(p);
        free(rel);
    }
    ck_assert_ptr_nonnull(x[1].meta);
    for (int i = 1; i < 4; i++) {
        ck_assert_msg(x[i].n == x[0].n, "%s: %zu turns, sessie.txt: %zu", files[i], x[i].n, x[0].n);
        for (size_t k = 0; k < x[0].n; k++) {
            const ts_turn *a = &x[0].turns[k], *b = &x[i].turns[k];
            ck_assert_msg(!strcmp(a->speaker, b->speaker) && a->role == b->role && !strcmp(a->text, b->text),
                          "%s turn %zu (line %lu): [%s] \"%s\" vs sessie.txt line %lu: [%s] \"%s\"", files[i],
                          k, b->line, b->speaker, b->text, a->line, a->speaker, a->text);
            /* the timed formats agree on times too */
            if (i > 1) {
                const ts_turn *j = &x[1].turns[k];
                ck_assert_msg(b->start - j->start < 0.001 && j->start - b->start < 0.001 &&
                                  b->end - j->end < 0.001 && j->end - b->end < 0.001,
                              "%s turn %zu: %.3f-%.3f vs jsonl %.3f-%.3f", files[i], k, b->start, b->end,
                              j->start, j->end);
            }
        }
    }
    /* the session has what the demo needs to show */
    int waarom = 0, schaal = 0, zes = 0;
    for (size_t k = 0; k < x[0].n; k++) {
        const ts_turn *t = &x[0].turns[k];
        waarom += strstr(t->text, "Waarom") != NULL;
        schaal += strstr(t->text, "op een schaal van 0 tot 10") != NULL || strstr(t->text, "Op een schaal van 0 tot 10");
        zes += strstr(t->text, "Een zes") != NULL && t->role == TS_ROLE_CLIENT;
    }
    ck_assert(waarom == 1 && schaal == 1 && zes == 1);
    for (int i = 0; i < 4; i++) tu_read_free(&x[i]);
}
END_TEST

static Suite *read_suite(void)
{
    Suite *s = suite_create("read");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_role_parse);
    tcase_add_test(tc, test_format_parse);
    tcase_add_test(tc, test_rolemap_builtin);
    tcase_add_test(tc, test_rolemap_spec);
    tcase_add_test(tc, test_txt_basic);
    tcase_add_test(tc, test_txt_continuation_comments_blank);
    tcase_add_test(tc, test_txt_same_speaker_new_turns);
    tcase_add_test(tc, test_txt_rollen_header);
    tcase_add_test(tc, test_txt_unknown_label);
    tcase_add_test(tc, test_txt_text_before_first_label);
    tcase_add_test(tc, test_txt_bom_crlf_no_final_newline);
    tcase_add_test(tc, test_empty_inputs);
    tcase_add_test(tc, test_invalid_utf8_and_nul);
    tcase_add_test(tc, test_utf16_refused);
    tcase_add_test(tc, test_fixture_files);
    tcase_add_test(tc, test_open_errors);
    tcase_add_test(tc, test_stdin);
    tcase_add_test(tc, test_format_detection);
    tcase_add_test(tc, test_txt_line_too_long);
    tcase_add_test(tc, test_txt_turn_too_long);
    tcase_add_test(tc, test_streaming_bounded);
    tcase_add_test(tc, test_crlf_across_chunks);
    tcase_add_test(tc, test_jsonl_basic);
    tcase_add_test(tc, test_jsonl_errors);
    tcase_add_test(tc, test_jsonl_meta_roles_limits);
    tcase_add_test(tc, test_vtt_voices_merge_tags);
    tcase_add_test(tc, test_vtt_multi_voice_cue);
    tcase_add_test(tc, test_vtt_name_prefix_and_overlap);
    tcase_add_test(tc, test_vtt_errors);
    tcase_add_test(tc, test_vtt_note_roles_and_missing_header);
    tcase_add_test(tc, test_vtt_limits);
    tcase_add_test(tc, test_srt_basic);
    tcase_add_test(tc, test_srt_errors);
    tcase_add_test(tc, test_sample_four_formats_agree);
    suite_add_tcase(s, tc);

    TCase *big = tcase_create("big");
    tcase_set_timeout(big, 120);
    tcase_add_test(big, test_txt_line_over_real_limit);
    suite_add_tcase(s, big);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(read_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
