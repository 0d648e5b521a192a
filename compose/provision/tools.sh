#!/usr/bin/env bash
# Installs what some tests use, when missing: Prometheus (server and promtool) from Debian's
# package, to check and evaluate the shipped alert rules; Debian's Fashion-MNIST dataset, the
# real data the sensor's calibration test indexes; Chromium, headless, for the /ui page test.
# Idempotent; says what it cannot do.
set -euo pipefail
say() { echo "[provision] $*"; }
if command -v promtool >/dev/null && command -v prometheus >/dev/null && [ -d /usr/share/datasets/fashion-mnist ] \
    && command -v chromium >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null; then
  say "prometheus/promtool missing and cannot be installed here (needs root and apt-get): the rules tests will fail naming it"
  exit 0
fi
say "apt-get install prometheus dataset-fashion-mnist chromium (alert rules check; calibration on real data; /ui page test)"
for i in 1 2 3; do
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus dataset-fashion-mnist chromium \
      >/dev/null 2>&1; then
    break
  fi
  apt-get update -qq || true
  sleep $((i * 5))
done
command -v promtool >/dev/null || { echo "[provision] ERROR: prometheus could not be installed" >&2; exit 1; }
command -v chromium >/dev/null || say "chromium could not be installed: the /ui page test will fail naming it"
[ -d /usr/share/datasets/fashion-mnist ] || say "dataset-fashion-mnist could not be installed: the calibration test will fail naming it"

# The package may start a server on :9090 where an init system exists; our tests run their own.
pkill -x prometheus 2>/dev/null || true
