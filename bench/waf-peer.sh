#!/usr/bin/env bash
# The peer for bench/waf.sh: nginx serving the same ~1 KiB page with and without ModSecurity v3
# and the OWASP Core Rule Set (Debian's libnginx-mod-http-modsecurity and modsecurity-crs,
# paranoia level 1, SecRuleEngine On, audit log off), same request shapes (bench/waf-requests.lua),
# interleaved, requests per server CPU-second. It says what the usual self-hosted WAF keeps of its
# server's throughput, next to Bulwark's figure for the same shapes.
#
#   bench/waf-peer.sh                # RUNS=5 DUR=10 WARMUP=10
#   QUICK=1 bench/waf-peer.sh        # a smoke test
#
# Installs the Debian packages when missing (nginx, libnginx-mod-http-modsecurity,
# modsecurity-crs, wrk) without starting their services. nginx (1 worker) on core 0, wrk on core
# 1, ports 27190 (plain) and 27191 (ModSecurity). Results: $RES (default
# $TMPDIR/bulwark-bench/waf-peer-<time>).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SRV_CPU=${SRV_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
STAMP=$(date +%Y%m%d-%H%M%S)
RES=${RES:-${TMPDIR:-/tmp}/bulwark-bench/waf-peer-$STAMP}
if [[ ${QUICK:-0} == 1 ]]; then RUNS=${RUNS:-1} DUR=${DUR:-5} WARMUP=${WARMUP:-5}; fi
RUNS=${RUNS:-5} DUR=${DUR:-10} WARMUP=${WARMUP:-10} CONNS=${CONNS:-32}

missing=()
for p in nginx libnginx-mod-http-modsecurity modsecurity-crs wrk; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  policy=0
  [[ -e /usr/sbin/policy-rc.d ]] && policy=1
  ((policy)) || { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  ((policy)) || rm -f /usr/sbin/policy-rc.d
fi

mkdir -p "$RES/site/products" "$RES/tmp"
head -c 1024 /dev/zero | tr '\0' 'x' >"$RES/site/products/running-shoes"
cp "$HERE/waf-requests.lua" "$RES/headers.lua"
cat >"$RES/modsec.conf" <<CONF
Include /etc/nginx/modsecurity.conf
SecRuleEngine On
SecAuditEngine Off
Include /etc/modsecurity/crs/crs-setup.conf
Include /etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf
Include /usr/share/modsecurity-crs/rules/*.conf
Include /etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf
CONF
config() {   # config NAME PORT WITH_MODSEC
  cat <<NGINX
load_module /usr/lib/nginx/modules/ngx_http_modsecurity_module.so;
worker_processes 1;
pid $RES/$1.pid;
error_log $RES/$1-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $RES/tmp/$1-body;
  proxy_temp_path $RES/tmp/$1-proxy;
  fastcgi_temp_path $RES/tmp/$1-fastcgi;
  uwsgi_temp_path $RES/tmp/$1-uwsgi;
  scgi_temp_path $RES/tmp/$1-scgi;
  keepalive_requests 1000000;
  open_file_cache max=100;
  server {
    listen 127.0.0.1:$2;
    root $RES/site;
    default_type text/html;
$( [[ $3 == 1 ]] && echo "    modsecurity on; modsecurity_rules_file $RES/modsec.conf;" )
  }
}
NGINX
}
config plain 27190 0 >"$RES/plain.conf"
config modsec 27191 1 >"$RES/modsec.conf.nginx"

declare -a STARTED=()
cleanup() { for p in "${STARTED[@]}"; do kill "$p" 2>/dev/null || true; done; for p in "${STARTED[@]}"; do wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
taskset -c "$SRV_CPU" nginx -c "$RES/plain.conf" -g 'daemon off;' >"$RES/plain.out" 2>&1 &
STARTED+=("$!"); PID_plain=$!
taskset -c "$SRV_CPU" nginx -c "$RES/modsec.conf.nginx" -g 'daemon off;' >"$RES/modsec.out" 2>&1 &
STARTED+=("$!"); PID_modsec=$!
for port in 27190 27191; do
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
done
page=http://127.0.0.1:27191/products/running-shoes
probe=$(curl -s -o /dev/null -w '%{http_code}' "$page?id=1%27%20OR%20%271%27=%271")
plain=$(curl -s -o /dev/null -w '%{http_code}' "$page?id=1")
echo "ModSecurity answers the page with $plain and an SQLi probe with $probe" >&2
[[ $plain == 200 && $probe == 403 ]] || { echo "bench: ModSecurity is not set up right; see $RES" >&2; exit 1; }

source "$HERE/waf-lib.sh"
measure_pair plain 27190 modsec 27191
summarize plain modsec nginx "nginx + ModSecurity CRS" 3 >"$RES/summary.txt"
echo "# $(nginx -v 2>&1), libmodsecurity3 $(dpkg-query -W -f='${Version}' libmodsecurity3), modsecurity-crs $(dpkg-query -W -f='${Version}' modsecurity-crs); runs=$RUNS dur=${DUR}s warmup=${WARMUP}s conns=$CONNS; results in $RES" | tee -a "$RES/summary.txt"
cat "$RES/summary.txt"
