/* rules.h - the rule language: parse, compile, and the compiled rule set.
 *
 * A rule directory holds *.rules files (codes, lexicons, rules, exclusive
 * groups) and the word lists they name (*.lex). The language is described in
 * rules/README.md; this header is the compiler's contract with the matcher
 * and the classifier.
 *
 * The compiled ts_ruleset is immutable after ts_rules_load() and may be
 * shared by any number of threads; all per-scan state lives in the caller's
 * ts_matcher (match.h).
 */
#ifndef TS_RULES_H
#define TS_RULES_H
#include "diag.h"
#include "transcript.h"
#include "util.h"
#include <stddef.h>
#include <stdint.h>

/* One element of a token pattern (the AST is kept for the fast matcher and
 * for atom extraction; the reference matcher uses the PCRE2 translation). */
typedef enum {
    TS_PE_WORD,      /* literal key; prefix when 'prefix' is set */
    TS_PE_LEX,       /* lexicon reference */
    TS_PE_ANY,       /* _ : one token */
    TS_PE_NUM,       /* <num> */
    TS_PE_GAP,       /* ~N */
    TS_PE_OPT,       /* [ ... ] */
    TS_PE_ALT,       /* ( a | b ) : children are sequences */
    TS_PE_SEQ,
    TS_PE_START,     /* ^ */
    TS_PE_END,       /* $ */
    TS_PE_NOT        /* !word, !@lex or !( a | b ): one token where none of these starts */
} ts_pe_kind;

typedef struct ts_pelem {
    ts_pe_kind kind;
    char *word;             /* TS_PE_WORD / TS_PE_NOT(word): key */
    int prefix;             /* word ends in '*' */
    int lex;                /* TS_PE_LEX / TS_PE_NOT(lex): lexicon index, else -1 */
    int gap;                /* TS_PE_GAP: max tokens */
    int wid;                /* TS_PE_WORD: its word id in the atom table, or -1;
                               a cache that ts_atoms_build fills */
    struct ts_pelem **kids; /* TS_PE_OPT/ALT/SEQ */
    size_t nkids;
} ts_pelem;

typedef struct ts_lexentry {
    char *key;     /* normalised; may hold spaces (multi-word) */
    size_t klen;   /* strlen(key): lexicons are sorted longest first, twice per load */
    int prefix;    /* entry ended in '*' */
    int has_value;
    double value;
} ts_lexentry;

typedef struct ts_lexicon {
    char *name;
    ts_lexentry *e;
    size_t n;
    char *file; unsigned long line;
    char *re; size_t relen;   /* its regex alternation, written once when the pack is compiled */
} ts_lexicon;

typedef struct ts_codedef {
    char *name;        /* "question.open" */
    char *family;      /* "question", "reflection", "sf", "change_talk", ... */
    unsigned roles;    /* bit mask of 1u << ts_role */
    char *explain;     /* Dutch, one line */
    char *file; unsigned long line;
} ts_codedef;

typedef struct ts_pattern {
    char *src;          /* the text as written */
    int is_regex;       /* user PCRE2 over the key text */
    ts_pelem *ast;      /* token patterns only */
    void *re;           /* pcre2_code*, owned by the ruleset; for most token
                           patterns translated and compiled on first use */
    const struct ts_ruleset *lazy; /* its ruleset while that first use is still to
                           come (the translation reads the lexicons), else NULL */
    int turn_start;     /* ^^ : first sentence of the turn only */
    int turn_end;       /* $$ : last sentence of the turn only */
    unsigned long line, col;
    int jit;            /* re has been JIT-compiled (see ts_rules_ensure_jit) */
} ts_pattern;

typedef struct ts_example {
    int positive;
    char *text;        /* mini transcript: "C: ... >> T: ..." or one sentence */
    unsigned long line;
} ts_example;

/* final punctuation bits */
enum { TS_FIN_Q = 1, TS_FIN_EXCL = 2, TS_FIN_DOT = 4, TS_FIN_ELL = 8, TS_FIN_NONE = 16 };

