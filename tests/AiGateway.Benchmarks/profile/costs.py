#!/usr/bin/env python3
"""Map callgrind function addresses of JIT code to names from a perf map; print inclusive and self cost per name.
usage: costs.py CALLGRIND_OUT PERFMAP > costs   (name, inclusive, self: tab-separated; JIT code named from the perf map)"""
import sys, bisect, subprocess, re, collections
cg, pm = sys.argv[1], sys.argv[2]
starts, ends, names = [], [], []
for line in open(pm):
    a, s, n = line.rstrip('\n').split(' ', 2)
    starts.append(int(a, 16)); ends.append(int(a, 16) + int(s, 16)); names.append(n)
order = sorted(range(len(starts)), key=lambda i: starts[i])
starts = [starts[i] for i in order]; ends = [ends[i] for i in order]; names = [names[i] for i in order]
def name(addr):
    i = bisect.bisect_right(starts, addr) - 1
    if i >= 0 and addr < ends[i]:
        return names[i]
    return None
def run(inclusive):
    out = subprocess.run(['callgrind_annotate', '--inclusive=' + ('yes' if inclusive else 'no'), '--threshold=100', cg], capture_output=True, text=True).stdout
    res = collections.Counter()
    for line in out.splitlines():
        m = re.match(r'\s*([\d,]+)\s+\([^)]*\)\s+(.*)$', line)
        if not m: continue
        cost = int(m.group(1).replace(',', '')); fn = m.group(2)
        mm = re.match(r"\?\?\?:0x([0-9a-f]+)('\d+)?\s*(\[.*\])?$", fn)
        if mm and (mm.group(3) is None or '???' in (mm.group(3) or '')):
            n = name(int(mm.group(1), 16)) or ('?' + mm.group(1))
        else:
            n = fn
        if inclusive and mm and mm.group(2):
            continue  # recursion cycles double-count
        res[n] += cost
    return res
inc = run(True); slf = run(False)
for n in set(inc) | set(slf):
    print(f"{n}\t{inc.get(n,0)}\t{slf.get(n,0)}")
