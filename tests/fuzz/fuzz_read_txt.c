/* fuzz_read_txt.c - the txt transcript reader on arbitrary bytes.
 *
 * Each input is read twice: with the real limits (from memory and from a
 * file, which must agree), and with tiny line and turn limits so the
 * over-limit paths are reached by short inputs. See fuzz.h for the promises
 * checked on every turn. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_read_all(data, size, TS_FMT_TXT, 0, 0);
    fz_read_all(data, size, TS_FMT_TXT, 100, 300);
    return 0;
}