typedef struct ts_rule {
    char *id;
    int code;                 /* index into codes */
    char *file; unsigned long line;
    unsigned roles;           /* 0 = the code's roles */
    unsigned finals;          /* 0 = any */
    ts_pattern *match; size_t nmatch;
    ts_pattern *unless; size_t nunless;
    ts_pattern *after_match; size_t nafter_match; /* a sentence of the previous turn matches one */
    int *requires; size_t nrequires;       /* sentence has any of these codes */
    int *without; size_t nwithout;         /* sentence has none of these codes */
    int *without_turn; size_t nwithout_turn;
    int *suppress; size_t nsuppress;       /* same sentence */
    int *suppress_turn; size_t nsuppress_turn;
    unsigned after_roles;     /* previous turn's role in this mask (0 = any) */
    int *after_codes; size_t nafter_codes; /* previous turn has any */
    int *after_no; size_t nafter_no;       /* previous turn has none */
    int recent_n;                          /* one of the last recent_n turns has any of recent_codes */
    int *recent_codes; size_t nrecent_codes;
    int min_words, max_words;              /* turn word count (0 = no bound) */
    double echo_min;                       /* share of the unit's content words heard in the previous turn (0 = off) */
    double echo_max;                       /* at most this share (1 = off) */
    int novel;                             /* the match must hold a content word the previous turn did not use */
    int priority;
    int value;                             /* extract a number */
    int *value_lex; size_t nvalue_lex;
    double value_min, value_max;
    char *explain, *tip;
    ts_example *ex; size_t nex;
    int stage;                             /* evaluation stage (from requires) */
} ts_rule;

/* A rule's pattern lists by number, for code that treats them alike (the
 * atoms, the compile-all check): match, unless, after-match. */
enum { TS_PL_MATCH, TS_PL_UNLESS, TS_PL_AFTER, TS_PATTERN_LISTS };
static inline ts_pattern *ts_rule_patterns(const ts_rule *r, int list, size_t *n)
{
    switch (list) {
    case TS_PL_MATCH: *n = r->nmatch; return r->match;
    case TS_PL_UNLESS: *n = r->nunless; return r->unless;
    default: *n = r->nafter_match; return r->after_match;
    }
}

/* The codes the engine itself reads (scores, structure): their indexes are
 * resolved once when a pack is compiled, not by name on every turn. The
 * sf.* block and the two DARN-CAT blocks keep the order of ts_sf_codes and
 * ts_subtypes (score.h). */
#define TS_KNOWN_CODES(X) \
    X(Q_OPEN, "question.open") X(Q_CLOSED, "question.closed") X(Q_WHY, "question.why") \
    X(R_SIMPLE, "reflection.simple") X(R_COMPLEX, "reflection.complex") X(R_DOUBLE, "reflection.double_sided") \
    X(SUMMARY, "summary") X(AFFIRMATION, "affirmation") X(PERMISSION, "permission") X(AUTONOMY, "autonomy") \
    X(ADVICE, "advice") X(INFORMATION, "information") X(SCALE_ANSWER, "scale.answer") \
    X(TALK_PROBLEM, "talk.problem") X(TALK_SOLUTION, "talk.solution") \
    X(IA_VISITOR, "interaction.visitor") X(IA_COMPLAINANT, "interaction.complainant") X(IA_CUSTOMER, "interaction.customer") \
    X(SF_GOAL, "sf.goal") X(SF_MIRACLE, "sf.miracle") X(SF_EXCEPTION, "sf.exception") X(SF_SUCCESS, "sf.success") \
    X(SF_SCALING, "sf.scaling") X(SF_COPING, "sf.coping") X(SF_DIFFERENCE, "sf.difference") X(SF_MORE, "sf.more") \
    X(SF_RELATIONSHIP, "sf.relationship") X(SF_NEXT_STEP, "sf.next_step") X(SF_CONSEQUENCE, "sf.consequence") \
    X(CT_DESIRE, "change_talk.desire") X(CT_ABILITY, "change_talk.ability") X(CT_REASON, "change_talk.reason") \
    X(CT_NEED, "change_talk.need") X(CT_COMMITMENT, "change_talk.commitment") \
    X(CT_ACTIVATION, "change_talk.activation") X(CT_TAKING_STEPS, "change_talk.taking_steps") \
    X(ST_DESIRE, "sustain_talk.desire") X(ST_ABILITY, "sustain_talk.ability") X(ST_REASON, "sustain_talk.reason") \
    X(ST_NEED, "sustain_talk.need") X(ST_COMMITMENT, "sustain_talk.commitment") \
    X(ST_ACTIVATION, "sustain_talk.activation") X(ST_TAKING_STEPS, "sustain_talk.taking_steps")
