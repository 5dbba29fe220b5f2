#!/usr/bin/env bash
# Runs efftrain's command line against bad input, bad config and faults, one JVM per case, and prints a Markdown
# table: case, exit code, expected code, the first line efftrain printed on stderr, and whether any staging or
# temporary folder was left. Usage: docs/experiments/fault-cases.sh > table.md (from the repository root, after
# `bin/setup`). Takes about ten minutes on 2 cores.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
EFF="$ROOT/bin/efftrain"
CONF="$ROOT/conf/fashion-mnist.conf"
W="$(mktemp -d /tmp/efftrain-faults.XXXXXX)"
FM=/usr/share/datasets/fashion-mnist
SMALL=(--set data.train-limit=500 --set data.test-limit=100 --set train.budget.epochs=0.3 --set train.evaluation.every-epochs=null)
rows=0; stack_first=0; exit_one=0; leftovers=0

first_line() { grep -v -e '^WARNING: Using incubator' -e '^\s*$' -e ' WARN ' "$1" | head -n 1 | cut -c1-160 | sed 's/|/\\|/g'; }

case_() { # name expected command...
  local name="$1" expected="$2"; shift 2
  local out="$W/out.txt" err="$W/err.txt"
  (cd "$W" && "$@" >"$out" 2>"$err"); local code=$?
  local line; line="$(first_line "$err")"
  [ -z "$line" ] && line="$(head -n 1 "$out" | cut -c1-160)"
  local left; left=$(find "$W" -maxdepth 3 \( -name '.*.staging' -o -name '*.tmp' \) 2>/dev/null | wc -l)
  case "$line" in *Exception*|*"	at "*) stack_first=$((stack_first + 1));; esac
  [ "$code" = 1 ] && exit_one=$((exit_one + 1))
  [ "$left" -gt 0 ] && leftovers=$((leftovers + 1))
  rows=$((rows + 1))
  printf '| %d | %s | %s | %s | %s | %s |\n' "$rows" "$name" "$code" "$expected" "$line" "$left"
  find "$W" -maxdepth 3 \( -name '.*.staging' -o -name '*.tmp' \) -exec rm -rf {} + 2>/dev/null
  rm -rf "$W"/run "$W"/table
}

prep() { "$EFF" prepare "$CONF" --out "$W/table" --set data.train-limit=200 --set data.test-limit=50 "$@"; }
run() { "$EFF" run "$CONF" --run-dir "$W/run" "${SMALL[@]}" "$@"; }
idx() { echo --set "data.idx.train-images=\"$1\"" --set "data.idx.train-labels=\"$2\"" --set "data.idx.test-images=\"$1\"" --set "data.idx.test-labels=\"$2\""; }
csv() { printf 'label,a,b\n%b' "$1" > "$W/data.csv"; echo --set data.source=csv --set "data.csv.train=\"$W/data.csv\""; }

