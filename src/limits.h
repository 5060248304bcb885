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

/* Rule files: total rules, a rule file's size, lexicon entries, pattern
 * length, lexicon reference depth. These keep a hostile rule directory from
 * exhausting memory or compile time. */
#ifndef TS_MAX_RULES
#define TS_MAX_RULES 20000
#endif
#ifndef TS_MAX_RULE_FILE_BYTES
#define TS_MAX_RULE_FILE_BYTES (8u * 1024u * 1024u)
#endif
#ifndef TS_MAX_LEXICON_ENTRIES
#define TS_MAX_LEXICON_ENTRIES 50000
#endif
#ifndef TS_MAX_PATTERN_BYTES
#define TS_MAX_PATTERN_BYTES 4096
#endif
#ifndef TS_MAX_COMPILED_REGEX_BYTES
#define TS_MAX_COMPILED_REGEX_BYTES (256u * 1024u)
#endif
#ifndef TS_MAX_LEXICON_DEPTH
#define TS_MAX_LEXICON_DEPTH 8
#endif
#ifndef TS_MAX_GAP
#define TS_MAX_GAP 40 /* the widest "~" gap in a token pattern, in tokens */
#endif
#ifndef TS_MAX_STAGES
#define TS_MAX_STAGES 8 /* depth of "requires" chains between codes */
#endif

/* PCRE2 limits applied to every pattern: a user rule with catastrophic
 * backtracking is stopped and reported by rule id instead of hanging. */
#ifndef TS_PCRE2_MATCH_LIMIT
#define TS_PCRE2_MATCH_LIMIT 200000u
#endif
#ifndef TS_PCRE2_DEPTH_LIMIT
#define TS_PCRE2_DEPTH_LIMIT 5000u
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

/* Worker threads for batch runs. */
#ifndef TS_MAX_JOBS
#define TS_MAX_JOBS 256
#endif

#endif