#define TS_K_ENUM(e, s) TS_K_##e,
enum { TS_KNOWN_CODES(TS_K_ENUM) TS_K_COUNT };
#undef TS_K_ENUM

typedef struct ts_ruleset {
    ts_codedef *codes; size_t ncodes;
    int known[TS_K_COUNT];     /* TS_K_* -> code index, or -1 when the pack lacks the code */
    ts_lexicon *lex; size_t nlex;
    ts_rule *rules; size_t nrules;
    int **groups; size_t *groupn; size_t ngroups;   /* exclusive groups (code indexes) */
    int *code_group;           /* per code: group index or -1 */
    int lex_opener;            /* lexicon "opener" or -1 */
    int lex_skip;              /* lexicon "skip" (fillers) or -1 */
    int lex_stop;              /* lexicon "stop" (function words, for echo) or -1 */
    int nstages;
    char *version;             /* rule-pack version ("version" statement) */
    char **dirs; size_t ndirs;
    struct ts_atoms *atoms;    /* the fast matcher's atom table (atoms.h), built last */
    ts_arena pe_arena;         /* the patterns' trees (ts_pelem and their words) */
} ts_ruleset;

/* Loads and compiles every *.rules file of each directory, in order (later
 * directories may redefine a rule id of an earlier one). Every problem is
 * reported to diags as file:line:col. Returns 0 and *out, or -1 when any
 * error was reported (*out is then NULL). */
int ts_rules_load(ts_ruleset **out, const char *const *dirs, size_t ndirs, ts_diags *diags);

/* Compiles rule text held in memory (for tests and the fuzzer). name is used
 * as the file name in diagnostics. */
int ts_rules_load_text(ts_ruleset **out, const char *name, const char *text, size_t len, ts_diags *diags);

void ts_rules_free(ts_ruleset *rs); /* NULL-safe */

/* Translates, compiles and JIT-compiles p->re on first use (under a lock,
 * once; thread-safe), so loading a rule pack does not pay for the patterns
 * the fast matcher verifies natively and never hands to PCRE2. Call before
 * every pcre2_match() of p->re; p->re stays NULL if PCRE2 refuses it. */
void ts_rules_ensure_jit(const ts_pattern *p);

/* Compiles every pattern still waiting for its first use and reports each
 * that PCRE2 refuses at its file:line:col (rules check does this). Returns
 * the number of errors. */
size_t ts_rules_compile_all(ts_ruleset *rs, ts_diags *diags);

int ts_rules_code_index(const ts_ruleset *rs, const char *name); /* -1 if unknown */

/* qsort order of ts_lexentry pointers: longer keys first, then strcmp. A
 * lexicon's PCRE2 alternation lists its entries in this order (PCRE2 takes
 * the first that fits), and the native matcher ranks them the same way. */
int ts_lexentry_order(const void *a, const void *b);

/* Does the per-code set (one byte per code) hold known code k (TS_K_*)? */
static inline int ts_known_in(const ts_ruleset *rs, const unsigned char *set, int k)
{
    int i = rs->known[k];
    return i >= 0 && set[i];
}
#define TS_HAS(rs, set, name) ts_known_in((rs), (set), TS_K_##name)

/* Finds the default rule directory: $TAALSPEL_RULES, the installed data
 * directory next to the executable (../share/taalspel/rules/nl), the
 * compiled-in TS_DATADIR, or ../rules/nl beside a build tree. Returns a
 * malloc'd path or NULL. */
char *ts_rules_default_dir(const char *argv0);

#endif
