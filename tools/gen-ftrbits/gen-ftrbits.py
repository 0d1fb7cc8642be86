#!/usr/bin/env python3
"""Derive the kernel's ID-register safe-value policy table (ftr-bits.tsv) from a Linux tree.

Inputs, all inside --tree (the linux-source directory itself):
  arch/arm64/kernel/cpufeature.c   the `static const struct arm64_ftr_bits ftr_xxx[]` tables
                                   (ARM64_FTR_BITS / S_ARM64_FTR_BITS / ARM64_FTR_END) and
                                   arm64_ftr_regs[] (ARM64_FTR_REG, ARM64_FTR_REG_OVERRIDE,
                                   { SYS_X, &struct_arm64_ftr_reg }) mapping registers to tables
  arch/arm64/tools/sysreg          what gen-sysreg.awk turns into <REG>_<FIELD>_SHIFT/_WIDTH and
                                   enum-value macros; also names fields by bit position
  arch/arm64/include/asm/*.h       fallback for hand-written macros (sysreg.h first)

Output: one row per ARM64_FTR_BITS entry, registers in arm64_ftr_regs[] order and each
register's rows in table order, in the column layout of shared/reference/ftr-bits.tsv:
  register field shift width signed policy safe_value(decimal) strict visible table
  shift_expr safe_expr
Conventions (those of the reference file made from 6.12.117):
  * field is <FIELD> when the shift is written <REG>_<FIELD>_SHIFT of the row's own register;
    otherwise (literal shifts in tables shared by several registers, e.g. ftr_generic_32bits)
    it is the name of the sysreg field of that register at exactly those bits; a Res1 bit is
    RES1_bit<N>; a row spanning the whole 32/64-bit register (ftr_single32) is <REG>(whole)
    with the _ELn suffix dropped, e.g. CNTFRQ(whole).
  * a register whose table is empty (ftr_raz) gets one row "(all RAZ: <table>, no fields)"
    with empty value columns.
  * shift_expr/safe_expr are the source text, whitespace-collapsed.
Anything the script does not understand is an error naming the file and symbol: a row is
never skipped silently.

Usage: gen-ftrbits.py --tree DIR --source-note "TEXT" -o OUT
"""
import argparse
import glob
import operator
import os
import re
import sys

GENERATOR = "tools/gen-ftrbits/gen-ftrbits.py"

COLUMNS_COMMENT = (
    "# Columns: register field shift width signed policy safe_value(decimal) strict visible "
    "table shift_expr safe_expr. policy: LOWER=FTR_LOWER_SAFE, HIGHER=FTR_HIGHER_SAFE, "
    "HIGHER_OR_ZERO=FTR_HIGHER_OR_ZERO_SAFE, EXACT=FTR_EXACT. visible yes-if-CONFIG_X = "
    "FTR_VISIBLE_IF_IS_ENABLED(CONFIG_X). Rows in table order (msb first). Bits not listed in "
    "a register's table are treated by the kernel as RES0/ignored (masked out of sanitised "
    "value). Signed fields: 0xF means -1 (NI) for 4-bit.")
HEADER = ["register", "field", "shift", "width", "signed", "policy", "safe_value", "strict",
          "visible", "table", "shift_expr", "safe_expr"]

POLICY = {"FTR_LOWER_SAFE": "LOWER", "FTR_HIGHER_SAFE": "HIGHER",
          "FTR_HIGHER_OR_ZERO_SAFE": "HIGHER_OR_ZERO", "FTR_EXACT": "EXACT"}
STRICT = {"FTR_STRICT": "yes", "FTR_NONSTRICT": "no"}


class GenError(Exception):
    pass


def die(msg):
    sys.stderr.write("gen-ftrbits: error: %s\n" % msg)
    sys.exit(1)


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError as e:
        raise GenError("cannot read %s: %s" % (path, e.strerror))


# ---------------------------------------------------------------- sysreg file

class Item:
    """One Field/Enum/Res0/Res1/... line of a Sysreg or SysregFields block."""

    def __init__(self, kind, msb, lsb, name):
        self.kind, self.msb, self.lsb, self.name = kind, msb, lsb, name


