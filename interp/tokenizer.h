/* Source text to tokens, as CPython 3.11's tokenizer (Parser/tokenizer.c).
 *
 * The tokenizer is pulled one token at a time by the parser (so an error
 * later in the file is reported only if the parser gets that far, as in
 * CPython).  Positions are (1-based line, 0-based UTF-8 byte column).
 * The source is decoded first: a UTF-8 BOM is dropped, a latin-1 coding
 * cookie converts the text to UTF-8, invalid UTF-8 or an unknown encoding
 * is a SyntaxError.
 */
#ifndef PMI_TOKENIZER_H
#define PMI_TOKENIZER_H
#include "pymm.h"
#include "diag.h"

enum pmi_tok_type {
    PMI_T_ENDMARKER = 0,
    PMI_T_NAME,
    PMI_T_NUMBER,
    PMI_T_STRING,
    PMI_T_NEWLINE,
    PMI_T_INDENT,
    PMI_T_DEDENT,
    PMI_T_OP,
};

/* Operators and delimiters; the spelling table is pmi_tok_op_names. */
#define PMI_TOK_OPS(X) \
    X(LPAR, "(") X(RPAR, ")") X(LSQB, "[") X(RSQB, "]") X(COLON, ":") X(COMMA, ",") \
    X(SEMI, ";") X(PLUS, "+") X(MINUS, "-") X(STAR, "*") X(SLASH, "/") X(VBAR, "|") \
    X(AMPER, "&") X(LESS, "<") X(GREATER, ">") X(EQUAL, "=") X(DOT, ".") X(PERCENT, "%") \
    X(LBRACE, "{") X(RBRACE, "}") X(EQEQUAL, "==") X(NOTEQUAL, "!=") X(LESSEQUAL, "<=") \
    X(GREATEREQUAL, ">=") X(TILDE, "~") X(CIRCUMFLEX, "^") X(LEFTSHIFT, "<<") \
    X(RIGHTSHIFT, ">>") X(DOUBLESTAR, "**") X(PLUSEQUAL, "+=") X(MINEQUAL, "-=") \
    X(STAREQUAL, "*=") X(SLASHEQUAL, "/=") X(PERCENTEQUAL, "%=") X(AMPEREQUAL, "&=") \
    X(VBAREQUAL, "|=") X(CIRCUMFLEXEQUAL, "^=") X(LEFTSHIFTEQUAL, "<<=") \
    X(RIGHTSHIFTEQUAL, ">>=") X(DOUBLESTAREQUAL, "**=") X(DOUBLESLASH, "//") \
    X(DOUBLESLASHEQUAL, "//=") X(AT, "@") X(ATEQUAL, "@=") X(RARROW, "->") \
    X(ELLIPSIS, "...") X(COLONEQUAL, ":=") X(EXCLAMATION, "!")

enum pmi_tok_op {
    PMI_OP_NONE = 0,
#define PMI_TOK_OP_ENUM_(n, s) PMI_OP_##n,
    PMI_TOK_OPS(PMI_TOK_OP_ENUM_)
#undef PMI_TOK_OP_ENUM_
    PMI_OP_COUNT
};
extern const char *const pmi_tok_op_names[PMI_OP_COUNT];

/* Keywords (hard and soft); PMI_KW_NONE for other names. */
#define PMI_KEYWORDS(X) \
    X(FALSE, "False") X(NONE_, "None") X(TRUE, "True") X(AND, "and") X(AS, "as") \
    X(ASSERT, "assert") X(ASYNC, "async") X(AWAIT, "await") X(BREAK, "break") \
    X(CLASS, "class") X(CONTINUE, "continue") X(DEF, "def") X(DEL, "del") X(ELIF, "elif") \
    X(ELSE, "else") X(EXCEPT, "except") X(FINALLY, "finally") X(FOR, "for") X(FROM, "from") \
    X(GLOBAL, "global") X(IF, "if") X(IMPORT, "import") X(IN, "in") X(IS, "is") \
    X(LAMBDA, "lambda") X(NONLOCAL, "nonlocal") X(NOT, "not") X(OR, "or") X(PASS, "pass") \
    X(RAISE, "raise") X(RETURN, "return") X(TRY, "try") X(WHILE, "while") X(WITH, "with") \
    X(YIELD, "yield") \
    X(MATCH, "match") X(CASE, "case") X(UNDERSCORE, "_")

enum pmi_kw {
    PMI_KW_NONE = 0,
#define PMI_KW_ENUM_(n, s) PMI_KW_##n,
    PMI_KEYWORDS(PMI_KW_ENUM_)
#undef PMI_KW_ENUM_
    PMI_KW_COUNT
};
#define PMI_KW_FIRST_SOFT PMI_KW_MATCH   /* match, case, _ are names too */
extern const char *const pmi_keyword_names[PMI_KW_COUNT];

typedef struct pmi_token {
    int type;                /* enum pmi_tok_type */
    int op;                  /* enum pmi_tok_op for PMI_T_OP, else 0 */
    int kw;                  /* enum pmi_kw for PMI_T_NAME, else 0 */
    const char *start;       /* text in the decoded source (NULL for INDENT/DEDENT/ENDMARKER) */
    const char *end;         /* one past the text */
    int lineno;              /* first line, 1-based */
    int col_offset;          /* byte column of start, 0-based */
    int end_lineno;          /* last line */
    int end_col_offset;      /* byte column one past the end */
    int level;               /* open brackets after this token */
} pmi_token;

typedef struct pmi_tokenizer pmi_tokenizer;

/* A tokenizer over src[0..len).  It decodes the source (BOM, coding cookie,
 * UTF-8 check): on a decoding problem it returns NULL with *err filled; on
 * MemoryError NULL with err->kind == 0. */
pmi_tokenizer *pmi_tokenizer_new(pm_runtime *rt, const char *src, size_t len, pmi_syntax_error *err);
void pmi_tokenizer_free(pmi_tokenizer *t);
/* A tokenizer over parent's text [start, end) -- an f-string replacement
 * field -- reporting true source positions (start is on line `lineno`,
 * which begins at line_start).  It behaves as if inside one bracket:
 * newlines are ignored.  Shares the parent's text and error record. */
pmi_tokenizer *pmi_tokenizer_sub(pmi_tokenizer *parent, const char *start, const char *end, int lineno,
                                 const char *line_start);
/* The next token: 0, or -1 with *err filled (or MemoryError). */
int pmi_tokenizer_next(pmi_tokenizer *t, pmi_token *tok);
/* The decoded UTF-8 source (valid while t lives) and its length. */
const char *pmi_tokenizer_source(const pmi_tokenizer *t, size_t *len);
/* Bracket state, for "'(' was never closed": depth, and the innermost
 * open bracket's character, line and byte column. */
int pmi_tokenizer_level(const pmi_tokenizer *t, char *paren, int *lineno, int *col);
/* Report a syntax error at a byte position of the decoded source. */
int pmi_tokenizer_error(pmi_tokenizer *t, int kind, int lineno, int col, int end_lineno, int end_col,
                        const char *fmt, ...) __attribute__((format(printf, 7, 8)));
#endif
