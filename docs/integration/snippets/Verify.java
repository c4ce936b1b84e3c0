// Verifies one Standard Webhooks request: java Verify.java < body   (Java 11 or later, single-file launch)
// Secret and headers from the environment: WEBHOOK_SECRET (whsec_…), WEBHOOK_ID, WEBHOOK_TIMESTAMP, WEBHOOK_SIGNATURE.
// Prints "valid" (exit 0) or "invalid: <reason>" (exit 1). The JDK only.
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class Verify {
  // Refuse attempts older (or newer) than this: a captured request cannot be replayed later.
  static final long TOLERANCE_SECONDS = 5 * 60;

  static String verify(String secret, String id, String timestamp, String signatureHeader, byte[] body) throws Exception {
    if (id == null || id.isEmpty() || timestamp == null || !timestamp.matches("\\d{1,18}") || signatureHeader == null) {
      return "missing webhook-id, webhook-timestamp or webhook-signature";
    }
    if (Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(timestamp)) > TOLERANCE_SECONDS) {
      return "timestamp outside the tolerance";
    }
    byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    // The signed content is the raw body exactly as received: verify before parsing the JSON.
    mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
    byte[] expected = mac.doFinal(body);
    for (String signature : signatureHeader.split(" ")) {
      String[] parts = signature.split(",", 2);
      if (parts.length != 2 || !parts[0].equals("v1")) continue; // two during a rotation; other versions are not ours
      byte[] given;
      try {
        given = Base64.getDecoder().decode(parts[1]);
      } catch (IllegalArgumentException notBase64) {
        continue;
      }
      if (MessageDigest.isEqual(given, expected)) return null;
    }
    return "no matching signature";
  }

  public static void main(String[] args) throws Exception {
    String secret = System.getenv().getOrDefault("WEBHOOK_SECRET", "");
    String problem = verify(secret, System.getenv("WEBHOOK_ID"), System.getenv("WEBHOOK_TIMESTAMP"),
        System.getenv("WEBHOOK_SIGNATURE"), System.in.readAllBytes());
    System.out.println(problem == null ? "valid" : "invalid: " + problem);
    System.exit(problem == null ? 0 : 1);
  }
}
