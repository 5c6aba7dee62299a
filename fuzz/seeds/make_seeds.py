#!/usr/bin/env python3
"""Writes the text seed corpora under fuzz/seeds/ from the shared real data.

Run from the repository root with the data folder beside it (../shared/data). The binary seeds
of bundle_load and the JSON seeds of rule_json come from the library itself: run
`IOCMATCH_WRITE_FUZZ_SEEDS=1 cargo test --test fuzz_regressions fuzz_seeds` for those.
"""

import gzip
import hashlib
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
SEEDS = os.path.join(ROOT, "fuzz", "seeds")


def write(target, payload):
    """Writes one seed, named by the SHA-1 of its bytes as libFuzzer names corpus files."""
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    folder = os.path.join(SEEDS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(payload).hexdigest()), "wb") as out:
        out.write(payload)


def remus_filters():
    """Reads the five Filter/Exclusion lines of the ThreatFox Remus rule page."""
    with open(os.path.join(DATA, "rules", "threatfox-remus.md"), encoding="utf-8") as page:
        prefix = "Filter/Exclusion: "
        return [line[len(prefix):].strip() for line in page if line.startswith(prefix)]


# Filters written after the exclusions of the Sigma DNS rules (rules/sigma/*.yml), and the
# syntax the filter language accepts beyond them: ranges, CIDR, regexes, quoting, groups.
WRITTEN_FILTERS = [
    r'Image:"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" OR Image:*\\firefox.exe',
    r"QueryName:*.onion AND NOT Image:*\\tor.exe",
    r"QueryName:(rs-*.rustdesk.com OR *.tmate.io OR *.tailscale.com)",
    r"Image:C\:\\Program\ Files*\\Microsoft\\Edge*\\msedge.exe",
    r"dns.question.name:*xmr* && !process.executable:*\\xmrig.exe",
    "source.ip:10.0.0.0/8 OR destination.ip:\"2001:db8::/32\"",
    "event.code:[4688 TO 4690] AND process.pid:>=4",
    "bytes:{0 TO *] OR bytes:<1.5e3",
    r"process.name:/power(shell|sh)\.exe/ AND user.name:?dmin*",
    "_exists_:user.name AND NOT user.name:\"\"",
    "user:( root or \"bob smith\" ) AND host:dev-\\*",
    "(a:1 AND (b:2 OR c:3)) OR NOT (d:* AND e:x?y)",
    "@timestamp:* AND user-name:é*ü AND x_1:\"AND\"",
    "process.command_line:*remus_backup* AND process.user:*admin* OR host:x",
    # Invalid on purpose: unclosed group, quote, range and regex; a value without a field.
    "user:(root OR bob",
    "process.command_line:\"unterminated",
    "bytes:[1 TO",
    "name:/abc",
    "user:root bob",
]


def filter_seeds():
    filters = remus_filters() + WRITTEN_FILTERS
    for text in filters:
        write("filter_parse", text)
        write("filter_roundtrip", text)
        # eval_differential: the filter, a NUL, then bytes for the event's structure.
        for tail in (b"\x01\x00\x02\x03\x07\x05abc", bytes(range(1, 40))):
            write("eval_differential", text.encode("utf-8") + b"\x00" + tail)


def blocklist_domains(count_per_list):
    folder = os.path.join(DATA, "domain-lists", "shadowwhisperer")
    domains = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as lines:
                domains_in_list = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
                domains += domains_in_list[:count_per_list]
    return domains


def threatfox_values(count_per_type):
    path = os.path.join(DATA, "threatfox", "threatfox_export_json_recent_20260724.json")
    with open(path, encoding="utf-8") as export:
        records = [r for reports in json.load(export).values() for r in reports]
    values = []
    for kind in ("domain", "url", "ip:port"):
        values += [r["ioc_value"] for r in records if r["ioc_type"] == kind][:count_per_type]
    return values


def hostfile_lines(count):
    path = os.path.join(DATA, "threatfox", "threatfox_hostfile_20220219.txt")
    with open(path, encoding="utf-8") as lines:
        return [line.rstrip("\n") for line in lines if line.startswith("127.")][:count]


def sysmon_query_names(count):
    path = os.path.join(DATA, "dns-logs", "otrf_mordor_sysmon_eid22_dnsquery.jsonl.gz")
    names = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            name = json.loads(line).get("QueryName")
            if name and name not in names:
                names.append(name)
            if len(names) == count:
                break
    return names


def domain_seeds():
    domains = blocklist_domains(1)
    values = threatfox_values(4)
    hosts = hostfile_lines(3)
    names = sysmon_query_names(6)
    written = [
        "hxxps://cdn.demale[.]shop/gate.php",
        "*.thequarterlymethod.com",
        "demale(.)shop:443",
        "bücher.example.",
        "xn--mnchen-3ya.de",
        "(3)www(6)demale(4)shop(0)",
        "(7)example(3)com(0)",
    ]
    for value in domains + values + hosts + names + written:
        write("normalize", value)
    for value in values[:4] + names[:4] + written[:4]:
        write("set_differential", value)


def main():
    if not os.path.isdir(DATA):
        sys.exit(f"the shared data folder {DATA} is absent")
    filter_seeds()
    domain_seeds()


if __name__ == "__main__":
    main()
