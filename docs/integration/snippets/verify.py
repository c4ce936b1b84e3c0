# Verifies one Standard Webhooks request: python3 verify.py < body
# Secret and headers from the environment: WEBHOOK_SECRET (whsec_…), WEBHOOK_ID, WEBHOOK_TIMESTAMP, WEBHOOK_SIGNATURE.
# Prints "valid" (exit 0) or "invalid: <reason>" (exit 1). Python's standard library only.
import base64
import hashlib
import hmac
import os
import sys
import time

TOLERANCE_SECONDS = 5 * 60  # refuse attempts older (or newer) than this: a captured request cannot be replayed later


def verify(secret, msg_id, timestamp, signature_header, body):
    if not msg_id or not (timestamp.isascii() and timestamp.isdigit()) or not signature_header:
        return "missing webhook-id, webhook-timestamp or webhook-signature"
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return "timestamp outside the tolerance"
    key = base64.b64decode(secret.removeprefix("whsec_"))
    # The signed content is the raw body exactly as received: verify before parsing the JSON.
    expected = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    for signature in signature_header.split(" "):
        version, _, value = signature.partition(",")
        if version != "v1" or not value:
            continue  # two signatures during a secret rotation; other versions are not ours
        try:
            given = base64.b64decode(value, validate=True)
        except ValueError:
            continue
        if hmac.compare_digest(given, expected):
            return None
    return "no matching signature"


env = os.environ
problem = verify(env.get("WEBHOOK_SECRET", ""), env.get("WEBHOOK_ID", ""), env.get("WEBHOOK_TIMESTAMP", ""),
                 env.get("WEBHOOK_SIGNATURE", ""), sys.stdin.buffer.read())
print("valid" if problem is None else f"invalid: {problem}")
sys.exit(0 if problem is None else 1)
