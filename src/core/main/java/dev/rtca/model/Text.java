package dev.rtca.model;

/**
 * The one rule for the service models' string members: a length range counted in code points (as the models
 * count characters) and, for members with the pattern {@code \S}, at least one non-whitespace character.
 * Request members, segment members and envelope IDs are all checked through it.
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
