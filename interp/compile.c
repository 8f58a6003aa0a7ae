/*
 * interp/compile.c -- code generation: AST to basic blocks of instructions,
 * one compilation unit (code object) at a time, as CPython 3.11's
 * Python/compile.c generates them.  This file holds units, emitting,
 * expressions, functions, classes, comprehensions and the hand-off to the
 * back end; statements are in compile_stmt.c, `match` in compile_match.c,
 * the shared declarations in compile_int.h.
 *
 * A unit is opened for the module and for every function, lambda, class
 * body and comprehension; units nest as the source does:
 *
 *   compiler.u -> unit "f.<locals>.g" -> parent "f" -> parent "<module>"
 *
 * Each unit owns: its blocks (flowgraph.c), the constant table (strict
 * dedup), dicts mapping names/varnames/cellvars/freevars to their index,
 * the frame-block stack (loops, try, with, handlers: what `break`,
 * `continue` and `return` must unwind), and the current source location.
 * Every instruction takes the current location: a statement sets it, an
 * expression sets it for itself and restores the outer one when done
 * (CPython's SET_LOC / UNSET_LOC; -1 marks "artificial" instructions whose
 * line the flow passes fill in later).
 *
 * When a unit's body is done, assemble_unit() runs the back end
 * (flowgraph.c, assemble.c) and makes the code object, which becomes a
 * constant of the parent unit (MAKE_FUNCTION / LOAD_BUILD_CLASS).
 *
 * Sharing: the whole compilation has one const cache (c->merge, 3.11's
 * c_const_cache, see pmi_const_merge): every constant and every code
 * object's names/consts/locals-plus tuples and line/exception tables are
 * replaced by the first equal one, so objects are shared across code
 * objects exactly as in CPython and marshal writes python3's bytes.
 * Anonymous scope names ("<lambda>"...) are one uninterned str each
 * (c->anon), like CPython's static strings.
 *
 * Warnings: 3.11's compile-time SyntaxWarnings (check_compare,
 * check_caller, check_subscript, the assert tuple) go to the caller's list
 * in c->err->warnings (diag.h); they never stop compilation.
 *
 * Errors: every function returns 1 on success and 0 on error, with either a
 * SyntaxError in c->err (CPython's texts and positions) or a pm error set.
 * All memory is owned by the compiler struct and released by its cleanup,
 * on success and failure alike.
 */
#include <string.h>
#include <stdarg.h>
#include "compile_int.h"
#include "parser.h"

/* ---- errors ---------------------------------------------------------------- */

int compiler_error(compiler *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int compiler_error(compiler *c, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pmi_loc l = c->u ? c->u->loc : (pmi_loc){ 1, 1, 0, 0 };
    if (c->err->filename == NULL && c->filename != NULL)
        c->err->filename = pm_newref(c->rt, c->filename);
    pmi_syntax_error_set(c->rt, c->err, PMI_SYNTAX_ERROR, c->src, c->srclen, l.lineno, l.col,
                         l.end_lineno, l.end_col, "%s", buf);
    return 0;
}

/* 3.11's compiler_warn: a SyntaxWarning at the current location (added to
 * the caller's list, c->err->warnings).  1, or 0 on MemoryError. */
static int compiler_warn(compiler *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int compiler_warn(compiler *c, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    pm_ssize_t lineno = c->u ? c->u->loc.lineno : 1;
    return pmi_warn(c->rt, c->err, PMI_WARN_SYNTAX, c->src, c->srclen, lineno, NULL, "%s", buf) == 0;
}

/* 3.11's infer_type, as the type's name: the type an expression surely
 * has, or NULL. */
static const char *infer_type(expr_ty e)
{
    switch (e->kind) {
    case Tuple_kind: return "tuple";
    case List_kind: case ListComp_kind: return "list";
    case Dict_kind: case DictComp_kind: return "dict";
    case Set_kind: case SetComp_kind: return "set";
    case GeneratorExp_kind: return "generator";
    case Lambda_kind: return "function";
    case JoinedStr_kind: case FormattedValue_kind: return "str";
    case Constant_kind: return pm_type_name(pm_type_of(e->v.Constant.value));
    default: return NULL;
    }
}

static int name_in(const char *name, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(name, *set) == 0)
            return 1;
    return 0;
}

/* An operand of "is" / "is not" that is a literal (not None, True, False
 * or ...): 3.11's check_is_arg negated. */
static int is_literal_arg(expr_ty e)
{
    if (e->kind != Constant_kind)
        return 0;
    pm_object *v = e->v.Constant.value;
    return !(v == PM_NONE || v == PM_TRUE || v == PM_FALSE || v == PM_ELLIPSIS);
}

/* 3.11's check_compare: "is" with a literal on either side.  1 / 0. */
int check_compare(compiler *c, expr_ty e)
{
    int left = is_literal_arg(e->v.Compare.left);
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(e->v.Compare.ops); i++) {
        cmpop_ty op = (cmpop_ty)asdl_seq_GET(e->v.Compare.ops, i);
        int right = is_literal_arg(asdl_seq_GET(e->v.Compare.comparators, i));
        if ((op == Is || op == IsNot) && (left || right))
            return compiler_warn(c, op == Is ? "\"is\" with a literal. Did you mean \"==\"?"
                                             : "\"is not\" with a literal. Did you mean \"!=\"?");
        left = right;
    }
    return 1;
}

/* 3.11's check_caller: calling a display or a literal. */
static int check_caller(compiler *c, expr_ty e)
{
    switch (e->kind) {
    case Constant_kind: case Tuple_kind: case List_kind: case ListComp_kind: case Dict_kind:
    case DictComp_kind: case Set_kind: case SetComp_kind: case GeneratorExp_kind:
    case JoinedStr_kind: case FormattedValue_kind:
        return compiler_warn(c, "'%.200s' object is not callable; perhaps you missed a comma?",
                             infer_type(e));
    default:
        return 1;
    }
}

/* 3.11's check_subscripter and check_index (subscripts in Load context). */
static int check_subscript(compiler *c, expr_ty e, expr_ty s)
{
    static const char *const unsubscriptable[] = {"NoneType", "ellipsis", "int", "bool", "float",
                                                  "complex", "set", "frozenset", NULL};
    static const char *const sequences[] = {"str", "bytes", "tuple", NULL};
    switch (e->kind) {
    case Constant_kind:
        if (!name_in(infer_type(e), unsubscriptable))
            break;
        /* fall through */
    case Set_kind: case SetComp_kind: case GeneratorExp_kind: case Lambda_kind:
        return compiler_warn(c, "'%.200s' object is not subscriptable; perhaps you missed a comma?",
                             infer_type(e));
    default:
        break;
    }
    const char *index_type = infer_type(s);
    if (index_type == NULL || strcmp(index_type, "int") == 0 || strcmp(index_type, "bool") == 0)
        return 1;
    switch (e->kind) {
    case Constant_kind:
        if (!name_in(infer_type(e), sequences))
            return 1;
        /* fall through */
    case Tuple_kind: case List_kind: case ListComp_kind: case JoinedStr_kind: case FormattedValue_kind:
        return compiler_warn(c, "%.200s indices must be integers or slices, not %.200s; "
                             "perhaps you missed a comma?", infer_type(e), index_type);
    default:
        return 1;
    }
}

pm_object *own(compiler *c, pm_object *o)
{
    if (o == NULL)
        return NULL;
    if (pm_list_append(c->rt, c->owned, o) < 0) {
        pm_decref(c->rt, o);
        return NULL;
    }
    pm_decref(c->rt, o);
    return o;
}

pm_object *intern_cstr(compiler *c, const char *s)
{
    return own(c, pm_str_intern_cstr(c->rt, s));
}

/* The name of an anonymous scope ("<module>", "<lambda>", "<listcomp>"...):
 * CPython's are static strings, not interned, one object for the whole
 * process -- here one per compilation, so marshal writes the first use and
 * back-references as python3 does.  BORROWED (the table holds it). */
pm_object *anon_name(compiler *c, const char *s)
{
    pm_object *o = pm_str_from_cstr(c->rt, s);
    if (o == NULL)
        return NULL;
    int i = pmi_const_index(c->rt, &c->anon, o);
    pm_decref(c->rt, o);
    return i < 0 ? NULL : pm_list_get(c->rt, c->anon.list, i);
}

/* ---- emitting ---------------------------------------------------------------- */


int is_block_end(const pmi_instr *in)
{
    int op = in->opcode;
    return pmi_block_is_jump(in) || op == PMI_OP_RETURN_VALUE || op == PMI_OP_RAISE_VARARGS ||
           op == PMI_OP_RERAISE;
}

pmi_block *new_block(compiler *c)
{
    return pmi_block_new(c->rt, &c->u->blocks);
}

void use_next_block(compiler *c, pmi_block *b)
{
    c->u->cur->next = b;
    c->u->cur = b;
}

int next_block(compiler *c)
{
    pmi_block *b = new_block(c);
    if (b == NULL)
        return 0;
    use_next_block(c, b);
    return 1;
}

int add_instr(compiler *c, int op, int arg, pmi_block *target, const pmi_loc *loc)
{
    pmi_block *b = c->u->cur;
    /* a jump, return or raise ends its block: CPython's NEXT_BLOCK */
    if (b->iused > 0 && is_block_end(&b->instr[b->iused - 1])) {
        if (!next_block(c))
            return 0;
        b = c->u->cur;
    }
    pmi_instr in;
    memset(&in, 0, sizeof in);
    in.opcode = op;
    in.oparg = arg;
    in.target = target;
    in.loc = *loc;
    if (in.loc.lineno < 0)
        in.loc.end_lineno = in.loc.col = in.loc.end_col = -1;
    return pmi_block_add(c->rt, b, &in) >= 0;
}

int addop(compiler *c, int op)
{
    return add_instr(c, op, 0, NULL, &c->u->loc);
}

int addop_i(compiler *c, int op, pm_ssize_t arg)
{
    return add_instr(c, op, (int)arg, NULL, &c->u->loc);
}

int addop_j(compiler *c, int op, pmi_block *target)
{
    return add_instr(c, op, 0, target, &c->u->loc);
}

int addop_noline(compiler *c, int op)
{
    pmi_loc l = { -1, -1, -1, -1 };
    return add_instr(c, op, 0, NULL, &l);
}

int addop_j_noline(compiler *c, int op, pmi_block *target)
{
    pmi_loc l = { -1, -1, -1, -1 };
    return add_instr(c, op, 0, target, &l);
}


int all_name_chars(pm_object *s)
{
    pm_ssize_t n = pm_str_length(s);
    for (pm_ssize_t i = 0; i < n; i++) {
        uint32_t ch = pm_str_read_char(s, i);
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_'))
            return 0;
    }
    return 1;
}

/* 3.11's compiler_add_const: the constant merged with the compilation's
 * const cache (identifier-like strings interned, tuples and frozensets
 * merged item by item), then its index in the unit's table. */
int add_const(compiler *c, pm_object *o)
{
    pm_object *m = pmi_const_merge(c->rt, &c->merge, o, 1);
    if (m == NULL)
        return -1;
    int r = pmi_const_index(c->rt, &c->u->consts, m);
    pm_decref(c->rt, m);
    return r;
}

/* 3.11's merge_const_one on *slot (a NEW ref, replaced by the canonical
 * object).  0 / -1. */
static int merge_one(compiler *c, pm_object **slot)
{
    pm_object *m = pmi_const_merge(c->rt, &c->merge, *slot, 0);
    if (m == NULL)
        return -1;
    pm_decref(c->rt, *slot);
    *slot = m;
    return 0;
}

int addop_load_const(compiler *c, pm_object *o)
{
    int i = add_const(c, o);
    if (i < 0)
        return 0;
    return addop_i(c, PMI_OP_LOAD_CONST, i);
}

/* steals o */
int addop_load_const_new(compiler *c, pm_object *o)
{
    if (o == NULL)
        return 0;
    int r = addop_load_const(c, o);
    pm_decref(c->rt, o);
    return r;
}


/* index of o in dict (adding it at the end); -1 on error */
pm_ssize_t dict_add(compiler *c, pm_object *dict, pm_object *o)
{
    pm_object *v = pm_dict_get(c->rt, dict, o);
    if (v != NULL)
        return pm_int_as_ssize(c->rt, v);
    if (pm_err_occurred(c->rt))
        return -1;
    pm_ssize_t n = pm_dict_size(dict);
    v = pm_int_from_ssize(c->rt, n);
    if (v == NULL)
        return -1;
    int r = pm_dict_set(c->rt, dict, o, v);
    pm_decref(c->rt, v);
    return r < 0 ? -1 : n;
}

pm_object *mangle(compiler *c, pm_object *name)
{
    return own(c, pmi_mangle(c->rt, c->u->private_name, name));
}

int addop_name(compiler *c, int op, pm_object *name)
{
    pm_object *m = mangle(c, name);
    if (m == NULL)
        return 0;
    pm_ssize_t arg = dict_add(c, c->u->names, m);
    if (arg < 0)
        return 0;
    return addop_i(c, op, arg);
}

/* no mangling */
int addop_n(compiler *c, int op, pm_object *name)
{
    pm_ssize_t arg = dict_add(c, c->u->names, name);
    if (arg < 0)
        return 0;
    return addop_i(c, op, arg);
}


