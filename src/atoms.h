/* atoms.h - the fast matcher: atom prefilter and native verification.
 *
 * At compile time (the end of ts_rules_load) every rule's patterns are
 * reduced to "atoms": words (or word prefixes, or literal byte strings of a
 * user regex) of which at least one must occur in a sentence for the
 * pattern to match. ts_atoms holds them in one word dictionary, one prefix
 * trie and one Aho-Corasick automaton, together with each token pattern
 * compiled to a small backtracking program that gives the very same match
 * span as its PCRE2 translation. The table is immutable and shared by all
 * threads, like the rest of ts_ruleset.
 *
 * At scan time a ts_scanner (one per worker) looks up every token of a turn
 * once, collects per sentence the rules whose atoms occur (the candidates),
 * and verifies only those. See the essay at the top of atoms.c.
 */
#ifndef TS_ATOMS_H
#define TS_ATOMS_H
#include "coder.h"
#include "rules.h"
#include "token.h"
#include "util.h"
#include <stdint.h>

typedef struct ts_atoms ts_atoms;
typedef struct ts_scanner ts_scanner;

/* Builds the atom table of rs (rules, lexicons and patterns must be final).
 * Never fails; the caller (the rule compiler) owns the result and stores it
 * in rs->atoms. */
ts_atoms *ts_atoms_build(const ts_ruleset *rs);
void ts_atoms_free(ts_atoms *a); /* NULL-safe */

/* A slow rule has a match pattern without a usable atom: it is verified on
 * every sentence. Returns 1 and a static reason in *why (may be NULL) for a
 * slow rule, else 0. */
int ts_atoms_rule_slow(const ts_atoms *a, size_t rule, const char **why);
size_t ts_atoms_nslow(const ts_atoms *a);

/* Appends a readable list of rule `rule`'s atoms ("wat|hoe|welk*") to out,
 * one group per match pattern separated by " ; " ("-" = none). */
void ts_atoms_describe(const ts_atoms *a, const ts_ruleset *rs, size_t rule, ts_buf *out);

/* The index of code `name`, or -1 (a hash lookup; ts_rules_code_index()
 * uses it). */
int ts_atoms_code_index(const ts_atoms *a, const char *name);

/* Dictionary size, prefix atoms, regex byte atoms, native programs. */
typedef struct ts_atoms_stats {
    size_t words, prefixes, byte_atoms, programs, native;
    size_t groups, clauses, triggers; /* atom groups, clauses, word -> group links */
} ts_atoms_stats;
void ts_atoms_stats_get(const ts_atoms *a, ts_atoms_stats *st);

/* ------------------------------------------------------------ scanning */

/* A scanner over rs (borrowed; rs->atoms must be built). One per thread. */
ts_scanner *ts_scanner_new(const ts_ruleset *rs);
void ts_scanner_free(ts_scanner *s); /* NULL-safe */

/* Looks up every token of a turn once. tok is borrowed until the next call. */
void ts_scanner_turn(ts_scanner *s, const ts_tokens *tok);

/* Scans every unit of the last turn once (kept tokens - the reference
 * matcher's key text, as token ids - and candidate rules for a turn of role
 * `role`); the results serve every stage. */
void ts_scanner_units(ts_scanner *s, const ts_unit *units, size_t n, int role);

/* Makes unit u (of the last ts_scanner_units) the current one and stores in
 * *stages (if not NULL) the stages that have a candidate rule there (bit st
 * = stage st). Returns 0, or -1 when the unit holds a token whose key
 * contains a space: then the reference matcher must do it. */
int ts_scanner_use(ts_scanner *s, size_t u, unsigned *stages);

/* Candidate rules of the prepared unit: a bit set over rule indexes. */
const uint64_t *ts_scanner_candidates(const ts_scanner *s);

/* Is token i of the last turn a word of the "stop" lexicon? 1 or 0, or -1
 * when the scanner cannot tell (its key holds a space). */
int ts_scanner_stopword(const ts_scanner *s, size_t i);

enum { TS_SCAN_PCRE = 2 };
/* Verifies pattern k of one of rule's pattern lists (TS_PL_MATCH,
 * TS_PL_UNLESS, TS_PL_AFTER; rules.h) on the prepared unit. Returns 1 and
 * the token range [*tb, *te) of the leftmost match, 0 for no match - both
 * exactly what ts_matcher_run() would return - or TS_SCAN_PCRE when PCRE2
 * must decide (a user regex, or a pattern whose backtracking exceeded the
 * step budget). */
int ts_scanner_match(ts_scanner *s, size_t rule, int list, size_t k, uint32_t *tb, uint32_t *te);

/* The first pattern index >= k of rule's pattern list (of n patterns) that
 * can match the prepared unit - every pattern skipped lacks an atom it
 * needs, so ts_scanner_match would return 0 for it - or n when none can. A
 * rule of forty patterns of which one is a candidate costs one word test
 * instead of forty calls. */
size_t ts_scanner_next(const ts_scanner *s, size_t rule, int list, size_t k, size_t n);

#endif
