/* limits.h - every tunable limit of taalspel, in one place.
 *
 * Each limit says why it exists. All can be overridden at build time, e.g.
 *   make CFLAGS_EXTRA='-DTS_MAX_TURN_BYTES=268435456'
 * The README's "Limits" section lists them; keep the two in sync.
 */
#ifndef TS_LIMITS_H
#define TS_LIMITS_H

/* Longest input line a reader accepts. A longer line is reported as an error
 * with file:line and its turn is not coded (it is counted as failed, never
 * silently cut). 64 MiB covers a whole transcript pasted on one line. */
#ifndef TS_MAX_LINE_BYTES
#define TS_MAX_LINE_BYTES (64u * 1024u * 1024u)
#endif

/* Longest turn (after continuation lines and merged cues are joined). */
#ifndef TS_MAX_TURN_BYTES
#define TS_MAX_TURN_BYTES (64u * 1024u * 1024u)
#endif

/* Longest speaker label. Labels are names, not sentences; a longer "label"
 * means the line was not a label line at all. */
#ifndef TS_MAX_LABEL_BYTES
#define TS_MAX_LABEL_BYTES 64
#endif

/* Sentences longer than this many tokens are matched in windows of this size.
 * Keeps regex verification linear on a 50 MB turn without a full stop. */
#ifndef TS_MAX_SENTENCE_TOKENS
#define TS_MAX_SENTENCE_TOKENS 400
#endif

/* Bytes of one token; longer runs (a base64 blob, a line of 10^6 '?') are
 * split into several tokens of at most this size. */
#ifndef TS_MAX_TOKEN_BYTES
#define TS_MAX_TOKEN_BYTES 256
#endif

/* ---- rule files. A rule directory is code someone else may have written;
 * these keep a hostile or absurd one from exhausting memory or compile
 * time. Each is reported as file:line:col when it is hit. */

/* Rules in a rule set (the rule pack has ~200). The first rule over it is
 * one error; the rest are not read. */
#ifndef TS_MAX_RULES
#define TS_MAX_RULES 20000
#endif
/* One rule file or lexicon file ("lexicon x from FILE"). */
#ifndef TS_MAX_RULE_FILE_BYTES
#define TS_MAX_RULE_FILE_BYTES (8u * 1024u * 1024u)
#endif
/* All rule files of a rule set together: bounds parse time and memory
 * however many files a rule directory holds. */
#ifndef TS_MAX_RULESET_BYTES
#define TS_MAX_RULESET_BYTES (64u * 1024u * 1024u)
#endif
/* Entries of one lexicon, also when it copies others through @references
 * (a diamond of references would otherwise double it at every level). */
#ifndef TS_MAX_LEXICON_ENTRIES
#define TS_MAX_LEXICON_ENTRIES 50000
#endif
/* How deep lexicons may refer to lexicons (@a in b in c ...); a cycle is
 * an error at any depth. */
#ifndef TS_MAX_LEXICON_DEPTH
#define TS_MAX_LEXICON_DEPTH 8
#endif
/* One "match"/"regex"/"unless" line as written. */
#ifndef TS_MAX_PATTERN_BYTES
#define TS_MAX_PATTERN_BYTES 4096
#endif
/* One pattern's regular expression once its @lexicons are written out, and
 * all patterns' together: a rule that names a 50000-word lexicon 400 times
 * would otherwise build gigabytes of regex text and compile for minutes.
 * (PCRE2 itself refuses compiled patterns over 64 KiB with its default
 * link size, so no useful pattern comes near the first limit.) */
#ifndef TS_MAX_REGEX_BYTES
#define TS_MAX_REGEX_BYTES (1024u * 1024u)
#endif
#ifndef TS_MAX_RULESET_REGEX_BYTES
#define TS_MAX_RULESET_REGEX_BYTES (64u * 1024u * 1024u)
#endif
/* One compiled pattern (PCRE2's own size), for builds of PCRE2 with a
 * larger link size. */
/* Token patterns are compiled to PCRE2 on first use; one nested deeper or
 * translated longer than these is compiled when the pack loads, so that
 * PCRE2's own limits (nesting, compiled size) show up there. */
#ifndef TS_EAGER_PATTERN_DEPTH
#define TS_EAGER_PATTERN_DEPTH 40
#endif
#ifndef TS_EAGER_REGEX_BYTES
#define TS_EAGER_REGEX_BYTES (16u * 1024u)
#endif

#ifndef TS_MAX_COMPILED_REGEX_BYTES
#define TS_MAX_COMPILED_REGEX_BYTES (256u * 1024u)
#endif
/* The widest "~N" gap in a token pattern, in tokens: gaps nest into
 * backtracking, and a wider one is no longer "near". */
#ifndef TS_MAX_GAP
#define TS_MAX_GAP 40
#endif
/* Depth of "requires"/"without" chains between codes (evaluation stages);
 * deeper or circular chains are an error. */
#ifndef TS_MAX_STAGES
#define TS_MAX_STAGES 8
#endif
/* Turns a rule can look back ("recent N codes"); the coder keeps this many
 * turns of codes. */
#ifndef TS_MAX_RECENT_TURNS
#define TS_MAX_RECENT_TURNS 20
#endif

/* ---- matching */

/* PCRE2 limits applied to every pattern: a user rule with catastrophic
 * backtracking is stopped and reported by rule id instead of hanging. */
#ifndef TS_PCRE2_MATCH_LIMIT
#define TS_PCRE2_MATCH_LIMIT 200000u
#endif
#ifndef TS_PCRE2_DEPTH_LIMIT
#define TS_PCRE2_DEPTH_LIMIT 5000u
#endif
/* Most memory PCRE2's JIT may use as its backtracking stack, per worker;
 * a pattern that needs more stops like one over the match limit. */
#ifndef TS_PCRE2_JIT_STACK_BYTES
#define TS_PCRE2_JIT_STACK_BYTES (512u * 1024u)
#endif

/* Backtracking steps the fast matcher spends on one pattern in one sentence
 * before it hands the pattern to PCRE2 (which then applies its own limits,
 * exactly as the reference matcher does). Ordinary patterns need < 100. */
#ifndef TS_NATIVE_MATCH_STEPS
#define TS_NATIVE_MATCH_STEPS 20000ul
#endif

/* Codes one turn can carry; more are reported and dropped per turn. */
#ifndef TS_MAX_CODES_PER_TURN
#define TS_MAX_CODES_PER_TURN 256
#endif

/* Diagnostics kept with their text per run (or per file of a batch); the
 * counters count them all, and the CLI says how many were not shown. */
#ifndef TS_MAX_DIAGS
#define TS_MAX_DIAGS 1000
#endif

/* Worker threads for batch runs. */
#ifndef TS_MAX_JOBS
#define TS_MAX_JOBS 256
#endif

#endif
