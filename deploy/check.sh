#!/usr/bin/env bash
# Checks the deployment files as far as this machine allows, without Docker
# Engine, Kubernetes or a running systemd:
#
#   compose   docker-compose.yml: "docker compose config -q" (plugin) or
#             "docker-compose config -q" (Debian's docker-compose, 1.29)
#   yamllint  every YAML file under deploy/ and docker-compose.yml, with
#             deploy/.yamllint (Debian: yamllint)
#   structure what the files must keep (two nodes with health checks, only
#             the proxy published and only on 127.0.0.1, websocket timeouts,
#             probes, preStop, non-root, migrations, no registry host in an
#             image reference, ...): python3 with PyYAML, which yamllint
#             brings
#   docs      docs/operations.md names every environment variable the
#             binary reads and every flag of its commands
#             (server/cmd/draftroom; bench, a development tool, is exempt)
#   nginx     "nginx -t" on deploy/nginx.conf, if nginx is installed
#   caddy     "caddy validate" on deploy/Caddyfile, if caddy is installed
#   systemd   "systemd-analyze verify" and an offline "systemd-analyze
#             security" score of deploy/systemd/draftroom.service, if
#             systemd-analyze is installed
#
# A missing required tool (docker-compose or the plugin, yamllint,
# python3-yaml) skips its check with a message, or fails when CI is set.
# Optional tools (nginx, caddy, systemd-analyze) are skipped when absent.
# Exits 1 if any check failed.
#
#   bash deploy/check.sh
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0 failed=0 skipped=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "check: ok    $1"; passed=$((passed + 1)); }
bad() { echo "check: FAIL  $1"; failed=$((failed + 1)); }
skip() { echo "check: skip  $1"; skipped=$((skipped + 1)); }
# missing CHECK INSTALL-HINT: a required tool is absent.
missing() {
	if [ -n "${CI:-}" ]; then
		bad "$1: $2 is not installed (CI is set, so this fails)"
	else
		skip "$1: $2 is not installed"
	fi
}
# run NAME CMD...: runs CMD, showing its output only on failure.
run() {
	local name=$1
	shift
	if "$@" >"$tmp/out" 2>&1; then
		ok "$name"
	else
		sed 's/^/    /' "$tmp/out"
		bad "$name"
	fi
}

yaml_files=(docker-compose.yml)
while IFS= read -r f; do yaml_files+=("$f"); done < <(find deploy -type f \( -name '*.yml' -o -name '*.yaml' \) | sort)
yaml_files+=(deploy/.yamllint)

# --- compose -----------------------------------------------------------
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
	run "compose: docker compose config -q" docker compose -f docker-compose.yml config -q
elif command -v docker-compose >/dev/null 2>&1; then
	run "compose: docker-compose config -q" docker-compose -f docker-compose.yml config -q
else
	missing "compose" "docker-compose (apt-get install docker-compose) or the docker compose plugin"
fi

# --- yamllint ------------------------------------------------------------
if command -v yamllint >/dev/null 2>&1; then
	run "yamllint: ${#yaml_files[@]} files (docker-compose.yml, deploy/**/*.y*ml, deploy/.yamllint)" yamllint --strict -c deploy/.yamllint "${yaml_files[@]}"
else
	missing "yamllint" "yamllint (apt-get install yamllint)"
fi

# --- structure -------------------------------------------------------------
# Debian's python3 has PyYAML once yamllint is installed; another python3
# earlier on PATH may not.
py=
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import yaml' 2>/dev/null; then
		py=$p
		break
	fi
done
if [ -n "$py" ]; then
	run "structure: compose, k8s, nginx, Caddyfile, systemd, image references" "$py" - <<'PY'
import glob, os, re, sys, yaml

errors = []
def need(cond, msg):
    if not cond:
        errors.append(msg)

def load_all(path):
    try:
        with open(path) as f:
            return [d for d in yaml.safe_load_all(f) if d is not None]
    except (OSError, yaml.YAMLError) as e:
        print(f"{path}: {e}".replace("\n", " "))
        sys.exit(1)

REGISTRY_HOST = re.compile(r'^[^/]*[.:][^/]*/')  # "host.tld/…" or "host:port/…"
def image_ok(ref, where):
    need(not REGISTRY_HOST.match(ref), f"{where}: image {ref!r} names a registry host; use a short name")