class Sysregs:
    """arch/arm64/tools/sysreg: layouts (block name -> [Item]), Fields indirections and the
    integer macros gen-sysreg.awk would emit (<BLOCK>_<FIELD>_SHIFT/_WIDTH/_MASK/_<ENUMVAL>)."""

    def __init__(self, path):
        self.path = path
        self.layouts = {}     # Sysreg/SysregFields name -> [Item]
        self.fields_of = {}   # Sysreg name -> SysregFields name ("Fields X")
        self.mapping = {}     # Sysreg name -> Sysreg name ("Mapping X", VHE aliases)
        self.macros = {}      # macro -> int
        self._parse(read_text(path))

    def _bits(self, spec, lineno):
        m = re.fullmatch(r"(\d+)(?::(\d+))?", spec)
        if not m:
            raise GenError("%s:%d: bad bit range %r" % (self.path, lineno, spec))
        msb = int(m.group(1))
        lsb = int(m.group(2)) if m.group(2) is not None else msb
        return msb, lsb

    def _define(self, name, value, lineno):
        if name in self.macros and self.macros[name] != value:
            raise GenError("%s:%d: %s defined twice with different values"
                           % (self.path, lineno, name))
        self.macros[name] = value

    def _parse(self, text):
        block = None      # current Sysreg/SysregFields name
        prefix = None     # inside Prefix ... EndPrefix (7.x: alternative layouts)
        enum = None       # the Item while inside an Enum ... EndEnum
        enum_prefix = None  # macro prefix of that enum's values
        for lineno, raw in enumerate(text.splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            tok = line.split()
            kw = tok[0]
            if enum is not None:
                if kw == "EndEnum":
                    enum = None
                    continue
                if len(tok) != 2 or not re.fullmatch(r"0b[01]+", kw):
                    raise GenError("%s:%d: bad enum value line %r" % (self.path, lineno, raw))
                self._define("%s_%s_%s" % (enum_prefix, enum.name, tok[1]), int(kw, 2), lineno)
                continue
            if kw in ("Sysreg", "SysregFields"):
                if block is not None:
                    raise GenError("%s:%d: %s inside block %s" % (self.path, lineno, kw, block))
                block = tok[1]
                if block in self.layouts:
                    raise GenError("%s:%d: %s defined twice" % (self.path, lineno, block))
                self.layouts[block] = []
                continue
            if kw in ("EndSysreg", "EndSysregFields"):
                block = None
                continue
            if block is None:
                raise GenError("%s:%d: %r outside a Sysreg block" % (self.path, lineno, raw))
            if kw == "Prefix":
                prefix = tok[1]
                continue
            if kw == "EndPrefix":
                prefix = None
                continue
            if kw == "Fields":
                self.fields_of[block] = tok[1]
                continue
            if kw == "Mapping":
                self.mapping[block] = tok[1]
                continue
            if kw in ("Res0", "Res1", "Unkn", "Raz"):
                msb, lsb = self._bits(tok[1], lineno)
                if prefix is None:
                    self.layouts[block].append(Item(kw, msb, lsb, None))
                continue
            if kw in ("Field", "Enum", "SignedEnum", "UnsignedEnum"):
                if len(tok) != 3:
                    raise GenError("%s:%d: bad %s line %r" % (self.path, lineno, kw, raw))
                msb, lsb = self._bits(tok[1], lineno)
                item = Item(kw, msb, lsb, tok[2])
                # Prefixed (alternative) layouts get their own macro namespace and are
                # not used to name fields by position.
                mp = block if prefix is None else "%s_%s" % (block, prefix)
                if prefix is None:
                    self.layouts[block].append(item)
                width = msb - lsb + 1
                self._define("%s_%s_SHIFT" % (mp, tok[2]), lsb, lineno)
                self._define("%s_%s_WIDTH" % (mp, tok[2]), width, lineno)
                self._define("%s_%s_MASK" % (mp, tok[2]), ((1 << width) - 1) << lsb, lineno)
                if kw != "Field":
                    enum, enum_prefix = item, mp
                continue
            raise GenError("%s:%d: unknown sysreg keyword %r" % (self.path, lineno, kw))
        if block is not None or enum is not None:
            raise GenError("%s: unterminated block %s at end of file" % (self.path, block))

    def layout(self, reg):
        """Items describing reg's bits, following Mapping/Fields indirections; None if unknown."""
        seen = set()
        while reg in self.mapping and reg not in seen:
            seen.add(reg)
            reg = self.mapping[reg]
        if reg in self.fields_of:
            return self.layouts.get(self.fields_of[reg])
        return self.layouts.get(reg)


# ---------------------------------------------------------------- C helpers

def strip_comments(text):
    """Blank out /* */ and // comments (keeping newlines, so offsets map to line numbers)
    while leaving string and character literals alone."""
    out = []
    for m in re.finditer(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|[^/"\']+|.',
                         text, re.S):
        s = m.group(0)
        if s.startswith("/*") or s.startswith("//"):
            out.append(re.sub(r"[^\n]", " ", s))
        else:
            out.append(s)
    return "".join(out)


def matching(text, pos, open_ch, close_ch):
    """Index just past the bracket closing the one at text[pos]."""
    depth = 0
    for i in range(pos, len(text)):
        c = text[i]
        if c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
    return -1


def split_top(text):
    """Split on commas not nested in (), {} or []."""
    parts, depth, cur = [], 0, []
    for c in text:
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return [p.strip() for p in parts]


def collapse(s):
    return " ".join(s.split())


def lineno_of(text, pos):
    return text.count("\n", 0, pos) + 1


# ---------------------------------------------------------------- header macros

def load_header_macros(tree):
    """Object-like #defines of arch/arm64/include/asm/*.h: name -> [(relpath, body)].
    sysreg.h comes first: it is where the hand-written ID register fields live."""
    d = os.path.join(tree, "arch/arm64/include/asm")
    files = sorted(glob.glob(os.path.join(d, "*.h")))
    files.sort(key=lambda p: os.path.basename(p) != "sysreg.h")
    macros = {}
    for path in files:
        text = strip_comments(read_text(path)).replace("\\\n", " ")
        rel = os.path.relpath(path, tree)
        for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)([ \t]+[^\n]*)?$",
                             text, re.M):
            body = collapse(m.group(2) or "")
            macros.setdefault(m.group(1), []).append((rel, body))
    return macros