/* ---- names ------------------------------------------------------------------ */

int compiler_nameop(compiler *c, pm_object *name, expr_context_ty ctx)
{
    pm_runtime *rt = c->rt;
    enum { OP_FAST, OP_GLOBAL, OP_DEREF, OP_NAME } optype = OP_NAME;
    pm_object *mangled = mangle(c, name);
    if (mangled == NULL)
        return 0;
    pm_object *dict = c->u->names;
    int scope = pmi_ste_scope(rt, c->u->ste, mangled);
    switch (scope) {
    case PMI_SCOPE_FREE:
        dict = c->u->freevars;
        optype = OP_DEREF;
        break;
    case PMI_SCOPE_CELL:
        dict = c->u->cellvars;
        optype = OP_DEREF;
        break;
    case PMI_SCOPE_LOCAL:
        if (c->u->ste->type == PMI_BLOCK_FUNCTION)
            optype = OP_FAST;
        break;
    case PMI_SCOPE_GLOBAL_IMPLICIT:
        if (c->u->ste->type == PMI_BLOCK_FUNCTION)
            optype = OP_GLOBAL;
        break;
    case PMI_SCOPE_GLOBAL_EXPLICIT:
        optype = OP_GLOBAL;
        break;
    default:
        break;
    }
    int op = 0;
    switch (optype) {
    case OP_DEREF:
        op = ctx == Load ? (c->u->ste->type == PMI_BLOCK_CLASS ? PMI_OP_LOAD_CLASSDEREF : PMI_OP_LOAD_DEREF)
             : ctx == Store ? PMI_OP_STORE_DEREF : PMI_OP_DELETE_DEREF;
        break;
    case OP_FAST:
        op = ctx == Load ? PMI_OP_LOAD_FAST : ctx == Store ? PMI_OP_STORE_FAST : PMI_OP_DELETE_FAST;
        dict = c->u->varnames;
        break;
    case OP_GLOBAL:
        op = ctx == Load ? PMI_OP_LOAD_GLOBAL : ctx == Store ? PMI_OP_STORE_GLOBAL : PMI_OP_DELETE_GLOBAL;
        break;
    case OP_NAME:
        op = ctx == Load ? PMI_OP_LOAD_NAME : ctx == Store ? PMI_OP_STORE_NAME : PMI_OP_DELETE_NAME;
        break;
    }
    pm_ssize_t arg = dict_add(c, dict, mangled);
    if (arg < 0)
        return 0;
    if (op == PMI_OP_LOAD_GLOBAL)
        arg <<= 1;
    return addop_i(c, op, arg);
}

/* ---- units ------------------------------------------------------------------ */

pm_object *dict_by_scope(compiler *c, pmi_ste *ste, int scope, long flag, pm_ssize_t offset)
{
    pm_runtime *rt = c->rt;
    pm_object *dest = pm_dict_new(rt);
    pm_object *keys = pm_dict_keys(rt, ste->symbols);
    if (dest == NULL || keys == NULL || pm_list_sort(rt, keys, 0) < 0)
        goto fail;
    pm_ssize_t i = offset;
    for (pm_ssize_t k = 0; k < pm_list_size(keys); k++) {
        pm_object *name = pm_list_get(rt, keys, k);
        long v = pmi_ste_flags(rt, ste, name);
        int sc = (int)((v >> PMI_SCOPE_OFFSET) & PMI_SCOPE_MASK);
        if (sc == scope || (v & flag)) {
            pm_object *iv = pm_int_from_ssize(rt, i++);
            if (iv == NULL || pm_dict_set(rt, dest, name, iv) < 0) {
                pm_xdecref(rt, iv);
                goto fail;
            }
            pm_decref(rt, iv);
        }
    }
    pm_decref(rt, keys);
    return dest;
fail:
    pm_xdecref(rt, keys);
    pm_xdecref(rt, dest);
    return NULL;
}

void unit_free(compiler *c, unit *u)
{
    pm_runtime *rt = c->rt;
    pmi_block *b = u->blocks;
    while (b) {
        pmi_block *n = b->list;
        pm_free(rt, b->instr);
        pm_free(rt, b->exceptstack);
        pm_free(rt, b);
        b = n;
    }
    pmi_const_table_clear(rt, &u->consts);
    pm_xdecref(rt, u->qualname);
    pm_xdecref(rt, u->names);
    pm_xdecref(rt, u->varnames);
    pm_xdecref(rt, u->cellvars);
    pm_xdecref(rt, u->freevars);
    pm_free(rt, u);
}

int set_qualname(compiler *c)
{
    pm_runtime *rt = c->rt;
    unit *u = c->u, *parent = u->parent;
    pm_object *base = NULL;
    if (parent != NULL && parent->scope_type != SCOPE_MODULE) {
        int force_global = 0;
        if (u->scope_type == SCOPE_FUNCTION || u->scope_type == SCOPE_ASYNC_FUNCTION ||
            u->scope_type == SCOPE_CLASS) {
            pm_object *m = own(c, pmi_mangle(rt, parent->private_name, u->name));
            if (m == NULL)
                return 0;
            if (pmi_ste_scope(rt, parent->ste, m) == PMI_SCOPE_GLOBAL_EXPLICIT)
                force_global = 1;
        }
        if (!force_global) {
            if (parent->scope_type == SCOPE_FUNCTION || parent->scope_type == SCOPE_ASYNC_FUNCTION ||
                parent->scope_type == SCOPE_LAMBDA) {
                pm_object *dl = pm_str_from_cstr(rt, ".<locals>");
                if (dl == NULL)
                    return 0;
                base = pm_str_concat(rt, parent->qualname, dl);
                pm_decref(rt, dl);
                if (base == NULL)
                    return 0;
            } else {
                base = pm_newref(rt, parent->qualname);
            }
        }
    }
    if (base != NULL) {
        pm_object *dot = pm_str_from_cstr(rt, ".");
        pm_object *t = dot ? pm_str_concat(rt, base, dot) : NULL;
        pm_xdecref(rt, dot);
        pm_decref(rt, base);
        if (t == NULL)
            return 0;
        u->qualname = pm_str_concat(rt, t, u->name);
        pm_decref(rt, t);
        if (u->qualname == NULL)
            return 0;
    } else {
        u->qualname = pm_newref(rt, u->name);
    }
    return 1;
}

int enter_scope(compiler *c, pm_object *name, int scope_type, void *key, int lineno)
{
    pm_runtime *rt = c->rt;
    unit *u = pm_calloc(rt, 1, sizeof *u);
    if (u == NULL) {
        pm_err_nomem(rt);
        return 0;
    }
    u->scope_type = scope_type;
    u->name = name;
    u->ste = pmi_symtable_lookup(c->st, key);
    u->parent = c->u;
    if (u->ste == NULL) {
        pm_free(rt, u);
        pm_err_set(rt, PM_EXC_SystemError, "unknown scope");
        return 0;
    }
    u->consts.list = pm_list_new(rt);
    u->names = pm_dict_new(rt);
    u->varnames = pm_dict_new(rt);
    if (u->consts.list == NULL || u->names == NULL || u->varnames == NULL)
        goto fail;
    for (pm_ssize_t i = 0; i < pm_list_size(u->ste->varnames); i++)
        if (dict_add(c, u->varnames, pm_list_get(rt, u->ste->varnames, i)) < 0)
            goto fail;
    u->cellvars = dict_by_scope(c, u->ste, PMI_SCOPE_CELL, 0, 0);
    if (u->cellvars == NULL)
        goto fail;
    if (u->ste->needs_class_closure) {
        pm_object *cls = intern_cstr(c, "__class__");
        pm_object *zero = pm_int_from_long(rt, 0);
        int r = (cls && zero) ? pm_dict_set(rt, u->cellvars, cls, zero) : -1;
        pm_xdecref(rt, zero);
        if (r < 0)
            goto fail;
    }
    u->freevars = dict_by_scope(c, u->ste, PMI_SCOPE_FREE, PMI_DEF_FREE_CLASS,
                                pm_dict_size(u->cellvars));
    if (u->freevars == NULL)
        goto fail;
    u->firstlineno = lineno;
    u->loc = (pmi_loc){ lineno, lineno, 0, 0 };
    if (c->u)
        u->private_name = c->u->private_name;
    u->entry = u->cur = pmi_block_new(rt, &u->blocks);
    if (u->entry == NULL)
        goto fail;
    c->u = u;
    c->nestlevel++;
    if (scope_type == SCOPE_MODULE) {
        u->loc.lineno = 0;
    } else if (!set_qualname(c)) {
        return 0;   /* u is on the stack: freed by the caller's cleanup */
    }
    if (!addop_i(c, PMI_OP_RESUME, 0))
        return 0;
    if (scope_type == SCOPE_MODULE)
        u->loc.lineno = -1;
    return 1;
fail:
    unit_free(c, u);
    return 0;
}

void exit_scope(compiler *c)
{
    unit *u = c->u;
    c->u = u->parent;
    c->nestlevel--;
    unit_free(c, u);
}


/* ---- frame blocks -------------------------------------------------------------- */

int push_fblock(compiler *c, enum fblocktype t, pmi_block *b, pmi_block *exit, void *datum)
{
    if (c->u->nfblocks >= CO_MAXBLOCKS)
        return compiler_error(c, "too many statically nested blocks");
    fblockinfo *f = &c->u->fblock[c->u->nfblocks++];
    f->type = t;
    f->block = b;
    f->exit = exit;
    f->datum = datum;
    return 1;
}

void pop_fblock(compiler *c)
{
    c->u->nfblocks--;
}


int call_exit_with_nones(compiler *c)
{
    ADDOP_LOAD_CONST(c, PM_NONE);
    ADDOP_LOAD_CONST(c, PM_NONE);
    ADDOP_LOAD_CONST(c, PM_NONE);
    ADDOP_I(c, PRECALL, 2);
    ADDOP_I(c, CALL, 2);
    return 1;
}

int add_yield_from(compiler *c, int await)
{
    pmi_block *start, *resume, *exit;
    NEW_BLOCK(c, start);
    NEW_BLOCK(c, resume);
    NEW_BLOCK(c, exit);
    use_next_block(c, start);
    ADDOP_JUMP(c, SEND, exit);
    use_next_block(c, resume);
    ADDOP_I(c, YIELD_VALUE, 0);
    ADDOP_I(c, RESUME, await ? 3 : 2);
    ADDOP_JUMP(c, JUMP_NO_INTERRUPT, start);
    use_next_block(c, exit);
    return 1;
}

int unwind_fblock(compiler *c, fblockinfo *info, int preserve_tos)
{
    switch (info->type) {
    case WHILE_LOOP:
    case EXCEPTION_HANDLER:
    case EXCEPTION_GROUP_HANDLER:
    case ASYNC_COMPREHENSION_GENERATOR:
        return 1;
    case FOR_LOOP:
        if (preserve_tos)
            ADDOP_I(c, SWAP, 2);
        ADDOP(c, POP_TOP);
        return 1;
    case TRY_EXCEPT:
        ADDOP(c, POP_BLOCK);
        return 1;
    case FINALLY_TRY:
        ADDOP(c, POP_BLOCK);
        if (preserve_tos && !push_fblock(c, POP_VALUE, NULL, NULL, NULL))
            return 0;
        VISIT_SEQ(c, stmt, (asdl_stmt_seq *)info->datum);
        if (preserve_tos)
            pop_fblock(c);
        UNSET_LOC(c);
        return 1;
    case FINALLY_END:
        if (preserve_tos)
            ADDOP_I(c, SWAP, 2);
        ADDOP(c, POP_TOP);
        if (preserve_tos)
            ADDOP_I(c, SWAP, 2);
        ADDOP(c, POP_BLOCK);
        ADDOP(c, POP_EXCEPT);
        return 1;
    case WITH:
    case ASYNC_WITH:
        SET_LOC(c, (stmt_ty)info->datum);
        ADDOP(c, POP_BLOCK);
        if (preserve_tos)
            ADDOP_I(c, SWAP, 2);
        if (!call_exit_with_nones(c))
            return 0;
        if (info->type == ASYNC_WITH) {
            ADDOP_I(c, GET_AWAITABLE, 2);
            ADDOP_LOAD_CONST(c, PM_NONE);
            if (!add_yield_from(c, 1))
                return 0;
        }
        ADDOP(c, POP_TOP);
        UNSET_LOC(c);
        return 1;
    case HANDLER_CLEANUP:
        if (info->datum)
            ADDOP(c, POP_BLOCK);
        if (preserve_tos)
            ADDOP_I(c, SWAP, 2);
        ADDOP(c, POP_BLOCK);
        ADDOP(c, POP_EXCEPT);
        if (info->datum) {
            ADDOP_LOAD_CONST(c, PM_NONE);
            if (!compiler_nameop(c, info->datum, Store) || !compiler_nameop(c, info->datum, Del))
                return 0;
        }
        return 1;
    case POP_VALUE:
        if (preserve_tos)
            ADDOP_I(c, SWAP, 2);
        ADDOP(c, POP_TOP);
        return 1;
    }
    return 1;
}

