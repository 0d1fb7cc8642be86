#!/usr/bin/env python3
"""Generate models/arm-arch.model (arm-v8_4-a-v1, arm-v9_0-a-v1) from Arm AARCHMRS data.

Inputs (derived mechanically from Arm AARCHMRS 2025-03 Features.json, BSD-3):
  aarchmrs-feat-deps.tsv      name kind optional_from mandatory_if requires other
  aarchmrs-feat-idfields.tsv  feature guard kind condition fields
plus the register/field table of this project (`armcpu regs --json`), used only to
check that a register and field exist and to get the field width/signedness.

Rule (deterministic; stdlib only):
 1. An architecture version vXApY "holds" for a target if it is the target or is
    implied by it through the `arch` rows (optional_from column of an arch row = the
    version it extends; `other` of v9ApN = (v9Ap(N-1) && v8Ap(N+5))).
 2. A FEAT is mandatory for the target if its mandatory_if expression evaluates true,
    where: vXApY -> holds?; FEAT_X -> X is mandatory (least fixpoint) or X is in
    ASSUMED; everything else false.  ASSUMED = {FEAT_FP, FEAT_AdvSIMD, FEAT_AA64EL0,
    FEAT_AA64EL1}: a general-purpose AArch64 KVM guest always has AArch64 EL0/EL1 and
    FP/AdvSIMD (Linux arm64 user space assumes them), so conditions such as
    (v8Ap4 && FEAT_AdvSIMD) count as mandatory.  FEAT_EL2/EL3/AA64EL2/AA64EL3, PMUv3,
    SPE, RME, SME, MTE... are never assumed: a KVM guest has no EL2/EL3 and the others
    are optional features.
 3. Architecture-version rows may also carry an `other` implication of the form
    ((vXApY && FEAT_A) && FEAT_B) --> (FEAT_C && FEAT_D ...); when its left side is true
    (same evaluation), the FEATs on the right are mandatory too (this is how AARCHMRS
    states that Armv9.0 with FP/AdvSIMD requires RDM, FP16, DotProd, FHM, FCMA, JSCVT,
    FlagM2, FRINTTS).
 4. A mandatory FEAT contributes an assignment only when its AArch64 mapping (guard
    exactly FEAT_AA64EL1, kind iff or implies, or kind other of the form
    (FEAT_X --> cond)) has the single-field shape (UInt|SInt)(REG.FIELD) >= N, REG.FIELD
    exists in `armcpu regs` (field names compared case-insensitively) and N fits the
    field.  FEATs without such a mapping (dependency-only like FEAT_PAuth, multi-field
    like FEAT_RASv1p1, CTR_EL0 sets like FEAT_IVIPT, FEAT_BBM's `|| v8Ap4`) are listed
    in a comment and assign nothing.
 5. The value is the minimum N; when several mandatory FEATs constrain one field the
    largest N wins (e.g. LRCPC >= 1 and LRCPC2 >= 2 give 2).  Signed fields are
    written as their 4-bit encoding (SInt >= 0 -> 0; 0xF is NI).
 6. arm-v9_0-a-v1 has arm-v8_4-a-v1 as parent, so it only assigns fields whose value
    for v9Ap0 is larger than for v8Ap4.
Every assignment is preceded by a `source` line naming the FEAT(s) and the version.
Output is sorted (register table order, then field order) so reruns are byte-identical.

Usage: gen-archmodels.py [--ref DIR] [--armcpu PATH] [-o models/arm-arch.model]
"""
import argparse
import json
import os
import re
import subprocess
import sys

ASSUMED = {"FEAT_FP", "FEAT_AdvSIMD", "FEAT_AA64EL0", "FEAT_AA64EL1"}  # rule 2
SOURCE = "Arm AARCHMRS 2025-03 Features.json"
TARGETS = [  # (model base name, target arch version, parent, description)
    ("arm-v8_4-a", "v8Ap4", "kvm-base-v1",
     "Armv8.4-A: features mandatory at Armv8.4-A at their minimum values (abstract)"),
    ("arm-v9_0-a", "v9Ap0", "arm-v8_4-a-v1",
     "Armv9.0-A: features mandatory at Armv9.0-A at their minimum values (abstract)"),
]


