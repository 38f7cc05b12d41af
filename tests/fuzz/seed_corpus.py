#!/usr/bin/env python3
"""Writes the seed inputs of every fuzz target into a directory (one subdirectory per target)
from the repository: golden pairs, route-table patterns, config examples. scripts/fuzz.sh
merges them with -merge=1 into tests/fuzz/corpus/<target>/ (only inputs adding coverage)."""
import hashlib
import os
import re
import sys

root = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..'))
out = sys.argv[1]


def method_ids():
    text = open(os.path.join(root, 'translators', 'method.hpp')).read()
    body = text[text.index('enum class method_id {'):text.index('};', text.index('enum class method_id {'))]
    names = re.findall(r'^\s+([A-Z][A-Za-z]+),', body, re.M)
    return {n: i for i, n in enumerate(names)}


def put(target, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), 'wb') as f:
        f.write(data)


def read(path):
    with open(path, 'rb') as f:
        return f.read()


ids = method_ids()
golden = os.path.join(root, 'tests', 'golden')
for method in sorted(os.listdir(golden)):
    mdir = os.path.join(golden, method)
    if not os.path.isdir(mdir) or method not in ids:
        continue
    for case in sorted(os.listdir(mdir)):
        c = os.path.join(mdir, case)
        types = 0x40 if os.path.exists(os.path.join(c, 'schema.json')) else 0
        for name in os.listdir(c):
            if name.endswith('.json'):
                put('json_reader', read(os.path.join(c, name)))
        if os.path.exists(os.path.join(c, 'v2_response.json')):
            body = read(os.path.join(c, 'v2_response.json'))
            put('json_response', bytes([ids[method] | types]) + body)
        if os.path.exists(os.path.join(c, 'v1_request.xml')):
            xml = read(os.path.join(c, 'v1_request.xml'))
            put('xml_request', bytes([ids[method] | types]) + xml)
            cur = os.path.join(c, 'current.json')
            if os.path.exists(cur):
                put('xml_request', bytes([ids[method] | types | 0x80]) + xml + b'\0' + read(cur))

# Route matching: every V1 pattern with values, each verb, a few queries and bad paths.
table = read(os.path.join(root, 'translators', 'route_table.cpp')).decode()
patterns = sorted(set(re.findall(r'\{[A-Z][A-Za-z]+, [a-z]+, "([^"*]+)"', table)))
queries = ['', '?version=2', '?changed_since=2014-10-28', '?changed_since=10%2F28%2F2014%2010:00%20AM',
           '?changed_since=2014-10-28T10:00:00+02:00&page=2', '?v=1&include_calculated_fields=true&x=%41']
for i, p in enumerate(patterns):
    path = '/Services.svc/v1/' + re.sub(r'\{[A-Za-z]+\}', 'ID%d' % i, p)
    for v in range(3):
        put('route_match', bytes([v]) + (path + queries[i % len(queries)]).encode())
for bad in ['/Services.svc/v1/Programs/%2e%2e/Forms', '/Services.svc/v1//Programs', '/services/v2/Programs',
            '/Services.svc/v1/Unknown/Thing?a=b#frag', '/Services.svc/v1/Programs/P/Projects?changed_since=x']:
    put('route_match', bytes([0x80]) + bad.encode())
for ts in ['2014-10-28', '10/28/2014 10:00 AM', '2014-10-28T10:00:00.1234567 02:00', '2014-10-28T10:00:00Z']:
    put('route_match', bytes([0x20]) + ts.encode())

for h in [b'Basic dXNlcjpwYXNz', b'  basic   dXNlcjpwYXNz  ', b'Basic Og==', b'Bearer abc', b'BASIC dTpwOnE=']:
    put('basic_auth', h)

ok = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{"client":"A"}'
answers = [ok,
           b'HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n' + ok,
           b'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n' + ok,
           b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{"a"\r\n3\r\n:1}\r\n0\r\n\r\n',
           b'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n',
           b'HTTP/1.1 304 Not Modified\r\n\r\n',
           b'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}',
           b'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{"until":"close"}',
           b'HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nContent-Length: 2\r\n\r\n{}',
           ok + ok,
           b'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n']
for i, a in enumerate(answers):
    for flags in (0x00, 0x08, 0x02, 0x0C):
        put('upstream_framing', bytes([flags]) + a)
put('upstream_framing', bytes([0x01]) + b'HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n')

for body in [b'{"access_token":"eyJhbGciOi.abc.def","token_type":"Bearer","expires_in":3600}',
             b'{"access_token":"t","expires_in":"3600"}', b'{"access_token":"t","expires_in":3600.5}',
             b'{"access_token":"t","expires_in":99999999999}', b'{"access_token":"a b","expires_in":0}',
             b'{"access_token":"\\u0041"}', b'{"error":"invalid_client","error_description":"bad\\nsecret"}']:
    for status in (0, 4, 5):
        put('token_answer', bytes([status]) + body)

for dirpath, _, files in os.walk(root):
    if '/build' in dirpath or '/.git' in dirpath or '/tests/fuzz' in dirpath:
        continue
    for name in files:
        if name.endswith('.yaml') and ('config' in dirpath):
            put('config', read(os.path.join(dirpath, name)))
