#!/usr/bin/env python3
# Writes the built-in rule groups (src/main/resources/io/bulwark/waf/managed/*.yaml) from the
# patterns below. Run from anywhere: python3 bulwark-waf/tools/generate_managed_groups.py
import json, os
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "io", "bulwark", "waf", "managed")
os.makedirs(OUT, exist_ok=True)

D = ["URL_DECODE_UNI", "URL_DECODE_UNI", "HTML_ENTITY_DECODE", "JS_DECODE"]
DL = D + ["LOWERCASE"]
B = ["URL_DECODE_UNI", "BASE64_DECODE"]
BL = B + ["LOWERCASE"]
PATHCH = ["URL_DECODE_UNI", "URL_DECODE_UNI", "NORMALIZE_PATH_WIN", "LOWERCASE"]

HEADERS_FIELD = {"headers": {"match-pattern": {"excluded-headers": [
    "cookie", "authorization", "proxy-authorization", "accept", "accept-encoding", "accept-language",
    "content-type", "content-length", "content-encoding", "host", "connection", "keep-alive",
    "cache-control", "pragma", "if-none-match", "if-modified-since", "if-match", "range",
    "upgrade-insecure-requests", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-dest",
    "sec-fetch-user", "sec-ch-ua", "sec-ch-ua-mobile", "sec-ch-ua-platform", "te", "dnt",
    "x-requested-with", "priority", "traceparent", "tracestate", "x-request-id", "etag"]},
    "match-scope": "VALUE", "oversize-handling": "CONTINUE"}}

FIELDS = {
    "QUERYARGUMENTS": {"all-query-arguments": {}},
    "BODY": {"body": {"oversize-handling": "CONTINUE"}},
    "JSONBODY": {"json-body": {"match-pattern": {"all": {}}, "match-scope": "VALUE",
                               "invalid-fallback-behavior": "EVALUATE_AS_STRING",
                               "oversize-handling": "CONTINUE"}},
    "COOKIE": {"cookies": {"match-pattern": {"all": {}}, "match-scope": "VALUE",
                           "oversize-handling": "CONTINUE"}},
    "URIPATH": "uri-path",
    "QUERYSTRING": "query-string",
    "HEADERS": HEADERS_FIELD,
}

def ct(contains):
    return {"byte-match": {"field": {"single-header": "content-type"}, "positional-constraint": "CONTAINS",
                           "search-string": contains, "text-transformations": ["LOWERCASE"]}}

def scoped(part, stmt):
    """Body rules skip JSON (the JSON rule reads it value by value); JSON rules need JSON."""
    if part == "BODY":
        return {"and": {"statements": [{"not": {"statement": ct("json")}}, stmt]}}
    if part == "JSONBODY":
        return {"and": {"statements": [ct("json"), stmt]}}
    return stmt

B_RAW = ["BASE64_DECODE"]
B_RAW_L = B_RAW + ["LOWERCASE"]

def chains_for(part, lower):
    """A deep-decoding chain, plus base64. Base64 in JSON, headers and cookies is decoded as it
    is (a URL decode first would turn its '+' into spaces); in query arguments and form bodies it
    arrives percent-encoded."""
    if part == "URIPATH":
        return [DL if lower else D]
    if part in ("JSONBODY", "HEADERS", "COOKIE"):
        return [DL if lower else D, B_RAW_L if lower else B_RAW]
    return [DL if lower else D, BL if lower else B]

# Paths: JS_DECODE would eat the backslashes of ..\..\windows, so one chain keeps them and one
# decodes JavaScript escapes; three URL decodes undo a double-encoded %2f.
LFI_PLAIN = ["URL_DECODE_UNI", "URL_DECODE_UNI", "URL_DECODE_UNI", "HTML_ENTITY_DECODE", "LOWERCASE"]
def lfi_chains(part):
    ch = [LFI_PLAIN, DL]
    if part != "URIPATH":
        ch.append(B_RAW_L if part in ("JSONBODY", "HEADERS", "COOKIE") else BL)
    return ch

def detector(kind, part, extra=None, lower=False, chains=None):
    stmts = []
    for ch in (chains or chains_for(part, lower)):
        body = {"field": FIELDS[part], "text-transformations": ch}
        if extra:
            body.update(extra)
        stmts.append({kind: dict(body)})
    stmt = stmts[0] if len(stmts) == 1 else {"or": {"statements": stmts}}
    return scoped(part, stmt)