class Resolver:
    """Evaluates the integer C expressions used as shift, width and safe value."""

    # The function-like helpers the arm64 headers wrap constants in, with the number of
    # integer arguments (_AC(x, UL)'s second argument is a suffix, not a value).
    FUNCS = {"UL": 1, "ULL": 1, "_UL": 1, "_ULL": 1, "U": 1, "_AC": 1, "BIT": 1, "BIT_ULL": 1,
             "GENMASK": 2, "GENMASK_ULL": 2}

    BINOPS = {"*": (10, operator.mul), "/": (10, operator.floordiv), "%": (10, operator.mod),
              "+": (9, operator.add), "-": (9, operator.sub), "<<": (8, operator.lshift),
              ">>": (8, operator.rshift), "&": (5, operator.and_), "^": (4, operator.xor),
              "|": (3, operator.or_)}

    def __init__(self, sysregs, header_macros):
        self.sysregs = sysregs
        self.headers = header_macros

    def _lookup(self, name, stack):
        if name in self.sysregs.macros:
            return self.sysregs.macros[name]
        defs = self.headers.get(name)
        if not defs:
            raise GenError("cannot resolve %s (not generated from %s and not #defined in "
                           "arch/arm64/include/asm/*.h)%s"
                           % (name, self.sysregs.path,
                              "" if not stack else " while expanding " + " -> ".join(stack)))
        # The highest-priority header that defines it wins; within it, all definitions
        # (e.g. under #ifdef) must agree or we cannot know which one the kernel saw.
        first = defs[0][0]
        bodies = sorted({b for (f, b) in defs if f == first})
        if len(bodies) != 1:
            raise GenError("%s has conflicting definitions in %s: %s"
                           % (name, first, " | ".join(bodies)))
        if name in stack:
            raise GenError("recursive macro %s" % name)
        return self.eval(bodies[0], stack + [name], where=first)

    def eval(self, expr, stack=(), where=None):
        stack = list(stack)
        toks = re.findall(r"0[xX][0-9a-fA-F]+[uUlL]*|0[bB][01]+[uUlL]*|\d+[uUlL]*|[A-Za-z_]\w*"
                          r"|<<|>>|[-+*/%&|^~()!,]|\S", expr)
        pos = [0]

        def err(msg):
            raise GenError("cannot evaluate %r%s%s: %s"
                           % (expr, " from " + where if where else "",
                              " (expanding %s)" % " -> ".join(stack) if stack else "", msg))

        def peek():
            return toks[pos[0]] if pos[0] < len(toks) else None

        def take(t=None):
            cur = peek()
            if cur is None or (t is not None and cur != t):
                err("expected %r, got %r" % (t, cur))
            pos[0] += 1
            return cur

        def primary():
            t = take()
            if t == "(":
                v = binary(0)
                take(")")
                return v
            if t in ("-", "~", "!", "+"):
                v = primary()
                return {"-": -v, "~": ~v, "!": int(not v), "+": v}[t]
            if re.fullmatch(r"\d.*", t):
                t = t.rstrip("uUlL")
                return int(t, 0) if not re.fullmatch(r"0\d+", t) else int(t, 8)
            if re.fullmatch(r"[A-Za-z_]\w*", t):
                if t in self.FUNCS and peek() == "(":
                    take("(")
                    args = [binary(0)]
                    while peek() == ",":
                        take(",")
                        if t == "_AC":
                            take()
                            continue
                        args.append(binary(0))
                    take(")")
                    if len(args) != self.FUNCS[t]:
                        err("%s takes %d argument(s)" % (t, self.FUNCS[t]))
                    if t in ("BIT", "BIT_ULL"):
                        return 1 << args[0]
                    if t in ("GENMASK", "GENMASK_ULL"):
                        return ((1 << (args[0] - args[1] + 1)) - 1) << args[1]
                    return args[0]
                if peek() == "(":
                    err("function-like macro %s is not supported" % t)
                return self._lookup(t, stack)
            err("unexpected token %r" % t)

        def binary(minp):   # precedence climbing over C's binary operators
            v = primary()
            while peek() in self.BINOPS and self.BINOPS[peek()][0] >= minp:
                p, fn = self.BINOPS[take()]
                v = fn(v, binary(p + 1))
            return v

        if not toks:
            err("empty expression")
        value = binary(0)
        if peek() is not None:
            err("trailing %r" % peek())
        return value


