#!/usr/bin/env python3
"""Turns `send --dry-run` output into the baselines' inputs: the same rows the writer stores,
as a LOAD DATA tab file and as a file of single-row INSERT statements.

usage: baseline_rows.py DRYRUN.ndjson ROWS.tsv INSERTS.sql TABLE
Rows follow the table's columns: message, timestamp, event, messageId, type.
"""
import json
import sys
from datetime import datetime, timezone

COLUMNS = "(`message`, `timestamp`, `event`, `messageId`, `type`)"


def datetime6(text):
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


def tsv_field(value):
    if value is None:
        return "\\N"
    return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r").replace("\0", "\\0"))


def sql_literal(value):
    if value is None:
        return "NULL"
    escaped = (value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
               .replace("\r", "\\r").replace("\0", "\\0").replace("\x1a", "\\Z"))
    return "'" + escaped + "'"


def main():
    source, tsv_path, sql_path, table = sys.argv[1:5]
    rows = 0
    with open(source, encoding="utf-8") as lines, \
            open(tsv_path, "w", encoding="utf-8", newline="\n") as tsv, \
            open(sql_path, "w", encoding="utf-8", newline="\n") as sql:
        for line in lines:
            record = json.loads(line)
            if not record.get("ok"):
                continue
            p = record["payload"]
            row = [json.dumps(p["message"], ensure_ascii=False, separators=(",", ":")),
                   datetime6(p["timestamp"]), p.get("event"), p["messageId"], p["type"]]
            tsv.write("\t".join(tsv_field(v) for v in row) + "\n")
            sql.write("INSERT INTO " + table + " " + COLUMNS + " VALUES (" +
                      ",".join(sql_literal(v) for v in row) + ");\n")
            rows += 1
    print(rows)


if __name__ == "__main__":
    main()