def regex(part, pattern, lower=True, chains=None, guard=None):
    """A regex over each chain. With a guard (literals, one of which every match contains), each
    regex runs only when a cheap CONTAINS byte match on the same transformed value finds one:
    RE2's linear-time automaton costs far more per byte than a substring search."""
    if not guard:
        return detector("regex-match", part, {"regex-string": pattern}, lower=lower, chains=chains)
    stmts = []
    for ch in (chains or chains_for(part, lower)):
        f = FIELDS[part]
        pre = {"byte-match": {"field": f, "positional-constraint": "CONTAINS", "search-strings": guard,
                              "text-transformations": ch}}
        stmts.append({"and": {"statements": [pre, {"regex-match": {"field": f, "regex-string": pattern,
                                                                   "text-transformations": ch}}]}})
    stmt = stmts[0] if len(stmts) == 1 else {"or": {"statements": stmts}}
    return scoped(part, stmt)

def rule(name, prio, statement, action="block", label=None):
    return {"name": name, "priority": prio, "action": action,
            "rule-labels": [label or name], "statement": statement}

def write(name, capacity, description, rules, compact=False):
    doc = {"name": name, "capacity": capacity, "description": description, "rules": rules}
    with open(os.path.join(OUT, name + ".yaml"), "w") as f:
        f.write("# Built-in rule group '%s'. Generated data: each rule has a stable name and the\n" % name)
        f.write("# label bulwark:managed:%s:<rule name>; see docs/waf.md.\n" % name)
        f.write("# Schema: the same as a user-defined rule group (JSON is YAML).\n")
        if compact:
            # one rule per line: the guard literal lists make this group large
            f.write('{"name": %s, "capacity": %d, "description": %s, "rules": [\n' % (
                json.dumps(name), capacity, json.dumps(description)))
            f.write(",\n".join(json.dumps(r, separators=(",", ":")) for r in rules))
            f.write("\n]}")
        else:
            f.write(json.dumps(doc, indent=1))
        f.write("\n")

# ---------------------------------------------------------------- core-rule-set
# Starts with its literal "://" so RE2/J jumps straight to each URL authority.
SSRF_HOSTS = (r"://(?:[^/@\s]*@)?\[?(?:localhost|127\.[0-9.]+|127\.1\b|0\.0\.0\.0|0+(?:\.0+){0,3}(?:[:/]|$)|0x[0-9a-f]{6,8}\b"
              r"|0177\.|[0-9]{8,10}\b|::1?\]|::ffff:|10\.[0-9]+\.[0-9]+\.[0-9]+|192\.168\.|"
              r"172\.(?:1[6-9]|2[0-9]|3[01])\.|169\.254\.|100\.100\.100\.200|metadata\.|[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+)")
SSRF_SCHEMES = r"(?:^|[^a-z])(?:file|gopher|dict|phar|expect|php|jar|netdoc|ldap|tftp)://"
SSRF_SCHEME_GUARD = ["file://", "gopher://", "dict://", "phar://", "expect://", "php://", "jar:", "netdoc://", "ldap://", "tftp://"]
METADATA = (r"169\.254\.169\.254|metadata\.google\.internal|metadata\.azure\.com|100\.100\.100\.200|"
            r"fd00:ec2::254|a9fe:a9fe|0xa9fea9fe|2852039166|instance-data\b|/latest/meta-data|"
            r"/computemetadata/v1|/metadata/instance")
LFI = (r"(?:^|[/\\=:\s'\"])\.{2,}[/\\]|[/\\]\.{2,}(?:[/\\]|$)|/etc/(?:passwd|shadow|group|hosts|issue|"
       r"os-release|crontab|sudoers|motd|environment)\b|/proc/(?:self|[0-9]+)/|c:[/\\]+(?:windows|winnt|boot\.ini)|"
       r"\bwin\.ini\b|\bboot\.ini\b|/var/log/|web-inf/web\.xml|php://(?:filter|input)|/\.ssh/(?:id_|authorized_keys)|"
       r"/root/\.|\.htpasswd\b|"
       # still-encoded or overlong separators left after the decodes: ..%2f, ..%c0%af, %2e%2e/
       r"\.\.(?:%(?:25)*(?:2f|5c|c0%af)|\xc0\xaf|\xc1\x9c)|%(?:25)*2e%(?:25)*2e(?:[/\\]|%)")