# docker-compose.yml
c = load_all("docker-compose.yml")[0]
svcs = c.get("services", {})
nodes = [n for n, s in svcs.items() if "serve" in (s.get("command") or [])]
need(len(nodes) >= 2, f"compose: want two draftroom serve services, found {nodes}")
for n in nodes:
    s = svcs[n]
    env = s.get("environment", {})
    need("DATABASE_URL_FILE" in env, f"compose: {n} has no DATABASE_URL_FILE")
    need("database_url" in (s.get("secrets") or []), f"compose: {n} does not get the database_url secret")
    test = (s.get("healthcheck") or {}).get("test") or []
    need("healthcheck" in test, f"compose: {n}'s health check does not run draftroom healthcheck")
    need("ports" not in s, f"compose: {n} publishes ports; only the proxy may")
    need(str(s.get("user", "")) not in ("0", "root"), f"compose: {n} runs as root")
pg = svcs.get("postgres", {})
need(str(pg.get("image", "")).startswith("postgres:16"), "compose: postgres is not postgres:16")
need("healthcheck" in pg, "compose: postgres has no health check")
need("POSTGRES_PASSWORD_FILE" in pg.get("environment", {}), "compose: postgres password is not from a secrets file")
published = {n: s["ports"] for n, s in svcs.items() if s.get("ports")}
need(list(published) == ["proxy"], f"compose: published ports should be the proxy's only, got {published}")
for p in published.get("proxy", []):
    need(str(p).startswith("127.0.0.1:8080:"), f"compose: proxy publishes {p!r}, want 127.0.0.1:8080 only")
proxy = svcs.get("proxy", {})
need(any(v.endswith(("/etc/nginx/nginx.conf:ro", "/etc/caddy/Caddyfile:ro")) for v in proxy.get("volumes", [])),
     "compose: the proxy does not mount deploy/nginx.conf or deploy/Caddyfile")
for n, s in svcs.items():
    if "image" in s:
        image_ok(str(s["image"]), f"compose service {n}")

# Dockerfile
for line in open("deploy/Dockerfile"):
    m = re.match(r'\s*FROM\s+(?:--\S+\s+)*(\S+)', line, re.I)
    if m and m.group(1) != "scratch":
        image_ok(m.group(1), "deploy/Dockerfile")
df = open("deploy/Dockerfile").read()
need(re.search(r'^USER\s+(?!0\b|root\b)\S+', df, re.M), "deploy/Dockerfile: no non-root USER")
need("CGO_ENABLED=0" in df, "deploy/Dockerfile: the binary is not built static (CGO_ENABLED=0)")

# nginx.conf
ng = open("deploy/nginx.conf").read()
for want in ("proxy_set_header Upgrade", "proxy_set_header Connection", "proxy_http_version 1.1",
             "X-Forwarded-For", "X-Forwarded-Proto", "proxy_set_header Host"):
    need(want in ng, f"deploy/nginx.conf: missing {want}")
timeouts = [int(t) for t in re.findall(r'proxy_read_timeout\s+(\d+)s?;', ng)]
need(timeouts and min(timeouts) >= 120, f"deploy/nginx.conf: proxy_read_timeout values {timeouts}, want all >= 120s")
up = re.search(r'upstream\s+\w+\s*\{([^}]*)\}', ng)
need(up and len(re.findall(r'^\s*server\s', up.group(1), re.M)) >= 2, "deploy/nginx.conf: the upstream does not list both nodes")
need("TLS" in ng, "deploy/nginx.conf: no comment on TLS")

# Caddyfile
cf = open("deploy/Caddyfile").read()
need(re.search(r'reverse_proxy\s+draftroom1:8080\s+draftroom2:8080', cf), "deploy/Caddyfile: reverse_proxy does not list both nodes")

# systemd unit
unit = "".join(l for l in open("deploy/systemd/draftroom.service") if not l.lstrip().startswith(("#", ";")))
for want in ("EnvironmentFile=", "DynamicUser=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
             "NoNewPrivileges=yes", "CapabilityBoundingSet=\n", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
             "SystemCallFilter=@system-service", "StateDirectory=draftroom", "LoadCredential=database_url:",
             "Restart=on-failure", "TimeoutStopSec="):
    need(want in unit, f"deploy/systemd/draftroom.service: missing {want.strip()}")

