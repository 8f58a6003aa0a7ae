/* compile_mode MODE FILE [default|all]: compile FILE in mode exec / eval /
 * single with pmi_compile_source and write marshal.dumps(code) to stdout
 * (exit 1 and the CPython report on a SyntaxError).  check_modes.py
 * compares the result with python3's compile(src, FILE, MODE).  With a
 * third argument the compile-time warnings are printed on stderr first, as
 * python3 prints them under its default filters / -W default
 * (check_warnings.py). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compile.h"
#include "parser.h"
#include "marshal.h"

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4)
        return 2;
    int mode = strcmp(argv[1], "eval") == 0 ? PMI_MODE_EVAL
               : strcmp(argv[1], "single") == 0 ? PMI_MODE_SINGLE : PMI_MODE_EXEC;
    FILE *f = fopen(argv[2], "rb");
    if (f == NULL)
        return 2;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    pm_runtime *rt = pm_runtime_new(NULL);
    if (rt == NULL)
        return 2;
    pm_object *fn = pm_str_from_cstr(rt, argv[2]);
    pmi_syntax_error err;
    pmi_syntax_error_init(&err);
    pmi_warnings warnings;
    pmi_warnings_init(&warnings);
    if (argc == 4)
        err.warnings = &warnings;
    pm_object *co = fn ? pmi_compile_source(rt, buf, n, fn, mode, -1, &err) : NULL;
    if (argc == 4)
        pmi_warnings_print(&warnings, argv[2], strcmp(argv[3], "all") == 0, stderr);
    pmi_warnings_clear(rt, &warnings);
    int rc = 0;
    if (co == NULL) {
        if (err.kind)
            pmi_syntax_error_print(rt, &err, stderr);
        else
            fprintf(stderr, "%s: %s\n", pm_exc_name(pm_err_occurred(rt)), pm_err_message(rt));
        rc = 1;
    } else {
        pm_object *data = pmi_marshal_dumps(rt, co);
        if (data == NULL) {
            rc = 1;
        } else {
            fwrite(pm_bytes_data(data), 1, (size_t)pm_bytes_size(data), stdout);
            pm_decref(rt, data);
        }
        pm_decref(rt, co);
    }
    pmi_syntax_error_clear(rt, &err);
    pm_xdecref(rt, fn);
    pm_runtime_free(rt);
    return rc;
}