RESTRICTED_EXT = r"\.(?:log|ini|bak|backup|old|orig|sql|sqlite|db|env|cfg|conf|config|htaccess|htpasswd|swp|pem|key|p12|pfx|ds_store)(?:$|[?;#])"
BAD_BOTS = (r"nessus|nikto|sqlmap|nmap|masscan|zgrab|dirbuster|gobuster|wfuzz|ffuf|wpscan|acunetix|"
            r"netsparker|w3af|havij|jaeles|nuclei|fimap|whatweb|openvas|zmeu|morfeus|arachni|"
            r"appscan|burpcollaborator|commix|hydra|xsstrike|dotdotpwn|paros|webinspect")

METADATA_GUARD = ["169.254", "metadata", "100.100.100.200", "fd00:ec2", "a9fe", "2852039166", "instance-data"]
LFI_GUARD = ["..", "%2e", "/etc/", "/proc/", "c:", "win.ini", "boot.ini", "/var/log/", "web-inf", "php://", "/.ssh/", "/root/", ".htpasswd"]
DESER_GUARD = ["ro0ab", "aced0005", "java.", "javax.", "org.apache", "ysoserial", "com.sun", "org.springframework", "@type"]
core = []
p = 0
def add(r):
    global p
    r["priority"] = p
    p += 1
    core.append(r)

add(rule("NoUserAgent_HEADER", 0, {"not": {"statement": {"size-constraint": {
    "field": {"single-header": "user-agent"}, "comparison-operator": "GE", "size": 0}}}}))
add(rule("UserAgent_BadBots_HEADER", 0, {"regex-match": {"field": {"single-header": "user-agent"},
    "regex-string": BAD_BOTS, "text-transformations": ["LOWERCASE"]}}))
add(rule("SizeRestrictions_QUERYSTRING", 0, {"size-constraint": {"field": "query-string",
    "comparison-operator": "GT", "size": 2048}}))
add(rule("SizeRestrictions_Cookie_HEADER", 0, {"size-constraint": {"field": {"single-header": "cookie"},
    "comparison-operator": "GT", "size": 10240}}))
add(rule("SizeRestrictions_BODY", 0, {"size-constraint": {"field": {"body": {"oversize-handling": "MATCH"}},
    "comparison-operator": "GT", "size": 8192}}))
add(rule("SizeRestrictions_URIPATH", 0, {"size-constraint": {"field": "uri-path",
    "comparison-operator": "GT", "size": 1024}}))
for part in ["QUERYARGUMENTS", "BODY", "JSONBODY", "COOKIE", "URIPATH", "HEADERS"]:
    add(rule("EC2MetaDataSSRF_" + part, 0, regex(part, METADATA, guard=METADATA_GUARD)))
for part in ["QUERYARGUMENTS", "BODY", "JSONBODY", "COOKIE", "HEADERS"]:
    add(rule("GenericLFI_" + part, 0, regex(part, LFI, chains=lfi_chains(part), guard=LFI_GUARD)))
add(rule("GenericLFI_URIPATH", 0, regex("URIPATH", LFI, chains=lfi_chains("URIPATH"), guard=LFI_GUARD)))
add(rule("RestrictedExtensions_URIPATH", 0, {"regex-match": {"field": "uri-path",
    "regex-string": RESTRICTED_EXT, "text-transformations": ["URL_DECODE_UNI", "LOWERCASE"]}}))
EXTS = ["log", "ini", "bak", "backup", "old", "orig", "sql", "sqlite", "db", "env", "cfg", "conf", "config",
        "htaccess", "htpasswd", "swp", "pem", "key", "p12", "pfx", "ds_store"]
QA = {"all-query-arguments": {}}
add(rule("RestrictedExtensions_QUERYARGUMENTS", 0, {"and": {"statements": [
    {"byte-match": {"field": QA, "positional-constraint": "ENDS_WITH", "search-strings": ["." + e for e in EXTS],
                    "text-transformations": ["URL_DECODE_UNI", "LOWERCASE"]}},
    {"regex-match": {"field": QA, "regex-string": r"^[^?#\s]*" + RESTRICTED_EXT[:-11] + "$",
                     "text-transformations": ["URL_DECODE_UNI", "LOWERCASE"]}}]}}))
