"""Drives `vault-ops fake-server` from Python the way a Python team's tests would: grpcio for gRPC
(generic unary calls, the messages encoded by hand so that no protoc is needed), urllib for REST and
the admin API. Reads VAULT_FAKE_GRPC / VAULT_FAKE_REST / VAULT_FAKE_ADMIN; prints one line per check
and "python: N passed, N failed"; exits 1 if any check failed."""
import json
import os
import sys
import urllib.request

import grpc

GRPC = os.environ["VAULT_FAKE_GRPC"]
REST = os.environ["VAULT_FAKE_REST"].rstrip("/")
ADMIN = os.environ["VAULT_FAKE_ADMIN"].rstrip("/")
OPERATIONS = "/google.longrunning.Operations/"


def field_bytes(number, payload):
    """A length-delimited protobuf field (wire type 2): key, varint length, bytes."""
    key = bytes([(number << 3) | 2])
    length = len(payload)
    varint = bytearray()
    while True:
        byte = length & 0x7F
        length >>= 7
        varint.append(byte | (0x80 if length else 0))
        if not length:
            break
    return key + bytes(varint) + payload


def name_request(name):
    """GetOperationRequest / CancelOperationRequest: field 1, the name."""
    return field_bytes(1, name.encode())


def http(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


results = []


def check(label, condition):
    results.append(condition)
    print(("ok   " if condition else "FAIL ") + label)


channel = grpc.insecure_channel(GRPC)
get = channel.unary_unary(OPERATIONS + "GetOperation")
cancel = channel.unary_unary(OPERATIONS + "CancelOperation")

http("POST", ADMIN + "/v1/reset")
status, _ = http("POST", ADMIN + "/v1/operations", {"name": "operations/py-1", "metadata": {"@type": "type.googleapis.com/google.protobuf.StringValue", "value": "from python"}})
check("admin seeds operations/py-1", status == 201)

answer = get(name_request("operations/py-1"), timeout=10)
check("gRPC GetOperation answers the seeded operation", b"operations/py-1" in answer and b"from python" in answer)

status, body = http("GET", REST + "/v1/operations/py-1")
check("REST GET answers the same operation", status == 200 and body.get("name") == "operations/py-1" and body.get("done") is not True)

cancel(name_request("operations/py-1"), timeout=10)
status, body = http("GET", REST + "/v1/operations/py-1")
check("gRPC Cancel is seen over REST as done with CANCELLED", body.get("done") is True and body.get("error", {}).get("code") == 1)

status, _ = http("POST", ADMIN + "/v1/faults", {"fault": "status", "code": "UNAVAILABLE", "message": "try again", "method": "get", "transport": "grpc", "times": 1})
try:
    get(name_request("operations/py-1"), timeout=10)
    check("a gRPC fault from the admin API is observed", False)
except grpc.RpcError as error:
    check("a gRPC fault from the admin API is observed", error.code() == grpc.StatusCode.UNAVAILABLE and error.details() == "try again")

http("PUT", ADMIN + "/v1/grpc-mode", {"mode": "unimplemented"})
try:
    get(name_request("operations/py-1"), timeout=10)
    check("mode switched to unimplemented at run time", False)
except grpc.RpcError as error:
    check("mode switched to unimplemented at run time", error.code() == grpc.StatusCode.UNIMPLEMENTED)
http("PUT", ADMIN + "/v1/grpc-mode", {"mode": "serve"})

try:
    channel.unary_unary("/some.Unknown/Method")(b"", timeout=10)
    check("an unknown service answers UNIMPLEMENTED", False)
except grpc.RpcError as error:
    check("an unknown service answers UNIMPLEMENTED", error.code() == grpc.StatusCode.UNIMPLEMENTED)

status, journal = http("GET", ADMIN + "/v1/journal?pageSize=100")
entries = journal.get("entries", [])
check("the journal lists the calls of both transports", status == 200 and {e.get("transport") for e in entries} >= {"grpc", "rest"})

passed = sum(1 for r in results if r)
print(f"python: {passed} passed, {len(results) - passed} failed")
sys.exit(0 if passed == len(results) else 1)
