package dev.rtca.segments;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key that seals NextTokens, with the ID every token carries so the reader knows which key to open it with. The ID is
 * derived from the key (an HMAC of a fixed label, 4 bytes): it names the key without revealing it, and needs no
 * bookkeeping wherever the key comes from.
 */
public final class TokenKey {
    static final int MIN_BYTES = 32;
    private static final byte[] ID_LABEL = "rtca-token-key-id".getBytes(StandardCharsets.UTF_8);

    private final SecretKeySpec spec;
    private final int id;

    public TokenKey(byte[] material) {
        if (material.length < MIN_BYTES) {
            throw new IllegalArgumentException("a token key must have at least " + MIN_BYTES + " bytes");
        }
        this.spec = new SecretKeySpec(material.clone(), "HmacSHA256");
        this.id = ByteBuffer.wrap(hmac(spec, ID_LABEL)).getInt();
    }

    /** The key of a secret's text value (its UTF-8 bytes). */
    public static TokenKey ofText(String secret) {
        return new TokenKey(secret.getBytes(StandardCharsets.UTF_8));
    }

    public int id() {
        return id;
    }

    SecretKeySpec spec() {
        return spec;
    }

    static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "TokenKey[id=" + Integer.toHexString(id) + "]"; // never the material
    }
}