# ---------------------------------------------------------------- cpufeature.c

class CpuFeature:
    def __init__(self, path):
        self.path = path
        self.text = strip_comments(read_text(path))
        self.tables = {}        # table name -> [(macro, [args], lineno)]
        self.reg_structs = {}   # struct arm64_ftr_reg variable -> table name
        self.regs = []          # [(register, table, lineno)] in arm64_ftr_regs[] order
        self._parse_tables()
        self._parse_reg_structs()
        self._parse_regs()

    def _body(self, m, what):
        start = self.text.index("{", m.end() - 1)
        end = matching(self.text, start, "{", "}")
        if end < 0:
            raise GenError("%s:%d: unterminated %s" % (self.path, lineno_of(self.text, start),
                                                      what))
        return start + 1, self.text[start + 1:end - 1]

    def _parse_tables(self):
        for m in re.finditer(r"\bstruct\s+arm64_ftr_bits\s+(\w+)\s*\[\s*\]\s*=\s*\{", self.text):
            name = m.group(1)
            off, body = self._body(m, name)
            if "#" in body:
                # An #ifdef inside a table would make rows config-dependent.
                raise GenError("%s:%d: preprocessor directive inside %s[]"
                               % (self.path, lineno_of(self.text, off + body.index("#")), name))
            entries, ended, cur = [], False, 0
            for part in split_top(body):
                if not part:
                    continue
                cur = body.index(part, cur)
                ln = lineno_of(self.text, off + cur)
                if ended:
                    raise GenError("%s:%d: entry after ARM64_FTR_END in %s[]: %s"
                                   % (self.path, ln, name, collapse(part)))
                if part == "ARM64_FTR_END":
                    ended = True
                    continue
                pm = re.fullmatch(r"(S_ARM64_FTR_BITS|ARM64_FTR_BITS)\s*\((.*)\)", part, re.S)
                if not pm:
                    raise GenError("%s:%d: unrecognised entry in %s[]: %s"
                                   % (self.path, ln, name, collapse(part)))
                args = split_top(pm.group(2))
                if len(args) != 6:
                    raise GenError("%s:%d: %s in %s[] has %d arguments, expected 6"
                                   % (self.path, ln, pm.group(1), name, len(args)))
                entries.append((pm.group(1), [collapse(a) for a in args], ln))
            if not ended:
                raise GenError("%s: %s[] does not end with ARM64_FTR_END" % (self.path, name))
            if name in self.tables:
                raise GenError("%s: table %s defined twice" % (self.path, name))
            self.tables[name] = entries

    def _parse_reg_structs(self):
        # e.g. struct arm64_ftr_reg arm64_ftr_reg_ctrel0 = { ..., .ftr_bits = ftr_ctr, ... };
        for m in re.finditer(r"\bstruct\s+arm64_ftr_reg\s+(\w+)\s*=\s*\{", self.text):
            _, body = self._body(m, m.group(1))
            fm = re.search(r"\.ftr_bits\s*=\s*&?\s*\(?\s*(\w+)", body)
            if fm:
                self.reg_structs[m.group(1)] = fm.group(1)

    def _parse_regs(self):
        m = re.search(r"\barm64_ftr_regs\s*\[\s*\]\s*=\s*\{", self.text)
        if not m:
            raise GenError("%s: arm64_ftr_regs[] not found" % self.path)
        off, body = self._body(m, "arm64_ftr_regs[]")
        cur = 0
        for part in split_top(body):
            if not part:
                continue
            cur = body.index(part, cur)
            ln = lineno_of(self.text, off + cur)
            sys_id = table = None
            pm = re.fullmatch(r"(ARM64_FTR_REG|ARM64_FTR_REG_OVERRIDE|__ARM64_FTR_REG_OVERRIDE)"
                              r"\s*\((.*)\)", part, re.S)
            if pm:
                args = split_top(pm.group(2))
                if pm.group(1) == "__ARM64_FTR_REG_OVERRIDE":
                    args = args[1:]          # drop the name string
                want = 2 if pm.group(1) == "ARM64_FTR_REG" else 3
                if len(args) != want:
                    raise GenError("%s:%d: %s with %d arguments" % (self.path, ln, pm.group(1),
                                                                   len(args)))
                sys_id, table = args[0], args[1]
            else:
                bm = re.fullmatch(r"\{\s*(\w+)\s*,\s*&\s*(\w+)\s*\}", part)
                if not bm:
                    raise GenError("%s:%d: unrecognised arm64_ftr_regs[] entry: %s"
                                   % (self.path, ln, collapse(part)))
                sys_id, var = bm.groups()
                if var not in self.reg_structs:
                    raise GenError("%s:%d: struct arm64_ftr_reg %s (for %s) not found or has "
                                   "no .ftr_bits" % (self.path, ln, var, sys_id))
                table = self.reg_structs[var]
            if not sys_id.startswith("SYS_"):
                raise GenError("%s:%d: register id %s does not start with SYS_"
                               % (self.path, ln, sys_id))
            if table not in self.tables:
                raise GenError("%s:%d: table %s (for %s) not found"
                               % (self.path, ln, table, sys_id))
            self.regs.append((sys_id[4:], table, ln))