int unwind_fblock_stack(compiler *c, int preserve_tos, fblockinfo **loop)
{
    if (c->u->nfblocks == 0)
        return 1;
    fblockinfo *top = &c->u->fblock[c->u->nfblocks - 1];
    if (top->type == EXCEPTION_GROUP_HANDLER)
        return compiler_error(c, "'break', 'continue' and 'return' cannot appear in an except* block");
    if (loop != NULL && (top->type == WHILE_LOOP || top->type == FOR_LOOP)) {
        *loop = top;
        return 1;
    }
    fblockinfo copy = *top;
    c->u->nfblocks--;
    if (!unwind_fblock(c, &copy, preserve_tos))
        return 0;
    if (!unwind_fblock_stack(c, preserve_tos, loop))
        return 0;
    c->u->fblock[c->u->nfblocks] = copy;
    c->u->nfblocks++;
    return 1;
}

/* ---- helpers ------------------------------------------------------------------ */

pm_object *get_docstring(asdl_stmt_seq *body)
{
    if (asdl_seq_LEN(body) == 0)
        return NULL;
    stmt_ty st = asdl_seq_GET(body, 0);
    if (st->kind != Expr_kind)
        return NULL;
    expr_ty e = st->v.Expr.value;
    if (e->kind == Constant_kind && pm_str_check(e->v.Constant.value))
        return e->v.Constant.value;
    return NULL;
}

int find_ann(asdl_stmt_seq *stmts)
{
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(stmts); i++) {
        stmt_ty st = asdl_seq_GET(stmts, i);
        int res = 0;
        switch (st->kind) {
        case AnnAssign_kind:
            return 1;
        case For_kind:
        case AsyncFor_kind:
            res = find_ann(st->v.For.body) || find_ann(st->v.For.orelse);
            break;
        case While_kind:
            res = find_ann(st->v.While.body) || find_ann(st->v.While.orelse);
            break;
        case If_kind:
            res = find_ann(st->v.If.body) || find_ann(st->v.If.orelse);
            break;
        case With_kind:
        case AsyncWith_kind:
            res = find_ann(st->v.With.body);
            break;
        case Try_kind:
        case TryStar_kind:
            for (pm_ssize_t j = 0; j < asdl_seq_LEN(st->v.Try.handlers); j++) {
                excepthandler_ty h = asdl_seq_GET(st->v.Try.handlers, j);
                if (find_ann(h->v.ExceptHandler.body))
                    return 1;
            }
            res = find_ann(st->v.Try.body) || find_ann(st->v.Try.finalbody) ||
                  find_ann(st->v.Try.orelse);
            break;
        default:
            res = 0;
        }
        if (res)
            return 1;
    }
    return 0;
}

int compiler_body(compiler *c, asdl_stmt_seq *stmts)
{
    pm_ssize_t i = 0;
    if (c->u->scope_type == SCOPE_MODULE && asdl_seq_LEN(stmts)) {
        stmt_ty st = asdl_seq_GET(stmts, 0);
        SET_LOC(c, st);
    }
    if (find_ann(stmts))
        ADDOP(c, SETUP_ANNOTATIONS);
    if (!asdl_seq_LEN(stmts))
        return 1;
    if (c->optimize < 2) {
        pm_object *doc = get_docstring(stmts);
        if (doc) {
            i = 1;
            stmt_ty st = asdl_seq_GET(stmts, 0);
            VISIT(c, expr, st->v.Expr.value);
            UNSET_LOC(c);
            pm_object *n = intern_cstr(c, "__doc__");
            if (n == NULL || !compiler_nameop(c, n, Store))
                return 0;
        }
    }
    for (; i < asdl_seq_LEN(stmts); i++)
        VISIT(c, stmt, asdl_seq_GET(stmts, i));
    return 1;
}

void update_start_location_to_match_attr(compiler *c, expr_ty attr)
{
    pmi_loc *l = &c->u->loc;
    if (l->lineno != attr->end_lineno) {
        l->lineno = attr->end_lineno;
        int len = (int)pm_str_length(attr->v.Attribute.attr);
        if (len <= attr->end_col_offset) {
            l->col = attr->end_col_offset - len;
        } else {
            l->col = -1;
            l->end_col = -1;
        }
        if (l->end_lineno < l->lineno)
            l->end_lineno = l->lineno;
        if (l->lineno == l->end_lineno && l->end_col < l->col)
            l->end_col = l->col;
    }
}

int forbidden_name(compiler *c, pm_object *name, expr_context_ty ctx)
{
    if (ctx == Store && pm_str_equal_cstr(name, "__debug__"))
        return compiler_error(c, "cannot assign to __debug__"), 1;
    if (ctx == Del && pm_str_equal_cstr(name, "__debug__"))
        return compiler_error(c, "cannot delete __debug__"), 1;
    return 0;
}

/* ---- expressions -------------------------------------------------------------- */

int binop_arg(operator_ty op, int inplace)
{
    int nb;
    switch (op) {
    case Add: nb = PMI_NB_ADD; break;
    case Sub: nb = PMI_NB_SUBTRACT; break;
    case Mult: nb = PMI_NB_MULTIPLY; break;
    case MatMult: nb = PMI_NB_MATRIX_MULTIPLY; break;
    case Div: nb = PMI_NB_TRUE_DIVIDE; break;
    case Mod: nb = PMI_NB_REMAINDER; break;
    case Pow: nb = PMI_NB_POWER; break;
    case LShift: nb = PMI_NB_LSHIFT; break;
    case RShift: nb = PMI_NB_RSHIFT; break;
    case BitOr: nb = PMI_NB_OR; break;
    case BitXor: nb = PMI_NB_XOR; break;
    case BitAnd: nb = PMI_NB_AND; break;
    case FloorDiv: nb = PMI_NB_FLOOR_DIVIDE; break;
    default: nb = 0; break;
    }
    return inplace ? nb + PMI_NB_INPLACE_ADD : nb;
}

int addop_compare(compiler *c, cmpop_ty op)
{
    switch (op) {
    case Eq: return addop_i(c, PMI_OP_COMPARE_OP, 2);
    case NotEq: return addop_i(c, PMI_OP_COMPARE_OP, 3);
    case Lt: return addop_i(c, PMI_OP_COMPARE_OP, 0);
    case LtE: return addop_i(c, PMI_OP_COMPARE_OP, 1);
    case Gt: return addop_i(c, PMI_OP_COMPARE_OP, 4);
    case GtE: return addop_i(c, PMI_OP_COMPARE_OP, 5);
    case Is: return addop_i(c, PMI_OP_IS_OP, 0);
    case IsNot: return addop_i(c, PMI_OP_IS_OP, 1);
    case In: return addop_i(c, PMI_OP_CONTAINS_OP, 0);
    case NotIn: return addop_i(c, PMI_OP_CONTAINS_OP, 1);
    }
    return 0;
}


int compiler_jump_if(compiler *c, expr_ty e, pmi_block *next, int cond)
{
    switch (e->kind) {
    case UnaryOp_kind:
        if (e->v.UnaryOp.op == Not)
            return compiler_jump_if(c, e->v.UnaryOp.operand, next, !cond);
        break;
    case BoolOp_kind: {
        asdl_expr_seq *s = e->v.BoolOp.values;
        pm_ssize_t n = asdl_seq_LEN(s) - 1;
        int cond2 = e->v.BoolOp.op == Or;
        pmi_block *next2 = next;
        if (!cond2 != !cond)
            NEW_BLOCK(c, next2);
        for (pm_ssize_t i = 0; i < n; ++i)
            if (!compiler_jump_if(c, asdl_seq_GET(s, i), next2, cond2))
                return 0;
        if (!compiler_jump_if(c, asdl_seq_GET(s, n), next, cond))
            return 0;
        if (next2 != next)
            use_next_block(c, next2);
        return 1;
    }
    case IfExp_kind: {
        pmi_block *end, *next2;
        NEW_BLOCK(c, end);
        NEW_BLOCK(c, next2);
        if (!compiler_jump_if(c, e->v.IfExp.test, next2, 0))
            return 0;
        if (!compiler_jump_if(c, e->v.IfExp.body, next, cond))
            return 0;
        ADDOP_JUMP_NOLINE(c, JUMP, end);
        use_next_block(c, next2);
        if (!compiler_jump_if(c, e->v.IfExp.orelse, next, cond))
            return 0;
        use_next_block(c, end);
        return 1;
    }
    case Compare_kind: {
        /* 3.11.7 gives the compare's position to everything that follows,
         * the jump of the single-comparison fallback included */
        SET_LOC(c, e);
        pm_ssize_t n = asdl_seq_LEN(e->v.Compare.ops) - 1;
        if (n > 0) {
            if (!check_compare(c, e))
                return 0;
            pmi_block *cleanup, *end;
            NEW_BLOCK(c, cleanup);
            VISIT(c, expr, e->v.Compare.left);
            for (pm_ssize_t i = 0; i < n; i++) {
                VISIT(c, expr, asdl_seq_GET(e->v.Compare.comparators, i));
                ADDOP_I(c, SWAP, 2);
                ADDOP_I(c, COPY, 2);
                ADDOP_COMPARE(c, asdl_seq_GET(e->v.Compare.ops, i));
                ADDOP_JUMP(c, POP_JUMP_IF_FALSE, cleanup);
            }
            VISIT(c, expr, asdl_seq_GET(e->v.Compare.comparators, n));
            ADDOP_COMPARE(c, asdl_seq_GET(e->v.Compare.ops, n));
            if (!addop_j(c, cond ? PMI_OP_POP_JUMP_IF_TRUE : PMI_OP_POP_JUMP_IF_FALSE, next))
                return 0;
            NEW_BLOCK(c, end);
            ADDOP_JUMP_NOLINE(c, JUMP, end);
            use_next_block(c, cleanup);
            ADDOP(c, POP_TOP);
            if (!cond)
                ADDOP_JUMP_NOLINE(c, JUMP, next);
            use_next_block(c, end);
            return 1;
        }
        break;
    }
    default:
        break;
    }
    VISIT(c, expr, e);
    return addop_j(c, cond ? PMI_OP_POP_JUMP_IF_TRUE : PMI_OP_POP_JUMP_IF_FALSE, next);
}

int compiler_boolop(compiler *c, expr_ty e)
{
    int jumpi = e->v.BoolOp.op == And ? PMI_OP_JUMP_IF_FALSE_OR_POP : PMI_OP_JUMP_IF_TRUE_OR_POP;
    pmi_block *end;
    NEW_BLOCK(c, end);
    asdl_expr_seq *s = e->v.BoolOp.values;
    pm_ssize_t n = asdl_seq_LEN(s) - 1;
    for (pm_ssize_t i = 0; i < n; ++i) {
        VISIT(c, expr, asdl_seq_GET(s, i));
        if (!addop_j(c, jumpi, end))
            return 0;
        if (!next_block(c))
            return 0;
    }
    VISIT(c, expr, asdl_seq_GET(s, n));
    use_next_block(c, end);
    return 1;
}

int are_all_items_const(asdl_expr_seq *seq, pm_ssize_t begin, pm_ssize_t end)
{
    for (pm_ssize_t i = begin; i < end; i++) {
        expr_ty k = asdl_seq_GET(seq, i);
        if (k == NULL || k->kind != Constant_kind)
            return 0;
    }
    return 1;
}

int starunpack_helper(compiler *c, asdl_expr_seq *elts, int pushed, int build, int add,
                             int extend, int tuple)
{
    pm_runtime *rt = c->rt;
    pm_ssize_t n = asdl_seq_LEN(elts);
    if (n > 2 && are_all_items_const(elts, 0, n)) {
        pm_object **items = pm_malloc(rt, sizeof(pm_object *) * (size_t)n);
        if (items == NULL) {
            pm_err_nomem(rt);
            return 0;
        }
        for (pm_ssize_t i = 0; i < n; i++)
            items[i] = asdl_seq_GET(elts, i)->v.Constant.value;
        pm_object *folded = pm_tuple_from_array(rt, items, n);
        pm_free(rt, items);
        if (folded == NULL)
            return 0;
        if (tuple && !pushed) {
            ADDOP_LOAD_CONST_NEW(c, folded);
        } else {
            if (add == PMI_OP_SET_ADD) {
                pm_object *fs = pm_frozenset_new(rt, folded);
                pm_decref(rt, folded);
                if (fs == NULL)
                    return 0;
                folded = fs;
            }
            if (!addop_i(c, build, pushed)) {
                pm_decref(rt, folded);
                return 0;
            }
            ADDOP_LOAD_CONST_NEW(c, folded);
            if (!addop_i(c, extend, 1))
                return 0;
            if (tuple)
                ADDOP(c, LIST_TO_TUPLE);
        }
        return 1;
    }
    int big = n + pushed > STACK_USE_GUIDELINE;
    int seen_star = 0;
    for (pm_ssize_t i = 0; i < n; i++)
        if (asdl_seq_GET(elts, i)->kind == Starred_kind)
            seen_star = 1;
    if (!seen_star && !big) {
        for (pm_ssize_t i = 0; i < n; i++)
            VISIT(c, expr, asdl_seq_GET(elts, i));
        if (tuple)
            ADDOP_I(c, BUILD_TUPLE, n + pushed);
        else if (!addop_i(c, build, n + pushed))
            return 0;
        return 1;
    }
    int built = 0;
    if (big) {
        if (!addop_i(c, build, pushed))
            return 0;
        built = 1;
    }
    for (pm_ssize_t i = 0; i < n; i++) {
        expr_ty elt = asdl_seq_GET(elts, i);
        if (elt->kind == Starred_kind) {
            if (!built) {
                if (!addop_i(c, build, i + pushed))
                    return 0;
                built = 1;
            }
            VISIT(c, expr, elt->v.Starred.value);
            if (!addop_i(c, extend, 1))
                return 0;
        } else {
            VISIT(c, expr, elt);
            if (built && !addop_i(c, add, 1))
                return 0;
        }
    }
    if (tuple)
        ADDOP(c, LIST_TO_TUPLE);
    return 1;
}

