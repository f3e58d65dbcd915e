package dev.rtca.model;

/**
 * The one rule for the service models' string members: well-formed Unicode (no lone surrogate, which a
 * JSON escape (<code>&#92;u</code>) can write but no UTF-8 store or client can hold: it would become {@code ?} or U+FFFD on the way), a
 * length range counted in code points (as the models count characters) and, for members with the pattern
 * {@code \S}, at least one non-whitespace character. Request members, segment members and envelope IDs are all
 * checked through it.
 *
 * @param min      fewest code points
 * @param max      most code points; 0 for no upper bound
 * @param nonBlank whether the member has the model's {@code \S} pattern
 */
public record Text(int min, int max, boolean nonBlank) {

    /** 1..256 with {@code \S}: the IDs of Contact Lens (InstanceId, ContactId) and of the writers' envelopes. */
    public static final Text ID = new Text(1, 256, true);

    public static Text of(int min, int max) {
        return new Text(min, max, false);
    }

    public static Text nonBlank(int min, int max) {
        return new Text(min, max, true);
    }

    /** What is wrong with {@code value} as a sentence's predicate ("length must be 1..256, was 0"), or null. */
    public String violation(String value) {
        int lone = loneSurrogate(value);
        if (lone >= 0) {
            return "must be well-formed Unicode, has a lone surrogate (U+" + Integer.toHexString(value.charAt(lone))
                    .toUpperCase(java.util.Locale.ROOT) + ") at character " + (lone + 1);
        }
        int length = value.codePointCount(0, value.length());
        if (length < min || (max > 0 && length > max)) {
            return "length must be " + min + ".." + (max > 0 ? max : "") + ", was " + length;
        }
        if (nonBlank && !hasNonWhitespace(value)) {
            return "must contain a non-whitespace character";
        }
        return null;
    }

    public boolean accepts(String value) {
        return value != null && violation(value) == null;
    }

    /** The index of the first surrogate that is not half of a pair, or -1. */
    static int loneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code text} matches the pattern {@code \S}. Smithy patterns are ECMAScript regular expressions,
     * whose whitespace is not Java's: it includes U+00A0 and U+FEFF and excludes U+001C..U+001F.
     */
    public static boolean hasNonWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isEcmaWhitespace(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isEcmaWhitespace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r') || c == '\u00a0' || c == '\u1680' || (c >= '\u2000' && c <= '\u200a')
                || c == '\u2028' || c == '\u2029' || c == '\u202f' || c == '\u205f' || c == '\u3000' || c == '\ufeff';
    }
}