# ---------------------------------------------------------------- rows

def field_name(reg, shift_expr, shift, width, sysregs, where):
    m = re.fullmatch(re.escape(reg) + r"_(\w+)_SHIFT", shift_expr)
    if m:
        return m.group(1)
    layout = sysregs.layout(reg)
    # A row covering the whole register (ftr_single32 for CNTFRQ_EL0) names no field.
    if shift == 0 and width in (32, 64):
        return "%s(whole)" % re.sub(r"_EL[0-3]$", "", reg)
    if layout is None:
        raise GenError("%s: %s: shift %s is not %s_<FIELD>_SHIFT and %s is not described in %s, "
                       "so the field cannot be named" % (where, reg, shift_expr, reg, reg,
                                                         sysregs.path))
    msb = shift + width - 1
    for it in layout:
        if it.msb == msb and it.lsb == shift:
            if it.name is not None:
                return it.name
            if it.kind == "Res1":
                return "RES1_bit%d" % shift if width == 1 else "RES1_bits%d_%d" % (msb, shift)
            raise GenError("%s: %s bits %d:%d are %s in %s" % (where, reg, msb, shift, it.kind,
                                                               sysregs.path))
    raise GenError("%s: %s has no sysreg field at bits %d:%d (shift %s)"
                   % (where, reg, msb, shift, shift_expr))


