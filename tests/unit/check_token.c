/* check_token.c - the Dutch tokenizer and sentence splitter: every Dutch
 * case of the foundation issue, asserted as the tokens a rule writer sees
 * (`taalspel tokens`) and the sentence boundaries. */
#include "token.h"
#include "util.h"
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ts_tokens T;

/* "tok|tok|tok" of the original text, with "||" at sentence ends */
static char *render(const char *text)
{
    ts_tokenize(&T, text, strlen(text));
    ts_buf b = {0};
    for (size_t s = 0; s < T.nsent; s++) {
        for (uint32_t i = T.sent[s].tok_begin; i < T.sent[s].tok_end; i++) {
            if (b.len && b.p[b.len - 1] != '|') ts_buf_putc(&b, '|');
            ts_buf_put(&b, text + T.tok[i].start, T.tok[i].end - T.tok[i].start);
        }
        ts_buf_puts(&b, "||");
    }
    return ts_buf_detach(&b);
}

#define ASSERT_TOKENS(text, want)                                                          \
    do {                                                                                   \
        char *got_ = render(text);                                                         \
        ck_assert_msg(!strcmp(got_, want), "\n  text: %s\n  want: %s\n  got:  %s", text, want, got_); \
        free(got_);                                                                        \
    } while (0)

static const char *key_of_token(const char *text, size_t i)
{
    ts_tokenize(&T, text, strlen(text));
    ck_assert_uint_gt(T.ntok, i);
    return ts_tok_key(&T, i);
}

START_TEST(test_clitics)
{
    ASSERT_TOKENS("Hoe gaat 't nu?", "Hoe|gaat|'t|nu|?||");
    ASSERT_TOKENS("'k Weet 't niet, 's avonds.", "'k|Weet|'t|niet|,|'s|avonds|.||");
    ASSERT_TOKENS("m'n moeder en z'n broer, d'r hond", "m'n|moeder|en|z'n|broer|,|d'r|hond||");
    ASSERT_TOKENS("zo'n gedoe", "zo'n|gedoe||");
    ASSERT_TOKENS("twee auto's en een sms'je, sms'en", "twee|auto's|en|een|sms'je|,|sms'en||");
    /* curly apostrophes are the same token, and the same key */
    ASSERT_TOKENS("m\xE2\x80\x99n auto\xE2\x80\x99s, \xE2\x80\x99t", "m\xE2\x80\x99n|auto\xE2\x80\x99s|,|\xE2\x80\x99t||");
    ck_assert_str_eq(key_of_token("m\xE2\x80\x99n", 0), "m'n");
    ck_assert_str_eq(key_of_token("\xE2\x80\x98t", 0), "'t");
}
END_TEST

START_TEST(test_compounds_and_numbers)
{
    ASSERT_TOKENS("Ik ga e-mailen.", "Ik|ga|e-mailen|.||");
    ASSERT_TOKENS("Een 6,5 op een schaal van 0-10, of 6/10, of 7/10.", "Een|6,5|op|een|schaal|van|0-10|,|of|6/10|,|of|7/10|.||");
    ASSERT_TOKENS("Om 12:30 of 3.5 uur", "Om|12:30|of|3.5|uur||");
    ts_tokenize(&T, "6,5", 3);
    ck_assert_int_eq(T.tok[0].kind, TS_TOK_NUMBER);
}
END_TEST

START_TEST(test_punctuation)
{
    ASSERT_TOKENS("Echt?! Nee...", "Echt|?!||Nee|...||");
    ASSERT_TOKENS("Hij zei: \"kom\" (zo).", "Hij|zei|:|\"|kom|\"|(|zo|)|.||");
    ASSERT_TOKENS("Nou\xE2\x80\xA6 ik weet het niet.", "Nou|\xE2\x80\xA6|ik|weet|het|niet|.||");
}
END_TEST

START_TEST(test_sentences)
{
    /* abbreviations do not end a sentence */
    ASSERT_TOKENS("Bijv. de bank bellen. O.a. je zus.", "Bijv.|de|bank|bellen|.||O.a.|je|zus|.||");
    ASSERT_TOKENS("Dus d.w.z. niet meer. Het kost ca. 5 euro.", "Dus|d.w.z.|niet|meer|.||Het|kost|ca.|5|euro|.||");
    ASSERT_TOKENS("Nog 10 min. wachten.", "Nog|10|min.|wachten|.||");
    /* an ellipsis inside a sentence does not end it; before a capital it does */
    ASSERT_TOKENS("Ik dacht... misschien wel. Nou... Ja.", "Ik|dacht|...|misschien|wel|.||Nou|...||Ja|.||");
    /* ? and ! end a sentence; a turn without a full stop is one sentence */
    ASSERT_TOKENS("Wat denk je? Ik weet het! en dan", "Wat|denk|je|?||Ik|weet|het|!||en|dan||");
    ts_tokenize(&T, "Wat denk je? Ik weet het", 24);
    ck_assert_uint_eq(T.nsent, 2);
    ck_assert_int_eq(T.sent[0].final, '?');
    ck_assert_int_eq(T.sent[1].final, 0);
    ts_tokenize(&T, "Nou...", 6);
    ck_assert_int_eq(T.sent[0].final, 'e');
    /* closing quotes stay with their sentence */
    ASSERT_TOKENS("Ze zei \"nee.\" Toen ging ik.", "Ze|zei|\"|nee|.|\"||Toen|ging|ik|.||");
}
END_TEST

