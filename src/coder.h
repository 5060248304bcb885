/* coder.h - coding turns: tokens -> rule matches -> codes.
 *
 * A ts_coder is one worker's state: match data, JIT stack, scratch buffers
 * and the context of the transcript being coded (the previous turns' roles
 * and codes). Many coders may share one ts_ruleset. Turns of a transcript
 * must be coded in order; ts_coder_reset() starts a new transcript.
 *
 * Coding is two jobs: finding, for each sentence, the rules whose patterns
 * match - by default the fast matcher (atoms.c: an atom prefilter picks the
 * candidate rules, token patterns are verified natively), or the reference
 * matcher (match.c: every rule's PCRE2 on the sentence's key text), which
 * the fast one equals byte for byte - and classify.c, which applies context
 * conditions, stages, suppression, exclusive groups and value extraction.
 */
#ifndef TS_CODER_H
#define TS_CODER_H
#include "diag.h"
#include "rules.h"
#include "structure.h"
#include "token.h"
#include "transcript.h"

typedef enum { TS_HIT_LIVE = 0, TS_HIT_SUPPRESSED = 1, TS_HIT_EXCLUSIVE = 2, TS_HIT_DUPLICATE = 3 } ts_hit_state;

typedef struct ts_hit {
    int code, rule;
    uint32_t unit;          /* index of the matching unit (sentence or window) */
    uint32_t start, end;    /* byte span in the turn text */
    int has_value;
    double value;
    ts_hit_state state;
    int by_rule;            /* suppressing / winning rule, or -1 */
} ts_hit;

typedef struct ts_unit {
    uint32_t sentence;      /* sentence index in the turn */
    uint32_t tok_begin, tok_end;
    char final;             /* the sentence's final punctuation */
    int first, last;        /* first / last unit of the turn */
} ts_unit;

/* The result of coding one turn; owned by the coder, valid until the next
 * ts_coder_code() or ts_coder_free(). */
typedef struct ts_coded {
    const ts_tokens *tok;
    const ts_unit *units; size_t nunits;
    const ts_hit *hits; size_t nhits;   /* all hits, live and suppressed */
    size_t words;                        /* word and number tokens */
    ts_turn_structure st;                /* talk type, phase, pillar, interaction (structure.h) */
} ts_coded;

typedef struct ts_coder ts_coder;

/* Creates a coder over rs (borrowed; must outlive the coder). */
ts_coder *ts_coder_new(const ts_ruleset *rs);
void ts_coder_free(ts_coder *c);             /* NULL-safe */
void ts_coder_reset(ts_coder *c);             /* start a new transcript */

/* Codes turn t in the context of the turns coded since the last reset.
 * Problems (a rule stopped by a PCRE2 limit) go to diags with the turn's
 * file:line. Returns the coded turn. */
const ts_coded *ts_coder_code(ts_coder *c, const ts_turn *t, const char *file, ts_diags *diags);

/* Chooses the matcher: fast (atoms.c; the default) or, with fast = 0, the
 * reference matcher (every rule's PCRE2 on every unit), the oracle the fast
 * one must agree with byte for byte. */
void ts_coder_set_matcher(ts_coder *c, int fast);

/* Keep the key text of every unit (for `explain`); off by default. */
void ts_coder_want_keytext(ts_coder *c, int on);
/* The key text of unit u of the last coded turn (for `explain`). */
const char *ts_coder_keytext(ts_coder *c, size_t u);

/* Per-rule profile (when enabled): nanoseconds spent and candidate
 * matches rejected by unless/conditions. */
void ts_coder_profile(ts_coder *c, int on);
typedef struct ts_rule_prof { unsigned long long ns, tries, hits, rejected; } ts_rule_prof;
const ts_rule_prof *ts_coder_profile_data(const ts_coder *c);

/* --- internal to match.c / classify.c --- */
typedef struct ts_matcher ts_matcher;
ts_matcher *ts_matcher_new(const ts_ruleset *rs);
void ts_matcher_free(ts_matcher *m);
/* Prepares the key text of tokens [b,e) of tok (skips fillers, quotes,
 * brackets and sentence-final punctuation). */
void ts_matcher_prepare(ts_matcher *m, const ts_tokens *tok, uint32_t b, uint32_t e);
const char *ts_matcher_keytext(const ts_matcher *m, size_t *len);
/* Runs one pattern on the prepared text. Returns 1 and the token range
 * [*tb, *te) of the match, 0 for no match, <0 when a PCRE2 limit stopped it. */
int ts_matcher_run(ts_matcher *m, const ts_pattern *p, uint32_t *tb, uint32_t *te);

#endif