def read_tsv(path):
    rows = []
    header = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                continue
            cols += [""] * (len(header) - len(cols))
            rows.append(dict(zip(header, cols)))
    return rows


# ---- tiny boolean expression evaluator: identifiers, !, &&, ||, |, parentheses ----
TOKEN = re.compile(r"\s*(\(|\)|&&|\|\||\||!|[A-Za-z_][A-Za-z0-9_]*)")


def tokenize(s):
    pos, out = 0, []
    s = s.strip()
    while pos < len(s):
        m = TOKEN.match(s, pos)
        if not m:
            raise ValueError("cannot parse expression: %r" % s)
        out.append(m.group(1))
        pos = m.end()
    return out


def evaluate(expr, atom):
    toks = tokenize(expr)
    pos = [0]

    def peek():
        return toks[pos[0]] if pos[0] < len(toks) else None

    def take():
        t = toks[pos[0]]
        pos[0] += 1
        return t

    def p_or():
        v = p_and()
        while peek() in ("||", "|"):
            take()
            r = p_and()
            v = v or r
        return v

    def p_and():
        v = p_not()
        while peek() == "&&":
            take()
            r = p_not()
            v = v and r
        return v

    def p_not():
        if peek() == "!":
            take()
            return not p_not()
        if peek() == "(":
            take()
            v = p_or()
            if take() != ")":
                raise ValueError("unbalanced: %r" % expr)
            return v
        return atom(take())

    v = p_or()
    if pos[0] != len(toks):
        raise ValueError("trailing tokens in %r" % expr)
    return v


def arch_closure(target, deps):
    """Versions that hold for target, following the arch rows."""
    arch = {r["name"]: r for r in deps if r["kind"] == "arch"}
    held, todo = set(), [target]
    while todo:
        v = todo.pop()
        if v in held:
            continue
        held.add(v)
        r = arch.get(v, {})
        if r.get("optional_from"):
            todo.append(r["optional_from"])
        for m in re.findall(r"v\d+Ap\d+", r.get("requires", "")):
            todo.append(m)
    return held


def mandatory_set(target, deps):
    held = arch_closure(target, deps)
    feats = {r["name"]: r for r in deps if r["kind"] == "feat"}
    mand = set()
    why = {}
    for f in sorted(ASSUMED):  # assumed present (rule 2); they get assignments too
        mand.add(f)
        why[f] = ("assumed present in every general-purpose AArch64 model (%s, "
                  "optional_from %s; see gen-archmodels.py rule 2)"
                  % (f, feats.get(f, {}).get("optional_from") or "-"))

    def atom(name):
        if re.fullmatch(r"v\d+Ap\d+", name):
            return name in held
        return name in mand or name in ASSUMED

    changed = True
    while changed:
        changed = False
        for name in sorted(feats):
            if name in mand:
                continue
            cond = feats[name]["mandatory_if"]
            if cond and evaluate(cond, atom):
                mand.add(name)
                why[name] = "mandatory from %s" % lowest_version(cond, held)
                changed = True
        # architecture-version implications in the `other` column
        for r in deps:
            if r["kind"] != "arch" or r["name"] not in held:
                continue
            for part in r.get("other", "").split(" ; "):
                m = re.fullmatch(r"\((.*)\s-->\s(.*)\)", part.strip())
                if not m:
                    continue
                if evaluate(m.group(1), atom):
                    for f in re.findall(r"FEAT_[A-Za-z0-9_]+", m.group(2)):
                        if f not in mand:
                            mand.add(f)
                            why[f] = ("mandatory from %s (arch constraint: %s)"
                                      % (r["name"], m.group(1).strip()))
                            changed = True
    return mand, why, held


def lowest_version(cond, held):
    vs = [v for v in re.findall(r"v\d+Ap\d+", cond) if v in held]
    return vs[0] if vs else cond


SIMPLE = re.compile(r"\((UInt|SInt)\(([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)\)\s*>=\s*(\d+)\)")


def simple_condition(row):
    cond = row["condition"].strip()
    if row["kind"] == "other":
        m = re.fullmatch(r"\(" + re.escape(row["feature"]) + r"\s-->\s(.*)\)", cond)
        if not m:
            return None
        cond = m.group(1).strip()
    elif row["kind"] not in ("iff", "implies"):
        return None
    m = SIMPLE.fullmatch(cond)
    if not m:
        return None
    return m.group(1), m.group(2), m.group(3), int(m.group(4))