# Kubernetes
k = yaml.safe_load(open("deploy/k8s/kustomization.yaml"))
docs = {}
for r in k.get("resources", []):
    if not os.path.isfile("deploy/k8s/" + r):
        errors.append(f"deploy/k8s/kustomization.yaml: resource {r} does not exist")
        continue
    for d in load_all("deploy/k8s/" + r):
        docs[(d["kind"], d["metadata"].get("name") or d["metadata"].get("generateName"))] = d
for f in sorted(glob.glob("deploy/k8s/*.yaml")):
    for d in load_all(f):
        need("apiVersion" in d and "kind" in d, f"{f}: a document without apiVersion/kind")
kinds = {kind for kind, _ in docs}
for kind in ("Deployment", "Service", "Ingress"):
    need(kind in kinds, f"k8s: kustomization has no {kind}")
for (kind, name), d in docs.items():
    if kind != "Deployment":
        continue
    spec = d["spec"]
    pod = spec["template"]["spec"]
    need(spec.get("replicas") == 2, f"k8s Deployment {name}: replicas {spec.get('replicas')}, want 2")
    need(pod.get("terminationGracePeriodSeconds", 30) >= 30, f"k8s Deployment {name}: terminationGracePeriodSeconds < 30")
    need(pod.get("securityContext", {}).get("runAsNonRoot") is True, f"k8s Deployment {name}: not runAsNonRoot")
    labels = spec["template"]["metadata"]["labels"]
    for (k2, n2), s in docs.items():
        if k2 == "Service":
            sel = s["spec"]["selector"]
            need(all(labels.get(a) == b for a, b in sel.items()), f"k8s Service {n2}: selector {sel} does not match the pods")
    inits = pod.get("initContainers", [])
    jobs = [d2 for (k2, _), d2 in docs.items() if k2 == "Job"]
    need(any(c.get("args", [])[:2] == ["migrate", "up"] for c in inits) or jobs, f"k8s Deployment {name}: no migrate up init container or Job")
    for c in inits + pod["containers"]:
        sc = c.get("securityContext", {})
        need(sc.get("readOnlyRootFilesystem") is True, f"k8s {name}/{c['name']}: root filesystem not read-only")
        need(sc.get("allowPrivilegeEscalation") is False, f"k8s {name}/{c['name']}: allowPrivilegeEscalation not false")
        need(sc.get("capabilities", {}).get("drop") == ["ALL"], f"k8s {name}/{c['name']}: capabilities not dropped")
        need("resources" in c, f"k8s {name}/{c['name']}: no resources")
        image_ok(c["image"], f"k8s {name}/{c['name']}")
        need(any(e.get("name") == "DATABASE_URL" and "secretKeyRef" in e.get("valueFrom", {}) for e in c.get("env", [])),
             f"k8s {name}/{c['name']}: DATABASE_URL is not from a Secret")
    main = pod["containers"][0]
    need(main.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/readyz", f"k8s {name}: readiness is not /readyz")
    need(main.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/healthz", f"k8s {name}: liveness is not /healthz")
    need("preStop" in main.get("lifecycle", {}), f"k8s {name}: no preStop hook")
for (kind, name), d in docs.items():
    if kind == "Ingress":
        a = d["metadata"].get("annotations", {})
        for key in ("proxy-read-timeout", "proxy-send-timeout"):
            v = a.get("nginx.ingress.kubernetes.io/" + key, "0")
            need(int(v) >= 3600, f"k8s Ingress {name}: {key} is {v}, want >= 3600")
for f in sorted(glob.glob("deploy/k8s/*.yaml")):
    for d in load_all(f):
        for m in re.finditer(r"'image': '([^']+)'", repr(d)):
            image_ok(m.group(1), f)

for e in errors:
    print(e)
sys.exit(1 if errors else 0)
PY

	# --- docs: every environment variable and flag is documented ----------
	run "docs: docs/operations.md names every env variable and flag in server/cmd/draftroom" "$py" - <<'PY'
import glob, os, re, sys
doc = open("docs/operations.md").read()
missing = []
sources = [f for f in glob.glob("server/**/*.go", recursive=True)
           if not f.endswith("_test.go") and "/pgtest/" not in f]
for f in sources:
    src = open(f).read()
    # os.Getenv("X"), os.LookupEnv("X"), envOr("X", …), and any literal "DRAFTROOM_…"
    names = set(re.findall(r'\b(?:os\.Getenv|os\.LookupEnv|envOr)\(\s*"([A-Z][A-Z0-9_]*)"', src))
    names |= set(re.findall(r'"((?:DRAFTROOM|DATABASE)_[A-Z0-9_]+)"', src))
    for name in sorted(names):
        if not re.search(r'`' + name + r'`', doc):
            missing.append(f"environment variable {name} ({f})")
    for name in re.findall(r'secretEnv\("([A-Z][A-Z0-9_]*)"\)', src):
        for n in (name, name + "_FILE"):
            if not re.search(r'`' + n + r'`', doc):
                missing.append(f"environment variable {n} ({f})")
FLAG = re.compile(r'\b\w+\.(?:String|Bool|Int|Int64|Uint|Uint64|Float64|Duration|Var|Func|BoolFunc|TextVar|'
                  r'StringVar|BoolVar|IntVar|Int64Var|UintVar|Uint64Var|Float64Var|DurationVar)'
                  r'\(\s*(?:&?[\w.\[\]()]+\s*,\s*)?"([a-z][a-z0-9-]*)"')
for f in sorted(glob.glob("server/cmd/draftroom/*.go")):
    # bench is a development tool whose flags change often: exempt.
    if f.endswith("_test.go") or os.path.basename(f).startswith("bench"):
        continue
    for name in FLAG.findall(open(f).read()):
        if not re.search(r'--' + re.escape(name) + r'\b', doc):
            missing.append(f"flag --{name} ({f})")
for m in sorted(set(missing)):
    print("docs/operations.md does not mention " + m)
sys.exit(1 if missing else 0)
PY
else
	missing "structure and docs" "python3 with PyYAML (apt-get install yamllint brings python3-yaml)"
fi

# --- nginx -------------------------------------------------------------------
if command -v nginx >/dev/null 2>&1; then
	# The node names resolve only inside compose, and "resolve" in an
	# upstream needs nginx >= 1.27.3 (the image's 1.28 has it, Debian 12's
	# 1.22 does not): test a copy with loopback addresses and without it.
	sed -E 's/^(\s*server\s+)draftroom([0-9]+):8080/\1127.0.0.\2:8080/; s/(127\.0\.0\.[0-9]+:8080) resolve /\1 /' \
		deploy/nginx.conf >"$tmp/nginx.conf"
	mkdir -p "$tmp/nginx"
	run "nginx: nginx -t (upstream names as 127.0.0.x, without resolve)" nginx -t -q -p "$tmp/nginx/" -e stderr -c "$tmp/nginx.conf"
else
	skip "nginx: nginx is not installed (optional: apt-get install nginx)"
fi

# --- caddy -------------------------------------------------------------------
if command -v caddy >/dev/null 2>&1; then
	run "caddy: caddy validate deploy/Caddyfile" env HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
		caddy validate --config deploy/Caddyfile --adapter caddyfile
else
	skip "caddy: caddy is not installed (optional: apt-get install caddy)"
fi

# --- systemd -----------------------------------------------------------------
if command -v systemd-analyze >/dev/null 2>&1; then
	# verify insists that ExecStart's binary exists: point it at one that does.
	mkdir -p "$tmp/systemd"
	sed 's|^ExecStart=/usr/local/bin/draftroom |ExecStart=/bin/true |' deploy/systemd/draftroom.service \
		>"$tmp/systemd/draftroom.service"
	# It exits 0 after warnings such as an unknown directive or syscall
	# group, so any output counts as a failure.
	if systemd-analyze verify "$tmp/systemd/draftroom.service" >"$tmp/out" 2>&1 && [ ! -s "$tmp/out" ]; then
		ok "systemd: systemd-analyze verify (ExecStart as /bin/true), no warnings"
	else
		sed 's/^/    /' "$tmp/out"
		bad "systemd: systemd-analyze verify (ExecStart as /bin/true), no warnings"
	fi
	if systemd-analyze security --help 2>/dev/null | grep -q -- '--offline'; then
		run "systemd: systemd-analyze security --offline, exposure <= 2.0" \
			systemd-analyze security --offline=true --threshold=20 --no-pager "$tmp/systemd/draftroom.service"
	else
		skip "systemd: this systemd-analyze has no offline security check (systemd < 250)"
	fi
else
	skip "systemd: systemd-analyze is not installed (optional: apt-get install systemd)"
fi

echo "deploy-check: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