def visible_of(v, where):
    if v == "FTR_VISIBLE":
        return "yes"
    if v == "FTR_HIDDEN":
        return "no"
    m = re.fullmatch(r"FTR_VISIBLE_IF_IS_ENABLED\s*\(\s*(CONFIG_\w+)\s*\)", v)
    if m:
        return "yes-if-" + m.group(1)
    raise GenError("%s: unknown visibility %s" % (where, v))


def build_rows(tree):
    cpath = os.path.join(tree, "arch/arm64/kernel/cpufeature.c")
    spath = os.path.join(tree, "arch/arm64/tools/sysreg")
    for p in (cpath, spath):
        if not os.path.isfile(p):
            # Debian's trees unpack to <dir>/linux-source-X.Y: point at it if that is the slip.
            hint = sorted(glob.glob(os.path.join(tree, "*", os.path.relpath(p, tree))))
            raise GenError("missing input file %s%s" % (
                p, "; did you mean --tree %s?" % hint[0][:-len(os.path.relpath(p, tree)) - 1]
                if len(hint) == 1 else ""))
    sysregs = Sysregs(spath)
    cf = CpuFeature(cpath)
    res = Resolver(sysregs, load_header_macros(tree))
    # A table no register uses describes nothing the kernel applies; say so rather than
    # dropping it without a word.
    for t in sorted(set(cf.tables) - {t for _, t, _ in cf.regs}):
        sys.stderr.write("gen-ftrbits: note: %s: %s[] is not in arm64_ftr_regs[]; no rows\n"
                         % (cpath, t))
    rows = []
    for reg, table, _ in cf.regs:
        entries = cf.tables[table]
        if not entries:
            rows.append([reg, "(all RAZ: %s, no fields)" % table] + [""] * 7 + [table, "", ""])
            continue
        for macro, (vis, strict, typ, shift_e, width_e, safe_e), ln in entries:
            where = "%s:%d (%s[] for %s)" % (cpath, ln, table, reg)
            if strict not in STRICT:
                raise GenError("%s: unknown strictness %s" % (where, strict))
            if typ not in POLICY:
                raise GenError("%s: unknown policy %s" % (where, typ))
            try:
                shift, width, safe = res.eval(shift_e), res.eval(width_e), res.eval(safe_e)
            except GenError as e:
                raise GenError("%s: %s" % (where, e))
            if not (0 < width <= 64 and 0 <= shift and shift + width <= 64):
                raise GenError("%s: bad field position shift=%d width=%d" % (where, shift, width))
            if not 0 <= safe < (1 << width):
                raise GenError("%s: safe value %s=%d does not fit %d bits"
                               % (where, safe_e, safe, width))
            rows.append([reg, field_name(reg, shift_e, shift, width, sysregs, where),
                         str(shift), str(width),
                         "yes" if macro == "S_ARM64_FTR_BITS" else "no",
                         POLICY[typ], str(safe), STRICT[strict], visible_of(vis, where),
                         table, shift_e, safe_e])
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--tree", required=True, help="linux-source directory")
    ap.add_argument("--source-note", required=True,
                    help="provenance text for the '# SOURCE:' line (kernel, Debian package)")
    ap.add_argument("-o", dest="out", required=True, help="output .tsv ('-' for stdout)")
    a = ap.parse_args()
    if re.search(r"[\t\r\n]", a.source_note):
        die("--source-note must be a single line without tabs")
    try:
        rows = build_rows(a.tree)
    except GenError as e:
        die(str(e))
    note = a.source_note.strip()
    lines = ["# SOURCE: %s Generated by %s." % (note, GENERATOR), COLUMNS_COMMENT,
             "\t".join(HEADER)] + ["\t".join(r) for r in rows]
    data = "\n".join(lines) + "\n"
    if a.out == "-":
        sys.stdout.write(data)
        return
    tmp = a.out + ".tmp"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(data)
        os.replace(tmp, a.out)
    except OSError as e:
        die("cannot write %s: %s" % (a.out, e.strerror))


if __name__ == "__main__":
    main()
