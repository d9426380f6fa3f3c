#!/usr/bin/env python3
"""callees.py DIR N1 N2 PATTERN: the callees of the methods whose name matches PATTERN, inclusive instructions per call (differenced), from a profile.sh folder."""
import sys, re, subprocess, bisect, glob, collections
d, n1, n2, pat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
def names(pm):
    st, en, nm = [], [], []
    for line in open(pm):
        a, s, n = line.rstrip('\n').split(' ', 2); st.append(int(a,16)); en.append(int(a,16)+int(s,16)); nm.append(n)
    o = sorted(range(len(st)), key=lambda i: st[i])
    return [st[i] for i in o], [en[i] for i in o], [nm[i] for i in o]
def clean(n):
    n = re.sub(r'\[[A-Za-z.]+\] ', '', n); n = re.sub(r'class |valuetype |instance ', '', n); n = re.sub(r'\(.*\)\[Optimized\]', '()', n)
    return n
def tree(n):
    cg = sorted(glob.glob(f'{d}/cg.{n}-*'))[0]
    pm = glob.glob(f'{d}/perf.{n}.map')[0]
    st, en, nm = names(pm)
    def name(fn):
        m = re.match(r"\?\?\?:0x([0-9a-f]+)('\d+)?\s*(\[.*\])?$", fn.strip())
        if m and (m.group(3) is None or '???' in m.group(3)):
            a = int(m.group(1), 16); i = bisect.bisect_right(st, a) - 1
            return clean(nm[i]) if i >= 0 and a < en[i] else '?'+m.group(1)
        return fn.strip()
    out = subprocess.run(['callgrind_annotate', '--tree=calling', '--inclusive=yes', '--threshold=100', cg], capture_output=True, text=True).stdout
    res = collections.defaultdict(collections.Counter); cur = None
    for line in out.splitlines():
        m = re.match(r'\s*([\d,]+)\s+(\([^)]*\)\s+)?(\*|>|<)?\s*(.*)$', line)
        if not m: continue
        cost = int(m.group(1).replace(',', '')); mark = m.group(3); fn = m.group(4)
        fn = re.sub(r'\s*\([\d,]+x\)', '', fn)
        if mark == '*': cur = name(fn)
        elif mark == '>' and cur and re.search(pat, cur): res[cur][name(fn)] += cost
    return res
a, b = tree(n1), tree(n2)
for k in b:
    print('==', k)
    rows = [(v - a.get(k, {}).get(c, 0), c) for c, v in b[k].items()]
    for v, c in sorted(rows, reverse=True):
        if v / (n2-n1) > 30: print(f"   {v/(n2-n1):9.0f}  {c[:150]}")