int unpack_helper(compiler *c, asdl_expr_seq *elts)
{
    pm_ssize_t n = asdl_seq_LEN(elts);
    int seen_star = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        expr_ty elt = asdl_seq_GET(elts, i);
        if (elt->kind == Starred_kind && !seen_star) {
            if (i >= (1 << 8) || (n - i - 1) >= (0x7fffffff >> 8))
                return compiler_error(c, "too many expressions in star-unpacking assignment");
            ADDOP_I(c, UNPACK_EX, i + ((n - i - 1) << 8));
            seen_star = 1;
        } else if (elt->kind == Starred_kind) {
            return compiler_error(c, "multiple starred expressions in assignment");
        }
    }
    if (!seen_star)
        ADDOP_I(c, UNPACK_SEQUENCE, n);
    return 1;
}

int assignment_helper(compiler *c, asdl_expr_seq *elts)
{
    if (!unpack_helper(c, elts))
        return 0;
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(elts); i++) {
        expr_ty elt = asdl_seq_GET(elts, i);
        VISIT(c, expr, elt->kind != Starred_kind ? elt : elt->v.Starred.value);
    }
    return 1;
}

int compiler_list_or_tuple(compiler *c, expr_ty e, int is_tuple)
{
    asdl_expr_seq *elts = is_tuple ? e->v.Tuple.elts : e->v.List.elts;
    expr_context_ty ctx = is_tuple ? e->v.Tuple.ctx : e->v.List.ctx;
    if (ctx == Store)
        return assignment_helper(c, elts);
    if (ctx == Load)
        return starunpack_helper(c, elts, 0, PMI_OP_BUILD_LIST, PMI_OP_LIST_APPEND,
                                 PMI_OP_LIST_EXTEND, is_tuple);
    VISIT_SEQ(c, expr, elts);
    return 1;
}

int compiler_subdict(compiler *c, expr_ty e, pm_ssize_t begin, pm_ssize_t end)
{
    pm_runtime *rt = c->rt;
    pm_ssize_t n = end - begin;
    int big = n * 2 > STACK_USE_GUIDELINE;
    if (n > 1 && !big && are_all_items_const(e->v.Dict.keys, begin, end)) {
        for (pm_ssize_t i = begin; i < end; i++)
            VISIT(c, expr, asdl_seq_GET(e->v.Dict.values, i));
        pm_object **items = pm_malloc(rt, sizeof(pm_object *) * (size_t)n);
        if (items == NULL) {
            pm_err_nomem(rt);
            return 0;
        }
        for (pm_ssize_t i = begin; i < end; i++)
            items[i - begin] = asdl_seq_GET(e->v.Dict.keys, i)->v.Constant.value;
        pm_object *keys = pm_tuple_from_array(rt, items, n);
        pm_free(rt, items);
        ADDOP_LOAD_CONST_NEW(c, keys);
        ADDOP_I(c, BUILD_CONST_KEY_MAP, n);
        return 1;
    }
    if (big)
        ADDOP_I(c, BUILD_MAP, 0);
    for (pm_ssize_t i = begin; i < end; i++) {
        VISIT(c, expr, asdl_seq_GET(e->v.Dict.keys, i));
        VISIT(c, expr, asdl_seq_GET(e->v.Dict.values, i));
        if (big)
            ADDOP_I(c, MAP_ADD, 1);
    }
    if (!big)
        ADDOP_I(c, BUILD_MAP, n);
    return 1;
}

int compiler_dict(compiler *c, expr_ty e)
{
    pm_ssize_t n = asdl_seq_LEN(e->v.Dict.values), elements = 0;
    int have_dict = 0;
    for (pm_ssize_t i = 0; i < n; i++) {
        int is_unpacking = asdl_seq_GET(e->v.Dict.keys, i) == NULL;
        if (is_unpacking) {
            if (elements) {
                if (!compiler_subdict(c, e, i - elements, i))
                    return 0;
                if (have_dict)
                    ADDOP_I(c, DICT_UPDATE, 1);
                have_dict = 1;
                elements = 0;
            }
            if (!have_dict) {
                ADDOP_I(c, BUILD_MAP, 0);
                have_dict = 1;
            }
            VISIT(c, expr, asdl_seq_GET(e->v.Dict.values, i));
            ADDOP_I(c, DICT_UPDATE, 1);
        } else {
            if (elements * 2 > STACK_USE_GUIDELINE) {
                if (!compiler_subdict(c, e, i - elements, i + 1))
                    return 0;
                if (have_dict)
                    ADDOP_I(c, DICT_UPDATE, 1);
                have_dict = 1;
                elements = 0;
            } else {
                elements++;
            }
        }
    }
    if (elements) {
        if (!compiler_subdict(c, e, n - elements, n))
            return 0;
        if (have_dict)
            ADDOP_I(c, DICT_UPDATE, 1);
        have_dict = 1;
    }
    if (!have_dict)
        ADDOP_I(c, BUILD_MAP, 0);
    return 1;
}

int compiler_compare(compiler *c, expr_ty e)
{
    if (!check_compare(c, e))
        return 0;
    VISIT(c, expr, e->v.Compare.left);
    pm_ssize_t n = asdl_seq_LEN(e->v.Compare.ops) - 1;
    if (n == 0) {
        VISIT(c, expr, asdl_seq_GET(e->v.Compare.comparators, 0));
        ADDOP_COMPARE(c, asdl_seq_GET(e->v.Compare.ops, 0));
        return 1;
    }
    pmi_block *cleanup, *end;
    NEW_BLOCK(c, cleanup);
    for (pm_ssize_t i = 0; i < n; i++) {
        VISIT(c, expr, asdl_seq_GET(e->v.Compare.comparators, i));
        ADDOP_I(c, SWAP, 2);
        ADDOP_I(c, COPY, 2);
        ADDOP_COMPARE(c, asdl_seq_GET(e->v.Compare.ops, i));
        ADDOP_JUMP(c, JUMP_IF_FALSE_OR_POP, cleanup);
    }
    VISIT(c, expr, asdl_seq_GET(e->v.Compare.comparators, n));
    ADDOP_COMPARE(c, asdl_seq_GET(e->v.Compare.ops, n));
    NEW_BLOCK(c, end);
    ADDOP_JUMP_NOLINE(c, JUMP, end);
    use_next_block(c, cleanup);
    ADDOP_I(c, SWAP, 2);
    ADDOP(c, POP_TOP);
    use_next_block(c, end);
    return 1;
}

int compiler_visit_keyword(compiler *c, keyword_ty k)
{
    VISIT(c, expr, k->value);
    return 1;
}

int call_simple_kw_helper(compiler *c, asdl_keyword_seq *kws, pm_ssize_t nkw)
{
    pm_runtime *rt = c->rt;
    pm_object **items = pm_malloc(rt, sizeof(pm_object *) * (size_t)(nkw ? nkw : 1));
    if (items == NULL) {
        pm_err_nomem(rt);
        return 0;
    }
    for (pm_ssize_t i = 0; i < nkw; i++)
        items[i] = asdl_seq_GET(kws, i)->arg;
    pm_object *names = pm_tuple_from_array(rt, items, nkw);
    pm_free(rt, items);
    if (names == NULL)
        return 0;
    int arg = add_const(c, names);
    pm_decref(rt, names);
    if (arg < 0)
        return 0;
    ADDOP_I(c, KW_NAMES, arg);
    return 1;
}

int validate_keywords(compiler *c, asdl_keyword_seq *keywords)
{
    pm_ssize_t n = asdl_seq_LEN(keywords);
    for (pm_ssize_t i = 0; i < n; i++) {
        keyword_ty k = asdl_seq_GET(keywords, i);
        if (k->arg == NULL)
            continue;
        if (forbidden_name(c, k->arg, Store))
            return -1;
        for (pm_ssize_t j = i + 1; j < n; j++) {
            keyword_ty o = asdl_seq_GET(keywords, j);
            if (o->arg && pm_str_compare(k->arg, o->arg) == 0) {
                SET_LOC(c, o);
                compiler_error(c, "keyword argument repeated: %s",
                               pm_str_as_utf8(c->rt, k->arg, NULL));
                return -1;
            }
        }
    }
    return 0;
}

int compiler_subkwargs(compiler *c, asdl_keyword_seq *keywords, pm_ssize_t begin,
                              pm_ssize_t end)
{
    pm_runtime *rt = c->rt;
    pm_ssize_t n = end - begin;
    int big = n * 2 > STACK_USE_GUIDELINE;
    if (n > 1 && !big) {
        for (pm_ssize_t i = begin; i < end; i++)
            VISIT(c, expr, asdl_seq_GET(keywords, i)->value);
        pm_object **items = pm_malloc(rt, sizeof(pm_object *) * (size_t)n);
        if (items == NULL) {
            pm_err_nomem(rt);
            return 0;
        }
        for (pm_ssize_t i = begin; i < end; i++)
            items[i - begin] = asdl_seq_GET(keywords, i)->arg;
        pm_object *keys = pm_tuple_from_array(rt, items, n);
        pm_free(rt, items);
        ADDOP_LOAD_CONST_NEW(c, keys);
        ADDOP_I(c, BUILD_CONST_KEY_MAP, n);
        return 1;
    }
    if (big && !addop_noline(c, PMI_OP_BUILD_MAP))
        return 0;
    for (pm_ssize_t i = begin; i < end; i++) {
        keyword_ty kw = asdl_seq_GET(keywords, i);
        ADDOP_LOAD_CONST(c, kw->arg);
        VISIT(c, expr, kw->value);
        if (big) {
            pmi_loc l = { -1, -1, -1, -1 };
            if (!add_instr(c, PMI_OP_MAP_ADD, 1, NULL, &l))
                return 0;
        }
    }
    if (!big)
        ADDOP_I(c, BUILD_MAP, n);
    return 1;
}

int compiler_call_helper(compiler *c, int n, asdl_expr_seq *args, asdl_keyword_seq *keywords)
{
    if (validate_keywords(c, keywords) < 0)
        return 0;
    pm_ssize_t nelts = asdl_seq_LEN(args), nkwelts = asdl_seq_LEN(keywords);
    if (nelts + nkwelts * 2 > STACK_USE_GUIDELINE)
        goto ex_call;
    for (pm_ssize_t i = 0; i < nelts; i++)
        if (asdl_seq_GET(args, i)->kind == Starred_kind)
            goto ex_call;
    for (pm_ssize_t i = 0; i < nkwelts; i++)
        if (asdl_seq_GET(keywords, i)->arg == NULL)
            goto ex_call;
    for (pm_ssize_t i = 0; i < nelts; i++)
        VISIT(c, expr, asdl_seq_GET(args, i));
    if (nkwelts) {
        VISIT_SEQ(c, keyword, keywords);
        if (!call_simple_kw_helper(c, keywords, nkwelts))
            return 0;
    }
    ADDOP_I(c, PRECALL, n + nelts + nkwelts);
    ADDOP_I(c, CALL, n + nelts + nkwelts);
    return 1;
ex_call:
    if (n == 0 && nelts == 1 && asdl_seq_GET(args, 0)->kind == Starred_kind) {
        VISIT(c, expr, asdl_seq_GET(args, 0)->v.Starred.value);
    } else if (!starunpack_helper(c, args, n, PMI_OP_BUILD_LIST, PMI_OP_LIST_APPEND,
                                  PMI_OP_LIST_EXTEND, 1)) {
        return 0;
    }
    if (nkwelts) {
        int have_dict = 0;
        pm_ssize_t nseen = 0;
        for (pm_ssize_t i = 0; i < nkwelts; i++) {
            keyword_ty kw = asdl_seq_GET(keywords, i);
            if (kw->arg == NULL) {
                if (nseen) {
                    if (!compiler_subkwargs(c, keywords, i - nseen, i))
                        return 0;
                    if (have_dict)
                        ADDOP_I(c, DICT_MERGE, 1);
                    have_dict = 1;
                    nseen = 0;
                }
                if (!have_dict) {
                    ADDOP_I(c, BUILD_MAP, 0);
                    have_dict = 1;
                }
                VISIT(c, expr, kw->value);
                ADDOP_I(c, DICT_MERGE, 1);
            } else {
                nseen++;
            }
        }
        if (nseen) {
            if (!compiler_subkwargs(c, keywords, nkwelts - nseen, nkwelts))
                return 0;
            if (have_dict)
                ADDOP_I(c, DICT_MERGE, 1);
        }
    }
    ADDOP_I(c, CALL_FUNCTION_EX, nkwelts > 0);
    return 1;
}

int is_import_originated(compiler *c, expr_ty e)
{
    if (e->kind != Name_kind)
        return 0;
    return (pmi_ste_flags(c->rt, c->st->top, e->v.Name.id) & PMI_DEF_IMPORT) != 0;
}