for part in ["QUERYARGUMENTS", "BODY", "JSONBODY", "COOKIE", "URIPATH", "HEADERS"]:
    hosts = regex(part, SSRF_HOSTS)
    schemes = regex(part, SSRF_SCHEMES, guard=SSRF_SCHEME_GUARD)
    if part in ("BODY", "JSONBODY"):
        hosts, schemes = hosts["and"]["statements"][1], schemes["and"]["statements"][1]
    add(rule("GenericRFI_" + part, 0, scoped(part, {"or": {"statements": [hosts, schemes]}})))
for part in ["QUERYARGUMENTS", "BODY", "JSONBODY", "COOKIE", "URIPATH", "HEADERS"]:
    add(rule("CrossSiteScripting_" + part, 0, detector("xss-match", part)))
write("core-rule-set", 700, "Broad protection: XSS, LFI/path traversal, RFI/SSRF, size limits, bad bots, restricted extensions.", core)

# ---------------------------------------------------------------- known-bad-inputs
LOG4J = (r"\$\{(?:[^}]{0,64}\$\{|[a-z0-9_\s]*(?:jndi|lower|upper|env|sys|java|date|base64|ctx|main|marker|"
         r"bundle|k8s|docker|spring|web|log4j|sd|event|map)\s*:|[^}]{0,16}::-)")
JAVA_DESER = (r"ro0ab|aced0005|\xac\xed\x00\x05|java\.lang\.runtime|java\.lang\.processbuilder|"
              r"javax\.script\.scriptenginemanager|org\.apache\.commons\.collections|ysoserial|"
              r"java\.lang\.reflect\.|com\.sun\.org\.apache\.xalan|org\.springframework\.context\.support\.classpathxml|"
              r"@type\"?\s*:\s*\"?(?:com\.sun|org\.apache|java\.|javax\.)")
SPRING = (r"class\.(?:module\.)?classloader|spring\.cloud\.function\.routing-expression|"
          r"\bt\(java\.lang\.runtime\)|class\[?\.?\]?module")
EXPLOITABLE = (r"/(?:\.git/|\.svn/|\.hg/|\.env(?:$|[./])|\.aws/|wp-config\.php|phpmyadmin|web-inf/|meta-inf/|"
               r"actuator/(?:env|heapdump|jolokia|gateway|loggers|threaddump|mappings)|jmx-console|"
               r"admin-console|manager/html|server-status|solr/admin|boaform|hnap1|invoker/(?:readonly|jmxinvokerservlet)|"
               r"_ignition/execute-solution|vendor/phpunit|cgi-bin/.*\.(?:sh|cgi|pl)|\.ds_store|"
               r"(?:console|druid|nacos)/|autodiscover/autodiscover\.xml|owa/auth/.*\.js|"
               r"hudson/script|script/?$|jenkins/script|\.well-known/acme-challenge/\.\.)")
kbi = []
p = 0
def addk(r):
    global p
    r["priority"] = p
    p += 1
    kbi.append(r)
addk(rule("JavaDeserializationRCE_HEADER", 0, regex("HEADERS", JAVA_DESER, guard=DESER_GUARD)))
addk(rule("JavaDeserializationRCE_BODY", 0, {"regex-match": {"field": {"body": {"oversize-handling": "CONTINUE"}},
    "regex-string": JAVA_DESER, "text-transformations": DL}}))
addk(rule("JavaDeserializationRCE_URIPATH", 0, regex("URIPATH", JAVA_DESER, guard=DESER_GUARD)))
addk(rule("JavaDeserializationRCE_QUERYSTRING", 0, {"regex-match": {"field": "query-string",
    "regex-string": JAVA_DESER, "text-transformations": DL}}))
addk(rule("Host_localhost_HEADER", 0, {"regex-match": {"field": {"single-header": "host"},
    "regex-string": r"^localhost(?:\.localdomain)?\.?(?::[0-9]+)?$", "text-transformations": ["LOWERCASE"]}}))
addk(rule("PROPFIND_METHOD", 0, {"byte-match": {"field": "method", "positional-constraint": "EXACTLY",
    "search-string": "PROPFIND"}}))
EXPLOITABLE_GUARD = [".git/", ".svn/", ".hg/", ".env", ".aws/", "wp-config", "phpmyadmin", "web-inf/",
    "meta-inf/", "actuator/", "jmx-console", "admin-console", "manager/html", "server-status", "solr/admin",
    "boaform", "hnap1", "invoker/", "_ignition", "phpunit", "cgi-bin/", ".ds_store", "console/", "druid/",
    "nacos/", "autodiscover", "owa/auth", "script", "acme-challenge"]
