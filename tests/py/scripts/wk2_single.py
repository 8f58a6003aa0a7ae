# compile(src, '<stdin>', 'single'): one statement only (python3's parser
# stops after it: "multiple statements found while compiling a single
# statement" after a simple statement line, "invalid syntax" at the next
# statement after a compound one, "invalid syntax" for nothing at all),
# the code it makes (PRINT_EXPR for expression statements at the top level
# and in top-level blocks), and running it through sys.displayhook.
import sys

OK = [
    "1\n", "x = 1\n", "1; 2\n", "if 1:\n  2\n", "if 1:\n  2\n\n", "for i in range(2):\n  i\n",
    "x = 1; x\n", "pass\n", "if 1:\n  pass\nelse:\n  3\n", "try:\n  1\nexcept E:\n  2\n",
    "while 0:\n  1\n", "if 1:\n  if 2:\n    3\n", "a, b\n", "x: int = 1\n", "import os\n",
    "1\n\n", "1\n# c\n", "1\n  \n", "match x:\n  case 1:\n    2\n", "[i for i in x]\n", "'doc'\n",
    "x = (1,\n2)\n", "1 if 2 else 3\n", "print(1)\n", "...\n", "None\n", "global x\n",
    "x = (1,\n2); y = 3\n", "1; \\\n2\n", "if 1:\n  2\n  3\n", "1\n#c", "1\n   ",
]
BAD = [
    "", "\n", "\n\n\n", "# c\n", "\n# c\n  \n",
    "1\n2\n", "x = (1,\n2)\n3\n", "1;\n2\n", "1;  \n2\n", "1 # c\n2\n", "1   \n2\n", "1\n\n\n2\n",
    "1\n#c\n2\n", "x = 1\nreturn 2\n", "return 1\n2\n",
    "if 1: 2\n3\n", "def f(): pass\nf()\n", "if 1:\n  2\n\n3\n", "def f(): pass\n\nf()\n",
    "if 1: 2\nfoo()\n", "if 1: 2\n'abc'\n", "if 1: 2\nb'abc'\n", "if 1: 2\n(3)\n", "if 1: 2\n12345\n",
    "if 1: 2\n1e-5\n", "if 1: 2\n+3\n", "if 1: 2\n...\n", "if 1: 2\n@d\ndef f(): pass\n",
    "if 1: 2\n   # c\nx\n", "if 1:\n  2\nelif 3:\n  4\n5\n", "class A: pass\nclass B: pass\n",
    "(yield)\n", "return 1\n", "break\n",
]
# (the symbol table's errors: python3's text is None here, read from the
# file '<stdin>', which does not exist; only the rest is compared)
LATE = {"(yield)\n", "return 1\n", "break\n"}


def show(src):
    try:
        co = compile(src, "<stdin>", "single")
    except SyntaxError as e:
        print(repr(src), type(e).__name__, e.msg, e.lineno, e.offset, e.end_lineno, e.end_offset,
              "-" if src in LATE else repr(e.text))
        return None
    print(repr(src), co.co_code.hex(), co.co_names, co.co_stacksize, co.co_linetable.hex())
    return co


for s in OK + BAD:
    show(s)

# running 'single' code: every top-level expression statement's value goes
# to sys.displayhook (None is not shown), also inside top-level blocks
shown = []
sys.displayhook = lambda v: shown.append(v)
ns = {}
for src in ["1\n", "x = 5; x; x * 2\n", "None\n", "if x:\n  x + 1\n  'a'\n",
            "for i in range(3):\n  i\n", "def f():\n  7\n", "f()\n", "try:\n  1/0\nexcept ZeroDivisionError:\n  'z'\n"]:
    exec(compile(src, "<stdin>", "single"), ns)
print(shown)