int maybe_optimize_method_call(compiler *c, expr_ty e)
{
    expr_ty meth = e->v.Call.func;
    asdl_expr_seq *args = e->v.Call.args;
    asdl_keyword_seq *kwds = e->v.Call.keywords;
    if (meth->kind != Attribute_kind || meth->v.Attribute.ctx != Load)
        return -1;
    if (is_import_originated(c, meth->v.Attribute.value))
        return -1;
    pm_ssize_t argsl = asdl_seq_LEN(args), kwdsl = asdl_seq_LEN(kwds);
    if (argsl + kwdsl + (kwdsl != 0) >= STACK_USE_GUIDELINE)
        return -1;
    for (pm_ssize_t i = 0; i < argsl; i++)
        if (asdl_seq_GET(args, i)->kind == Starred_kind)
            return -1;
    for (pm_ssize_t i = 0; i < kwdsl; i++)
        if (asdl_seq_GET(kwds, i)->arg == NULL)
            return -1;
    VISIT(c, expr, meth->v.Attribute.value);
    SET_LOC(c, meth);
    update_start_location_to_match_attr(c, meth);
    ADDOP_NAME(c, LOAD_METHOD, meth->v.Attribute.attr);
    VISIT_SEQ(c, expr, args);
    if (kwdsl) {
        if (validate_keywords(c, kwds) < 0)
            return 0;
        VISIT_SEQ(c, keyword, kwds);
        if (!call_simple_kw_helper(c, kwds, kwdsl))
            return 0;
    }
    SET_LOC(c, e);
    update_start_location_to_match_attr(c, meth);
    ADDOP_I(c, PRECALL, argsl + kwdsl);
    ADDOP_I(c, CALL, argsl + kwdsl);
    return 1;
}

int compiler_call(compiler *c, expr_ty e)
{
    int ret = maybe_optimize_method_call(c, e);
    if (ret >= 0)
        return ret;
    if (!check_caller(c, e->v.Call.func))
        return 0;
    SET_LOC(c, e->v.Call.func);
    ADDOP(c, PUSH_NULL);
    SET_LOC(c, e);
    VISIT(c, expr, e->v.Call.func);
    return compiler_call_helper(c, 0, e->v.Call.args, e->v.Call.keywords);
}

int compiler_joined_str(compiler *c, expr_ty e)
{
    pm_ssize_t n = asdl_seq_LEN(e->v.JoinedStr.values);
    if (n > STACK_USE_GUIDELINE) {
        pm_object *empty = pm_str_from_cstr(c->rt, "");
        ADDOP_LOAD_CONST_NEW(c, empty);
        pm_object *join = intern_cstr(c, "join");
        if (join == NULL)
            return 0;
        ADDOP_NAME(c, LOAD_METHOD, join);
        ADDOP_I(c, BUILD_LIST, 0);
        for (pm_ssize_t i = 0; i < n; i++) {
            VISIT(c, expr, asdl_seq_GET(e->v.JoinedStr.values, i));
            ADDOP_I(c, LIST_APPEND, 1);
        }
        ADDOP_I(c, PRECALL, 1);
        ADDOP_I(c, CALL, 1);
    } else {
        VISIT_SEQ(c, expr, e->v.JoinedStr.values);
        if (n != 1)
            ADDOP_I(c, BUILD_STRING, n);
    }
    return 1;
}

int compiler_formatted_value(compiler *c, expr_ty e)
{
    int conv = e->v.FormattedValue.conversion, oparg;
    VISIT(c, expr, e->v.FormattedValue.value);
    switch (conv) {
    case 's': oparg = 1; break;
    case 'r': oparg = 2; break;
    case 'a': oparg = 3; break;
    case -1: oparg = 0; break;
    default:
        pm_err_format(c->rt, PM_EXC_SystemError, "Unrecognized conversion character %d", conv);
        return 0;
    }
    if (e->v.FormattedValue.format_spec) {
        VISIT(c, expr, e->v.FormattedValue.format_spec);
        oparg |= 4;
    }
    ADDOP_I(c, FORMAT_VALUE, oparg);
    return 1;
}

int compiler_slice(compiler *c, expr_ty s)
{
    int n = 2;
    if (s->v.Slice.lower)
        VISIT(c, expr, s->v.Slice.lower);
    else
        ADDOP_LOAD_CONST(c, PM_NONE);
    if (s->v.Slice.upper)
        VISIT(c, expr, s->v.Slice.upper);
    else
        ADDOP_LOAD_CONST(c, PM_NONE);
    if (s->v.Slice.step) {
        n++;
        VISIT(c, expr, s->v.Slice.step);
    }
    ADDOP_I(c, BUILD_SLICE, n);
    return 1;
}

int addop_yield(compiler *c)
{
    if (c->u->ste->generator && c->u->ste->coroutine)
        ADDOP(c, ASYNC_GEN_WRAP);
    ADDOP(c, YIELD_VALUE);
    ADDOP_I(c, RESUME, 1);
    return 1;
}

/* ---- functions, lambdas, classes ------------------------------------------------ */

int make_closure(compiler *c, pm_object *co, int flags)
{
    pmi_code *code = (pmi_code *)co;
    if (code->nfreevars) {
        pm_ssize_t first = code->nlocalsplus - code->nfreevars;
        for (pm_ssize_t i = first; i < code->nlocalsplus; i++) {
            pm_object *name = pm_tuple_get(c->rt, code->localsplusnames, i);
            int reftype;
            if (c->u->scope_type == SCOPE_CLASS && pm_str_equal_cstr(name, "__class__"))
                reftype = PMI_SCOPE_CELL;
            else
                reftype = pmi_ste_scope(c->rt, c->u->ste, name);
            pm_object *dict = reftype == PMI_SCOPE_CELL ? c->u->cellvars : c->u->freevars;
            pm_object *v = pm_dict_get(c->rt, dict, name);
            if (v == NULL) {
                pm_err_format(c->rt, PM_EXC_SystemError,
                              "compiler_make_closure: lookup %s in %s failed",
                              pm_str_as_utf8(c->rt, name, NULL),
                              pm_str_as_utf8(c->rt, c->u->name, NULL));
                return 0;
            }
            ADDOP_I(c, LOAD_CLOSURE, pm_int_as_ssize(c->rt, v));
        }
        flags |= 0x08;
        ADDOP_I(c, BUILD_TUPLE, code->nfreevars);
    }
    ADDOP_LOAD_CONST(c, co);
    ADDOP_I(c, MAKE_FUNCTION, flags);
    return 1;
}

int visit_defaults(compiler *c, arguments_ty args)
{
    VISIT_SEQ(c, expr, args->defaults);
    ADDOP_I(c, BUILD_TUPLE, asdl_seq_LEN(args->defaults));
    return 1;
}

/* 1 pushed, -1 none, 0 error */
int visit_kwonlydefaults(compiler *c, asdl_arg_seq *kwonlyargs, asdl_expr_seq *kw_defaults)
{
    pm_runtime *rt = c->rt;
    pm_object *keys = NULL;
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(kwonlyargs); i++) {
        arg_ty arg = asdl_seq_GET(kwonlyargs, i);
        expr_ty d = i < asdl_seq_LEN(kw_defaults) ? asdl_seq_GET(kw_defaults, i) : NULL;
        if (d) {
            pm_object *m = mangle(c, arg->arg);
            if (m == NULL)
                goto fail;
            if (keys == NULL && (keys = pm_list_new(rt)) == NULL)
                goto fail;
            if (pm_list_append(rt, keys, m) < 0)
                goto fail;
            if (!compiler_visit_expr(c, d))
                goto fail;
        }
    }
    if (keys != NULL) {
        pm_ssize_t n = pm_list_size(keys);
        pm_object *t = pm_list_as_tuple(rt, keys);
        pm_decref(rt, keys);
        ADDOP_LOAD_CONST_NEW(c, t);
        ADDOP_I(c, BUILD_CONST_KEY_MAP, n);
        return 1;
    }
    return -1;
fail:
    pm_xdecref(rt, keys);
    return 0;
}

int default_arguments(compiler *c, arguments_ty args)
{
    int flags = 0;
    if (asdl_seq_LEN(args->defaults) > 0) {
        if (!visit_defaults(c, args))
            return -1;
        flags |= 0x01;
    }
    if (args->kwonlyargs) {
        int r = visit_kwonlydefaults(c, args->kwonlyargs, args->kw_defaults);
        if (r == 0)
            return -1;
        if (r > 0)
            flags |= 0x02;
    }
    return flags;
}

int compiler_visit_annexpr(compiler *c, expr_ty e)
{
    /* under `from __future__ import annotations`: the annotation's text */
    return addop_load_const_new(c, pmi_unparse_expr(c->rt, e));
}

int visit_argannotation(compiler *c, pm_object *id, expr_ty ann, pm_ssize_t *len)
{
    if (!ann)
        return 1;
    pm_object *m = mangle(c, id);
    if (m == NULL)
        return 0;
    ADDOP_LOAD_CONST(c, m);
    if (c->future & PMI_CO_FUTURE_ANNOTATIONS) {
        if (!compiler_visit_annexpr(c, ann))
            return 0;
    } else if (ann->kind == Starred_kind) {
        VISIT(c, expr, ann->v.Starred.value);
        ADDOP_I(c, UNPACK_SEQUENCE, 1);
    } else {
        VISIT(c, expr, ann);
    }
    *len += 2;
    return 1;
}

int visit_argannotations(compiler *c, asdl_arg_seq *args, pm_ssize_t *len)
{
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(args); i++) {
        arg_ty a = asdl_seq_GET(args, i);
        if (!visit_argannotation(c, a->arg, a->annotation, len))
            return 0;
    }
    return 1;
}

/* 1 pushed, -1 none, 0 error */
int visit_annotations(compiler *c, arguments_ty args, expr_ty returns)
{
    pm_ssize_t len = 0;
    if (!visit_argannotations(c, args->args, &len) || !visit_argannotations(c, args->posonlyargs, &len))
        return 0;
    if (args->vararg && args->vararg->annotation &&
        !visit_argannotation(c, args->vararg->arg, args->vararg->annotation, &len))
        return 0;
    if (!visit_argannotations(c, args->kwonlyargs, &len))
        return 0;
    if (args->kwarg && args->kwarg->annotation &&
        !visit_argannotation(c, args->kwarg->arg, args->kwarg->annotation, &len))
        return 0;
    pm_object *ret = intern_cstr(c, "return");
    if (ret == NULL || !visit_argannotation(c, ret, returns, &len))
        return 0;
    if (len) {
        ADDOP_I(c, BUILD_TUPLE, len);
        return 1;
    }
    return -1;
}

int apply_decorators(compiler *c, asdl_expr_seq *decos)
{
    pmi_loc saved = c->u->loc;
    for (pm_ssize_t i = asdl_seq_LEN(decos) - 1; i > -1; i--) {
        expr_ty d = asdl_seq_GET(decos, i);
        SET_LOC(c, d);
        ADDOP_I(c, PRECALL, 0);
        ADDOP_I(c, CALL, 0);
    }
    c->u->loc = saved;
    return 1;
}

int check_debug_args(compiler *c, arguments_ty args)
{
    asdl_arg_seq *seqs[3] = { args->posonlyargs, args->args, args->kwonlyargs };
    for (int k = 0; k < 3; k++)
        for (pm_ssize_t i = 0; i < asdl_seq_LEN(seqs[k]); i++) {
            arg_ty a = asdl_seq_GET(seqs[k], i);
            if (pm_str_equal_cstr(a->arg, "__debug__"))
                return compiler_error(c, "cannot assign to __debug__");
        }
    if (args->vararg && pm_str_equal_cstr(args->vararg->arg, "__debug__"))
        return compiler_error(c, "cannot assign to __debug__");
    if (args->kwarg && pm_str_equal_cstr(args->kwarg->arg, "__debug__"))
        return compiler_error(c, "cannot assign to __debug__");
    return 1;
}

int compiler_function(compiler *c, stmt_ty s, int is_async)
{
    arguments_ty args = s->v.FunctionDef.args;
    expr_ty returns = s->v.FunctionDef.returns;
    asdl_expr_seq *decos = s->v.FunctionDef.decorator_list;
    pm_object *name = s->v.FunctionDef.name;
    asdl_stmt_seq *body = s->v.FunctionDef.body;
    int scope_type = is_async ? SCOPE_ASYNC_FUNCTION : SCOPE_FUNCTION;
    if (!check_debug_args(c, args))
        return 0;
    VISIT_SEQ(c, expr, decos);
    int firstlineno = s->lineno;
    if (asdl_seq_LEN(decos))
        firstlineno = asdl_seq_GET(decos, 0)->lineno;
    int funcflags = default_arguments(c, args);
    if (funcflags == -1)
        return 0;
    int ann = visit_annotations(c, args, returns);
    if (ann == 0)
        return 0;
    if (ann > 0)
        funcflags |= 0x04;
    if (!enter_scope(c, name, scope_type, s, firstlineno))
        return 0;
    pm_object *doc = c->optimize < 2 ? get_docstring(body) : NULL;
    if (add_const(c, doc ? doc : PM_NONE) < 0)
        return 0;
    c->u->argcount = (int)asdl_seq_LEN(args->args);
    c->u->posonlyargcount = (int)asdl_seq_LEN(args->posonlyargs);
    c->u->kwonlyargcount = (int)asdl_seq_LEN(args->kwonlyargs);
    for (pm_ssize_t i = doc ? 1 : 0; i < asdl_seq_LEN(body); i++)
        VISIT(c, stmt, asdl_seq_GET(body, i));
    pm_object *co = assemble_unit(c, 1);
    exit_scope(c);
    if (co == NULL)
        return 0;
    int ok = make_closure(c, co, funcflags);
    pm_decref(c->rt, co);
    if (!ok || !apply_decorators(c, decos))
        return 0;
    return compiler_nameop(c, name, Store);
}