addk(rule("ExploitablePaths_URIPATH", 0, {"and": {"statements": [
    {"byte-match": {"field": "uri-path", "positional-constraint": "CONTAINS", "search-strings": EXPLOITABLE_GUARD,
                    "text-transformations": PATHCH}},
    {"regex-match": {"field": "uri-path", "regex-string": EXPLOITABLE, "text-transformations": PATHCH}}]}}))
ALL_HEADERS = {"headers": {"match-pattern": {"all": {}}, "match-scope": "ALL", "oversize-handling": "CONTINUE"}}
addk(rule("Log4JRCE_HEADER", 0, {"or": {"statements": [
    {"regex-match": {"field": ALL_HEADERS, "regex-string": LOG4J, "text-transformations": DL}},
    {"regex-match": {"field": ALL_HEADERS, "regex-string": LOG4J, "text-transformations": ["BASE64_DECODE", "LOWERCASE"]}}]}}))
for part in ["QUERYARGUMENTS", "BODY", "JSONBODY", "COOKIE", "URIPATH"]:
    addk(rule("Log4JRCE_" + part, 0, regex(part, LOG4J, guard=["${"])))
addk(rule("Log4JRCE_QUERYSTRING", 0, {"regex-match": {"field": "query-string", "regex-string": LOG4J,
    "text-transformations": DL}}))
addk(rule("SpringFramework_QUERYSTRING", 0, {"regex-match": {"field": "query-string", "regex-string": SPRING,
    "text-transformations": DL}}))
addk(rule("SpringFramework_BODY", 0, {"regex-match": {"field": {"body": {"oversize-handling": "CONTINUE"}},
    "regex-string": SPRING, "text-transformations": DL}}))
addk(rule("SpringFramework_HEADER", 0, regex("HEADERS", SPRING, guard=["class", "spring", "java"])))
write("known-bad-inputs", 200, "Known exploit signatures: Log4j JNDI lookups, Java deserialization, Spring4Shell, localhost Host header, exploitable paths.", kbi)

# ---------------------------------------------------------------- sql-database
sq = []
p = 0
for part in ["QUERYARGUMENTS", "BODY", "JSONBODY", "COOKIE", "URIPATH", "HEADERS"]:
    sq.append(rule("SQLi_" + part, p, detector("sqli-match", part, {"sensitivity-level": "LOW"})))
    p += 1
write("sql-database", 200, "SQL injection, by the tokenizing detector, in query arguments, body, JSON body, cookies, URI path and free-text headers.", sq)

# ---------------------------------------------------------------- unix-command-injection
CMDS = (r"(?:cat|ls|id|whoami|uname|wget|curl|nc|ncat|netcat|bash|sh|zsh|ksh|dash|python[23]?|perl|ruby|php|"
        r"ping|nslookup|dig|host|chmod|chown|rm|echo|printenv|env|ps|kill|sleep|head|tail|more|less|base64|"
        r"tftp|telnet|ifconfig|hostname|passwd|sudo|touch|mkfifo|xterm|awk|sed|find|socat|openssl|crontab|"
        r"useradd|systemctl|service|nohup|xxd|od|tac|nl|sort|uniq|grep|busybox|powershell|cmd)")
