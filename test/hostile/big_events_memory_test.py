#!/usr/bin/env python3
"""Memory is bounded by bytes, not by events: a dry run over 40 events of 10 MB each, fed through
standard input, must peak under 512 MiB of RSS, and every event must still get its line.
usage: big_events_memory_test.py CLI"""
import json, os, subprocess, sys, threading

cli = sys.argv[1]
count, size, limit_kib = 40, 10 * 1024 * 1024, 512 * 1024
blob = 'x' * size

proc = subprocess.Popen([cli, 'send', '--dry-run', '-'], stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
lines = []
def read_out():
    for line in proc.stdout:
        lines.append(len(line))
reader = threading.Thread(target=read_out)
reader.start()
for i in range(count):
    event = {"messageId": f"big-{i}", "type": "track", "event": "Big", "timestamp":
             "2024-01-01T00:00:00Z", "properties": {"blob": blob}}
    proc.stdin.write(json.dumps(event).encode() + b'\n')
proc.stdin.close()
_, status, usage = os.wait4(proc.pid, 0)
reader.join()
err = proc.stderr.read().decode(errors='replace')
rc = os.waitstatus_to_exitcode(status)
peak = usage.ru_maxrss  # KiB on Linux
print(f'{count} events of {size // (1024 * 1024)} MiB: {len(lines)} lines, exit {rc}, peak RSS {peak / 1024:.0f} MiB (limit {limit_kib // 1024} MiB)')
problems = []
if rc != 0: problems.append(f'exit {rc}: {err[-300:]}')
if len(lines) != count: problems.append(f'{len(lines)} lines for {count} events')
if any(n < size for n in lines): problems.append('a line is shorter than its payload')
if peak > limit_kib: problems.append(f'peak RSS {peak} KiB over {limit_kib} KiB')
if problems:
    print('FAILED: ' + '; '.join(problems))
    sys.exit(1)