int compiler_class(compiler *c, stmt_ty s)
{
    asdl_expr_seq *decos = s->v.ClassDef.decorator_list;
    VISIT_SEQ(c, expr, decos);
    int firstlineno = s->lineno;
    if (asdl_seq_LEN(decos))
        firstlineno = asdl_seq_GET(decos, 0)->lineno;
    if (!enter_scope(c, s->v.ClassDef.name, SCOPE_CLASS, s, firstlineno))
        return 0;
    c->u->private_name = s->v.ClassDef.name;
    pm_object *n_name = intern_cstr(c, "__name__"), *n_module = intern_cstr(c, "__module__");
    pm_object *n_qual = intern_cstr(c, "__qualname__");
    if (!n_name || !n_module || !n_qual || !compiler_nameop(c, n_name, Load) ||
        !compiler_nameop(c, n_module, Store))
        return 0;
    ADDOP_LOAD_CONST(c, c->u->qualname);
    if (!compiler_nameop(c, n_qual, Store))
        return 0;
    if (!compiler_body(c, s->v.ClassDef.body))
        return 0;
    UNSET_LOC(c);
    if (c->u->ste->needs_class_closure) {
        ADDOP_I(c, LOAD_CLOSURE, 0);
        ADDOP_I(c, COPY, 1);
        pm_object *cc = intern_cstr(c, "__classcell__");
        if (cc == NULL || !compiler_nameop(c, cc, Store))
            return 0;
    } else {
        ADDOP_LOAD_CONST(c, PM_NONE);
    }
    ADDOP(c, RETURN_VALUE);
    pm_object *co = assemble_unit(c, 1);
    exit_scope(c);
    if (co == NULL)
        return 0;
    int ok = addop(c, PMI_OP_PUSH_NULL) && addop(c, PMI_OP_LOAD_BUILD_CLASS) &&
             make_closure(c, co, 0);
    pm_decref(c->rt, co);
    if (!ok)
        return 0;
    ADDOP_LOAD_CONST(c, s->v.ClassDef.name);
    if (!compiler_call_helper(c, 2, s->v.ClassDef.bases, s->v.ClassDef.keywords))
        return 0;
    if (!apply_decorators(c, decos))
        return 0;
    return compiler_nameop(c, s->v.ClassDef.name, Store);
}

int compiler_lambda(compiler *c, expr_ty e)
{
    arguments_ty args = e->v.Lambda.args;
    if (!check_debug_args(c, args))
        return 0;
    int funcflags = default_arguments(c, args);
    if (funcflags == -1)
        return 0;
    pm_object *name = anon_name(c, "<lambda>");
    if (name == NULL || !enter_scope(c, name, SCOPE_LAMBDA, e, e->lineno))
        return 0;
    if (add_const(c, PM_NONE) < 0)
        return 0;
    c->u->argcount = (int)asdl_seq_LEN(args->args);
    c->u->posonlyargcount = (int)asdl_seq_LEN(args->posonlyargs);
    c->u->kwonlyargcount = (int)asdl_seq_LEN(args->kwonlyargs);
    VISIT(c, expr, e->v.Lambda.body);
    pm_object *co;
    if (c->u->ste->generator) {
        co = assemble_unit(c, 0);
    } else {
        ADDOP(c, RETURN_VALUE);
        co = assemble_unit(c, 1);
    }
    exit_scope(c);
    if (co == NULL)
        return 0;
    int ok = make_closure(c, co, funcflags);
    pm_decref(c->rt, co);
    return ok;
}

/* ---- comprehensions ------------------------------------------------------------ */


int comprehension_element(compiler *c, expr_ty elt, expr_ty val, int type, int depth)
{
    switch (type) {
    case COMP_GENEXP:
        VISIT(c, expr, elt);
        if (!addop_yield(c))
            return 0;
        ADDOP(c, POP_TOP);
        break;
    case COMP_LISTCOMP:
        VISIT(c, expr, elt);
        ADDOP_I(c, LIST_APPEND, depth + 1);
        break;
    case COMP_SETCOMP:
        VISIT(c, expr, elt);
        ADDOP_I(c, SET_ADD, depth + 1);
        break;
    case COMP_DICTCOMP:
        VISIT(c, expr, elt);
        VISIT(c, expr, val);
        ADDOP_I(c, MAP_ADD, depth + 1);
        break;
    }
    return 1;
}

int async_comprehension_generator(compiler *c, asdl_comprehension_seq *generators,
                                         int gen_index, int depth, expr_ty elt, expr_ty val,
                                         int type)
{
    pmi_block *start, *if_cleanup, *except;
    NEW_BLOCK(c, start);
    NEW_BLOCK(c, except);
    NEW_BLOCK(c, if_cleanup);
    comprehension_ty gen = asdl_seq_GET(generators, gen_index);
    if (gen_index == 0) {
        c->u->argcount = 1;
        ADDOP_I(c, LOAD_FAST, 0);
    } else {
        VISIT(c, expr, gen->iter);
        ADDOP(c, GET_AITER);
    }
    use_next_block(c, start);
    if (!push_fblock(c, ASYNC_COMPREHENSION_GENERATOR, start, NULL, NULL))
        return 0;
    ADDOP_JUMP(c, SETUP_FINALLY, except);
    ADDOP(c, GET_ANEXT);
    ADDOP_LOAD_CONST(c, PM_NONE);
    if (!add_yield_from(c, 1))
        return 0;
    ADDOP(c, POP_BLOCK);
    VISIT(c, expr, gen->target);
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(gen->ifs); i++) {
        if (!compiler_jump_if(c, asdl_seq_GET(gen->ifs, i), if_cleanup, 0))
            return 0;
    }
    depth++;
    if (++gen_index < asdl_seq_LEN(generators))
        if (!comprehension_generator(c, generators, gen_index, depth, elt, val, type))
            return 0;
    if (gen_index >= asdl_seq_LEN(generators) && !comprehension_element(c, elt, val, type, depth))
        return 0;
    use_next_block(c, if_cleanup);
    ADDOP_JUMP(c, JUMP, start);
    pop_fblock(c);
    use_next_block(c, except);
    ADDOP(c, END_ASYNC_FOR);
    return 1;
}

int comprehension_generator(compiler *c, asdl_comprehension_seq *generators, int gen_index,
                                   int depth, expr_ty elt, expr_ty val, int type)
{
    pmi_block *start, *anchor, *if_cleanup;
    NEW_BLOCK(c, start);
    NEW_BLOCK(c, if_cleanup);
    NEW_BLOCK(c, anchor);
    comprehension_ty gen = asdl_seq_GET(generators, gen_index);
    if (gen->is_async)
        return async_comprehension_generator(c, generators, gen_index, depth, elt, val, type);
    if (gen_index == 0) {
        c->u->argcount = 1;
        ADDOP_I(c, LOAD_FAST, 0);
    } else {
        asdl_expr_seq *elts = NULL;
        if (gen->iter->kind == List_kind)
            elts = gen->iter->v.List.elts;
        else if (gen->iter->kind == Tuple_kind)
            elts = gen->iter->v.Tuple.elts;
        if (asdl_seq_LEN(elts) == 1) {
            expr_ty e1 = asdl_seq_GET(elts, 0);
            if (e1->kind != Starred_kind) {
                VISIT(c, expr, e1);
                start = NULL;
            }
        }
        if (start) {
            VISIT(c, expr, gen->iter);
            ADDOP(c, GET_ITER);
        }
    }
    if (start) {
        depth++;
        use_next_block(c, start);
        ADDOP_JUMP(c, FOR_ITER, anchor);
    }
    VISIT(c, expr, gen->target);
    for (pm_ssize_t i = 0; i < asdl_seq_LEN(gen->ifs); i++) {
        if (!compiler_jump_if(c, asdl_seq_GET(gen->ifs, i), if_cleanup, 0))
            return 0;
    }
    if (++gen_index < asdl_seq_LEN(generators))
        if (!comprehension_generator(c, generators, gen_index, depth, elt, val, type))
            return 0;
    if (gen_index >= asdl_seq_LEN(generators)) {
        switch (type) {
        case COMP_GENEXP:
            VISIT(c, expr, elt);
            if (!addop_yield(c))
                return 0;
            ADDOP(c, POP_TOP);
            break;
        case COMP_LISTCOMP:
            VISIT(c, expr, elt);
            ADDOP_I(c, LIST_APPEND, depth + 1);
            break;
        case COMP_SETCOMP:
            VISIT(c, expr, elt);
            ADDOP_I(c, SET_ADD, depth + 1);
            break;
        case COMP_DICTCOMP:
            VISIT(c, expr, elt);
            VISIT(c, expr, val);
            ADDOP_I(c, MAP_ADD, depth + 1);
            break;
        }
    }
    use_next_block(c, if_cleanup);
    if (start) {
        ADDOP_JUMP(c, JUMP, start);
        use_next_block(c, anchor);
    }
    return 1;
}

int compiler_comprehension(compiler *c, expr_ty e, int type, const char *name,
                                  asdl_comprehension_seq *generators, expr_ty elt, expr_ty val)
{
    comprehension_ty outermost = asdl_seq_GET(generators, 0);
    pm_object *n = anon_name(c, name);
    if (n == NULL || !enter_scope(c, n, SCOPE_COMPREHENSION, e, e->lineno))
        return 0;
    SET_LOC(c, e);
    int is_async_generator = c->u->ste->coroutine;
    int outer_scope = c->u->parent->scope_type;
    if (is_async_generator && type != COMP_GENEXP && outer_scope != SCOPE_ASYNC_FUNCTION &&
        outer_scope != SCOPE_COMPREHENSION)
        return compiler_error(c, "asynchronous comprehension outside of an asynchronous function");
    if (type != COMP_GENEXP) {
        int op = type == COMP_LISTCOMP ? PMI_OP_BUILD_LIST
                 : type == COMP_SETCOMP ? PMI_OP_BUILD_SET : PMI_OP_BUILD_MAP;
        if (!addop_i(c, op, 0))
            return 0;
    }
    if (!comprehension_generator(c, generators, 0, 0, elt, val, type))
        return 0;
    if (type != COMP_GENEXP)
        ADDOP(c, RETURN_VALUE);
    pm_object *co = assemble_unit(c, 1);
    exit_scope(c);
    if (co == NULL)
        return 0;
    int ok = make_closure(c, co, 0);
    pm_decref(c->rt, co);
    if (!ok)
        return 0;
    VISIT(c, expr, outermost->iter);
    if (outermost->is_async)
        ADDOP(c, GET_AITER);
    else
        ADDOP(c, GET_ITER);
    ADDOP_I(c, PRECALL, 0);
    ADDOP_I(c, CALL, 0);
    if (is_async_generator && type != COMP_GENEXP) {
        ADDOP_I(c, GET_AWAITABLE, 0);
        ADDOP_LOAD_CONST(c, PM_NONE);
        if (!add_yield_from(c, 1))
            return 0;
    }
    return 1;
}

/* ---- expression dispatch ------------------------------------------------------- */