ARG = (r"(?:\s*(?:$|[;|&>`)\n])|[^;|&\n]*\s>{1,2}\s*[/~.$a-z]|\s+(?:[-+]{1,2}[a-z]|/|\.{1,2}/|~|\$|https?:|[0-9]+\s*(?:$|[;|&])|"
       r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+|[a-z0-9-]+\.[a-z]{2,}\b|[`'\"]))")
# A command at the very start of the value (anchored: cheap), or after a shell separator, pipe or
# substitution (guarded by the separator's presence).
SHELL_START = r"^\s*(?:/usr)?(?:/s?bin/)?" + CMDS + ARG
# One regex per separator, each starting with its literal separator: RE2/J jumps between
# occurrences of a literal prefix with indexOf and runs its automaton only from there, which is
# many times cheaper than one alternation that must be stepped at every byte.
CMD_TAIL = r"\s*(?:/usr)?(?:/s?bin/)?" + CMDS + ARG
SHELL_SEPS = [";" + CMD_TAIL, r"\|" + CMD_TAIL, r"\n" + CMD_TAIL, "&&" + CMD_TAIL,
              r"\$\(\s*" + CMDS + r"\b", "`\\s*" + CMDS + r"(?:\s[^`]*)?`",
              r"\$\{ifs\}|\$ifs\$|/bin/(?:ba)?sh\b|/dev/(?:tcp|udp)/",
              r"\b(?:nc|ncat|netcat)\s+(?:-[a-z]+\s+)*[^\s]+\s+[0-9]+\s+-e\s"]
CMD_NAMES = CMDS[3:-1].replace("python[23]?", "python").split("|")
def sep_guard(seps):
    """Literals every match of 'separator, optional spaces or /usr/bin/, command' contains: the
    separator, an optional space (the chain compresses white space), then '/' or the first two
    letters of a command. Checked in one pass
    (the engine merges CONTAINS matches), so the regex runs only where a command may follow."""
    starts = sorted({c[:2] for c in CMD_NAMES} | {"/"})
    return [sep + sp + st for sep in seps for sp in ("", " ") for st in starts]
SHELL_GUARD = [";", "|", "\n", "`", "$(", "&&", "${", "/bin/", "/dev/"]
OBFUSCATED_GUARD = ["/etc/", "/bin/", "|", "whoami", "ifconfig", "uname", "${ifs}"]
OBFUSCATED = (r"(?:^|\s)(?:cat|head|tail|more|less|tac|nl)/etc/(?:passwd|shadow)|/bin/(?:ba)?sh\b|"
              r"(?:wget|curl)https?:[^\s]*\|(?:ba)?sh|(?:^|\s)(?:whoami|ifconfig|uname-a)(?:$|[\s&|])|\$\{ifs\}")
CMD_D = ["URL_DECODE_UNI", "URL_DECODE_UNI", "HTML_ENTITY_DECODE", "JS_DECODE", "COMPRESS_WHITE_SPACE", "LOWERCASE"]
CMD_B64_RAW = ["BASE64_DECODE", "COMPRESS_WHITE_SPACE", "LOWERCASE"]
CMD_B64_URL = ["URL_DECODE_UNI", "BASE64_DECODE", "COMPRESS_WHITE_SPACE", "LOWERCASE"]
CMD_O = ["URL_DECODE_UNI", "URL_DECODE_UNI", "HTML_ENTITY_DECODE", "JS_DECODE", "CMD_LINE"]
ux = []
p = 0
for part in ["QUERYARGUMENTS", "BODY", "JSONBODY", "COOKIE", "HEADERS"]:
    b64 = CMD_B64_RAW if part in ("JSONBODY", "HEADERS", "COOKIE") else CMD_B64_URL
    f = FIELDS[part]
    st = []
    # regex() already wraps body/JSON scoping; unwrap to combine under one scope
    def unwrap(x):
        if part in ("BODY", "JSONBODY"):
            return x["and"]["statements"][1]
        return x
    guards = [sep_guard([";"]), sep_guard(["|"]), sep_guard(["\n"]), sep_guard(["&&"]), ["$("], ["`"], None, None]
    inner = {"or": {"statements": [unwrap(regex(part, pat, chains=[CMD_D, b64], guard=g))
                                   for pat, g in zip(SHELL_SEPS, guards)]}}
    inner2 = regex(part, OBFUSCATED, chains=[CMD_O], guard=OBFUSCATED_GUARD)
    st += [inner, unwrap(inner2)]
    ux.append(rule("UNIXShellCommands_" + part, p, scoped(part, {"or": {"statements": st}})))
    p += 1
write("unix-command-injection", 200, "Unix shell command injection: a shell separator, substitution or pipe followed by a command and its arguments; obfuscation undone by CMD_LINE.", ux)

# ---------------------------------------------------------------- ip lists
write("ip-reputation", 25, "Addresses from the operator's reputation list file (categories malicious, reconnaissance, ddos).", [
    rule("ManagedIPReputationList", 0, {"ip-set-reference": {"name": "malicious"}}),
    rule("ManagedReconnaissanceList", 1, {"ip-set-reference": {"name": "reconnaissance"}}),
    rule("ManagedIPDDoSList", 2, {"ip-set-reference": {"name": "ddos"}}, action="count"),
])
write("anonymous-ip", 50, "Addresses from the operator's anonymity list file (categories anonymous, hosting-provider).", [
    rule("AnonymousIPList", 0, {"ip-set-reference": {"name": "anonymous"}}),
    rule("HostingProviderIPList", 1, {"ip-set-reference": {"name": "hosting-provider"}}),
])
print("ok")
