<?php
// Verifies one Standard Webhooks request: php verify.php < body
// Secret and headers from the environment: WEBHOOK_SECRET (whsec_…), WEBHOOK_ID, WEBHOOK_TIMESTAMP, WEBHOOK_SIGNATURE.
// Prints "valid" (exit 0) or "invalid: <reason>" (exit 1). PHP's standard functions only.

const TOLERANCE_SECONDS = 5 * 60; // refuse attempts older (or newer) than this: a captured request cannot be replayed later

function verify(string $secret, string $id, string $timestamp, string $signatureHeader, string $body): ?string
{
    if ($id === '' || !ctype_digit($timestamp) || $signatureHeader === '') {
        return 'missing webhook-id, webhook-timestamp or webhook-signature';
    }
    if (abs(time() - (int) $timestamp) > TOLERANCE_SECONDS) {
        return 'timestamp outside the tolerance';
    }
    $key = base64_decode(str_starts_with($secret, 'whsec_') ? substr($secret, 6) : $secret);
    // The signed content is the raw body exactly as received: verify before parsing the JSON.
    $expected = base64_encode(hash_hmac('sha256', "$id.$timestamp.$body", $key, true));
    foreach (explode(' ', $signatureHeader) as $signature) {
        $parts = explode(',', $signature, 2);
        if (count($parts) !== 2 || $parts[0] !== 'v1') {
            continue; // two signatures during a secret rotation; other versions are not ours
        }
        if (hash_equals($expected, $parts[1])) {
            return null;
        }
    }
    return 'no matching signature';
}

$problem = verify((string) getenv('WEBHOOK_SECRET'), (string) getenv('WEBHOOK_ID'), (string) getenv('WEBHOOK_TIMESTAMP'),
    (string) getenv('WEBHOOK_SIGNATURE'), file_get_contents('php://stdin'));
echo $problem === null ? "valid\n" : "invalid: $problem\n";
exit($problem === null ? 0 : 1);