def load_regs(armcpu):
    out = subprocess.run([armcpu, "regs", "--json"], check=True,
                         stdout=subprocess.PIPE).stdout
    regs = json.loads(out)["registers"]
    order = {}
    table = {}
    for i, r in enumerate(regs):
        fields = {}
        for j, f in enumerate(r["fields"]):
            fields[f["name"].upper()] = (j, f)
        table[r["name"]] = fields
        order[r["name"]] = i
    return table, order


def field_values(mand, why, idrows, regs, order):
    """-> {(reg, FIELDNAME): (value, [feats], fieldname)} plus skipped list."""
    vals, skipped = {}, []
    by_feat = {}
    for r in idrows:
        if r["guard"] == "FEAT_AA64EL1":
            by_feat.setdefault(r["feature"], []).append(r)
    for feat in sorted(mand):
        used = False
        for r in by_feat.get(feat, []):
            sc = simple_condition(r)
            if not sc:
                continue
            sign, reg, field, n = sc
            if reg not in regs or field.upper() not in regs[reg]:
                continue
            _, f = regs[reg][field.upper()]
            if n >= (1 << f["width"]):
                continue
            key = (reg, f["name"])
            old = vals.get(key)
            if old is None or n > old[0]:
                vals[key] = (n, [feat], f)
            elif n == old[0]:
                old[1].append(feat)
            used = True
        if not used:
            skipped.append(feat)
    return vals, skipped


def sort_key(key, regs, order):
    reg, field = key
    return (order[reg], regs[reg][field.upper()][0])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, "..", ".."))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", default=os.path.join(root, "..", "shared", "reference"))
    ap.add_argument("--armcpu", default=os.path.join(root, "build", "armcpu"))
    ap.add_argument("-o", "--output", default=os.path.join(root, "models", "arm-arch.model"))
    a = ap.parse_args()

    deps = read_tsv(os.path.join(a.ref, "aarchmrs-feat-deps.tsv"))
    idrows = read_tsv(os.path.join(a.ref, "aarchmrs-feat-idfields.tsv"))
    regs, order = load_regs(a.armcpu)

    out = []
    out.append("# GENERATED by tools/gen-archmodels/gen-archmodels.py from Arm AARCHMRS 2025-03")
    out.append("# (aarchmrs-feat-deps.tsv, aarchmrs-feat-idfields.tsv). Do not edit by hand; the rule")
    out.append("# that picks FEATs and values is documented in the script header and in docs/model-sources.md.")
    prev = {}
    for base, target, parent, desc in TARGETS:
        mand, why, held = mandatory_set(target, deps)
        vals, skipped = field_values(mand, why, idrows, regs, order)
        out.append("")
        out.append("model %s" % base)
        out.append("version 1")
        out.append("parent %s" % parent)
        out.append("realizable no")
        out.append("description %s" % desc)
        out.append("# versions that hold: %s" % " ".join(sorted(held, key=lambda v: (v[:2], int(v.split('p')[1]) if 'p' in v else 0))))
        out.append("# mandatory FEATs with no single-field AArch64 ID mapping (no assignment): %s"
                   % (" ".join(sorted(set(skipped) - set(prev.get("skipped", [])))) or "(none new)"))
        for key in sorted(vals, key=lambda k: sort_key(k, regs, order)):
            n, feats, f = vals[key]
            if key in prev.get("vals", {}) and prev["vals"][key][0] >= n:
                continue
            reasons = "; ".join(why[ft] if why[ft].startswith("assumed") else
                                "%s %s" % (ft, why[ft]) for ft in sorted(feats))
            out.append("source %s: %s" % (SOURCE, reasons))
            out.append("%s.%s = %s" % (key[0], key[1], hex(n)))
        out.append("end")
        merged = dict(prev.get("vals", {}))
        merged.update(vals)
        prev = {"vals": merged, "skipped": sorted(set(skipped) | set(prev.get("skipped", [])))}
    text = "\n".join(out) + "\n"
    with open(a.output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
