package dev.background.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The control token, kept as its SHA-256 digest. A presented token is hashed too and the two
 * digests are compared with {@link MessageDigest#isEqual}, whose time does not depend on where
 * they differ; hashing first makes the comparison independent of the tokens' lengths as well.
 * Immutable and thread-safe.
 */
final class BearerToken {

  /** What a request carries, from the point of view of the token check. */
  enum Verdict {
    /** No {@code Authorization} header, another scheme, or an empty token: 401. */
    MISSING,
    /** A bearer token that is not the right one: 403. */
    WRONG,
    /** The right token. */
    OK
  }

  private static final String SCHEME = "bearer";

  private final byte[] expected;

  BearerToken(String token) {
    this.expected = sha256(token);
  }

  /** Checks the value of an {@code Authorization} header ({@code null} when there is none). */
  Verdict check(String authorization) {
    if (authorization == null || authorization.length() <= SCHEME.length()
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
        || authorization.charAt(SCHEME.length()) != ' ') {
      return Verdict.MISSING;
    }
    String presented = authorization.substring(SCHEME.length()).trim();
    if (presented.isEmpty()) {
      return Verdict.MISSING;
    }
    return MessageDigest.isEqual(expected, sha256(presented)) ? Verdict.OK : Verdict.WRONG;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
