#!/bin/sh
# The Kubernetes lens as a new user meets it, against any etcd endpoint (etcd 3.4 or
# tetcd): note the revision, store a Pod through the lens's encoder (k8s put), list it,
# read it, change it, see its history, delete it, and ask what changed since the start.
# Prints a transcript: each command after "$ ", then its output.
#   scripts/lens-demo.sh 127.0.0.1:2379
set -eu
if [ $# -ne 1 ]; then
  echo "usage: $0 ENDPOINT (host:port of etcd or tetcd)" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN="$ROOT/dist/bin/tetcdctl.js"
[ -f "$BIN" ] || { echo "build first: npm run build" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export ETCDCTL_API=3 ETCDCTL_ENDPOINTS="$1"
cd "$WORK"

tetcdctl() { node "$BIN" "$@"; }
step() {
  printf '\n$ %s\n' "$*"
  "$@" || printf '(exit %s)\n' "$?"
}
say() { printf '\n# %s\n' "$*"; }

KEY=/registry/pods/lens-demo/web
tetcdctl del "$KEY" >/dev/null # a previous run's Pod

echo "# tetcdctl's Kubernetes lens against $1 (ETCDCTL_ENDPOINTS=$1)"
say "The revision before we start (\"Revision\"):"
step tetcdctl endpoint status -w fields
START=$(tetcdctl endpoint status -w fields | sed -n 's/^"Revision" : \([0-9]*\)$/\1/p')

cat >pod.yaml <<'EOF'
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: lens-demo
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx:1.27
    ports:
    - name: http
      containerPort: 80
      protocol: TCP
    resources:
      requests:
        cpu: 100m
        memory: 64Mi
  restartPolicy: Always
EOF
say "A Pod as kubectl would write it, stored the way kube-apiserver stores it (protobuf):"
step cat pod.yaml
step tetcdctl k8s put -f pod.yaml --dry-run
step tetcdctl k8s put -f pod.yaml

say "What is stored:"
step tetcdctl k8s ls pods -n lens-demo
step tetcdctl k8s get pod lens-demo/web
step tetcdctl get /registry/pods/lens-demo/ --prefix --keys-only

say "Change the image and the labels, and store it again:"
sed -e 's/nginx:1.27/nginx:1.28/' -e 's/    app: web/    app: web\n    tier: frontend/' pod.yaml >pod-v2.yaml
step tetcdctl k8s put -f pod-v2.yaml
step tetcdctl k8s history pods lens-demo/web

say "Delete it (as kube-apiserver does: the key goes away):"
step tetcdctl del "$KEY"
step tetcdctl k8s history "$KEY" -w table

say "Everything that changed since revision $START:"
step tetcdctl k8s changes --since "$START" -w table
step tetcdctl k8s changes --since "$START"
say "The same as net changes between the two snapshots (the Pod came and went):"
step tetcdctl k8s changes --since "$START" --net
