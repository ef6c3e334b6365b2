#!/usr/bin/env python3
"""Samples processor seconds per process group every second, while the load test runs.

Groups: postgres, the example server (MenderServerMain), the load generator (LoadTest), other
java (Maven), the rest. Each line: the time, then each group's processor seconds in that second.
Usage: python3 scripts/cpu-split.py /tmp/cpu.log &  (then run the load test; kill it after)
"""
import os, sys, time
hz = os.sysconf('SC_CLK_TCK')
def groups():
    g = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit(): continue
        try:
            stat = open(f'/proc/{pid}/stat').read()
            cmd = open(f'/proc/{pid}/cmdline','rb').read().replace(b'\0',b' ').decode(errors='ignore')
        except OSError: continue
        rest = stat[stat.rindex(')')+2:].split()
        ticks = int(rest[11]) + int(rest[12])
        name = stat[stat.index('(')+1:stat.rindex(')')]
        if name.startswith('postgres'): k='postgres'
        elif 'MenderServerMain' in cmd: k='server'
        elif 'LoadTest' in cmd: k='loadgen'
        elif name=='java': k='maven'
        else: k='other'
        g[k] = g.get(k,0) + ticks
    return g
out = open(sys.argv[1],'w')
prev = groups()
while True:
    time.sleep(1)
    cur = groups()
    line = ' '.join(f'{k}={(cur.get(k,0)-prev.get(k,0))/hz:.2f}' for k in sorted(set(cur)|set(prev)))
    out.write(time.strftime('%T ')+line+'\n'); out.flush()
    prev = cur
