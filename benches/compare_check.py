#!/usr/bin/env python3
"""Compares `kb check --format json` before and after `kb mv FROM TO` (BENCHMARKS.md, issue 19):
counts per code, then each diagnostic with moved paths mapped (its path, a broken anchor's target).
Usage: python3 benches/compare_check.py BEFORE.json AFTER.json FROM TO"""
import re
import json,collections,sys
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); f,t=sys.argv[3],sys.argv[4]
def summ(d): return d['errors'],d['warnings'],d['files_checked'],sorted(collections.Counter(x['code'] for x in d['diagnostics']).items())
def norm(d, mapping):
    out=[]
    for x in d['diagnostics']:
        p=x['path']
        if mapping and (p==f or p.startswith(f+'/')): p=t+p[len(f):]
        m=x['message']
        # A broken anchor names its target doc, which may be one that moved.
        g=re.match(r'(link to #.*: )(.*)( has no such heading)$', m)
        if mapping and g and (g.group(2)==f or g.group(2).startswith(f+'/')):
            m=g.group(1)+t+g.group(2)[len(f):]+g.group(3)
        out.append((p,x['line'],x['code'],m))
    return sorted(out)
print('before', summ(a)); print('after ', summ(b))
na=norm(a,True); nb=norm(b,False)
only_a=[x for x in na if x not in nb]; only_b=[x for x in nb if x not in na]
print('same diagnostics (path, line, code, message)' if not only_a else f'{len(only_a)} differ')
for x,y in zip(only_a,only_b): print('  -',x,'\n  +',y)