int compiler_visit_expr1(compiler *c, expr_ty e)
{
    pm_runtime *rt = c->rt;
    switch (e->kind) {
    case NamedExpr_kind:
        VISIT(c, expr, e->v.NamedExpr.value);
        ADDOP_I(c, COPY, 1);
        VISIT(c, expr, e->v.NamedExpr.target);
        return 1;
    case BoolOp_kind:
        return compiler_boolop(c, e);
    case BinOp_kind:
        VISIT(c, expr, e->v.BinOp.left);
        VISIT(c, expr, e->v.BinOp.right);
        ADDOP_I(c, BINARY_OP, binop_arg(e->v.BinOp.op, 0));
        return 1;
    case UnaryOp_kind:
        VISIT(c, expr, e->v.UnaryOp.operand);
        switch (e->v.UnaryOp.op) {
        case Invert: ADDOP(c, UNARY_INVERT); break;
        case Not: ADDOP(c, UNARY_NOT); break;
        case UAdd: ADDOP(c, UNARY_POSITIVE); break;
        case USub: ADDOP(c, UNARY_NEGATIVE); break;
        }
        return 1;
    case Lambda_kind:
        return compiler_lambda(c, e);
    case IfExp_kind: {
        pmi_block *end, *next;
        NEW_BLOCK(c, end);
        NEW_BLOCK(c, next);
        if (!compiler_jump_if(c, e->v.IfExp.test, next, 0))
            return 0;
        VISIT(c, expr, e->v.IfExp.body);
        ADDOP_JUMP_NOLINE(c, JUMP, end);
        use_next_block(c, next);
        VISIT(c, expr, e->v.IfExp.orelse);
        use_next_block(c, end);
        return 1;
    }
    case Dict_kind:
        return compiler_dict(c, e);
    case Set_kind:
        return starunpack_helper(c, e->v.Set.elts, 0, PMI_OP_BUILD_SET, PMI_OP_SET_ADD,
                                 PMI_OP_SET_UPDATE, 0);
    case GeneratorExp_kind:
        return compiler_comprehension(c, e, COMP_GENEXP, "<genexpr>", e->v.GeneratorExp.generators,
                                      e->v.GeneratorExp.elt, NULL);
    case ListComp_kind:
        return compiler_comprehension(c, e, COMP_LISTCOMP, "<listcomp>", e->v.ListComp.generators,
                                      e->v.ListComp.elt, NULL);
    case SetComp_kind:
        return compiler_comprehension(c, e, COMP_SETCOMP, "<setcomp>", e->v.SetComp.generators,
                                      e->v.SetComp.elt, NULL);
    case DictComp_kind:
        return compiler_comprehension(c, e, COMP_DICTCOMP, "<dictcomp>", e->v.DictComp.generators,
                                      e->v.DictComp.key, e->v.DictComp.value);
    case Yield_kind:
        if (c->u->ste->type != PMI_BLOCK_FUNCTION)
            return compiler_error(c, "'yield' outside function");
        if (e->v.Yield.value)
            VISIT(c, expr, e->v.Yield.value);
        else
            ADDOP_LOAD_CONST(c, PM_NONE);
        return addop_yield(c);
    case YieldFrom_kind:
        if (c->u->ste->type != PMI_BLOCK_FUNCTION)
            return compiler_error(c, "'yield' outside function");
        if (c->u->scope_type == SCOPE_ASYNC_FUNCTION)
            return compiler_error(c, "'yield from' inside async function");
        VISIT(c, expr, e->v.YieldFrom.value);
        ADDOP(c, GET_YIELD_FROM_ITER);
        ADDOP_LOAD_CONST(c, PM_NONE);
        return add_yield_from(c, 0);
    case Await_kind:
        if (c->u->ste->type != PMI_BLOCK_FUNCTION)
            return compiler_error(c, "'await' outside function");
        if (c->u->scope_type != SCOPE_ASYNC_FUNCTION && c->u->scope_type != SCOPE_COMPREHENSION)
            return compiler_error(c, "'await' outside async function");
        VISIT(c, expr, e->v.Await.value);
        ADDOP_I(c, GET_AWAITABLE, 0);
        ADDOP_LOAD_CONST(c, PM_NONE);
        return add_yield_from(c, 1);
    case Compare_kind:
        return compiler_compare(c, e);
    case Call_kind:
        return compiler_call(c, e);
    case Constant_kind:
        ADDOP_LOAD_CONST(c, e->v.Constant.value);
        return 1;
    case JoinedStr_kind:
        return compiler_joined_str(c, e);
    case FormattedValue_kind:
        return compiler_formatted_value(c, e);
    case Attribute_kind:
        VISIT(c, expr, e->v.Attribute.value);
        update_start_location_to_match_attr(c, e);
        switch (e->v.Attribute.ctx) {
        case Load:
            ADDOP_NAME(c, LOAD_ATTR, e->v.Attribute.attr);
            break;
        case Store:
            if (forbidden_name(c, e->v.Attribute.attr, Store))
                return 0;
            ADDOP_NAME(c, STORE_ATTR, e->v.Attribute.attr);
            break;
        case Del:
            ADDOP_NAME(c, DELETE_ATTR, e->v.Attribute.attr);
            break;
        }
        return 1;
    case Subscript_kind: {
        int op = e->v.Subscript.ctx == Load ? PMI_OP_BINARY_SUBSCR
                 : e->v.Subscript.ctx == Store ? PMI_OP_STORE_SUBSCR : PMI_OP_DELETE_SUBSCR;
        if (e->v.Subscript.ctx == Load && !check_subscript(c, e->v.Subscript.value, e->v.Subscript.slice))
            return 0;
        VISIT(c, expr, e->v.Subscript.value);
        VISIT(c, expr, e->v.Subscript.slice);
        return addop(c, op);
    }
    case Starred_kind:
        if (e->v.Starred.ctx == Store)
            return compiler_error(c, "starred assignment target must be in a list or tuple");
        return compiler_error(c, "can't use starred expression here");
    case Slice_kind:
        return compiler_slice(c, e);
    case Name_kind:
        if (forbidden_name(c, e->v.Name.id, e->v.Name.ctx))
            return 0;
        return compiler_nameop(c, e->v.Name.id, e->v.Name.ctx);
    case List_kind:
        return compiler_list_or_tuple(c, e, 0);
    case Tuple_kind:
        return compiler_list_or_tuple(c, e, 1);
    }
    (void)rt;
    return 1;
}

int compiler_visit_expr(compiler *c, expr_ty e)
{
    pmi_loc saved = c->u->loc;
    if (++c->depth > 6000) {   /* the symbol table stops at 3000 first */
        pm_err_set(c->rt, PM_EXC_RecursionError, "maximum recursion depth exceeded during compilation");
        return 0;
    }
    SET_LOC(c, e);
    int r = compiler_visit_expr1(c, e);
    c->depth--;
    if (c->u)
        c->u->loc = saved;
    return r;
}

/* ---- assembling a unit ----------------------------------------------------------- */


int compute_code_flags(compiler *c)
{
    pmi_ste *ste = c->u->ste;
    int flags = 0;
    if (ste->type == PMI_BLOCK_FUNCTION) {
        flags |= PMI_CO_NEWLOCALS | PMI_CO_OPTIMIZED;
        if (ste->nested)
            flags |= PMI_CO_NESTED;
        if (ste->generator && !ste->coroutine)
            flags |= PMI_CO_GENERATOR;
        if (!ste->generator && ste->coroutine)
            flags |= PMI_CO_COROUTINE;
        if (ste->generator && ste->coroutine)
            flags |= PMI_CO_ASYNC_GENERATOR;
        if (ste->varargs)
            flags |= PMI_CO_VARARGS;
        if (ste->varkeywords)
            flags |= PMI_CO_VARKEYWORDS;
    }
    flags |= c->future;
    return flags;
}

int insert_instr(pm_runtime *rt, pmi_block *b, int pos, const pmi_instr *in)
{
    if (pmi_block_add(rt, b, in) < 0)
        return -1;
    for (int i = b->iused - 1; i > pos; i--)
        b->instr[i] = b->instr[i - 1];
    b->instr[pos] = *in;
    return 0;
}

pm_object *dict_keys_tuple(pm_runtime *rt, pm_object *dict)
{
    pm_object *keys = pm_dict_keys(rt, dict);
    if (keys == NULL)
        return NULL;
    pm_object *t = pm_list_as_tuple(rt, keys);
    pm_decref(rt, keys);
    return t;
}

pm_object *assemble_unit(compiler *c, int add_none)
{
    pm_runtime *rt = c->rt;
    unit *u = c->u;
    pm_object *result = NULL, *names = NULL, *consts = NULL, *lpnames = NULL, *lpkinds = NULL;
    int *fixed = NULL;
    pmi_asm_result ar = { 0 };
    pmi_block *cur = u->cur;
    if (!(cur->iused > 0 && cur->instr[cur->iused - 1].opcode == PMI_OP_RETURN_VALUE)) {
        UNSET_LOC(c);
        if (add_none && !addop_load_const(c, PM_NONE))
            return NULL;
        if (!addop(c, PMI_OP_RETURN_VALUE))
            return NULL;
    }
    if (pmi_flow_prepare(rt, &u->blocks) < 0)
        return NULL;
    pmi_block *entry = u->entry;
    int nlocals = (int)pm_dict_size(u->varnames);
    int ncells = (int)pm_dict_size(u->cellvars);
    int nfrees = (int)pm_dict_size(u->freevars);
    int nlocalsplus = nlocals + ncells + nfrees;
    int noffsets = ncells + nfrees;
    fixed = pm_malloc(rt, sizeof(int) * (size_t)(noffsets + 1));
    if (fixed == NULL) {
        pm_err_nomem(rt);
        return NULL;
    }
    for (int i = 0; i < noffsets; i++)
        fixed[i] = nlocals + i;
    {
        pm_ssize_t pos = 0;
        pm_object *k, *v;
        while (pm_dict_next(u->cellvars, &pos, &k, &v)) {
            pm_object *vi = pm_dict_get(rt, u->varnames, k);
            if (vi != NULL)
                fixed[pm_int_as_long(rt, v)] = (int)pm_int_as_long(rt, vi);
        }
    }
    if (!u->firstlineno) {
        if (entry->iused && entry->instr[0].loc.lineno)
            u->firstlineno = entry->instr[0].loc.lineno;
        else
            u->firstlineno = 1;
    }
    int flags = compute_code_flags(c);
    /* prefix: generator, cells, frees */
    if (flags & (PMI_CO_GENERATOR | PMI_CO_COROUTINE | PMI_CO_ASYNC_GENERATOR)) {
        pmi_instr g = { PMI_OP_RETURN_GENERATOR, 0, { u->firstlineno, u->firstlineno, -1, -1 }, NULL, NULL };
        pmi_instr p = { PMI_OP_POP_TOP, 0, { -1, -1, -1, -1 }, NULL, NULL };
        if (insert_instr(rt, entry, 0, &g) < 0 || insert_instr(rt, entry, 1, &p) < 0)
            goto done;
    }
    if (ncells) {
        int nvars = ncells + nlocals;
        int *sorted = pm_calloc(rt, (size_t)nvars, sizeof(int));
        if (sorted == NULL) {
            pm_err_nomem(rt);
            goto done;
        }
        for (int i = 0; i < ncells; i++)
            sorted[fixed[i]] = i + 1;
        for (int i = 0, used = 0; used < ncells; i++) {
            int old = sorted[i] - 1;
            if (old == -1)
                continue;
            pmi_instr mc = { PMI_OP_MAKE_CELL, old, { -1, -1, -1, -1 }, NULL, NULL };
            if (insert_instr(rt, entry, used, &mc) < 0) {
                pm_free(rt, sorted);
                goto done;
            }
            used++;
        }
        pm_free(rt, sorted);
    }
    if (nfrees) {
        pmi_instr cf = { PMI_OP_COPY_FREE_VARS, nfrees, { -1, -1, -1, -1 }, NULL, NULL };
        if (insert_instr(rt, entry, 0, &cf) < 0)
            goto done;
    }
    /* fix_cell_offsets */
    int numdropped = 0;
    for (int i = 0; i < noffsets; i++) {
        if (fixed[i] == i + nlocals)
            fixed[i] -= numdropped;
        else
            numdropped++;
    }
    for (pmi_block *b = entry; b; b = b->next)
        for (int i = 0; i < b->iused; i++) {
            pmi_instr *in = &b->instr[i];
            switch (in->opcode) {
            case PMI_OP_MAKE_CELL: case PMI_OP_LOAD_CLOSURE: case PMI_OP_LOAD_DEREF:
            case PMI_OP_STORE_DEREF: case PMI_OP_DELETE_DEREF: case PMI_OP_LOAD_CLASSDEREF:
                in->oparg = fixed[in->oparg];
                break;
            }
        }
    nlocalsplus -= numdropped;
    consts = u->consts.list;
    if (pmi_flow_optimize(rt, &u->blocks, entry, consts, u->firstlineno, flags, &c->merge) < 0)
        goto done;
    if (pmi_assemble(rt, &u->blocks, entry, u->firstlineno, flags, &ar) < 0)
        goto done;
    if (merge_one(c, &ar.linetable) < 0 || merge_one(c, &ar.exceptiontable) < 0)
        goto done;
    names = dict_keys_tuple(rt, u->names);
    pm_object *ctuple = pm_list_as_tuple(rt, consts);
    lpnames = pm_list_new(rt);
    if (names == NULL || ctuple == NULL || lpnames == NULL) {
        pm_xdecref(rt, ctuple);
        goto done;
    }
    consts = ctuple;
    if (merge_one(c, &names) < 0)
        goto done;
    {
        pm_object *before = consts;
        if (merge_one(c, &consts) < 0)
            goto done;
        if (consts == before && pmi_const_copy_frozensets(rt, &c->merge, &consts) < 0)
            goto done;
    }
    {
        char *kinds = pm_malloc(rt, (size_t)nlocalsplus + 1);
        pm_object **slots = pm_calloc(rt, (size_t)nlocalsplus + 1, sizeof(pm_object *));
        if (kinds == NULL || slots == NULL) {
            pm_free(rt, kinds);
            pm_free(rt, slots);
            pm_err_nomem(rt);
            goto done;
        }
        pm_ssize_t pos = 0;
        pm_object *k, *v;
        while (pm_dict_next(u->varnames, &pos, &k, &v)) {
            int off = (int)pm_int_as_long(rt, v);
            int kind = PMI_CO_FAST_LOCAL;
            if (pm_dict_get(rt, u->cellvars, k) != NULL)
                kind |= PMI_CO_FAST_CELL;
            slots[off] = k;
            kinds[off] = (char)kind;
        }
        int dropped = 0;
        pos = 0;
        while (pm_dict_next(u->cellvars, &pos, &k, &v)) {
            if (pm_dict_get(rt, u->varnames, k) != NULL) {
                dropped++;
                continue;
            }
            int off = (int)pm_int_as_long(rt, v) + nlocals - dropped;
            slots[off] = k;
            kinds[off] = (char)PMI_CO_FAST_CELL;
        }
        pos = 0;
        while (pm_dict_next(u->freevars, &pos, &k, &v)) {
            int off = (int)pm_int_as_long(rt, v) + nlocals - dropped;
            slots[off] = k;
            kinds[off] = (char)PMI_CO_FAST_FREE;
        }
        pm_decref(rt, lpnames);
        lpnames = pm_tuple_from_array(rt, slots, nlocalsplus);
        lpkinds = pm_bytes_new(rt, kinds, nlocalsplus);
        pm_free(rt, kinds);
        pm_free(rt, slots);
        if (lpnames == NULL || lpkinds == NULL || merge_one(c, &lpnames) < 0)
            goto done;
    }
    pmi_code_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.argcount = u->argcount + u->posonlyargcount;
    spec.posonlyargcount = u->posonlyargcount;
    spec.kwonlyargcount = u->kwonlyargcount;
    spec.stacksize = ar.stacksize;
    spec.firstlineno = u->firstlineno;
    spec.flags = flags;
    spec.code = ar.code;
    spec.consts = consts;
    spec.names = names;
    spec.localsplusnames = lpnames;
    spec.localspluskinds = lpkinds;
    spec.filename = c->filename;
    spec.name = u->name;
    spec.qualname = u->qualname ? u->qualname : u->name;
    spec.linetable = ar.linetable;
    spec.exceptiontable = ar.exceptiontable;
    result = pmi_code_new(rt, &spec);
done:
    if (consts != u->consts.list)
        pm_xdecref(rt, consts);
    pm_xdecref(rt, names);
    pm_xdecref(rt, lpnames);
    pm_xdecref(rt, lpkinds);
    pm_xdecref(rt, ar.code);
    pm_xdecref(rt, ar.linetable);
    pm_xdecref(rt, ar.exceptiontable);
    pm_free(rt, fixed);
    return result;
}