python3 - "$W" <<'PY'
import gzip, os, random, struct, sys, zlib
w = sys.argv[1]
fm = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
b = bytearray(open(fm, "rb").read())
for i in range(50000, 50400): b[i] ^= 0x5A
open(f"{w}/flipped.gz", "wb").write(b)
whole = open(fm, "rb").read()
open(f"{w}/cut.gz", "wb").write(whole[: len(whole) // 2])
random.seed(7)
imgs = struct.pack(">iiii", 0x803, 10, 28, 28) + bytes(random.randrange(256) for _ in range(10 * 784))
labels = struct.pack(">ii", 0x801, 10) + bytes(i % 10 for i in range(10))
open(f"{w}/labels.idx", "wb").write(labels)
open(f"{w}/long.idx", "wb").write(imgs + bytes(784))
open(f"{w}/short.idx", "wb").write(imgs[: 16 + 5 * 784])
open(f"{w}/magic.idx", "wb").write(b"\x50" + imgs[1:])
open(f"{w}/images12.idx", "wb").write(struct.pack(">iiii", 0x803, 12, 28, 28) + bytes(12 * 784))
def png(w_, h, pixels):
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    raw = b"".join(b"\x00" + pixels[y * w_:(y + 1) * w_] for y in range(h))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w_, h, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
for label in range(3):
    os.makedirs(f"{w}/img/{label}", exist_ok=True)
    for k in range(4):
        open(f"{w}/img/{label}/{k}.png", "wb").write(png(28, 28, bytes(random.randrange(256) for _ in range(784))))
bad = bytearray(open(f"{w}/img/1/2.png", "rb").read()); bad[60] ^= 0xFF
os.makedirs(f"{w}/imgcrc/0", exist_ok=True); os.makedirs(f"{w}/imgcrc/1", exist_ok=True)
open(f"{w}/imgcrc/0/a.png", "wb").write(open(f"{w}/img/0/0.png", "rb").read()); open(f"{w}/imgcrc/1/b.png", "wb").write(bytes(bad))
os.makedirs(f"{w}/imgtext/0", exist_ok=True); open(f"{w}/imgtext/0/a.png", "w").write("not an image")
os.makedirs(f"{w}/imgsize/0", exist_ok=True); open(f"{w}/imgsize/0/a.png", "wb").write(png(32, 32, bytes(1024)))
os.makedirs(f"{w}/dir.gz", exist_ok=True)
PY
printf 'label,a,b\n1,2,3\n4,5,6\n' > "$W/good.csv"

echo "| # | case | exit | expected | first line on stderr | staging/tmp left |"
echo "|---|---|---|---|---|---|"
# Usage
case_ "unknown command" 2 "$EFF" trian "$CONF"
case_ "unknown option" 2 "$EFF" run "$CONF" --run-dri x
case_ "--resume without --run-dir" 2 "$EFF" run "$CONF" --resume
case_ "--skip-if-done without --run-dir" 2 "$EFF" run "$CONF" --skip-if-done
case_ "bench peers, unknown network" 2 "$EFF" bench peers "$CONF" --networks vgg
# Config
case_ "unknown key (typo)" 3 prep --set data.csv.delimeter='";"'
case_ "wrong type" 3 prep --set train.batch-size=big
case_ "unknown enum value" 3 prep --set train.schedule=cosin
case_ "missing config file" 3 "$EFF" prepare "$W/nope.conf" --out "$W/table"
case_ "every budget limit null" 3 run --set train.budget.epochs=null --set train.budget.wall-clock=null
case_ "bad spark.master" 3 prep --set 'spark.master="nonsense[2]"'
case_ "model.layers: unknown layer type" 3 run --set model.type=layers --set 'model.layers=[{type=convolution, filters=8, kernel=3}]'
case_ "model.layers: kernel larger than input" 3 run --set model.type=layers --set 'model.layers=[{type=conv, filters=4, kernel=30}]'
case_ "model.layers: conv after dense" 3 run --set model.type=layers --set 'model.layers=[{type=dense, units=8}, {type=conv, filters=4, kernel=3}]'
case_ "model.dl4j-json: missing file" 3 run --set model.type=dl4j-json --set "model.dl4j-json=\"$W/none.json\""
case_ "fast-cpu kernels for the ResNet" 3 run --set model.type=resnet --set model.kernels=fast-cpu
case_ "data.classes out of range" 3 prep --set 'data.classes=[0,12]'
case_ "negative learning rate" 3 run --set train.optimizer.learning-rate=-1
# Bad input
case_ "missing IDX file" 4 prep $(idx "$W/nope.gz" "$W/labels.idx")
case_ "a directory as the IDX file" 4 prep $(idx "$W/dir.gz" "$W/labels.idx")
case_ "truncated gzip" 4 prep $(idx "$W/cut.gz" "$FM/train-labels-idx1-ubyte.gz")
case_ "gzip bytes 50,000-50,399 XORed, limit 2,000" 4 prep $(idx "$W/flipped.gz" "$FM/train-labels-idx1-ubyte.gz") --set data.train-limit=2000
case_ "IDX longer than its header" 4 prep $(idx "$W/long.idx" "$W/labels.idx")
case_ "raw IDX truncated past a limit" 4 prep $(idx "$W/short.idx" "$W/labels.idx") --set data.train-limit=3
case_ "wrong IDX magic" 4 prep $(idx "$W/magic.idx" "$W/labels.idx")
case_ "image and label counts differ" 4 prep $(idx "$W/images12.idx" "$W/labels.idx")
case_ "labels file as images" 4 prep $(idx "$W/labels.idx" "$W/labels.idx")
case_ "ragged CSV row" 4 prep $(csv '1,2,3\n4,5\n')
case_ "non-numeric CSV value" 4 prep $(csv '1,2,3\n4,abc,6\n')
case_ "CSV label out of range" 4 prep $(csv '1,2,3\n10,5,6\n')
case_ "CSV label not whole" 4 prep $(csv '1,2,3\n2.5,5,6\n')
case_ "CSV NaN" 4 prep $(csv '1,2,3\n4,NaN,6\n')
case_ "CSV Infinity" 4 prep $(csv '1,2,3\n4,Infinity,6\n')
case_ "CSV missing value" 4 prep $(csv '1,2,3\n4,,6\n')
case_ "CSV 300 in a uint8 column" 4 prep $(csv '1,2,3\n4,300,6\n')
case_ "CSV header only" 4 prep $(csv '')
case_ "CSV file missing" 4 prep --set data.source=csv --set "data.csv.train=\"$W/none.csv\""
case_ "PNG with a damaged chunk (CRC)" 4 prep --set data.source=images --set "data.images.train=\"$W/imgcrc\""
case_ "a text file named .png" 4 prep --set data.source=images --set "data.images.train=\"$W/imgtext\""
case_ "image of the wrong size" 4 prep --set data.source=images --set "data.images.train=\"$W/imgsize\""
case_ "CSV given as Parquet" 4 prep --set data.source=parquet --set "data.parquet.train=\"$W/good.csv\""
case_ "Parquet folder missing" 4 prep --set data.source=parquet --set "data.parquet.train=\"$W/nolake\""
# Outputs (the user's folder is checked after each)
mkdir -p "$W/D/sub"; echo precious > "$W/D/precious.txt"
case_ "run into a folder efftrain did not make" 6 "$EFF" run "$CONF" --run-dir "$W/D" "${SMALL[@]}"
case_ "... with --overwrite" 6 "$EFF" run "$CONF" --run-dir "$W/D" "${SMALL[@]}" --overwrite
case_ "prepare --out a folder efftrain did not make" 6 "$EFF" prepare "$CONF" --out "$W/D" --set data.train-limit=200 --set data.test-limit=50 --overwrite
case_ "run dir is a file" 6 "$EFF" run "$CONF" --run-dir "$W/D/precious.txt" "${SMALL[@]}"
[ "$(cat "$W/D/precious.txt")" = precious ] && [ -d "$W/D/sub" ] || echo "USER FILES LOST"
"$EFF" run "$CONF" --run-dir "$W/done" "${SMALL[@]}" >/dev/null 2>&1
case_ "rerun of a completed run" 6 "$EFF" run "$CONF" --run-dir "$W/done" "${SMALL[@]}"
case_ "rerun with --skip-if-done (same config)" 0 "$EFF" run "$CONF" --run-dir "$W/done" "${SMALL[@]}" --skip-if-done
case_ "--skip-if-done, another config" 6 "$EFF" run "$CONF" --run-dir "$W/done" "${SMALL[@]}" --set train.budget.epochs=0.4 --skip-if-done
"$EFF" prepare "$CONF" --out "$W/t1" --set data.train-limit=200 --set data.test-limit=50 >/dev/null 2>&1
case_ "prepare over an existing table" 6 "$EFF" prepare "$CONF" --out "$W/t1" --set data.train-limit=200 --set data.test-limit=50
printf 'owner=someone\nhost=%s\npid=%s\ncommand=run\n' "$(hostname)" "$$" > "$W/.busy.lock"
case_ "a second writer while a live lock is held" 8 "$EFF" run "$CONF" --run-dir "$W/busy" "${SMALL[@]}"
rm -f "$W/.busy.lock"
printf 'owner=someone\nhost=%s\npid=999999\ncommand=run\n' "$(hostname)" > "$W/.stale.lock"
case_ "a stale lock of a dead process" 0 "$EFF" run "$CONF" --run-dir "$W/stale" "${SMALL[@]}"
# Training faults
case_ "Adam at learning rate 1e4 (diverges)" 7 run --set train.optimizer.type=adam --set train.optimizer.learning-rate=10000 --set train.budget.epochs=1
case_ "--resume with nothing to resume" 0 run --resume
case_ "target accuracy missed" 5 run --set train.evaluation.every-epochs=0.3 --set train.evaluation.target-accuracy=0.99
( cd "$W" && "$EFF" run "$CONF" --run-dir "$W/term" --set data.train-limit=6000 --set data.test-limit=100 --set train.budget.epochs=3 --set train.steps-per-round=2 --set train.checkpoint-every-rounds=2 >/dev/null 2>"$W/term.err" ) &
pid=$!; for _ in $(seq 1 600); do [ -f "$W/.term.staging/checkpoint/latest.ckpt" ] && break; sleep 0.2; done; sleep 2
kill -TERM "$(pgrep -P $pid -f jobs.Main || pgrep -f "run-dir $W/term" | head -1)" 2>/dev/null; wait $pid; code=$?
rows=$((rows + 1)); printf '| %d | %s | %s | %s | %s | %s |\n' "$rows" "SIGTERM mid-training" "$code" "143" "$(first_line "$W/term.err")" "(checkpoint kept: $( [ -f "$W/.term.staging/checkpoint/latest.ckpt" ] && echo yes || echo no))"
case_ "resume after SIGTERM" 0 "$EFF" run "$CONF" --run-dir "$W/term" --set data.train-limit=6000 --set data.test-limit=100 --set train.budget.epochs=3 --set train.steps-per-round=2 --set train.checkpoint-every-rounds=2 --resume

echo
echo "$rows cases: $stack_first with a stack trace first, $exit_one with exit 1, $leftovers leaving a staging or temporary folder."
rm -rf "$W"
