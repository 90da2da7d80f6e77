#!/usr/bin/env python3
"""Run trafilatura (and htmldate through it) over a benchmark folder and write one JSON line per
page: {"id", "text", "date", "cpu_seconds"}. `dyad eval extraction DIR --external FILE` then scores
these predictions with exactly the metric dyad is scored with, in the same run as dyad itself.

Usage: trafilatura_predictions.py DIR OUT.jsonl [--precision]
Needs trafilatura (pip install trafilatura==2.3.1 lxml_html_clean); scripts/compare_extractors.sh
sets up a virtualenv for it.
"""
import gzip
import json
import os
import sys
import time

import trafilatura


def pages(folder):
    if os.path.isfile(os.path.join(folder, "ground-truth.json")):
        with open(os.path.join(folder, "ground-truth.json"), encoding="utf-8") as f:
            gt = json.load(f)
        for pid, g in sorted(gt.items()):
            yield pid, g.get("url")
    else:
        gdir = os.path.join(folder, "ground-truth")
        for name in sorted(os.listdir(gdir)):
            if name.endswith(".json"):
                with open(os.path.join(gdir, name), encoding="utf-8") as f:
                    g = json.load(f)
                yield name[:-5], g.get("url")


def read_html(folder, pid):
    for ext in ("html.gz", "html"):
        p = os.path.join(folder, "html", f"{pid}.{ext}")
        if os.path.isfile(p):
            with open(p, "rb") as f:
                data = f.read()
            return gzip.decompress(data) if ext.endswith("gz") else data
    raise FileNotFoundError(f"{folder}: no page for id {pid}")


def main():
    folder, out = sys.argv[1], sys.argv[2]
    precision = "--precision" in sys.argv[3:]
    with open(out, "w", encoding="utf-8") as w:
        for pid, url in pages(folder):
            html = read_html(folder, pid)
            t0 = time.thread_time()
            doc = trafilatura.bare_extraction(html, url=url, favor_precision=precision, with_metadata=True)
            doc = doc.as_dict() if doc is not None else None
            cpu = time.thread_time() - t0
            text = (doc or {}).get("text") or ""
            date = (doc or {}).get("date")
            w.write(json.dumps({"id": pid, "text": text, "date": date, "cpu_seconds": cpu}) + "\n")


if __name__ == "__main__":
    main()
