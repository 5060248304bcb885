/* taalspel.h - the public API of libtaalspel.
 *
 * taalspel codes Dutch MI and solution-focused conversation transcripts. The
 * library loads a rule pack once and codes transcripts into the same JSON,
 * JSON Lines or CSV the command line writes. The types are opaque; every
 * function says who owns what it returns. Thread safety: a loaded ruleset is
 * immutable and may be shared by any number of threads coding at once.
 *
 *   ts_ruleset *rs; char *err = NULL;
 *   const char *dirs[] = {"/usr/local/share/taalspel/rules/nl"};
 *   if (ts_load_rules(&rs, dirs, 1, &err) != 0) { fputs(err, stderr); ... }
 *   char *json = NULL;
 *   ts_code_buffer(rs, "sessie.txt", text, len, "json", &json, &err);
 *   ...
 *   free(json); free(err); ts_free_rules(rs);
 */
#ifndef TAALSPEL_H
#define TAALSPEL_H
#include <stddef.h>

#if defined(__GNUC__)
#define TS_EXPORT __attribute__((visibility("default")))
#else
#define TS_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* An immutable, compiled rule pack. */
typedef struct ts_ruleset ts_ruleset;

/* The library version, e.g. "0.1.0". Static storage. */
TS_EXPORT const char *ts_version(void);

/* The installed default rule directory, or NULL; the caller frees it. */
TS_EXPORT char *ts_default_rules_dir(void);

/* Loads and compiles the *.rules files of each directory (later ones may
 * redefine rule ids). Returns 0 and *out, or -1 with *errors set to a
 * malloc'd text of "file:line:col: error: message" lines (caller frees).
 * errors may be NULL. */
TS_EXPORT int ts_load_rules(ts_ruleset **out, const char *const *dirs, size_t ndirs, char **errors);

/* Frees a ruleset; NULL does nothing. */
TS_EXPORT void ts_free_rules(ts_ruleset *rs);

/* Codes one transcript held in memory (format by name's extension, then by
 * content). format is "json", "jsonl" or "csv" (csv: the turn table, then a
 * blank line, then the session table). *out receives the malloc'd output
 * (caller frees); problems with the input go to *errors as file:line
 * messages (caller frees; may be NULL when there are none). Returns 0, 1
 * when input errors were reported (the readable turns are still coded), or
 * -1 for a bad argument. */
TS_EXPORT int ts_code_buffer(const ts_ruleset *rs, const char *name, const char *data, size_t len,
                             const char *format, char **out, char **errors);

#ifdef __cplusplus
}
#endif
#endif
