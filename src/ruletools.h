/* ruletools.h - the rule author's tools: `rules test`, `rules doc`,
 * `explain`. They print to the stream they are given (the CLI's stdout). */
#ifndef TS_RULETOOLS_H
#define TS_RULETOOLS_H
#include "rules.h"
#include <stdio.h>

/* Runs every rule's yes/no examples through the whole pipeline. Prints each
 * failure as "file:line: rule ID: ..." with the codes the example got.
 * Returns the number of failing examples; *total receives the count. */
size_t ts_rules_test(const ts_ruleset *rs, FILE *out, size_t *total, int verbose);

/* Writes the codebook (codes, explanations, rules, tips, examples) as
 * Markdown. */
void ts_rules_doc(const ts_ruleset *rs, FILE *out);

/* Codes a mini transcript ("C: ... >> T: ...", or one sentence spoken by
 * role) and prints, for each sentence of the last turn, its tokens, its key
 * text, every rule that fired with its span and value, and what was
 * suppressed and why. */
void ts_explain(const ts_ruleset *rs, const char *text, ts_role role, FILE *out);

/* Builds a txt transcript from a mini transcript; the last segment gets
 * label_for_role when it has no label of its own. Caller frees. */
char *ts_mini_transcript(const char *text, ts_role role);

#endif