/* ---- 'single' mode: one statement ------------------------------------------------
 * python3's parser reads one statement in 'single' mode (its rule
 * statement_newline) and stops; what follows must be blank or comments
 * (pegen's bad_single_statement).  pymm's parser reads the whole input into
 * the Interactive body, so for source input the compiler checks the same
 * things before anything else (python3 reports them as parse errors, ahead
 * of the symbol table's):
 *   - nothing at all: "invalid syntax" at the end marker (offset 0);
 *   - a simple statement line (a; b; c) then more: "multiple statements
 *     found while compiling a single statement" at the NEWLINE token ending
 *     that line (from a trailing comment's start to the newline);
 *   - a compound statement then more: "invalid syntax" at the first token
 *     of the next statement (statement_newline wants its NEWLINE there).
 * An AST compiled from an object is not checked (python3 does not either).
 * Not mirrored: a tokenizer or parse error after the first statement is
 * still pymm's parser's (python3 never reads that far). */

/* Byte offset in src of (lineno 1-based, byte column). */
static size_t src_pos(const char *src, size_t len, int lineno, int col)
{
    size_t i = 0;
    for (int l = 1; l < lineno && i < len; i++)
        if (src[i] == '\n')
            l++;
    i += (size_t)(col < 0 ? 0 : col);
    return i < len ? i : len;
}

/* Line (1-based) and byte column of src[pos]. */
static void src_linecol(const char *src, size_t pos, pm_ssize_t *lineno, pm_ssize_t *col)
{
    pm_ssize_t l = 1;
    size_t start = 0;
    for (size_t i = 0; i < pos; i++)
        if (src[i] == '\n') {
            l++;
            start = i + 1;
        }
    *lineno = l;
    *col = (pm_ssize_t)(pos - start);
}

/* The next token's start from pos: blanks, newlines, comments, ';' and
 * line continuations skipped.  *newline: a logical line ended on the way. */
static size_t next_token(const char *src, size_t len, size_t pos, int *newline)
{
    *newline = 0;
    while (pos < len) {
        char ch = src[pos];
        if (ch == ' ' || ch == '\t' || ch == '\f' || ch == '\r' || ch == ';')
            pos++;
        else if (ch == '\\' && pos + 1 < len && (src[pos + 1] == '\n' || src[pos + 1] == '\r'))
            pos += src[pos + 1] == '\r' && pos + 2 < len && src[pos + 2] == '\n' ? 3 : 2;
        else if (ch == '\n') {
            *newline = 1;
            pos++;
        } else if (ch == '#') {
            while (pos < len && src[pos] != '\n')
                pos++;
        } else
            break;
    }
    return pos;
}

/* The end of the token starting at src[pos] (names, numbers, strings with
 * their prefixes, '...'; any other operator is one character). */
static size_t token_end(const char *src, size_t len, size_t pos)
{
    size_t i = pos;
    unsigned char ch = (unsigned char)src[i];
#define NAMECH(x) (((x) >= 'a' && (x) <= 'z') || ((x) >= 'A' && (x) <= 'Z') || ((x) >= '0' && (x) <= '9') || \
                   (x) == '_' || (x) >= 0x80)
    if (ch >= '0' && ch <= '9') {
        while (i < len && (NAMECH((unsigned char)src[i]) || src[i] == '.' ||
                           ((src[i] == '+' || src[i] == '-') && (src[i - 1] == 'e' || src[i - 1] == 'E'))))
            i++;
        return i;
    }
    if (NAMECH(ch)) {
        while (i < len && NAMECH((unsigned char)src[i]))
            i++;
        if (i - pos > 2 || i >= len || (src[i] != '\'' && src[i] != '"'))
            return i;
        ch = (unsigned char)src[i];     /* a string prefix: the string follows */
    }
#undef NAMECH
    if (ch == '\'' || ch == '"') {
        int triple = i + 2 < len && src[i + 1] == (char)ch && src[i + 2] == (char)ch;
        i += triple ? 3 : 1;
        while (i < len) {
            if (src[i] == '\\') {
                i += 2;
                continue;
            }
            if (src[i] == (char)ch && (!triple || (i + 2 < len && src[i + 1] == (char)ch && src[i + 2] == (char)ch)))
                return i + (triple ? 3 : 1);
            if (src[i] == '\n' && !triple)
                return i;
            i++;
        }
        return len;
    }
    if (ch == '.' && i + 2 < len && src[i + 1] == '.' && src[i + 2] == '.')
        return i + 3;
    return i + 1;
}

static int single_error(compiler *c, pm_ssize_t lineno, pm_ssize_t col, pm_ssize_t end_lineno,
                        pm_ssize_t end_col, const char *msg)
{
    if (c->err->filename == NULL && c->filename != NULL)
        c->err->filename = pm_newref(c->rt, c->filename);
    pmi_syntax_error_set(c->rt, c->err, PMI_SYNTAX_ERROR, c->src, c->srclen, lineno, col, end_lineno, end_col,
                         "%s", msg);
    return 0;
}

int pmi_compile_is_compound(stmt_ty st)
{
    switch (st->kind) {
    case FunctionDef_kind: case AsyncFunctionDef_kind: case ClassDef_kind: case For_kind:
    case AsyncFor_kind: case While_kind: case If_kind: case With_kind: case AsyncWith_kind:
    case Match_kind: case Try_kind: case TryStar_kind:
        return 1;
    default:
        return 0;
    }
}

/* 1 when the source holds one statement (see above), else 0 with the
 * SyntaxError set (or MemoryError). */
static int single_check(compiler *c, asdl_stmt_seq *body)
{
    const char *src = c->src;
    size_t len = c->srclen;
    pm_ssize_t n = asdl_seq_LEN(body);
    if (src == NULL)
        return 1;
    if (n == 0) {
        pm_ssize_t lines = 0;
        for (size_t i = 0; i < len; i++)
            lines += src[i] == '\n';
        if (len && src[len - 1] != '\n')
            lines++;
        return single_error(c, lines, -1, lines, -1, "invalid syntax");
    }
    stmt_ty first = asdl_seq_GET(body, 0);
    pm_ssize_t i = 1;
    size_t end = src_pos(src, len, first->end_lineno, first->end_col_offset);
    int newline = 0;
    size_t next = next_token(src, len, end, &newline);
    if (!pmi_compile_is_compound(first)) {
        /* the rest of the first line: a; b; c */
        for (; i < n && !newline; i++) {
            stmt_ty st = asdl_seq_GET(body, i);
            end = src_pos(src, len, st->end_lineno, st->end_col_offset);
            next = next_token(src, len, end, &newline);
        }
        if (i == n)
            return 1;
        /* the NEWLINE token: from a comment's start, or the newline itself */
        size_t nl = end;
        while (nl < len && (src[nl] == ' ' || src[nl] == '\t' || src[nl] == '\f' || src[nl] == ';'))
            nl++;
        size_t stop = nl;
        while (stop < len && src[stop] != '\n' && src[stop] != '\r')
            stop++;
        pm_ssize_t l0, c0, l1, c1;
        src_linecol(src, nl, &l0, &c0);
        src_linecol(src, stop, &l1, &c1);
        return single_error(c, l0, c0, l1, c1, "multiple statements found while compiling a single statement");
    }
    if (n == 1)
        return 1;
    pm_ssize_t l0, c0, l1, c1;
    src_linecol(src, next, &l0, &c0);
    src_linecol(src, token_end(src, len, next), &l1, &c1);
    return single_error(c, l0, c0, l1, c1, "invalid syntax");
}

/* ---- entry points -------------------------------------------------------------- */

pm_object *pmi_compile_ex(pm_runtime *rt, mod_ty m, pm_object *filename, int mode, int optimize,
                          pmi_arena *a, const char *src, size_t len, pmi_syntax_error *err)
{
    compiler cc;
    compiler *c = &cc;
    pm_object *co = NULL;
    memset(c, 0, sizeof *c);
    c->rt = rt;
    c->filename = filename;
    c->src = src;
    c->srclen = len;
    c->err = err;
    c->arena = a;
    c->optimize = optimize < 0 ? 0 : optimize;
    c->interactive = mode == PMI_MODE_SINGLE;
    c->owned = pm_list_new(rt);
    c->merge.list = pm_list_new(rt);
    c->merge.prior = pm_set_new(rt, NULL);
    c->anon.list = pm_list_new(rt);
    if (c->owned == NULL || c->merge.list == NULL || c->merge.prior == NULL || c->anon.list == NULL) {
        pm_xdecref(rt, c->owned);
        pmi_const_table_clear(rt, &c->merge);
        pmi_const_table_clear(rt, &c->anon);
        return NULL;
    }
    if (m->kind == Interactive_kind && !single_check(c, m->v.Interactive.body))
        goto done;
    c->future = pmi_future_features(rt, m, filename, src, len, err, &c->ff_lineno);
    if (c->future < 0)
        goto done;
    if (pmi_ast_optimize(rt, m, a, c->optimize, c->future) < 0)
        goto done;
    c->st = pmi_symtable_build(rt, m, filename, c->future, src, len, err);
    if (c->st == NULL)
        goto done;
    pm_object *modname = anon_name(c, "<module>");
    if (modname == NULL || !enter_scope(c, modname, SCOPE_MODULE, m, 1))
        goto done;
    c->u->loc.lineno = 1;   /* 3.11's compiler_mod: line 1 until a statement sets one */
    int add_none = 1, ok = 1;
    switch (m->kind) {
    case Module_kind:
        ok = compiler_body(c, m->v.Module.body);
        break;
    case Interactive_kind:
        if (find_ann(m->v.Interactive.body) && !addop(c, PMI_OP_SETUP_ANNOTATIONS)) {
            ok = 0;
            break;
        }
        c->interactive = 1;
        for (pm_ssize_t i = 0; ok && i < asdl_seq_LEN(m->v.Interactive.body); i++)
            ok = compiler_visit_stmt(c, asdl_seq_GET(m->v.Interactive.body, i));
        break;
    case Expression_kind:
        ok = compiler_visit_expr(c, m->v.Expression.body);
        add_none = 0;
        break;
    default:
        pm_err_set(rt, PM_EXC_SystemError, "module kind not compilable");
        ok = 0;
    }
    if (ok)
        co = assemble_unit(c, add_none);
done:
    while (c->u)
        exit_scope(c);
    pmi_symtable_free(c->st);
    pm_xdecref(rt, c->owned);
    pmi_const_table_clear(rt, &c->merge);
    pmi_const_table_clear(rt, &c->anon);
    if (co == NULL && err->kind == 0 && !pm_err_occurred(rt))
        pm_err_set(rt, PM_EXC_SystemError, "compilation failed without an error");
    return co;
}

pm_object *pmi_compile(pm_runtime *rt, mod_ty m, pm_object *filename, int mode, int optimize,
                       pmi_arena *a, pmi_syntax_error *err)
{
    return pmi_compile_ex(rt, m, filename, mode, optimize, a, NULL, 0, err);
}

pm_object *pmi_compile_source(pm_runtime *rt, const char *src, size_t len, pm_object *filename,
                              int mode, int optimize, pmi_syntax_error *err)
{
    pmi_arena *a = pmi_arena_new(rt);
    if (a == NULL)
        return NULL;
    pm_object *co = NULL;
    mod_ty m = pmi_parse(rt, a, src, len, filename, mode, err);
    if (m != NULL)
        co = pmi_compile_ex(rt, m, filename, mode, optimize, a, src, len, err);
    pmi_arena_free(a);
    return co;
}