START_TEST(test_keys)
{
    /* case-, diacritic- and NFC/NFD-insensitive keys; spans in the original */
    ck_assert_str_eq(key_of_token("\xC3\x89\xC3\xA9n", 0), "een");         /* Één (NFC) */
    ck_assert_str_eq(key_of_token("E\xCC\x81" "e\xCC\x81n", 0), "een");   /* Één (NFD) */
    ck_assert_str_eq(key_of_token("Cli\xC3\xABnt", 0), "client");
    ck_assert_str_eq(key_of_token("co\xC3\xB6rdinatie", 0), "coordinatie");
    ck_assert_str_eq(key_of_token("\xEF\xAC\x81" "ets", 0), "fiets");          /* the fi ligature */
    const char *t = "Één cliënt";
    ts_tokenize(&T, t, strlen(t));
    ck_assert_uint_eq(T.tok[1].start, 6);                                  /* byte offsets */
    ck_assert_uint_eq(T.tok[1].end, 13);
    char k[64];
    ts_key("Waaróm", 7, k, sizeof k);
    ck_assert_str_eq(k, "waarom");
}
END_TEST

START_TEST(test_long_words_and_edges)
{
    /* keys of words longer than one 16-byte vector, with capitals, an
     * accent past the sixteenth byte, a backtick apostrophe, and a word
     * that ends the buffer (no byte may be read past it) */
    ck_assert_str_eq(key_of_token("Arbeidsongeschiktheidsverzekering", 0), "arbeidsongeschiktheidsverzekering");
    ck_assert_str_eq(key_of_token("SCHULDHULPVERLENINGSTRAJECT!", 0), "schuldhulpverleningstraject");
    ck_assert_str_eq(key_of_token("Schuldhulpverleningscoöperatie", 0), "schuldhulpverleningscooperatie");
    ck_assert_str_eq(key_of_token("zo`n", 0), "zo'n");
    /* a word of a-z only is one token and its own key: the rule compiler
     * (rules.c key_of) relies on it and skips the tokenizer for such words */
    static const char *const plain[] = {"t", "k", "s", "nie", "ge", "kheb", "mss", "bijvoorbeeld", "ca", "enz", "a"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        ts_tokenize(&T, plain[i], strlen(plain[i]));
        ck_assert_uint_eq(T.ntok, 1);
        ck_assert_str_eq(ts_tok_key(&T, 0), plain[i]);
    }
    const char *t = "Nou, dat weet ik nog niet HOOR";
    char *copy = ts_strndup(t, strlen(t)); /* exactly strlen bytes + NUL: ASan sees an overread */
    ts_tokenize(&T, copy, strlen(copy));
    ck_assert_str_eq(ts_tok_key(&T, T.ntok - 1), "hoor");
    free(copy);
    /* abbreviations keep their period and do not end the sentence; a
     * word that only looks like one does */
    ASSERT_TOKENS("Zij komt bijv. morgen.", "Zij|komt|bijv.|morgen|.||");
    ASSERT_TOKENS("Dat is o.a. lastig. Ja.", "Dat|is|o.a.|lastig|.||Ja|.||");
    ASSERT_TOKENS("Ik neem de min. dosis. Goed.", "Ik|neem|de|min.|dosis|.||Goed|.||");
    ASSERT_TOKENS("Ik ga naar huis. Morgen weer.", "Ik|ga|naar|huis|.||Morgen|weer|.||");
}
END_TEST

START_TEST(test_invalid_bytes)
{
    const char t[] = "ja \xFF\xFE nee";
    ts_tokenize(&T, t, sizeof t - 1);
    ck_assert_uint_ge(T.ntok, 3);
    ck_assert_str_eq(ts_tok_key(&T, 0), "ja");
    ck_assert_str_eq(ts_tok_key(&T, T.ntok - 1), "nee");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("token");
    TCase *tc = tcase_create("token");
    tcase_add_test(tc, test_clitics);
    tcase_add_test(tc, test_compounds_and_numbers);
    tcase_add_test(tc, test_punctuation);
    tcase_add_test(tc, test_sentences);
    tcase_add_test(tc, test_keys);
    tcase_add_test(tc, test_long_words_and_edges);
    tcase_add_test(tc, test_invalid_bytes);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int nf = srunner_ntests_failed(sr);
    srunner_free(sr);
    ts_tokens_free(&T);
    return nf ? 1 : 0;
}
